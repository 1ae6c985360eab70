// Structural checks of the IR the planner emits (server/compiler/planner/*): which functions and
// statements a policy gets, and a validator of invariants every executor relies on, run over
// small policies and over every module set of OPA's conformance suite.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lookupBuiltin } from '../../server/builtins/catalog';
import { compileModules, compileQuery, planPolicy } from '../../server/compiler/index';
import { loadSuite } from '../../server/conformance/index';
import { maxLocal, stmtBlocks, stmtLocals } from '../../server/ir/locals';
import type { Block, Func, Local, Operand, Policy, Stmt } from '../../server/ir/types';
import { parseModule, parseQuery } from '../../server/rego/index';
import { parseAll } from './helpers';

const SUITE = path.resolve(__dirname, '../../../shared/conformance/opa/v1');

// ---------------------------------------------------------------------------------------------
// The validator

/** Locals a statement assigns (the rest of `stmtLocals` are read, or mutated in place). */
function stmtWrites(s: Stmt): Local[] {
  switch (s.type) {
    case 'AssignIntStmt':
    case 'AssignVarOnceStmt':
    case 'AssignVarStmt':
    case 'DotStmt':
    case 'LenStmt':
    case 'MakeArrayStmt':
    case 'MakeNullStmt':
    case 'MakeNumberIntStmt':
    case 'MakeNumberRefStmt':
    case 'MakeObjectStmt':
    case 'MakeSetStmt':
    case 'ObjectMergeStmt':
    case 'ResetLocalStmt':
      return [s.target];
    case 'CallStmt':
    case 'CallDynamicStmt':
      return [s.result];
    case 'ScanStmt':
      return [s.key, s.value];
    default:
      return [];
  }
}

/** `stmtLocals` minus one occurrence of each written local. */
function stmtReads(s: Stmt): Local[] {
  const reads = [...stmtLocals(s)];
  for (const w of stmtWrites(s)) {
    const i = reads.indexOf(w);
    if (i >= 0) reads.splice(i, 1);
  }
  return reads;
}

/** Every operand a statement holds (string indexes live in operands). */
function stmtOperands(s: Stmt): Operand[] {
  const out: Operand[] = [];
  for (const v of Object.values(s) as unknown[]) {
    const items = Array.isArray(v) ? v : [v];
    for (const x of items) {
      if (x && typeof x === 'object' && 'type' in x && 'value' in x) {
        const t = (x as { type: unknown }).type;
        if (t === 'local' || t === 'bool' || t === 'string_index') out.push(x as Operand);
      }
    }
  }
  return out;
}

function walkStmts(blocks: Block[], fn: (s: Stmt, depth: number) => void, depth = 1): void {
  for (const b of blocks) {
    for (const s of b.stmts) {
      fn(s, depth);
      walkStmts(stmtBlocks(s), fn, depth + 1);
    }
  }
}

/**
 * Problems found in a policy (empty when well formed):
 * - a BreakStmt ends its own block and `index` enclosing ones, so `index` must be < the number
 *   of blocks around it (depth 1 = the function's or plan's top block);
 * - parameters are 0 (input), 1 (data), 2, … in order; every local is a non-negative integer
 *   below the function's frame size (highest local + 1); the return local is assigned;
 * - every local read is a parameter or assigned somewhere in the same function (a local from
 *   another frame, e.g. a `with` value of the caller, is a planner bug);
 * - string indexes (operands, MakeNumberRefStmt, WithStmt paths) and file indexes are in range;
 * - a CallStmt names a planned function (with as many arguments as it has parameters) or a
 *   builtin listed in `static.builtin_funcs` (with its declared number of arguments).
 */
