// `regent fmt [paths…]` — like `opa fmt`: prints canonical Rego, or with --write rewrites the
// files, --list names the files that would change, --diff shows the changes, and --fail makes
// any needed change an exit code of 1 (for CI).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { Command } from 'commander';
import { formatSource } from '../fmt/check';
import { FormatError } from '../fmt/format';
import { errorEntries, errorsText } from './errors';

interface FmtFlags {
  write?: boolean;
  list?: boolean;
  diff?: boolean;
  fail?: boolean;
}

/** The .rego files under the paths, in a stable order. */
function regoFiles(paths: string[]): string[] {
  const out: string[] = [];
  const visit = (p: string): void => {
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const e of fs.readdirSync(p).sort()) visit(path.join(p, e));
    else if (p.endsWith('.rego')) out.push(p);
  };
  paths.forEach(visit);
  return out;
}

export function fmtCommand(): Command {
  return new Command('fmt')
    .description('format Rego files in the canonical style (like opa fmt)')
    .argument('<paths...>', '.rego files or directories')
    .option('-w, --write', 'rewrite the files in place')
    .option('-l, --list', 'list the files whose formatting differs')
    .option('-d, --diff', 'print a unified diff of the changes')
    .option('--fail', 'exit with 1 when any file needs formatting')
    .action((paths: string[], flags: FmtFlags) => {
      let changed = 0;
      let broken = false;
      for (const file of regoFiles(paths)) {
        const text = fs.readFileSync(file, 'utf8');
        let out: string;
        try {
          out = formatSource({ file, text });
        } catch (e) {
          process.stderr.write(e instanceof FormatError ? `${e.message}\n` : errorsText(errorEntries(e)));
          broken = true;
          continue;
        }
        if (out !== text) changed++;
        if (flags.list) {
          if (out !== text) process.stdout.write(file + '\n');
        } else if (flags.diff) {
          if (out !== text) process.stdout.write(createTwoFilesPatch(file, file, text, out, 'original', 'formatted'));
        } else if (!flags.write) process.stdout.write(out);
        if (flags.write && out !== text) fs.writeFileSync(file, out);
      }
      if (broken) process.exitCode = 2;
      else if (flags.fail && changed > 0) process.exitCode = 1;
    });
}
