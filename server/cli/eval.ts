// `regent eval [-d path]… [-i input] [--format json|pretty] QUERY` — OPA's `opa eval`.
import { Command, Option } from 'commander';
import { evaluateQuery, type EngineName } from '../engine/query';
import { fromJS } from '../value/value';
import { errorEntries, errorsJSON, errorsText } from './errors';
import { evalJSON, evalPretty, type EvalResult } from './eval-output';
import { loadPaths, readDataFile } from './load-paths';
import { collect, engineOption, ONE_SHOT_ENGINE } from './options';
import { expressionSources } from './query-text';

interface EvalFlags {
  data?: string[];
  input?: string;
  format: 'json' | 'pretty';
  strictBuiltinErrors?: boolean;
  engine: EngineName;
}

export function evalCommand(): Command {
  return new Command('eval')
    .description('evaluate a Rego query (like `opa eval`)')
    .argument('<query>', 'the query, e.g. "data.example.allow" or "x := input.user"')
    .option('-d, --data <path>', 'policy or data file, or directory to load recursively (repeatable)', collect)
    .option('-i, --input <file>', 'input document (JSON or YAML)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['json', 'pretty']).default('json'))
    .option('--strict-builtin-errors', 'treat builtin errors as errors instead of undefined')
    .addOption(engineOption(ONE_SHOT_ENGINE))
    .action(async (query: string, flags: EvalFlags) => {
      const out = await evaluate(query, flags);
      process.stdout.write(out.text);
      if (!out.ok) process.exitCode = 1;
    });
}

export async function evaluate(query: string, flags: EvalFlags): Promise<{ ok: boolean; text: string }> {
  try {
    const { modules, data } = loadPaths(flags.data ?? []);
    const input = flags.input === undefined ? undefined : fromJS(readDataFile(flags.input));
    const solutions = await evaluateQuery({
      modules,
      query,
      data: fromJS(data),
      input,
      strictBuiltinErrors: flags.strictBuiltinErrors ?? false,
      engine: flags.engine,
    });
    const sources = solutions.length > 0 ? expressionSources(query) : [];
    const results: EvalResult[] = solutions.map((s) => ({
      expressions: s.expressions.map((value, i) => ({
        value,
        text: sources[i]?.text ?? '',
        location: sources[i]?.location ?? { row: 1, col: 1 },
      })),
      bindings: s.bindings,
    }));
    return { ok: true, text: flags.format === 'pretty' ? evalPretty(results) : evalJSON(results) };
  } catch (e) {
    const entries = errorEntries(e);
    return { ok: false, text: flags.format === 'pretty' ? errorsText(entries) : errorsJSON(entries) };
  }
}
