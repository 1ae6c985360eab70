// Policy tests, as `opa test` runs them: every rule named `test_*` is a test that passes when it
// evaluates to true; `todo_*` rules are reported as skipped.
import type { SourceFile } from '../rego/ast';
import { parseModule, parseQuery } from '../rego/index';
import { RegoError, RegoErrors } from '../rego/errors';
import { compileModules, compileQuery, planPolicy } from '../compiler/index';
import type { RuleNode } from '../compiler/ruletree';
import { Interpreter } from '../ir/interpreter';
import { lookupBuiltin } from '../builtins/catalog';
import { ObjectValue, type Value } from '../value/value';
import { entrypointQuery } from './wasm-policy';

export type TestStatus = 'pass' | 'fail' | 'error' | 'skip';

export interface TestResult {
  /** `data.pkg.test_name`. */
  name: string;
  package: string;
  file: string;
  row: number;
  status: TestStatus;
  durationNs: number;
  error?: string;
  /** `print` output while the test ran. */
  output: string[];
}

export interface TestOptions {
  /** Only tests whose full name matches. */
  run?: RegExp;
}

function testNodes(tree: RuleNode, out: RuleNode[] = []): RuleNode[] {
  const name = tree.path[tree.path.length - 1] ?? '';
  if (tree.kind !== undefined && tree.kind !== 'function' && (name.startsWith('test_') || name.startsWith('todo_'))) out.push(tree);
  for (const c of tree.children.values()) testNodes(c, out);
  return out;
}

/** Compiles the modules and runs every test. Throws RegoErrors when the modules do not compile. */
export function runTests(sources: SourceFile[], data: ObjectValue, opts: TestOptions = {}): TestResult[] {
  const errors: RegoError[] = [];
  const modules = sources.flatMap((s) => {
    try {
      return [parseModule(s)];
    } catch (e) {
      if (e instanceof RegoErrors) errors.push(...e.errors);
      else throw e;
      return [];
    }
  });
  if (errors.length > 0) throw new RegoErrors(errors);
  const compiled = compileModules(modules);
  const nodes = testNodes(compiled.tree).filter((n) => !opts.run || opts.run.test('data.' + n.path.join('.')));
  const runnable = nodes.filter((n) => !(n.path[n.path.length - 1] ?? '').startsWith('todo_'));
  const queries = runnable.map((n) => compileQuery(compiled, n.path.join('/'), parseQuery(entrypointQuery(n.path.join('/')), 'test')));
  const policy = planPolicy(compiled, queries);
  return nodes.map((n) => {
    const rule = n.rules[0];
    const base = { name: 'data.' + n.path.join('.'), package: 'data.' + n.path.slice(0, -1).join('.'), file: rule.file, row: rule.loc.row, output: [] as string[] };
    if ((n.path[n.path.length - 1] ?? '').startsWith('todo_')) return { ...base, status: 'skip' as const, durationNs: 0 };
    const start = process.hrtime.bigint();
    try {
      const interp = new Interpreter(policy, { lookupBuiltin, print: (m) => base.output.push(m) });
      const rows = interp.evalPlan(n.path.join('/'), undefined, data);
      const result: Value | undefined = rows[0] instanceof ObjectValue ? rows[0].get('result') : undefined;
      return { ...base, status: result === true ? ('pass' as const) : ('fail' as const), durationNs: Number(process.hrtime.bigint() - start) };
    } catch (e) {
      return { ...base, status: 'error' as const, durationNs: Number(process.hrtime.bigint() - start), error: e instanceof Error ? e.toString() : String(e) };
    }
  });
}
