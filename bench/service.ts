// Scenario: the service over HTTP. `POST /v1/admit` with the bundled policy library, measured with
// autocannon (10 connections) beside a bare Node http server that answers a fixed review (the
// ceiling for any webhook written in Node on this machine); then 10,000 Pods replicated through
// `PUT /v1/data` (time, server memory) and the admission latency with that data loaded. Servers
// run as child processes so the load generator does not share their event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import autocannon from 'autocannon';

const ROOT = path.resolve(__dirname, '..', '..');
const REVIEW = fs.readFileSync(path.join(ROOT, 'bench', 'fixtures', 'pod-review.json'), 'utf8');

async function start(args: string[], ready: (line: string) => number | undefined): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    const onLine = (b: Buffer): void => {
      const p = ready(b.toString());
      if (p !== undefined) resolve(p);
    };
    child.stdout?.on('data', onLine);
    child.stderr?.on('data', onLine);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
  return { child, port };
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(port: number, seconds: number): Promise<Load> {
  const url = `http://127.0.0.1:${port}/v1/admit`;
  const opts = { url, method: 'POST' as const, body: REVIEW, headers: { 'content-type': 'application/json' }, connections: 10 };
  await autocannon({ ...opts, duration: 1 }); // warm-up: JIT, connection setup
  const r = await autocannon({ ...opts, duration: seconds });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

function request(port: number, method: string, p: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: p, agent, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function pod(i: number): string {
  const review = JSON.parse(REVIEW) as { request: { object: { metadata: Record<string, unknown> } } };
  const obj = review.request.object;
  obj.metadata = { ...obj.metadata, name: `pod-${i}`, namespace: `ns-${i % 50}`, uid: `uid-${i}` };
  return JSON.stringify(obj);
}

function row(label: string, l: Load, base?: Load): string {
  const ratio = base ? `   ${((l.rps / base.rps) * 100).toFixed(0)}% of bare` : '';
  return `  ${label.padEnd(40)} ${l.rps.toFixed(0).padStart(7)} req/s   p50 ${l.p50} ms   p99 ${l.p99} ms${l.errors ? `   ${l.errors} errors` : ''}${ratio}`;
}

export async function scenarioService(seconds: number): Promise<void> {
  const listening = (line: string): number | undefined => {
    const m = /(?:listening |on 127\.0\.0\.1:)(\d+)/.exec(line);
    return m ? Number(m[1]) : undefined;
  };
  const bare = await start([path.join(__dirname, 'bare-server.js'), '0'], listening);
  const regent = await start([path.join(ROOT, 'bin', 'regent.js'), 'run', 'policies/', '--addr', '127.0.0.1:0'], listening);
  try {
    console.log(`scenario 4: POST /v1/admit, autocannon 10 connections, ${seconds} s each (servers in child processes)`);
    const b = await load(bare.port, seconds);
    const r = await load(regent.port, seconds);
    console.log(row('bare Node http, fixed answer', b));
    console.log(row('regent run policies/ (wasm)', r, b));

    const n = 10_000;
    const t0 = process.hrtime.bigint();
    const writes: Array<Promise<{ status: number }>> = [];
    for (let i = 0; i < n; i++) writes.push(request(regent.port, 'PUT', `/v1/data/kubernetes/pods/ns-${i % 50}/pod-${i}`, pod(i)));
    const statuses = await Promise.all(writes);
    const seconds10k = Number(process.hrtime.bigint() - t0) / 1e9;
    const failed = statuses.filter((s) => s.status !== 204).length;
    const metrics = (await request(regent.port, 'GET', '/metrics')).text;
    const rss = Number(/^process_resident_memory_bytes (\S+)/m.exec(metrics)?.[1] ?? NaN);
    console.log(`  replicate ${n} Pods with PUT /v1/data: ${seconds10k.toFixed(2)} s (${(n / seconds10k).toFixed(0)} PUT/s, 16 connections)${failed ? `, ${failed} failed` : ''}; server RSS ${(rss / 2 ** 20).toFixed(0)} MiB`);
    const withData = await load(regent.port, seconds);
    console.log(row('regent, 10,000 Pods in data', withData, b));
  } finally {
    agent.destroy();
    bare.child.kill();
    regent.child.kill();
  }
}
