// Structural checks of the IR the planner emits, over every module set of OPA's conformance
// suite: each BreakStmt leaves only blocks that enclose it, every local is within its function,
// every string index is in the static table, and every call names a function or a builtin.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileModules, compileQuery, planPolicy } from '../../server/compiler/index';
import { lookupBuiltin } from '../../server/builtins/catalog';
import { loadSuite } from '../../server/conformance/index';
import { stmtBlocks, stmtLocals } from '../../server/ir/locals';
import type { Block, Operand, Policy, Stmt } from '../../server/ir/types';
import { parseModule, parseQuery } from '../../server/rego/index';

const SUITE = path.resolve(__dirname, '../../../shared/conformance/opa/v1');

function validate(policy: Policy): string[] {
  const problems: string[] = [];
  const funcs = new Set(policy.funcs.funcs.map((f) => f.name));
  const nStrings = policy.static.strings.length;
  const checkOperand = (o: Operand, where: string): void => {
    if (o.type === 'string_index' && (o.value < 0 || o.value >= nStrings)) problems.push(`${where}: string index ${o.value} out of range`);
  };
  const visit = (b: Block, depth: number, where: string): void => {
    for (const s of b.stmts) {
      if (s.type === 'BreakStmt' && s.index > depth) problems.push(`${where}: break ${s.index} at depth ${depth}`);
      if (s.type === 'CallStmt' && !funcs.has(s.func) && !lookupBuiltin(s.func) && s.func !== 'internal.print') problems.push(`${where}: call to unknown ${s.func}`);
      for (const l of stmtLocals(s)) if (l < 0 || !Number.isInteger(l)) problems.push(`${where}: bad local ${l}`);
      for (const [, v] of Object.entries(s as Stmt & Record<string, unknown>)) {
        if (v && typeof v === 'object' && 'type' in (v as object)) checkOperand(v as Operand, where);
        if (Array.isArray(v)) for (const x of v) if (x && typeof x === 'object' && 'type' in x) checkOperand(x as Operand, where);
      }
      for (const nb of stmtBlocks(s)) visit(nb, depth + 1, where);
    }
  };
  for (const f of policy.funcs.funcs) {
    f.params.forEach((p, i) => p !== i && problems.push(`${f.name}: parameter ${i} is local ${p}`));
    f.blocks.forEach((b) => visit(b, 0, f.name));
  }
  for (const p of policy.plans.plans) p.blocks.forEach((b) => visit(b, 0, p.name));
  return problems;
}

(fs.existsSync(SUITE) ? describe : describe.skip)('planner output', () => {
  jest.setTimeout(120_000);

  it('is well formed for every conformance module set', () => {
    const suite = loadSuite([SUITE]);
    let planned = 0;
    const problems: string[] = [];
    for (const tc of suite.cases) {
      let policy: Policy;
      try {
        const compiled = compileModules(tc.modules.map((text, i) => parseModule({ file: `test-${i}.rego`, text })));
        policy = planPolicy(compiled, [compileQuery(compiled, 'q', parseQuery(tc.query))]);
      } catch {
        continue; // cases that expect compile errors
      }
      planned++;
      for (const p of validate(policy)) problems.push(`${tc.note}: ${p}`);
    }
    expect(planned).toBeGreaterThan(1000);
    expect(problems.slice(0, 20)).toEqual([]);
  });

  it('plans one function per rule node, named by its data path', () => {
    const compiled = compileModules([parseModule({ file: 'a.rego', text: 'package a\np := 1\nq contains 2\nr[k] := 1 if some k in ["x"]\nf(x) := x' })]);
    const policy = planPolicy(compiled, [compileQuery(compiled, 'q', parseQuery('x := [data.a.p, data.a.q, data.a.r, data.a.f(1)]'))]);
    expect(policy.funcs.funcs.map((f) => f.name).sort()).toEqual(['g0.data.a.f', 'g0.data.a.p', 'g0.data.a.q', 'g0.data.a.r']);
    expect(policy.funcs.funcs.find((f) => f.name === 'g0.data.a.f')?.params).toEqual([0, 1, 2]);
  });

  it('plans `with` as a WithStmt and an unbound key as a ScanStmt', () => {
    const compiled = compileModules([parseModule({ file: 'a.rego', text: 'package a\np := input.x' })]);
    const policy = planPolicy(compiled, [compileQuery(compiled, 'q', parseQuery('data.a.p == 1 with input.x as 1; [1, 2][i] = 2'))]);
    const types = new Set<string>();
    const walk = (b: Block): void => b.stmts.forEach((s) => (types.add(s.type), stmtBlocks(s).forEach(walk)));
    policy.plans.plans[0].blocks.forEach(walk);
    expect(types).toContain('WithStmt');
    expect(types).toContain('ScanStmt');
  });
});
