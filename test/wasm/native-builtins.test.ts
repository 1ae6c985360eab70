// Builtins the runtime runs natively since issue 15 (object.union, object.union_n, upper, lower,
// trim, trim_left, trim_right, trim_space, replace): on edge cases WASM gives what the IR
// interpreter (the TypeScript implementations) gives, and what OPA gives; strict errors carry
// the same messages; upper/lower stay off the host for ASCII and go there for anything else.
import fc from 'fast-check';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { compileModules, compileQuery, planPolicy, type CompiledModules } from '../../server/compiler/index';
import { parseModule, parseQuery } from '../../server/rego/index';
import { Interpreter } from '../../server/ir/interpreter';
import { lookupBuiltin } from '../../server/builtins/catalog';
import { WasmPolicy, buildWasm, entrypointQuery } from '../../server/engine/wasm-policy';
import { evaluateQuery } from '../../server/engine/query';
import { hostBuiltins } from '../../server/wasm/host-builtins';
import { ObjectValue, fromJS, toJSONText, toRegoText } from '../../server/value/value';

/** A literal the type checker cannot see through (its type is "any of everything"), so operands
 *  of the wrong type reach the builtin at run time, as they would from input or data. */
const h = (lit: string): string => `[${lit}, null, true, 0, "", [], {}, set()][input.i]`;

