// `regent test --watch` as a subprocess: a real file edit produces a fresh report on stdout; a
// syntax error is reported with file:row:col and the watcher keeps going; a save right after
// another is not lost; Ctrl-C exits cleanly.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from './cli';

class Output {
  text = '';
  constructor(child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (c: Buffer) => (this.text += c.toString()));
    child.stderr.on('data', (c: Buffer) => (this.text += c.toString()));
  }

  /** Waits until the output after `from` matches; returns the new end. */
  async until(re: RegExp, from: number): Promise<number> {
    for (let i = 0; i < 200; i++) {
      const m = re.exec(this.text.slice(from));
      if (m) return from + m.index + m[0].length;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no ${re} in output:\n${this.text.slice(from)}`);
  }
}

/** `regent test DIR --watch` on a directory holding `w.rego`; `session` runs with the watcher
 *  started, which is stopped and the directory removed afterwards. */
async function watching(
  initial: string,
  session: (w: { file: string; child: ChildProcessWithoutNullStreams; out: Output }) => Promise<void>,
): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regent-watch-test-'));
  const file = path.join(dir, 'w.rego');
  fs.writeFileSync(file, initial);
  const child = spawn(process.execPath, [path.join(REPO, 'bin', 'regent.js'), 'test', dir, '--watch']);
  try {
    await session({ file, child, out: new Output(child) });
  } finally {
    child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('regent test --watch', () => {
  jest.setTimeout(60_000);

  it('re-runs on save, survives a syntax error and recovers', () =>
    watching('package w\n\ntest_one if 1 == 1\n', async ({ file, child, out }) => {
      let at = await out.until(/1 passed, 0 failed\n[\s\S]*watching for changes/, 0);
      fs.writeFileSync(file, 'package w\n\ntest_one if 1 == 1\n\ntest_two if 1 == 2\n');
      at = await out.until(/w\.rego changed[\s\S]*data\.w\.test_two: FAIL[\s\S]*1 passed, 1 failed\n/, at);
      fs.writeFileSync(file, 'package w\n\ntest_one if {\n');
      at = await out.until(/w\.rego:\d+:\d+: rego_parse_error/, at);
      fs.writeFileSync(file, 'package w\n\ntest_one if 2 == 2\n');
      at = await out.until(/1 passed, 0 failed\n/, at);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }));

  it('the last of two quick saves is the one reported', () =>
    watching('package w\n\ntest_one if 1 == 1\n', async ({ file, child, out }) => {
      const at = await out.until(/watching for changes/, 0);
      // The second save lands as the run for the first starts (an editor that formats after
      // saving writes twice): its change must not be dropped as a repeat of the first.
      const second = (c: Buffer): void => {
        if (!c.toString().includes('changed ---')) return;
        child.stdout.off('data', second);
        fs.writeFileSync(file, 'package w\n\ntest_one if 1 == 1\n\ntest_two if 2 == 2\n');
      };
      child.stdout.on('data', second);
      fs.writeFileSync(file, 'package w\n\ntest_one if 1 == 2\n');
      await out.until(/2 passed, 0 failed\n/, at);
    }));
});
