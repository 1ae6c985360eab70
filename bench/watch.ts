// Scenario: `regent test --watch` on the bundled library — time from saving a file to the fresh
// report on stdout, over several saves, with the CLI in a child process as an author runs it.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

export async function scenarioWatch(saves: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regent-bench-watch-'));
  fs.cpSync(path.join(ROOT, 'policies'), dir, { recursive: true });
  const target = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('_test.rego'));
  if (!target) throw new Error('the bundled library has no _test.rego file');
  const file = path.join(dir, target);
  const original = fs.readFileSync(file, 'utf8');
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'regent.js'), 'test', dir, '--watch'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let waiter: (() => void) | undefined;
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    waiter?.();
  });
  const until = (re: RegExp, from: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const timeout = setTimeout(() => reject(new Error(`watch bench: no ${re} in ${out.slice(from)}`)), 20_000);
      const check = (): void => {
        const m = re.exec(out.slice(from));
        if (!m) return;
        clearTimeout(timeout);
        waiter = undefined;
        resolve(from + m.index + m[0].length);
      };
      waiter = check;
      check();
    });
  try {
    let at = await until(/watching for changes/, 0);
    const times: number[] = [];
    for (let i = 0; i < saves; i++) {
      const start = process.hrtime.bigint();
      fs.writeFileSync(file, `${original}\n# save ${i}\n`);
      at = await until(/changed ---\n[\s\S]*?\d+ passed, \d+ failed[^\n]*\n/, at);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    times.sort((a, b) => a - b);
    console.log(`scenario 5: regent test --watch on policies/: save → fresh report, median ${times[Math.floor(times.length / 2)].toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms over ${saves} saves`);
  } finally {
    child.kill('SIGINT');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
