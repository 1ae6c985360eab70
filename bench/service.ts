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
  // As the image and `npm start` run the service (README, "Memory").
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MALLOC_TRIM_THRESHOLD_: '131072' } });
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

async function rssMiB(port: number): Promise<number> {
  const metrics = (await request(port, 'GET', '/metrics')).text;
  return Number(/^process_resident_memory_bytes (\S+)/m.exec(metrics)?.[1] ?? NaN) / 2 ** 20;
}

/** Admission requests one after another while `puts` policy PUTs replace a module: the longest
 *  admission wait, and how long each PUT took to answer (the new version then serves). */
async function waitsDuringPuts(port: number, puts: number): Promise<{ longestMs: number; admits: number; failed: number; putMs: number[] }> {
  let running = true;
  let longestMs = 0;
  let admits = 0;
  let failed = 0;
  const admitting = (async () => {
    while (running) {
      const t = process.hrtime.bigint();
      const { status } = await request(port, 'POST', '/v1/admit', REVIEW);
      longestMs = Math.max(longestMs, Number(process.hrtime.bigint() - t) / 1e6);
      admits++;
      if (status !== 200) failed++;
    }
  })();
  const putMs: number[] = [];
  for (let i = 0; i < puts; i++) {
    const t = process.hrtime.bigint();
    const { status } = await request(port, 'PUT', '/v1/policies/bench/extra.rego', `package bench.extra\n\nversion := ${i}\n\nbig contains x if some x in numbers.range(1, ${100 + i})\n`);
    if (status !== 200) failed++;
    putMs.push(Number(process.hrtime.bigint() - t) / 1e6);
    await new Promise((r) => setTimeout(r, 50));
  }
  running = false;
  await admitting;
  return { longestMs, admits, failed, putMs: putMs.sort((a, b) => a - b) };
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
    // A new policy set serves on the interpreter at once and on WASM once built; the compile
    // worker exits 5 s after its last build. Idle means after both.
    await new Promise((r) => setTimeout(r, 9000));
    const idle = await rssMiB(regent.port);
    const b = await load(bare.port, seconds);
    const r = await load(regent.port, seconds);
    console.log(row('bare Node http, fixed answer', b));
    console.log(row('regent run policies/ (wasm)', r, b));
    console.log(`  server RSS idle (policies loaded, no data): ${idle.toFixed(0)} MiB`);
    const w = await waitsDuringPuts(regent.port, 20);
    const median = w.putMs[Math.floor(w.putMs.length / 2)];
    console.log(
      `  20 policy PUTs during sequential /v1/admit: longest admission wait ${w.longestMs.toFixed(1)} ms over ${w.admits} requests` +
        `${w.failed ? `, ${w.failed} failed` : ', none failed'}; PUT → new version serving: median ${median.toFixed(0)} ms, max ${w.putMs[w.putMs.length - 1].toFixed(0)} ms`,
    );

    const n = 10_000;
    const t0 = process.hrtime.bigint();
    const writes: Array<Promise<{ status: number }>> = [];
    for (let i = 0; i < n; i++) writes.push(request(regent.port, 'PUT', `/v1/data/kubernetes/pods/ns-${i % 50}/pod-${i}`, pod(i)));
    const statuses = await Promise.all(writes);
    const seconds10k = Number(process.hrtime.bigint() - t0) / 1e9;
    const failed = statuses.filter((s) => s.status !== 204).length;
    const rss = await rssMiB(regent.port);
    console.log(`  replicate ${n} Pods with PUT /v1/data: ${seconds10k.toFixed(2)} s (${(n / seconds10k).toFixed(0)} PUT/s, 16 connections)${failed ? `, ${failed} failed` : ''}; server RSS ${rss.toFixed(0)} MiB`);
    const withData = await load(regent.port, seconds);
    console.log(row('regent, 10,000 Pods in data', withData, b));
  } finally {
    agent.destroy();
    bare.child.kill();
    regent.child.kill();
  }
}
