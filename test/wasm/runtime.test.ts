// The runtime's value functions through the ABI exports of a real module loaded by the stock SDK:
// JSON in and out, Rego value text, ordering, in-place data updates; properties checked against
// the TypeScript value model on random values.
import fc from 'fast-check';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { compileModules } from '../../server/compiler/index';
import { parseModule } from '../../server/rego/index';
import { buildWasm } from '../../server/engine/wasm-policy';
import { MAX_EXPANDED_DIGITS, compare, fromJS, numberToText, type Value } from '../../server/value/value';
import { NumberTooBig, readJSON } from '../../server/value/json';
import { numberText } from '../support/numbers';

interface Abi {
  opa_malloc(n: number): number;
  opa_json_parse(p: number, n: number): number;
  opa_value_parse(p: number, n: number): number;
  opa_json_dump(v: number): number;
  opa_value_dump(v: number): number;
  opa_value_compare(a: number, b: number): number;
  opa_value_add_path(base: number, path: number, v: number): number;
  opa_value_remove_path(base: number, path: number): number;
  opa_heap_ptr_get(): number;
  opa_heap_ptr_set(p: number): void;
}

let abi: Abi;
let memory: WebAssembly.Memory;

jest.setTimeout(60_000); // compiling the module takes seconds on a busy machine

beforeAll(async () => {
  const compiled = compileModules([parseModule({ file: 't.rego', text: 'package t\np := 1' })]);
  const artifact = await buildWasm(compiled, ['t/p']);
  const loaded = await loadPolicy(artifact.wasm);
  abi = (loaded as unknown as { wasmInstance: WebAssembly.Instance }).wasmInstance.exports as unknown as Abi;
  memory = loaded.mem;
});

function putIn(into: Abi, mem: WebAssembly.Memory, text: string): [number, number] {
  const bytes = new TextEncoder().encode(text);
  const at = into.opa_malloc(bytes.length);
  new Uint8Array(mem.buffer).set(bytes, at);
  return [at, bytes.length];
}

const put = (text: string): [number, number] => putIn(abi, memory, text);

const json = (text: string): number => abi.opa_json_parse(...put(text));
const rego = (text: string): number => abi.opa_value_parse(...put(text));

function readFrom(mem: WebAssembly.Memory, at: number): string {
  const bytes = new Uint8Array(mem.buffer);
  return new TextDecoder().decode(bytes.subarray(at, bytes.indexOf(0, at)));
}

const read = (at: number): string => readFrom(memory, at);

const dumpJSON = (v: number): string => read(abi.opa_json_dump(v));
const dumpRego = (v: number): string => read(abi.opa_value_dump(v));

// Each test starts from the same heap top, so memory stays small however many cases run.
let heap = 0;
beforeEach(() => {
  heap ||= abi.opa_heap_ptr_get();
  abi.opa_heap_ptr_set(heap);
});

