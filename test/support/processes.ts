// The real service and the real sidecar as child processes (`bin/regent.js` → dist/, built by
// `npm test` and `npm run bench`), for end-to-end tests and the sync benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

/** The repository root (this file also runs compiled, from dist/, in `npm run bench`). */
function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const REPO = repoRoot();
const BIN = path.join(REPO, 'bin', 'regent.js');

export interface Proc {
  child: ChildProcess;
  /** Everything written to stderr so far (logs). */
  logs(): string;
  stop(): Promise<void>;
}

export function startRegent(args: string[]): Proc {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let logs = '';
  child.stderr?.on('data', (c: Buffer) => (logs += c.toString()));
  child.stdout?.on('data', (c: Buffer) => (logs += c.toString()));
  return {
    child,
    logs: () => logs,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** `regent run` on a port, resolved once it answers HTTP (whatever /health says). */
export async function startService(paths: string[], port: number, extra: string[] = []): Promise<Proc & { url: string }> {
  const proc = startRegent(['run', '--addr', `127.0.0.1:${port}`, ...extra, ...paths]);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/health`).catch(() => undefined)) !== undefined, 30_000, () => `the service did not start:\n${proc.logs()}`);
  return { ...proc, url };
}

/** Polls `check` until it returns true. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 15_000, describe: () => string = () => 'condition', intervalMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** GET /v1/data/<path> on the service: the result, or undefined. */
export async function getData(url: string, dataPath: string): Promise<unknown> {
  const res = await fetch(`${url}/v1/data/${dataPath}`);
  return ((await res.json()) as { result?: unknown }).result;
}
