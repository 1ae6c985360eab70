// `regent run --shutdown-grace-period`: on SIGTERM the real service stops accepting connections,
// answers the requests in flight (with `Connection: close`), closes idle keep-alive connections,
// destroys an upload that never finishes once the grace period is over, and exits 0.
import { execFileSync, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as path from 'node:path';
import { freePort, startRegent, startService, waitFor, type Proc } from '../support/processes';
import { removeTree, tempTree } from './cli';

jest.setTimeout(60_000);

const GRACE_MS = 2000;
/** How long after the grace period the process may take to exit (it is only event-loop latency). */
const EXIT_SLACK_MS = 1500;

let dir: string;
let service: Proc | undefined;

beforeAll(() => {
  dir = tempTree({ 'p.rego': 'package p\n\nx := 1\n\nechoed := input.pad\n' });
});
afterEach(async () => service?.stop());
afterAll(() => removeTree(dir));

interface Answer {
  status: number;
  connection?: string;
  body: string;
}

type Client = typeof http | typeof https;

function answer(req: http.ClientRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** A POST whose headers the service has taken (it answered `100 Continue`) and whose body is
 *  half sent; `finish()` sends the rest. */
async function startUpload(client: Client, options: https.RequestOptions): Promise<{ finish(): void; done: Promise<Answer> }> {
  const body = JSON.stringify({ input: { pad: 'y'.repeat(200) } });
  const half = body.length / 2;
  const req = client.request({ ...options, method: 'POST', path: '/v1/data/p/echoed', headers: { 'content-type': 'application/json', 'content-length': body.length, expect: '100-continue' } });
  const done = answer(req);
  done.catch(() => undefined); // awaited (or expected to fail) by the caller
  await new Promise<void>((resolve, reject) => {
    req.once('continue', () => req.write(body.slice(0, half), () => resolve()));
    req.once('error', reject);
  });
  return { finish: () => void req.end(body.slice(half)), done };
}

/** A finished GET over a keep-alive agent; resolves with the socket it leaves idle in the agent. */
async function idleConnection(client: Client, options: https.RequestOptions): Promise<net.Socket> {
  const req = client.get({ ...options, path: '/v1/data/p/x' });
  const socket = new Promise<net.Socket>((resolve) => req.once('socket', resolve));
  expect(await answer(req)).toMatchObject({ status: 200, body: '{"result":1}' });
  return socket;
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; at: number }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, at: Date.now() });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() })));
}

const closed = (socket: net.Socket): Promise<void> => (socket.destroyed ? Promise.resolve() : new Promise((r) => socket.once('close', () => r())));

/** Whether a new TCP connection to the port is refused (a probe that connects is dropped). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(port, '127.0.0.1');
    probe.once('connect', () => {
      probe.destroy();
      resolve(false);
    });
    probe.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

it('destroys an upload that never finishes when the grace period ends, and exits 0', async () => {
  const port = await freePort();
  const svc = await startService([dir], port, ['--shutdown-grace-period', `${GRACE_MS}ms`]);
  service = svc;
  const upload = await startUpload(http, { host: '127.0.0.1', port, agent: false });
  const exit = exitOf(svc.child);
  const signalled = Date.now();
  svc.child.kill('SIGTERM');
  await expect(upload.done).rejects.toThrow(); // the connection was closed without an answer
  const { code, at } = await exit;
  expect(code).toBe(0);
  expect(at - signalled).toBeLessThan(GRACE_MS + EXIT_SLACK_MS);
});

it('drains keep-alive requests in flight at SIGTERM, refuses new connections and exits 0', async () => {
  const port = await freePort();
  const svc = await startService([dir], port, ['--shutdown-grace-period', `${GRACE_MS}ms`]);
  service = svc;
  const options = { host: '127.0.0.1', port };
  const idle = await idleConnection(http, { ...options, agent: new http.Agent({ keepAlive: true }) });
  const uploads = new http.Agent({ keepAlive: true, maxSockets: 1 });
  await idleConnection(http, { ...options, agent: uploads }); // the upload reuses a connection
  const upload = await startUpload(http, { ...options, agent: uploads });

  // Eight clients sending requests one after another over keep-alive connections; halfway
  // through 200 they stop, and once every request sent so far has reached the socket, SIGTERM.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const answers: Array<Promise<Answer>> = [];
  const written: Array<Promise<void>> = [];
  let stopped = false;
  let halfway!: () => void;
  const reachedHalfway = new Promise<void>((r) => (halfway = r));
  let answered = 0;
  const client = async (): Promise<void> => {
    while (!stopped && answers.length < 200) {
      const req = http.get({ ...options, agent, path: '/v1/data/p/x' });
      written.push(new Promise((resolve, reject) => req.once('finish', resolve).once('error', reject)));
      const a = answer(req);
      answers.push(a);
      await a.catch(() => undefined);
      if (++answered === 100) halfway();
    }
  };
  const clients = Promise.all(Array.from({ length: 8 }, client));
  await reachedHalfway;
  stopped = true;
  await Promise.all(written);
  const exit = exitOf(svc.child);
  const signalled = Date.now();
  svc.child.kill('SIGTERM');

  await waitFor(() => refused(port), 10_000, () => 'new connections to be refused');
  await closed(idle); // closed at once, not when the grace period ends: the upload is still open
  expect(svc.child.exitCode).toBeNull();
  upload.finish();
  expect(await upload.done).toEqual({ status: 200, connection: 'close', body: `{"result":"${'y'.repeat(200)}"}` });
  await clients;
  const results = await Promise.allSettled(answers);
  expect(results.length).toBeGreaterThanOrEqual(100);
  for (const r of results) expect(r).toEqual({ status: 'fulfilled', value: expect.objectContaining({ status: 200, body: '{"result":1}' }) });
  const { code, at } = await exit;
  expect(code).toBe(0);
  expect(at - signalled).toBeLessThan(GRACE_MS + EXIT_SLACK_MS);
});

it('shuts down the same way over HTTPS', async () => {
  const tlsDir = tempTree({});
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-keyout', path.join(tlsDir, 'key.pem'), '-out', path.join(tlsDir, 'cert.pem')], { stdio: 'ignore' });
    const port = await freePort();
    const svc = startRegent(['run', '--addr', `127.0.0.1:${port}`, '--shutdown-grace-period', `${GRACE_MS}ms`,
      '--tls-cert-file', path.join(tlsDir, 'cert.pem'), '--tls-private-key-file', path.join(tlsDir, 'key.pem'), dir]);
    service = svc;
    await waitFor(() => svc.logs().includes('regent: serving'), 30_000, () => `the service to start:\n${svc.logs()}`);
    const options = { host: '127.0.0.1', port, rejectUnauthorized: false };
    const idle = await idleConnection(https, { ...options, agent: new https.Agent({ keepAlive: true }) });
    const upload = await startUpload(https, { ...options, agent: new https.Agent({ keepAlive: true }) });
    const exit = exitOf(svc.child);
    svc.child.kill('SIGTERM');
    await closed(idle);
    expect(svc.child.exitCode).toBeNull();
    upload.finish();
    expect(await upload.done).toMatchObject({ status: 200, connection: 'close' });
    expect((await exit).code).toBe(0);
  } finally {
    removeTree(tlsDir);
  }
});
