// `npm run bench`: performance figures measured in one process.
//
// Scenario 1 — the conformance suite: per case, the time to parse+compile its modules (measured
// as the trivial query `true`, which compiles and plans everything but evaluates nothing) and the
// time to run the case's own query (compile + evaluate); evaluation alone is estimated as the
// difference. Each case runs several times and its best time counts, to damp GC and JIT noise.
// Figures only: no thresholds, nothing fails.
//
//   node dist/bench/index.js [DIR…] [--iterations N] [--engine interp|wasm]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runQuery, type EngineName, type QueryOptions } from '../server/engine/query';
import { loadSuite, queryOptionsFor, type ConformanceCase } from '../server/conformance/index';
import { scenarioAdmission, scenarioCompile } from './admission';
import { scenarioLibrary } from './library';
import { scenarioService } from './service';
import { scenarioWatch } from './watch';
import { scenarioSync } from './sync';
import { loadRuntimeImage } from '../server/wasm/runtime-image';

interface Args {
  dirs: string[];
  iterations: number;
  engine: EngineName;
}

/** The repository root: the nearest directory above this file holding package.json. */
function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { dirs: [], iterations: 3, engine: 'interp' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--iterations') args.iterations = Math.max(1, Number.parseInt(argv[++i] ?? '', 10) || 1);
    else if (a === '--engine') args.engine = argv[++i] === 'wasm' ? 'wasm' : 'interp';
    else args.dirs.push(a);
  }
  if (args.dirs.length === 0) args.dirs.push(path.resolve(repoRoot(), '..', 'shared', 'conformance', 'opa', 'v1'));
  return args;
}

/** Best wall time of `fn` over the iterations, in ms; undefined if any run throws. */
function bestTime(fn: () => void, iterations: number): number | undefined {
  let best = Infinity;
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    try {
      fn();
    } catch {
      return undefined;
    }
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return best;
}

interface Series {
  label: string;
  times: number[];
  /** Cases that threw, of which `expected` are cases whose expectation is an error. */
  errored: number;
  expected: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function ms(x: number): string {
  return Number.isNaN(x) ? '-' : x < 10 ? x.toFixed(3) : x.toFixed(1);
}

function printSeries(s: Series): void {
  const sorted = [...s.times].sort((a, b) => a - b);
  const total = sorted.reduce((a, b) => a + b, 0);
  console.log(
    `  ${s.label.padEnd(34)} median ${ms(quantile(sorted, 0.5)).padStart(8)} ms   p90 ${ms(quantile(sorted, 0.9)).padStart(8)} ms   ` +
      `total ${ms(total).padStart(9)} ms   (${s.times.length} timed` +
      (s.errored > 0 ? `, ${s.errored} threw, ${s.expected} of them by expectation)` : ')'),
  );
}

function scenarioConformance(args: Args): void {
  const suite = loadSuite(args.dirs);
  const cases = suite.cases.filter((c) => !c.skip);
  console.log(
    `scenario 1: conformance suite (${args.dirs.join(', ')}): ${cases.length} cases, engine ${args.engine}, ` +
      `best of ${args.iterations} per case` + (suite.problems.length > 0 ? `; ${suite.problems.length} unloadable` : ''),
  );
  const compile: Series = { label: 'parse+compile (query `true`)', times: [], errored: 0, expected: 0 };
  const full: Series = { label: 'compile+evaluate (case query)', times: [], errored: 0, expected: 0 };
  const evaluation: Series = { label: 'evaluation (difference)', times: [], errored: 0, expected: 0 };
  const record = (s: Series, t: number | undefined, tc: ConformanceCase): void => {
    if (t !== undefined) {
      s.times.push(t);
      return;
    }
    // Cases that expect an error throw by design; they are counted apart, not timed.
    s.errored++;
    if (tc.wantError !== undefined || tc.wantErrorCode !== undefined) s.expected++;
  };
  for (const tc of cases) {
    const opts = prepared(tc, args.engine);
    const c = opts && bestTime(() => runQuery({ ...opts, query: 'true' }), args.iterations);
    const f = opts && bestTime(() => runQuery(opts), args.iterations);
    record(compile, c, tc);
    record(full, f, tc);
    record(evaluation, c === undefined || f === undefined ? undefined : Math.max(0, f - c), tc);
  }
  for (const s of [compile, full, evaluation]) printSeries(s);
}

function prepared(tc: ConformanceCase, engine: EngineName): QueryOptions | undefined {
  try {
    return queryOptionsFor(tc, engine);
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  for (const d of args.dirs) {
    if (!fs.existsSync(d)) {
      console.error(`bench: no such directory: ${d}`);
      process.exitCode = 2;
      return;
    }
  }
  scenarioConformance(args);
  try {
    loadRuntimeImage();
  } catch (e) {
    console.log(`scenarios 2-3 (WASM) not run: ${(e as Error).message}`);
    return;
  }
  await scenarioAdmission(2000);
  await scenarioLibrary(2000);
  await scenarioCompile(args.dirs, 20);
  await scenarioService(5);
  await scenarioWatch(10);
  await scenarioSync(10_000, 50);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
