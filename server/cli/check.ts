// `regent check paths…` — parse and compile the modules, report errors only (`opa check`).
import { Command } from 'commander';
import { runQuery } from '../engine/query';
import { errorEntries, errorsText } from './errors';
import { loadPaths } from './load-paths';

export function checkCommand(): Command {
  return new Command('check')
    .description('parse and compile policies; print errors only (like `opa check`)')
    .argument('<paths...>', '.rego files or directories to load recursively')
    .action((paths: string[]) => {
      const errors = check(paths);
      if (errors !== '') {
        process.stdout.write(errors);
        process.exitCode = 1;
      }
    });
}

/** The error report, or '' when everything compiles. */
export function check(paths: string[]): string {
  try {
    const { modules } = loadPaths(paths, { data: false });
    // No dedicated compile-only entry point exists yet: compiling the trivial query `true`
    // over the modules parses, compiles and plans all of them without evaluating any rule.
    runQuery({ modules, query: 'true', engine: 'interp' });
    return '';
  } catch (e) {
    return errorsText(errorEntries(e));
  }
}
