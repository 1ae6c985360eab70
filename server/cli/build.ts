// `regent build -t wasm|plan -e ENTRYPOINT… [-o bundle.tar.gz] paths…` — like `opa build`.
import { Command, Option } from 'commander';
import { parseModule } from '../rego/index';
import { compileModules, compileQuery, planPolicy } from '../compiler/index';
import { parseQuery } from '../rego/index';
import { buildWasm, entrypointQuery } from '../engine/wasm-policy';
import { writeBundle } from '../engine/bundle';
import { fromJS, toJSONText } from '../value/value';
import { loadPaths } from './load-paths';
import { errorEntries, errorsText } from './errors';

interface BuildFlags {
  target: 'wasm' | 'plan';
  entrypoint: string[];
  output: string;
  revision?: string;
}

export function buildCommand(): Command {
  return new Command('build')
    .description('compile policies into an OPA-format bundle (wasm: policy.wasm; plan: plan.json)')
    .argument('<paths...>', '.rego and data files or directories')
    .addOption(new Option('-t, --target <target>', 'output target').choices(['wasm', 'plan']).default('wasm'))
    .option('-e, --entrypoint <path>', 'entrypoint (e.g. example/allow); repeatable', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('-o, --output <file>', 'bundle file to write', 'bundle.tar.gz')
    .option('-r, --revision <rev>', 'bundle revision')
    .action(async function (this: Command, paths: string[], flags: BuildFlags) {
      if (flags.entrypoint.length === 0) this.error('error: at least one entrypoint (-e) is required');
      try {
        const { modules, data } = loadPaths(paths);
        const compiled = compileModules(modules.map((m) => parseModule(m)));
        const entrypoints = flags.entrypoint.map((e) => e.replace(/^data[./]/, '').replace(/\./g, '/'));
        const contents = { dataJSON: toJSONText(fromJS(data)), modules, revision: flags.revision };
        if (flags.target === 'wasm') {
          const artifact = await buildWasm(compiled, entrypoints, [], { portable: true });
          await writeBundle(flags.output, { ...contents, wasm: { bytes: artifact.wasm, entrypoints } });
        } else {
          const queries = entrypoints.map((e) => compileQuery(compiled, e, parseQuery(entrypointQuery(e), `entrypoint ${e}`)));
          await writeBundle(flags.output, { ...contents, plan: JSON.stringify(planPolicy(compiled, queries), null, 2) });
        }
      } catch (e) {
        process.stderr.write(errorsText(errorEntries(e)));
        process.exitCode = 1;
      }
    });
}
