// regent run --watch: real files changed on disk are picked up by chokidar; a change that does
// not compile keeps the old policy serving and shows on /health?plugins until it is fixed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { startServer } from '../../server/cli/run';

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 100; i++) {
    last = await probe();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

describe('regent run --watch', () => {
  jest.setTimeout(60_000);
  let dir: string;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regent-watch-'));
    fs.writeFileSync(path.join(dir, 'p.rego'), 'package p\nx := 1\n');
    fs.mkdirSync(path.join(dir, 'cfg'));
    fs.writeFileSync(path.join(dir, 'cfg', 'data.json'), '{"limit": 1}');
    server = (await startServer([dir], {
      addr: '127.0.0.1:0', engine: 'wasm', maxRequestBytes: '1048576', admissionPackage: 'kubernetes.admission',
      authentication: 'off', authorization: 'off', watch: true,
    })) as Server;
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const get = async (p: string): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(base + p);
    return { status: res.status, body: await res.json() };
  };

  it('serves a changed policy and changed data after the save', async () => {
    expect((await get('/v1/data/p/x')).body).toEqual({ result: 1 });
    fs.writeFileSync(path.join(dir, 'p.rego'), 'package p\nx := 2\ny := data.cfg.limit\n');
    await until(() => get('/v1/data/p/x'), (r) => JSON.stringify(r.body) === '{"result":2}', 'x = 2');
    fs.writeFileSync(path.join(dir, 'cfg', 'data.json'), '{"limit": 5}');
    await until(() => get('/v1/data/p/y'), (r) => JSON.stringify(r.body) === '{"result":5}', 'y = 5');
  });

  it('keeps the old policy when a change does not compile, and reports it', async () => {
    fs.writeFileSync(path.join(dir, 'p.rego'), 'package p\nx := \n');
    const bad = await until(() => get('/health?plugins'), (r) => r.status === 500, 'an unhealthy watcher');
    expect(bad.body).toEqual({ error: 'not all plugins in OK state', plugins: { watch: { state: 'ERROR', message: expect.stringContaining('rego_parse_error') } } });
    expect((await get('/health')).status).toBe(200); // still serving
    expect((await get('/v1/data/p/x')).body).toEqual({ result: 2 });
    fs.writeFileSync(path.join(dir, 'p.rego'), 'package p\nx := 3\n');
    await until(() => get('/health?plugins'), (r) => r.status === 200, 'a healthy watcher');
    expect((await get('/v1/data/p/x')).body).toEqual({ result: 3 });
  });
});
