// `regent test [paths…] [-v] [--run RE] [--format json]` — like `opa test`: exit 0 only when every
// test passes; the report ends with `N passed, N failed` (and `, N skipped`).
import { Command, Option } from 'commander';
import { runTests, type TestResult } from '../engine/tests';
import { fromJS, ObjectValue } from '../value/value';
import { loadPaths } from './load-paths';
import { errorEntries, errorsText } from './errors';
import { regexArgument } from './options';

interface TestFlags {
  verbose?: boolean;
  run?: RegExp;
  format: 'pretty' | 'json';
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
  const count = (s: string) => results.filter((r) => r.status === s).length;
  const failed = count('fail') + count('error');
  if (lines.length > 0) lines.push('-'.repeat(80));
  const skipped = count('skip');
  lines.push(`${count('pass')} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  return lines.join('\n') + '\n';
}

export function testCommand(): Command {
  return new Command('test')
    .description('run the test_ rules of the given policies (like opa test)')
    .argument('[paths...]', '.rego and data files or directories', ['.'])
    .option('-v, --verbose', 'list every test with its time, and print output of failing tests')
    .option('--run <regex>', 'only tests whose name (data.pkg.test_x) matches', regexArgument)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json']).default('pretty'))
    .action((paths: string[], flags: TestFlags) => {
      try {
        const { modules, data } = loadPaths(paths);
        const results = runTests(modules, fromJS(data) as ObjectValue, { run: flags.run });
        if (flags.format === 'json') process.stdout.write(JSON.stringify(results.map((r) => ({ ...r, duration: r.durationNs })), null, 2) + '\n');
        else process.stdout.write(report(results, flags.verbose ?? false));
        if (results.some((r) => r.status === 'fail' || r.status === 'error')) process.exitCode = 2;
      } catch (e) {
        process.stderr.write(errorsText(errorEntries(e)));
        process.exitCode = 1;
      }
    });
}
