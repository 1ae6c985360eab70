// `regent test [paths…]` — like `opa test`: exit 0 only when every test passes; the report ends
// with `N passed, N failed` (and `, N skipped`). `--watch` re-runs on every saved change,
// re-parsing only the files that changed.
import { Command, InvalidArgumentError, Option } from 'commander';
import { runTests, type TestResult } from '../engine/tests';
import type { EngineName } from '../engine/query';
import { fromJS, ObjectValue } from '../value/value';
import { loadPaths } from './load-paths';
import { errorEntries, errorsText } from './errors';
import { ParseCache } from './parse-cache';
import { engineOption, ONE_SHOT_ENGINE, parseDurationMs, regexArgument } from './options';

interface TestFlags {
  verbose?: boolean;
  run?: RegExp;
  format: 'pretty' | 'json';
  engine: EngineName;
  timeout?: number;
  bench?: boolean;
  watch?: boolean;
  coverage?: boolean;
  threshold?: number;
}

function ms(ns: number): string {
  return ns >= 1e6 ? `${(ns / 1e6).toFixed(1)}ms` : `${(ns / 1e3).toFixed(0)}µs`;
}

export function report(results: TestResult[], verbose: boolean): string {
  const lines: string[] = [];
  let pkg = '';
  for (const r of results) {
    const shown = verbose || r.status === 'fail' || r.status === 'error';
    if (!shown) continue;
    if (r.package !== pkg) {
      pkg = r.package;
      lines.push(`${r.file}:`);
    }
    const label = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', skip: 'SKIPPED' }[r.status];
    lines.push(`${r.name}: ${label} (${ms(r.durationNs)})${r.error ? `\n  ${r.error}` : ''}`);
    if (r.status !== 'pass') for (const o of r.output) lines.push(`  ${o}`);
  }
  const benched = results.filter((r) => r.bench);
  if (benched.length > 0) {
    if (lines.length > 0) lines.push('');
    const width = Math.max(...benched.map((r) => r.name.length));
    for (const r of benched) lines.push(`${r.name.padEnd(width)}  ${String(r.bench?.n).padStart(9)}  ${String(r.bench?.nsPerOp).padStart(12)} ns/op`);
  }
  const count = (s: string) => results.filter((r) => r.status === s).length;
  const failed = count('fail') + count('error');
  if (lines.length > 0) lines.push('-'.repeat(80));
  const skipped = count('skip');
  lines.push(`${count('pass')} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  return lines.join('\n') + '\n';
}

/** Loads, runs and prints one report; the exit code it stands for (0, 1 error, 2 failures). */
async function once(paths: string[], flags: TestFlags, cache?: ParseCache): Promise<number> {
  try {
    const { modules, data } = loadPaths(paths);
    cache?.retain(modules);
    const { results, coverage } = await runTests(modules, fromJS(data) as ObjectValue, {
      parse: cache?.parse,
      run: flags.run,
      engine: flags.engine,
      timeoutMs: flags.timeout || undefined,
      benchMs: flags.bench ? 200 : undefined,
      coverage: flags.coverage,
    });
    const failed = results.some((r) => r.status === 'fail' || r.status === 'error');
    if (coverage) {
      // As `opa test --coverage`: the report is the coverage JSON.
      process.stdout.write(JSON.stringify(coverage, null, 2) + '\n');
      if (flags.threshold !== undefined && coverage.coverage < flags.threshold) {
        process.stderr.write(`Code coverage threshold not met: got ${coverage.coverage.toFixed(2)} instead of ${flags.threshold.toFixed(2)}\n`);
        return 2;
      }
    } else if (flags.format === 'json') process.stdout.write(JSON.stringify(results.map((r) => ({ ...r, duration: r.durationNs })), null, 2) + '\n');
    else process.stdout.write(report(results, flags.verbose ?? false));
    return failed ? 2 : 0;
  } catch (e) {
    process.stderr.write(errorsText(errorEntries(e)));
    return 1;
  }
}

/** Re-runs after every change to a .rego or data file under the paths, until Ctrl-C. */
async function watch(paths: string[], flags: TestFlags): Promise<void> {
  // Loaded here: only --watch needs the file watcher.
  const { watch: watchFiles } = require('chokidar') as typeof import('chokidar');
  const cache = new ParseCache();
  await once(paths, flags, cache);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  // awaitWriteFinish waits for a file to settle, and also keeps every save: without it chokidar
  // drops a file's 'change' that comes within 50 ms of the previous one, so the last of two quick
  // saves would never run.
  const watcher = watchFiles(paths, { ignoreInitial: true, awaitWriteFinish: { stabilityThreshold: 30, pollInterval: 10 } });
  watcher.on('all', (_event, file) => {
    if (!/\.(rego|json|ya?ml)$/.test(file)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(() => {
        process.stdout.write(`\n--- ${new Date().toISOString()}: ${file} changed ---\n`);
        return once(paths, flags, cache);
      });
    }, 20);
  });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  process.stdout.write('--- watching for changes (Ctrl-C to stop) ---\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await watcher.close();
}

export function testCommand(): Command {
  return new Command('test')
    .description('run the test_ rules of the given policies (like opa test)')
    .argument('[paths...]', '.rego and data files or directories', ['.'])
    .option('-v, --verbose', 'list every test with its time, and print output of failing tests')
    .option('--run <regex>', 'only tests whose name (data.pkg.test_x) matches', regexArgument)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json']).default('pretty'))
    .addOption(engineOption(ONE_SHOT_ENGINE))
    .option('-t, --timeout <duration>', 'fail a test that runs longer (e.g. 5s); 0: no limit', parseDurationMs)
    .option('--bench', 'run each passing test repeatedly and report ns/op')
    .option('-c, --coverage', 'print which lines the tests ran, per file (OPA\'s coverage JSON; runs on the interpreter)')
    .option('--threshold <percent>', 'with --coverage: fail below this coverage', (v: string) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError('expected a percentage between 0 and 100');
      return n;
    })
    .option('-w, --watch', 're-run the tests whenever a .rego or data file changes')
    .action(async (paths: string[], flags: TestFlags) => {
      if (flags.watch) return watch(paths, flags);
      process.exitCode = await once(paths, flags);
    });
}