function validate(policy: Policy): string[] {
  const problems: string[] = [];
  const nStrings = policy.static.strings.length;
  const nFiles = policy.static.files.length;
  const funcs = new Map(policy.funcs.funcs.map((f) => [f.name, f]));
  const builtins = new Set(policy.static.builtin_funcs.map((b) => b.name));
  if (funcs.size !== policy.funcs.funcs.length) problems.push('duplicate function names');

  const checkFrame = (where: string, blocks: Block[], params: Local[], ret?: Local): void => {
    const frame = maxLocal(blocks) + 1;
    params.forEach((p, i) => p !== i && problems.push(`${where}: parameter ${i} is local ${p}`));
    const written = new Set<Local>(params);
    walkStmts(blocks, (s) => stmtWrites(s).forEach((l) => written.add(l)));
    if (ret !== undefined && !written.has(ret)) problems.push(`${where}: return local ${ret} is never assigned`);
    if (ret !== undefined && ret >= Math.max(frame, params.length)) problems.push(`${where}: return local ${ret} outside the frame`);
    walkStmts(blocks, (s, depth) => {
      const at = `${where}: ${s.type}`;
      if (s.type === 'BreakStmt' && !(s.index >= 0 && s.index < depth)) problems.push(`${at} index ${s.index} at depth ${depth}`);
      for (const l of stmtLocals(s)) if (!Number.isInteger(l) || l < 0 || l >= frame) problems.push(`${at} local ${l} outside frame ${frame}`);
      for (const l of stmtReads(s)) if (!written.has(l)) problems.push(`${at} reads local ${l}, never assigned here`);
      for (const o of stmtOperands(s)) {
        if (o.type === 'string_index' && !(o.value >= 0 && o.value < nStrings)) problems.push(`${at} string index ${o.value} of ${nStrings}`);
      }
      if (s.type === 'MakeNumberRefStmt' && !(s.index >= 0 && s.index < nStrings)) problems.push(`${at} number index ${s.index}`);
      if (s.type === 'WithStmt') for (const p of s.path) if (!(p >= 0 && p < nStrings)) problems.push(`${at} path index ${p}`);
      if (s.loc && !(s.loc.file >= 0 && s.loc.file < nFiles)) problems.push(`${at} file index ${s.loc.file}`);
      if (s.type === 'CallStmt') {
        const f = funcs.get(s.func);
        if (f) {
          if (s.args.length !== f.params.length) problems.push(`${at} ${s.func} with ${s.args.length} args, has ${f.params.length} params`);
        } else if (!builtins.has(s.func)) {
          problems.push(`${at} calls ${s.func}, neither planned nor listed as a builtin`);
        } else {
          const decl = lookupBuiltin(s.func)?.decl;
          if (decl && s.args.length !== decl.args.length) problems.push(`${at} ${s.func} with ${s.args.length} args, declared ${decl.args.length}`);
        }
      }
    });
  };

  for (const f of policy.funcs.funcs) {
    if (!/^g\d+\.data\./.test(f.name) || !f.name.endsWith('.data.' + f.path.join('.'))) problems.push(`${f.name}: name does not match path ${f.path.join('.')}`);
    checkFrame(f.name, f.blocks, f.params, f.return);
  }
  const planNames = new Set<string>();
  for (const p of policy.plans.plans) {
    if (planNames.has(p.name)) problems.push(`duplicate plan ${p.name}`);
    planNames.add(p.name);
    checkFrame(`plan ${p.name}`, p.blocks, [0, 1]);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function planOf(modules: string[], query: string, expressionValues = false): Policy {
  const compiled = compileModules(parseAll(modules));
  return planPolicy(compiled, [{ ...compileQuery(compiled, 'q', parseQuery(query)), expressionValues }]);
}

function funcNamed(policy: Policy, name: string): Func {
  const f = policy.funcs.funcs.find((x) => x.name === name);
  if (!f) throw new Error(`no function ${name}; have ${policy.funcs.funcs.map((x) => x.name).join(', ')}`);
  return f;
}

function stmtsOf(blocks: Block[]): Stmt[] {
  const out: Stmt[] = [];
  walkStmts(blocks, (s) => out.push(s));
  return out;
}

function planStmts(policy: Policy): Stmt[] {
  return stmtsOf(policy.plans.plans[0].blocks);
}

function str(policy: Policy, o: Operand | number): string {
  const i = typeof o === 'number' ? o : o.type === 'string_index' ? o.value : -1;
  return policy.static.strings[i]?.value ?? `<${JSON.stringify(o)}>`;
}

// ---------------------------------------------------------------------------------------------

describe('planner', () => {
  describe('functions', () => {
    it('plans one function per rule node, named g0.data.<path>', () => {
      const policy = planOf(
        ['package a\np := 1\nq contains 2\nr[k] := 1 if some k in ["x"]\nf(x) := x\nb.c.d := 3'],
        'x := [data.a.p, data.a.q, data.a.r, data.a.f(1), data.a.b.c.d]',
      );
      expect(policy.funcs.funcs.map((f) => [f.name, f.path.join('.'), f.kind, f.params]).sort()).toEqual([
        ['g0.data.a.b.c.d', 'a.b.c.d', 'rule', [0, 1]],
        ['g0.data.a.f', 'a.f', 'function', [0, 1, 2]],
        ['g0.data.a.p', 'a.p', 'rule', [0, 1]],
        ['g0.data.a.q', 'a.q', 'rule', [0, 1]],
        ['g0.data.a.r', 'a.r', 'rule', [0, 1]],
      ]);
    });

    it('puts every definition of a rule in its one function', () => {
      const policy = planOf(['package a\np := 1 if input.a\np := 2 if input.b\ndefault p := 0'], 'x := data.a.p');
      expect(policy.funcs.funcs.map((f) => f.name)).toEqual(['g0.data.a.p']);
      // Two AssignVarOnceStmt (one per definition) and the default's assignment.
      const assigns = stmtsOf(funcNamed(policy, 'g0.data.a.p').blocks).filter((s) => s.type === 'AssignVarOnceStmt' || s.type === 'AssignVarStmt');
      expect(assigns.length).toBeGreaterThanOrEqual(3);
    });

    it('plans only the rules a query reaches', () => {
      const policy = planOf(['package a\np := q + 1\nq := 1\nunused := 2', 'package b\nother := 3'], 'x := data.a.p');
      expect(policy.funcs.funcs.map((f) => f.name).sort()).toEqual(['g0.data.a.p', 'g0.data.a.q']);
    });

    it('a function takes input, data and its arguments; callers pass all three', () => {
      const policy = planOf(['package a\nf(x, y) := x + y\np := f(1, 2)'], 'x := data.a.p');
      expect(funcNamed(policy, 'g0.data.a.f').params).toEqual([0, 1, 2, 3]);
      const call = stmtsOf(funcNamed(policy, 'g0.data.a.p').blocks).find((s): s is Stmt & { type: 'CallStmt' } => s.type === 'CallStmt' && s.func === 'g0.data.a.f');
      expect(call?.args.slice(0, 2)).toEqual([
        { type: 'local', value: 0 },
        { type: 'local', value: 1 },
      ]);
      expect(call?.args).toHaveLength(4);
    });

    it('a function returns its declared return local', () => {
      const policy = planOf(['package a\np := 1'], 'x := data.a.p');
      const f = funcNamed(policy, 'g0.data.a.p');
      const last = f.blocks[f.blocks.length - 1].stmts.at(-1);
      expect(last).toMatchObject({ type: 'ReturnLocalStmt', source: f.return });
    });

    it('lists called builtins in static.builtin_funcs and calls them by name', () => {
      const policy = planOf(['package a\np := count([1, 2])'], 'x := data.a.p');
      expect(policy.static.builtin_funcs.map((b) => b.name)).toEqual(['count']);
      expect(stmtsOf(funcNamed(policy, 'g0.data.a.p').blocks)).toContainEqual(expect.objectContaining({ type: 'CallStmt', func: 'count' }));
    });
  });

  describe('the entry plan', () => {
    it('is named after the query and adds each solution to the result set', () => {
      const policy = planOf(['package a\np := 1'], 'x := data.a.p');
      expect(policy.plans.plans.map((p) => p.name)).toEqual(['q']);
      const stmts = planStmts(policy);
      const add = stmts.filter((s): s is Stmt & { type: 'ResultSetAddStmt' } => s.type === 'ResultSetAddStmt');
      expect(add).toHaveLength(1);
      // The added object holds the binding `x`.
      const insert = stmts.find((s): s is Stmt & { type: 'ObjectInsertStmt' } => s.type === 'ObjectInsertStmt' && s.object === add[0].value);
      expect(insert && str(policy, insert.key)).toBe('x');
    });

    it('adds an empty binding object for a query without variables', () => {
      const policy = planOf(['package a\np := 1'], 'data.a.p == 1');
      const stmts = planStmts(policy);
      expect(stmts.filter((s) => s.type === 'ResultSetAddStmt')).toHaveLength(1);
      expect(stmts.filter((s) => s.type === 'ObjectInsertStmt')).toHaveLength(0);
    });

    it('adds $eN expression values when asked to', () => {
      const policy = planOf([], 'x := 1; x > 0', true);
      const keys = planStmts(policy).flatMap((s) => (s.type === 'ObjectInsertStmt' ? [str(policy, s.key)] : []));
      expect(keys.sort()).toEqual(['$e0', '$e1', 'x']);
    });

    it('plans several queries into one policy sharing rule functions', () => {
      const compiled = compileModules(parseAll(['package a\np := 1\nq := p']));
      const policy = planPolicy(compiled, [compileQuery(compiled, 'one', parseQuery('x := data.a.p')), compileQuery(compiled, 'two', parseQuery('x := data.a.q'))]);
      expect(policy.plans.plans.map((p) => p.name)).toEqual(['one', 'two']);
      expect(policy.funcs.funcs.map((f) => f.name).sort()).toEqual(['g0.data.a.p', 'g0.data.a.q']);
      expect(validate(policy)).toEqual([]);
    });
  });

  describe('statements', () => {
    it('`with input…` is a WithStmt on local 0 at the path', () => {
      const policy = planOf(['package a\np := input.x'], 'y := data.a.p with input.x as 1');
      const w = planStmts(policy).find((s): s is Stmt & { type: 'WithStmt' } => s.type === 'WithStmt');
      expect(w?.local).toBe(0);
      expect(w?.path.map((p) => str(policy, p))).toEqual(['x']);
      // The query's call of the rule happens inside the WithStmt's block.
      expect(stmtsOf([w?.block ?? { stmts: [] }])).toContainEqual(expect.objectContaining({ type: 'CallStmt', func: 'g0.data.a.p' }));
    });

    it('`with data…` on base data is a WithStmt on local 1', () => {
      const policy = planOf(['package a\np := data.cfg.n'], 'y := data.a.p with data.cfg.n as 5');
      const w = planStmts(policy).find((s): s is Stmt & { type: 'WithStmt' } => s.type === 'WithStmt');
      expect(w?.local).toBe(1);
      expect(w?.path.map((p) => str(policy, p))).toEqual(['cfg', 'n']);
    });

    it('`with` on a rule plans variants of its dependents that take the value as a parameter', () => {
      const policy = planOf(['package a\np := 1\nq := p + 1'], 'y := data.a.q with data.a.p as 10');
      const variant = policy.funcs.funcs.find((f) => f.name.endsWith('.data.a.q') && f.name !== 'g0.data.a.q');
      expect(variant?.params).toEqual([0, 1, 2]);
      expect(validate(policy)).toEqual([]);
    });

    it('`with` on a function plans the caller against the replacement', () => {
      const policy = planOf(['package a\nf(x) := x\ng(x) := x * 2\np := f(1)'], 'y := data.a.p with data.a.f as data.a.g');
      const variant = policy.funcs.funcs.find((f) => f.name.endsWith('.data.a.p') && f.name !== 'g0.data.a.p');
      expect(variant && stmtsOf(variant.blocks)).toContainEqual(expect.objectContaining({ type: 'CallStmt', func: 'g0.data.a.g' }));
      expect(validate(policy)).toEqual([]);
    });

    it('an unbound ref key is a ScanStmt over the collection; a bound one a DotStmt', () => {
      const scan = planOf([], 'input.xs[i] == 2');
      const scans = planStmts(scan).filter((s): s is Stmt & { type: 'ScanStmt' } => s.type === 'ScanStmt');
      expect(scans).toHaveLength(1);
      // The scanned local is the result of looking up "xs" in input.
      const dot = planStmts(scan).find((s): s is Stmt & { type: 'DotStmt' } => s.type === 'DotStmt' && s.target === scans[0].source);
      expect(dot && str(scan, dot.key)).toBe('xs');
      expect(dot?.source).toEqual({ type: 'local', value: 0 });

      const bound = planOf([], 'input.xs[0] == 2');
      expect(planStmts(bound).filter((s) => s.type === 'ScanStmt')).toHaveLength(0);
    });

    it('`some … in` and `every` are scans', () => {
      expect(planStmts(planOf([], 'some x in [1, 2]')).filter((s) => s.type === 'ScanStmt')).toHaveLength(1);
      expect(planStmts(planOf([], 'every x in [1, 2] { x > 0 }')).filter((s) => s.type === 'ScanStmt')).toHaveLength(1);
    });

    it('`not` leaves its blocks with a BreakStmt that stays inside the plan', () => {
      const policy = planOf([], 'not input.a');
      const breaks = planStmts(policy).filter((s) => s.type === 'BreakStmt');
      expect(breaks.length).toBeGreaterThan(0);
      expect(validate(policy)).toEqual([]);
    });

    it.each([
      ['nested not', ['package a\np if { not q }\nq if { not input.x }'], 'x := data.a.p'],
      ['not inside every', ['package a\np if every x in input.xs { not x == 3 }'], 'x := data.a.p'],
      ['every inside a comprehension inside not', ['package a\np if not count([x | some x in input.xss; every y in x { y > 0 }]) > 0'], 'x := data.a.p'],
      ['every inside every', ['package a\np if every xs in input.xss { every x in xs { x > 0 } }'], 'x := data.a.p'],
      ['not inside a comprehension inside every', ['package a\np if every x in input.xs { count([y | some y in x; not y]) > 0 }'], 'x := data.a.p'],
      ['with inside not', ['package a\nq := input.v\np if not q with input.v as false'], 'x := data.a.p'],
      ['else chains and defaults', ['package a\ndefault p := 0\np := 1 if input.a else := 2 if not input.b else := 3'], 'x := data.a.p'],
      ['functions with patterns', ['package a\nf([a, b]) := a + b\nf({"k": v}) := v\np := [f([1, 2]), f({"k": 3})]'], 'x := data.a.p'],
      ['print', ['package a\np if { print("v", input.v); not input.w }'], 'x := data.a.p'],
      ['dynamic dispatch', ['package a.b\nq := 1', 'package a.c\nq := 2', 'package z\np := [k | data.a[k].q > 0]'], 'x := data.z.p'],
    ])('is well formed for %s', (_name, modules, query) => {
      expect(validate(planOf(modules, query, true))).toEqual([]);
    });
  });

  describe('the validator', () => {
    // A validator that never fails proves nothing: each broken policy below must be caught.
    const base = (): Policy => planOf(['package a\np if not input.a'], 'x := data.a.p');

    it.each<[string, (p: Policy) => void, RegExp]>([
      [
        'a break leaving the function',
        (p) => p.funcs.funcs[0].blocks[0].stmts.unshift({ type: 'BreakStmt', index: 1 }),
        /BreakStmt index 1 at depth 1/,
      ],
      [
        'a string index out of range',
        (p) => p.plans.plans[0].blocks[0].stmts.unshift({ type: 'DotStmt', source: { type: 'local', value: 0 }, key: { type: 'string_index', value: 999 }, target: 2 }),
        /string index 999/,
      ],
      [
        'a local from nowhere',
        (p) => p.funcs.funcs[0].blocks[0].stmts.unshift({ type: 'IsDefinedStmt', source: 77 }),
        /reads local 77, never assigned here|local 77 outside frame/,
      ],
      [
        'a call with a wrong argument count',
        (p) => p.plans.plans[0].blocks[0].stmts.unshift({ type: 'CallStmt', func: p.funcs.funcs[0].name, args: [{ type: 'local', value: 0 }], result: 2 }),
        /with 1 args, has 2 params/,
      ],
      ['a call of nothing', (p) => p.plans.plans[0].blocks[0].stmts.unshift({ type: 'CallStmt', func: 'nope', args: [], result: 2 }), /calls nope/],
    ])('catches %s', (_name, breakIt, want) => {
      const policy = base();
      expect(validate(policy)).toEqual([]);
      breakIt(policy);
      expect(validate(policy).join('\n')).toMatch(want);
    });
  });

  (fs.existsSync(SUITE) ? describe : describe.skip)('over the conformance suite', () => {
    it('every module set that compiles plans into a well-formed policy', () => {
      const suite = loadSuite([SUITE]);
      let planned = 0;
      let skipped = 0;
      const problems: string[] = [];
      for (const tc of suite.cases) {
        let policy: Policy;
        try {
          const opts = { regoVersion: tc.regoVersion };
          const compiled = compileModules(tc.modules.map((text, i) => parseModule({ file: `test-${i}.rego`, text }, opts)));
          const query = compileQuery(compiled, 'q', parseQuery(tc.query, 'query', opts));
          policy = planPolicy(compiled, [{ ...query, expressionValues: true }]);
        } catch {
          skipped++; // cases that expect parse/compile errors
          continue;
        }
        planned++;
        for (const p of validate(policy)) problems.push(`${tc.folder}: ${tc.note}: ${p}`);
      }
      expect(planned).toBeGreaterThan(900);
      expect(skipped).toBeLessThan(planned);
      expect(problems.slice(0, 20)).toEqual([]);
    });
  });
});
