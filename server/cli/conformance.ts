// `regent conformance DIR… [--engine] [--format text|json] [--filter RE] [-v]` — runs OPA-format
// YAML cases and prints per-folder totals. A measurement: exits 0 whatever the results.
import * as fs from 'node:fs';
import { Command, Option } from 'commander';
import type { EngineName } from '../engine/query';
import { formatJSON, formatText, runConformance, summarize } from '../conformance/index';
import { engineOption, regexArgument } from './options';

interface ConformanceFlags {
  engine: EngineName;
  format: 'text' | 'json';
  filter?: RegExp;
  verbose?: boolean;
}

export function conformanceCommand(): Command {
  return new Command('conformance')
    .description('run OPA-format YAML test cases and print per-folder totals')
    .argument('<dirs...>', 'directories (searched for *.yaml) or case files')
    .addOption(engineOption())
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--filter <regex>', 'only run cases whose note matches', regexArgument)
    .option('-v, --verbose', 'list each failing case with expected vs got')
    .action(async function (this: Command, dirs: string[], flags: ConformanceFlags) {
      const missing = dirs.find((d) => !fs.existsSync(d));
      if (missing !== undefined) this.error(`error: no such file or directory '${missing}'`);
      const reports = await runConformance(dirs, { engine: flags.engine, filter: flags.filter });
      const summary = summarize(reports);
      process.stdout.write(flags.format === 'json' ? formatJSON(summary) : formatText(summary, reports, flags.verbose ?? false));
    });
}