// [rego expression, what OPA answers (Rego text), or undefined when the builtin fails]
const CASES: Array<[string, string]> = [
  // object.union: the right side wins; two objects under one key merge; nothing else does.
  [`object.union(${h('{"a": 1}')}, ${h('{"b": 2}')})`, '{"a": 1, "b": 2}'],
  [`object.union(${h('{"b": 1}')}, ${h('{"a": 2, "c": 3}')})`, '{"a": 2, "b": 1, "c": 3}'],
  [`object.union(${h('{"a": 1, "b": 2}')}, ${h('{"b": 3}')})`, '{"a": 1, "b": 3}'],
  [`object.union(${h('{"a": {"b": 1, "c": 2}}')}, ${h('{"a": {"b": 3, "d": 4}}')})`, '{"a": {"b": 3, "c": 2, "d": 4}}'],
  [`object.union(${h('{"a": {"b": {"c": {"d": 1, "e": 2}}}}')}, ${h('{"a": {"b": {"c": {"e": 3}, "f": 4}}}')})`, '{"a": {"b": {"c": {"d": 1, "e": 3}, "f": 4}}}'],
  [`object.union(${h('{"a": {"b": 1}}')}, ${h('{"a": 1}')})`, '{"a": 1}'],
  [`object.union(${h('{"a": 1}')}, ${h('{"a": {"b": 1}}')})`, '{"a": {"b": 1}}'],
  [`object.union(${h('{"a": null}')}, ${h('{"a": {"b": 1}}')})`, '{"a": {"b": 1}}'],
  [`object.union(${h('{"a": {"b": 1}}')}, ${h('{"a": null}')})`, '{"a": null}'],
  [`object.union(${h('{"a": {1, 2}}')}, ${h('{"a": {3}}')})`, '{"a": {3}}'],
  [`object.union(${h('{"a": [1, 2]}')}, ${h('{"a": [3]}')})`, '{"a": [3]}'],
  [`object.union(${h('{"a": {"x": 1}}')}, ${h('{"a": {"x"}}')})`, '{"a": {"x"}}'],
  [`object.union(${h('{}')}, ${h('{}')})`, '{}'],
  [`object.union(${h('{}')}, ${h('{"a": {"b": 1}}')})`, '{"a": {"b": 1}}'],
  [`object.union(${h('{"a": {"b": 1}}')}, ${h('{}')})`, '{"a": {"b": 1}}'],
  [`object.union(${h('{"a": {}}')}, ${h('{"a": {"b": 1}}')})`, '{"a": {"b": 1}}'],
  [`object.union(${h('{"a": 1}')}, ${h('{"a": 1}')})`, '{"a": 1}'],
  [`object.union(${h('{1: "x", [1]: "y", "k": true}')}, ${h('{1: "z", {"o": 1}: 2}')})`, '{1: "z", "k": true, [1]: "y", {"o": 1}: 2}'],
  [`object.union(${h('{1: {"a": 1}}')}, ${h('{1.0: {"b": 2}}')})`, '{1: {"a": 1, "b": 2}}'],
  [`object.union(${h('1')}, ${h('{}')})`, 'undefined'],
  [`object.union(${h('{}')}, ${h('"x"')})`, 'undefined'],
  [`object.union(${h('{1}')}, ${h('{"a": 1}')})`, 'undefined'],
  [`object.union(${h('[]')}, ${h('{}')})`, 'undefined'],
  [`object.union(${h('{"a": 1}')}, ${h('null')})`, 'undefined'],
  // object.union_n: left to right; a non-object on the way cuts earlier objects off.
  [`object.union_n(${h('[]')})`, '{}'],
  [`object.union_n(${h('[{}]')})`, '{}'],
  [`object.union_n(${h('[{"a": {"b": 1}}]')})`, '{"a": {"b": 1}}'],
  [`object.union_n(${h('[{"a": 1}, {"b": 2}, {"a": 3}]')})`, '{"a": 3, "b": 2}'],
  [`object.union_n(${h('[{"a": {"b": 2}}, {"a": 4}, {"a": {"c": 3}}]')})`, '{"a": {"c": 3}}'],
  [`object.union_n(${h('[{"a": {"b": 1}}, {"a": {"c": 2}}, {"a": {"b": 3}}]')})`, '{"a": {"b": 3, "c": 2}}'],
  [`object.union_n(${h('[{"a": {"b": {"x": 1}}}, {"a": {"b": 5}}, {"a": {"b": {"y": 2}}}]')})`, '{"a": {"b": {"y": 2}}}'],
  [`object.union_n(${h('[{"a": {"b": {"y": 2}, "c": 1}}, {"a": {"b": 5}}, {"a": {"b": {"x": 1}}}]')})`, '{"a": {"b": {"x": 1}, "c": 1}}'],
  [`object.union_n(${h('[{"a": {1}}, {}, {"a": {2}}]')})`, '{"a": {2}}'],
  [`object.union_n(${h('[{}, {}, {}]')})`, '{}'],
  [`object.union_n(${h('[{"a": 1}, 2]')})`, 'undefined'],
  [`object.union_n(${h('[1]')})`, 'undefined'],
  [`object.union_n(${h('[{"a": 1}, {1}]')})`, 'undefined'],
  [`object.union_n(${h('{{"a": 1}}')})`, 'undefined'],
  [`object.union_n(${h('{"a": {}}')})`, 'undefined'],
  // upper, lower: ASCII natively, anything else on the host (Go's per-rune simple mappings).
  [`upper(${h('"abc-XYZ 09_@[`{"')})`, '"ABC-XYZ 09_@[`{"'],
  [`lower(${h('"abc-XYZ 09_@[`{"')})`, '"abc-xyz 09_@[`{"'],
  [`upper(${h('""')})`, '""'],
  [`lower(${h('"ALREADY lower? no"')})`, '"already lower? no"'],
  [`upper(${h('"ALREADY"')})`, '"ALREADY"'],
  [`upper(${h('"héllo wörld"')})`, '"HÉLLO WÖRLD"'],
  [`lower(${h('"ÀÉÎÕÜ ΣΑΣ Привет"')})`, '"àéîõü σασ привет"'],
  [`upper(${h('"straße ǆ ﬁ"')})`, '"STRAßE Ǆ ﬁ"'],
  [`lower(${h('"İ K Ǆ"')})`, '"i k ǆ"'],
  [`upper(${h('"😀 a"')})`, '"😀 A"'],
  [`upper(${h('1')})`, 'undefined'],
  [`lower(${h('["a"]')})`, 'undefined'],
  // trim, trim_left, trim_right: a cutset of runes; trim_space: Go's unicode.IsSpace.
  [`trim(${h('"  xx  "')}, ${h('" "')})`, '"xx"'],
  [`trim(${h('"xyhixy"')}, ${h('"yx"')})`, '"hi"'],
  [`trim(${h('"abc"')}, ${h('"abc"')})`, '""'],
  [`trim(${h('" x "')}, ${h('""')})`, '" x "'],
  [`trim(${h('""')}, ${h('"a"')})`, '""'],
  [`trim(${h('"ééaéé"')}, ${h('"é"')})`, '"a"'],
  [`trim(${h('"€x€é"')}, ${h('"é€"')})`, '"x"'],
  [`trim(${h('"😀a😀"')}, ${h('"😀"')})`, '"a"'],
  [`trim(${h('"éa"')}, ${h('"\\u00e8"')})`, '"éa"'],
  [`trim_left(${h('"xxaxx"')}, ${h('"x"')})`, '"axx"'],
  [`trim_right(${h('"xxaxx"')}, ${h('"x"')})`, '"xxa"'],
  [`trim_right(${h('"aéé"')}, ${h('"é"')})`, '"a"'],
  [`trim_left(${h('"ééa"')}, ${h('"éa"')})`, '""'],
  [`trim(${h('1')}, ${h('"x"')})`, 'undefined'],
  [`trim(${h('"x"')}, ${h('1')})`, 'undefined'],
  [`trim_left(${h('"x"')}, ${h('null')})`, 'undefined'],
  [`trim_space(${h('" \\t\\n\\r x y \\f\\u000b"')})`, '"x y"'],
  [`trim_space(${h('"\\u0085\\u00a0\\u1680\\u2000\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000x\\u3000"')})`, '"x"'],
  [`trim_space(${h('"\\u200bx\\ufeff"')})`, '"\u200bx\ufeff"'],
  [`trim_space(${h('"   "')})`, '""'],
  [`trim_space(${h('"x"')})`, '"x"'],
  [`trim_space(${h('{}')})`, 'undefined'],
  // replace: strings.ReplaceAll; an empty old string goes around every rune.
  [`replace(${h('"a.b.c"')}, ${h('"."')}, ${h('"/"')})`, '"a/b/c"'],
  [`replace(${h('"aaa"')}, ${h('"aa"')}, ${h('"b"')})`, '"ba"'],
  [`replace(${h('"abc"')}, ${h('"x"')}, ${h('"y"')})`, '"abc"'],
  [`replace(${h('"abcabc"')}, ${h('"abc"')}, ${h('""')})`, '""'],
  [`replace(${h('"héé"')}, ${h('"é"')}, ${h('"ee"')})`, '"heeee"'],
  [`replace(${h('"aé"')}, ${h('""')}, ${h('"-"')})`, '"-a-é-"'],
  [`replace(${h('""')}, ${h('""')}, ${h('"x"')})`, '"x"'],
  [`replace(${h('"😀😀"')}, ${h('""')}, ${h('"|"')})`, '"|😀|😀|"'],
  [`replace(${h('"x"')}, ${h('"x"')}, ${h('"xx"')})`, '"xx"'],
  [`replace(${h('1')}, ${h('"x"')}, ${h('"y"')})`, 'undefined'],
  [`replace(${h('"x"')}, ${h('1')}, ${h('"y"')})`, 'undefined'],
  [`replace(${h('"x"')}, ${h('"x"')}, ${h('1')})`, 'undefined'],
];

const MODULE = `package t\n${CASES.map(([expr], i) => `c${i} := ${expr}`).join('\n')}\n`;
const INPUT = fromJS({ i: 0 });
const ENTRYPOINTS = CASES.map((_, i) => `t/c${i}`);

interface Abi {
  opa_malloc(n: number): number;
  opa_json_parse(p: number, n: number): number;
  opa_heap_ptr_get(): number;
  opa_heap_ptr_set(p: number): void;
  opa_eval(reserved: number, entrypoint: number, data: number, input: number, inputLen: number, heap: number, format: number): number;
}

/** Each entrypoint's result set on WASM as Rego text (the ABI's format 1: JSON would turn sets
 *  into arrays and keys into strings). */
async function wasmResults(compiled: CompiledModules): Promise<string[]> {
  const artifact = await buildWasm(compiled, ENTRYPOINTS);
  const state = { strict: false, deadline: Infinity, ctx: { nowNs: 0n, print: () => undefined, cache: new Map() } };
  const loaded = await loadPolicy(artifact.wasm, undefined, hostBuiltins(artifact.hostBuiltins, state));
  const abi = (loaded as unknown as { wasmInstance: WebAssembly.Instance }).wasmInstance.exports as unknown as Abi;
  const put = (text: string): [number, number] => {
    const bytes = new TextEncoder().encode(text);
    const at = abi.opa_malloc(bytes.length);
    new Uint8Array(loaded.mem.buffer).set(bytes, at);
    return [at, bytes.length];
  };
  const data = abi.opa_json_parse(...put('{}'));
  const [input, inputLen] = put('{"i": 0}');
  const heap = abi.opa_heap_ptr_get();
  return ENTRYPOINTS.map((e) => {
    const at = abi.opa_eval(0, artifact.entrypoints.indexOf(e), data, input, inputLen, heap, 1);
    const bytes = new Uint8Array(loaded.mem.buffer);
    const text = new TextDecoder().decode(bytes.subarray(at, bytes.indexOf(0, at)));
    // The result set is a set here: written as the interpreter's array of solutions.
    return text === 'set()' ? '[]' : `[${text.slice(1, -1)}]`;
  });
}

function interpResults(compiled: CompiledModules): string[] {
  const plan = planPolicy(compiled, ENTRYPOINTS.map((e) => compileQuery(compiled, e, parseQuery(entrypointQuery(e), e))));
  const interp = new Interpreter(plan, { lookupBuiltin });
  return ENTRYPOINTS.map((e) => toRegoText(interp.evalPlan(e, INPUT, new ObjectValue())));
}

let wasm: string[];
let interp: string[];

beforeAll(async () => {
  const compiled = compileModules([parseModule({ file: 't.rego', text: MODULE })]);
  wasm = await wasmResults(compiled);
  interp = interpResults(compiled);
});

describe('native builtins agree with the interpreter and OPA', () => {
  it.each(CASES.map(([expr, want], i) => [expr.replace(/\[(.*?), null, true, 0, "", \[\], \{\}, set\(\)\]\[input\.i\]/g, '$1'), want, i] as const))(
    '%s = %s',
    (_title, want, i) => {
      expect(wasm[i]).toBe(interp[i]);
      expect(wasm[i]).toBe(want === 'undefined' ? '[]' : `[{"result": ${want}}]`);
    },
  );
});

describe('strict errors', () => {
  async function both(query: string): Promise<string[]> {
    const out: string[] = [];
    for (const engine of ['interp', 'wasm'] as const) {
      try {
        const rs = await evaluateQuery({ modules: [], query: `x := ${query}`, engine, input: INPUT, strictBuiltinErrors: true });
        out.push(rs.length === 0 ? 'undefined' : toRegoText(rs[0].bindings.x));
      } catch (e) {
        out.push(`${(e as { code?: string }).code}: ${(e as Error).message}`);
      }
    }
    return out;
  }

  it.each([
    [`object.union(${h('1')}, ${h('{}')})`, 'eval_type_error: object.union: operand 1 must be object but got number'],
    [`object.union(${h('{}')}, ${h('{1}')})`, 'eval_type_error: object.union: operand 2 must be object but got set'],
    [`object.union_n(${h('{"a": {}}')})`, 'eval_type_error: object.union_n: operand 1 must be array but got object'],
    [`object.union_n(${h('[{}, {"a": 1}, "x", 1]')})`, 'eval_type_error: object.union_n: operand 1 must be array of objects but got array containing string'],
    [`upper(${h('1')})`, 'eval_type_error: upper: operand 1 must be string but got number'],
    [`lower(${h('null')})`, 'eval_type_error: lower: operand 1 must be string but got null'],
    [`trim(${h('"x"')}, ${h('[]')})`, 'eval_type_error: trim: operand 2 must be string but got array'],
    [`trim_right(${h('true')}, ${h('"x"')})`, 'eval_type_error: trim_right: operand 1 must be string but got boolean'],
    [`trim_space(${h('{}')})`, 'eval_type_error: trim_space: operand 1 must be string but got object'],
    [`replace(${h('"x"')}, ${h('"x"')}, ${h('0')})`, 'eval_type_error: replace: operand 3 must be string but got number'],
  ])('%s', async (query, message) => {
    const [a, b] = await both(query);
    expect(a).toContain(message);
    expect(b).toContain(message);
  });
});

describe('upper and lower reach the host only for non-ASCII strings', () => {
  it('counts host calls', async () => {
    const c = compileModules([parseModule({ file: 'u.rego', text: 'package u\nup := upper(input.s)\nlow := lower(input.s)\n' })]);
    const artifact = await buildWasm(c, ['u/up', 'u/low']);
    const calls: string[] = [];
    const state = { strict: false, deadline: Infinity, ctx: { nowNs: 0n, print: () => undefined, cache: new Map() } };
    const host = hostBuiltins(artifact.hostBuiltins, state);
    const counted = Object.fromEntries(
      Object.entries(host).map(([name, f]) => [name, (...args: unknown[]) => (calls.push(artifact.hostBuiltins[name]), f(...args))]),
    );
    const policy = await loadPolicy(artifact.wasm, undefined, counted);
    const run = (s: string, e: string): unknown => (policy.evaluate({ s }, e) as Array<{ result: unknown }>)[0]?.result;
    expect([run('Mixed Case', 'u/up'), run('Mixed Case', 'u/low')]).toEqual(['MIXED CASE', 'mixed case']);
    expect(calls).toEqual([]);
    expect([run('Ökonomie', 'u/up'), run('Ökonomie', 'u/low')]).toEqual(['ÖKONOMIE', 'ökonomie']);
    expect(calls).toEqual(['upper', 'lower']);
  });
});

describe('random operands', () => {
  const RULES = {
    union: 'object.union(input.a, input.b)',
    union_n: 'object.union_n([input.a, input.b, input.c])',
    upper: 'upper(input.s)',
    lower: 'lower(input.s)',
    trim: 'trim(input.s, input.t)',
    trim_left: 'trim_left(input.s, input.t)',
    trim_right: 'trim_right(input.s, input.t)',
    trim_space: 'trim_space(input.s)',
    replace: 'replace(input.s, input.t, input.u)',
  };
  const entrypoints = Object.keys(RULES).map((r) => `r/r_${r}`);
  let policy: WasmPolicy;
  let interp: Interpreter;

  beforeAll(async () => {
    const text = `package r\n${Object.entries(RULES).map(([name, expr]) => `r_${name} := ${expr}`).join('\n')}\n`;
    const compiled = compileModules([parseModule({ file: 'r.rego', text })]);
    policy = await WasmPolicy.load(await buildWasm(compiled, entrypoints));
    policy.setData(new ObjectValue());
    interp = new Interpreter(planPolicy(compiled, entrypoints.map((e) => compileQuery(compiled, e, parseQuery(entrypointQuery(e), e)))), { lookupBuiltin });
  });

  const agree = (input: unknown): void => {
    const value = fromJS(input);
    for (const e of entrypoints) expect([e, toJSONText(policy.evaluate(value, e))]).toEqual([e, toJSONText(interp.evalPlan(e, value, new ObjectValue()))]);
  };

  // Few keys and small strings, so merges collide and cutsets match.
  const key = fc.constantFrom('a', 'b', 'c', 'é', '1');
  const doc = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.constantFrom(null, true, 1, 'x'), fc.array(fc.constantFrom(1, 2), { maxLength: 2 }), tie('object')),
    object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  })).object;
  const text = fc.string({ unit: fc.constantFrom('a', 'A', 'b', ' ', '\t', 'é', 'É', '\u00a0', '\u3000', '😀', 'ß', '-'), maxLength: 8 });

  it('object.union and object.union_n', () => {
    fc.assert(fc.property(doc, doc, doc, (a, b, c) => agree({ a, b, c })), { numRuns: 300 });
  });

  it('string builtins', () => {
    fc.assert(fc.property(text, text, text, (s, t, u) => agree({ s, t, u })), { numRuns: 300 });
  });
});