describe('JSON', () => {
  it('round-trips scalars exactly, big and decimal numbers as written', () => {
    for (const text of ['null', 'true', 'false', '0', '-7', '9223372036854775807', '-9223372036854775808', '12345678901234567890123', '1.5', '0.1', '""']) {
      expect(dumpJSON(json(text))).toBe(text);
    }
  });

  it('reads integers written with exponents or fractions as their digits, as the TypeScript reader does', () => {
    expect(dumpJSON(json('1e400'))).toBe('1' + '0'.repeat(400));
    expect(dumpJSON(json('[-1.8446744073709551615e19, 2.50e1, 1e3, -0.0, 12345678901234567.5, 99999999999999999999.5]'))).toBe(
      '[-18446744073709551615,25,1000,0,12345678901234568,100000000000000000000]',
    );
    fc.assert(
      fc.property(fc.array(numberText, { minLength: 1, maxLength: 4 }), (texts) => {
        abi.opa_heap_ptr_set(heap);
        const text = `[${texts.join(',')}]`;
        let want: Value;
        try {
          want = readJSON(text);
        } catch (e) {
          expect(e).toBeInstanceOf(NumberTooBig);
          expect(json(text)).toBe(0);
          return;
        }
        expect(compare(readJSON(dumpJSON(json(text))), want)).toBe(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses a document whose exponents expand past the digit budget, where the TypeScript reader does', () => {
    const half = MAX_EXPANDED_DIGITS / 2;
    expect(json(`[1e${half - 1}, 1e${half - 1}, 1e15, 1.5]`)).not.toBe(0); // 16 digits cost nothing
    expect(json(`[1e${half - 1}, 1e${half}]`)).toBe(0);
    expect(json('1e99999999999999999999')).toBe(0);
    expect(dumpJSON(json('[1e-99999999999999999999]'))).toBe('[1e-99999999999999999999]');
  });

  it('decodes escapes and writes strings back as JSON', () => {
    expect(dumpJSON(json('"a\\u00e9\\ud83d\\ude00\\n\\"\\\\\\/"'))).toBe('"aé😀\\n\\"\\\\/"');
    expect(dumpJSON(json('"\\ud800"'))).toBe('"\uFFFD"'); // a lone surrogate, as Go decodes it
    expect(dumpJSON(json('"\\u0001"'))).toBe('"\\u0001"');
  });

  it('sorts object keys; a repeated key keeps its last value', () => {
    expect(dumpJSON(json('{"b": 1, "a": [true, null], "c": {"z": 1, "y": 2}}'))).toBe('{"a":[true,null],"b":1,"c":{"y":2,"z":1}}');
    expect(dumpJSON(json('{"a": 1, "b": 2, "a": 3}'))).toBe('{"a":3,"b":2}');
  });

  it('rejects malformed text with 0', () => {
    for (const text of ['', '{', '{"a":}', '[1,]', '01', '1.', '-', '"a', 'tru', '{"a" 1}', '[1] 2', '{1: 2}', '"\u0001"', 'set()']) {
      expect(json(text)).toBe(0);
    }
  });

  it('agrees with the TypeScript value model on random documents', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (doc) => {
        abi.opa_heap_ptr_set(heap);
        const text = JSON.stringify(doc);
        const back: unknown = JSON.parse(dumpJSON(json(text)));
        expect(compare(fromJS(back), fromJS(JSON.parse(text)))).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('reads decimal text to the nearest double and writes doubles as JavaScript does (shortest; integers of 2^53 and more exactly)', async () => {
    // `x * 1` makes the runtime convert the number text to a double and print the product.
    const compiled = compileModules([parseModule({ file: 'f.rego', text: 'package f\np := input.x * 1' })]);
    const loaded = await loadPolicy((await buildWasm(compiled, ['f/p'])).wasm);
    const f = (loaded as unknown as { wasmInstance: WebAssembly.Instance }).wasmInstance.exports as unknown as Abi & {
      opa_eval(r: number, e: number, d: number, i: number, n: number, h: number, f: number): number;
    };
    const data = f.opa_json_parse(...putIn(f, loaded.mem, '{}'));
    const base = f.opa_heap_ptr_get();
    const times1 = (x: number): string => {
      const [at, n] = putIn(f, loaded.mem, `{"x": ${JSON.stringify(x)}}`);
      const out = f.opa_eval(0, 0, data, at, n, at + n, 0);
      f.opa_heap_ptr_set(base);
      return readFrom(loaded.mem, out).slice('[{"result":'.length, -2);
    };
    const significant = (t: string): string => t.replace(/^-/, '').replace(/e.*/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
    // Halfway between two shortest candidates (…607.75 as …607.7 or …607.8): the even one.
    expect(times1(-1865964529311607.8)).toBe('-1865964529311607.8');
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = times1(x);
        expect(Number(text)).toBe(x === 0 ? 0 : x);
        if (Number.isInteger(x) && Math.abs(x) >= 2 ** 53) {
          // The input text is read exactly: within an i64 the product is that integer; beyond, a
          // double (other SDKs; Regent's engine asks its host), written as its exact digits, as
          // numberToText writes it (its shortest text would read back as another integer).
          const exact = readJSON(JSON.stringify(x)) as bigint;
          expect(text).toBe(exact >= -(2n ** 63n) && exact < 2n ** 63n ? exact.toString() : numberToText(x));
        } else expect(significant(text)).toBe(significant(JSON.stringify(x)));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('Rego value text', () => {
  it('reads and writes sets and non-string keys', () => {
    expect(dumpRego(rego('{3, 1, 2, 1}'))).toBe('{1, 2, 3}');
    expect(dumpRego(rego('set()'))).toBe('set()');
    expect(dumpRego(rego('{1: "a", "b": {2}}'))).toBe('{1: "a", "b": {2}}');
    expect(dumpJSON(rego('{1: "a", "b": {2}}'))).toBe('{"1":"a","b":[2]}');
  });
});

describe('ordering', () => {
  it('follows Rego: types first, numbers by value, big integers exactly', () => {
    const cmp = (a: string, b: string): number => Math.sign(abi.opa_value_compare(rego(a), rego(b)));
    expect(cmp('1', '1.0')).toBe(0);
    expect(cmp('null', 'false')).toBe(-1);
    expect(cmp('"a"', '1')).toBe(1);
    expect(cmp('[1, 2]', '[1, 2, 0]')).toBe(-1);
    expect(cmp('{"a": 1}', '{"a": 2}')).toBe(-1);
    expect(cmp('{1}', '[1]')).toBe(1);
    expect(cmp('28857836529306024611913', '28857836529306024611912')).toBe(1);
    expect(cmp('-28857836529306024611913', '5')).toBe(-1);
    expect(cmp('9223372036854775807', '9223372036854775808')).toBe(-1);
  });

  it('orders numbers exactly, as the TypeScript value model does', () => {
    const cmp = (a: string, b: string): number => Math.sign(abi.opa_value_compare(json(a), json(b)));
    expect(cmp('18446744073709551615', '18446744073709551614')).toBe(1);
    expect(cmp('1.8446744073709551615e19', '18446744073709551615')).toBe(0);
    expect(cmp('1e400', '1' + '0'.repeat(399) + '1')).toBe(-1);
    expect(cmp('1e400', '1.7976931348623157e308')).toBe(1);
    // An integer beyond 2^53 against a double near it: exactly, not through floats.
    expect(cmp('9007199254740993', '9007199254740992.0')).toBe(1);
    fc.assert(
      fc.property(numberText, numberText, (a, b) => {
        abi.opa_heap_ptr_set(heap);
        let want: number;
        try {
          want = Math.sign(compare(readJSON(a), readJSON(b)));
        } catch {
          return; // past the budget: refused by both (above)
        }
        expect(cmp(a, b)).toBe(want);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the TypeScript value model on random pairs', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 3 }), (a, b) => {
        abi.opa_heap_ptr_set(heap);
        const got = Math.sign(abi.opa_value_compare(json(JSON.stringify(a)), json(JSON.stringify(b))));
        expect(got).toBe(Math.sign(compare(fromJS(a), fromJS(b))));
      }),
      { numRuns: 300 },
    );
  });
});

describe('in-place data updates', () => {
  it('adds and removes at a path, creating objects on the way', () => {
    const base = json('{"a": {"x": 1}}');
    expect(abi.opa_value_add_path(base, json('["a", "b", "c"]'), json('[1]'))).toBe(0);
    expect(abi.opa_value_add_path(base, json('["z"]'), json('"new"'))).toBe(0);
    expect(dumpJSON(base)).toBe('{"a":{"b":{"c":[1]},"x":1},"z":"new"}');
    expect(abi.opa_value_remove_path(base, json('["a", "x"]'))).toBe(0);
    expect(dumpJSON(base)).toBe('{"a":{"b":{"c":[1]}},"z":"new"}');
    expect(abi.opa_value_add_path(base, json('["z", "deeper"]'), json('1'))).toBe(3); // "z" is not an object
    expect(abi.opa_value_add_path(base, json('[]'), json('1'))).toBe(3);
  });
});
