// Policy tests, as `opa test` runs them: every rule named `test_*` is a test that passes when it
// evaluates to true; `todo_*` rules are reported as skipped. Tests run on WASM (one module with
// every test as an entrypoint) or on the IR interpreter.
import type { Module, SourceFile } from '../rego/ast';
import { parseModule, parseQuery } from '../rego/index';
import { RegoError, RegoErrors } from '../rego/errors';
import { compileModules, compileQuery, planPolicy, type CompiledModules } from '../compiler/index';
import type { RuleNode } from '../compiler/ruletree';
import { Interpreter, type InterpreterOptions } from '../ir/interpreter';
import type { Policy } from '../ir/types';
import { CoverageTracker, ruleLines, type CoverageReport } from './coverage';
import { lookupBuiltin } from '../builtins/catalog';
import { ObjectValue, type Value } from '../value/value';
import type { EngineName } from './query';
import { WasmPolicy, buildWasm, entrypointQuery, type EvalOptions } from './wasm-policy';

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
  /** With `bench`: iterations run and nanoseconds per evaluation. */
  bench?: { n: number; nsPerOp: number };
}

export interface TestOptions {
  /** Only tests whose full name matches. */
  run?: RegExp;
  engine?: EngineName;
  /** Per-test time limit in milliseconds (the test errors with eval_cancel_error). */
  timeoutMs?: number;
  /** Run each passing test repeatedly for about this many milliseconds and report ns/op. */
  benchMs?: number;
  /** Record which lines ran (on the interpreter, which reports each statement it runs). */
  coverage?: boolean;
  /** Parses one file (default parseModule); `regent test --watch` passes its cache. */
  parse?: (src: SourceFile) => Module;
}

export interface TestRun {
  results: TestResult[];
  coverage?: CoverageReport;
}

function testNodes(tree: RuleNode, out: RuleNode[] = []): RuleNode[] {
  const name = tree.path[tree.path.length - 1] ?? '';
  if (tree.kind !== undefined && tree.kind !== 'function' && (name.startsWith('test_') || name.startsWith('todo_'))) out.push(tree);
  for (const c of tree.children.values()) testNodes(c, out);
  return out;
}

/** Evaluates one test's entrypoint; the result set as the engine returns it. */
type Runner = (entrypoint: string, opts: EvalOptions) => Value[];

async function wasmRunner(compiled: CompiledModules, entrypoints: string[], data: ObjectValue): Promise<Runner> {
  const policy = await WasmPolicy.load(await buildWasm(compiled, entrypoints));
  policy.setData(data);
  return (entrypoint, opts) => policy.evaluate(undefined, entrypoint, opts);
}

function interpRunner(plan: Policy, data: ObjectValue, onStatement?: InterpreterOptions['onStatement']): Runner {
  return (entrypoint, opts) => new Interpreter(plan, { lookupBuiltin, ...opts, onStatement }).evalPlan(entrypoint, undefined, data);
}

/** Parses and compiles the modules; throws RegoErrors (every parse error at once) when they do not. */
export function compileTests(sources: SourceFile[], parse: (src: SourceFile) => Module = parseModule): CompiledModules {
  const errors: RegoError[] = [];
  const modules = sources.flatMap((s) => {
    try {
      return [parse(s)];
    } catch (e) {
      if (e instanceof RegoErrors) errors.push(...e.errors);
      else throw e;
      return [];
    }
  });
  if (errors.length > 0) throw new RegoErrors(errors);
  return compileModules(modules);
}

/** Compiles the modules and runs every test. Throws RegoErrors when the modules do not compile. */
export async function runTests(sources: SourceFile[], data: ObjectValue, opts: TestOptions = {}): Promise<TestRun> {
  const compiled = compileTests(sources, opts.parse);
  const nodes = testNodes(compiled.tree).filter((n) => !opts.run || opts.run.test('data.' + n.path.join('.')));
  const isTodo = (n: RuleNode): boolean => (n.path[n.path.length - 1] ?? '').startsWith('todo_');
  const entrypoints = nodes.filter((n) => !isTodo(n)).map((n) => n.path.join('/'));
  let run: Runner;
  let tracker: CoverageTracker | undefined;
  if (opts.coverage || opts.engine === 'interp') {
    const plan = planPolicy(
      compiled,
      entrypoints.map((e) => compileQuery(compiled, e, parseQuery(entrypointQuery(e), 'test'))),
    );
    tracker = opts.coverage ? new CoverageTracker(plan, ruleLines(compiled.tree)) : undefined;
    run = interpRunner(plan, data, tracker?.record);
  } else {
    run = await wasmRunner(compiled, entrypoints, data);
  }
  const results = nodes.map((n): TestResult => {
    const rule = n.rules[0];
    const base = { name: 'data.' + n.path.join('.'), package: 'data.' + n.path.slice(0, -1).join('.'), file: rule.file, row: rule.loc.row, output: [] as string[] };
    if (isTodo(n)) return { ...base, status: 'skip' as const, durationNs: 0 };
    const entrypoint = n.path.join('/');
    const evalOpts: EvalOptions = { print: (m) => base.output.push(m), timeLimitMs: opts.timeoutMs };
    const start = process.hrtime.bigint();
    try {
      const rows = run(entrypoint, evalOpts);
      const durationNs = Number(process.hrtime.bigint() - start);
      const result: Value | undefined = rows[0] instanceof ObjectValue ? rows[0].get('result') : undefined;
      if (result !== true) return { ...base, status: 'fail' as const, durationNs };
      return { ...base, status: 'pass' as const, durationNs, ...(opts.benchMs ? { bench: bench(() => run(entrypoint, { ...evalOpts, print: () => {} }), opts.benchMs) } : {}) };
    } catch (e) {
      return { ...base, status: 'error' as const, durationNs: Number(process.hrtime.bigint() - start), error: e instanceof Error ? e.toString() : String(e) };
    }
  });
  return { results, coverage: tracker?.report() };
}

/** Repeats `fn` for about `ms` milliseconds (at least 10 times). */
function bench(fn: () => void, ms: number): { n: number; nsPerOp: number } {
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(ms * 1e6));
  let n = 0;
  while (n < 10 || process.hrtime.bigint() - start < budget) {
    fn();
    n++;
  }
  return { n, nsPerOp: Math.round(Number(process.hrtime.bigint() - start) / n) };
}
