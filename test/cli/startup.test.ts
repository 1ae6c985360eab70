// What a command loads. `regent eval` interprets unless given `--engine wasm`, as `opa eval` does,
// and loads only what it runs: not the other commands' dependencies (the service's express, the
// Kubernetes client), not the WASM engine and toolchain on the interpreter, not the packages
// behind builtins the query does not call. The CLI runs in-process here, from dist/ as
// bin/regent.js runs it, and then lists the modules it loaded.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO, removeTree, tempTree } from './cli';

const MAIN = path.join(REPO, 'dist', 'server', 'cli', 'main.js');
const MARK = '\n--- loaded modules ---\n';

/** Runs `regent ...args` in one process; its output, and the modules (paths relative to the
 *  repository) loaded once the command finished. */
function loaded(args: string[], cwd: string): { status: number | null; stdout: string; modules: string[] } {
  const script = `require(${JSON.stringify(MAIN)})
    .main(['node', 'regent', ...process.argv.slice(1)])
    .then(() => process.stderr.write(${JSON.stringify(MARK)} + JSON.stringify(Object.keys(require.cache))));`;
  const r = spawnSync(process.execPath, ['-e', script, '--', ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  const [, list] = r.stderr.split(MARK);
  if (list === undefined) throw new Error(`regent ${args.join(' ')} did not finish:\n${r.stderr}`);
  return { status: r.status, stdout: r.stdout, modules: (JSON.parse(list) as string[]).map((m) => path.relative(REPO, m)) };
}

const WASM_ENGINE = path.join('dist', 'server', 'engine', 'wasm-policy.js');
const INTERPRETER = path.join('dist', 'server', 'ir', 'interpreter.js');

/** Packages a one-shot `regent eval` of plain arithmetic has no use for. */
const UNUSED = ['express', 'prom-client', 'pino', 'tar', 'chokidar', '@kubernetes/client-node', '@open-policy-agent/opa-wasm', 'graphql', 'ajv', 're2-wasm'];

const packages = (modules: string[]): Set<string> =>
  new Set(modules.flatMap((m) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(m)?.[1] ?? []));

let root: string;
beforeEach(() => {
  root = tempTree({ 'p/calc.rego': 'package calc\n\nsum := 1 + 1\n' });
});
afterEach(() => removeTree(root));

describe('regent eval', () => {
  test('interprets without --engine: the WASM engine is never loaded', () => {
    const r = loaded(['eval', '-d', 'p', '--format', 'pretty', 'data.calc.sum'], root);
    expect(r.stdout).toBe('2\n');
    expect(r.modules).toContain(INTERPRETER);
    expect(r.modules).not.toContain(WASM_ENGINE);
  });

  test('--engine wasm evaluates on WASM', () => {
    const r = loaded(['eval', '-d', 'p', '--format', 'pretty', '--engine', 'wasm', 'data.calc.sum'], root);
    expect(r.stdout).toBe('2\n');
    expect(r.modules).toContain(WASM_ENGINE);
  });

  test('loads no other command and no package the query does not use', () => {
    const r = loaded(['eval', '1 + 1'], root);
    expect(r.status).toBe(0);
    const cli = r.modules.filter((m) => m.startsWith(path.join('dist', 'server', 'cli') + path.sep)).map((m) => path.basename(m));
    for (const other of ['run.js', 'build.js', 'sync.js', 'test.js', 'conformance.js', 'fmt.js', 'audit.js']) expect(cli).not.toContain(other);
    const used = packages(r.modules);
    expect(UNUSED.filter((p) => used.has(p))).toEqual([]);
  });

  test('a builtin loads its package on its first call', () => {
    const r = loaded(['eval', '--format', 'pretty', 'regex.match("^a+$", "aaa")'], root);
    expect(r.stdout).toBe('true\n');
    expect(packages(r.modules).has('re2-wasm')).toBe(true);
  });
});
