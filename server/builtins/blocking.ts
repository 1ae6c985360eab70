// Blocking network I/O for builtins, which are synchronous while Node's network is not: the
// operation runs on a worker thread while this thread waits on a shared flag, and the answer
// comes back through a message port read synchronously. One worker serves every builtin, started
// (and node:worker_threads loaded) on the first operation.
import type { Worker } from 'node:worker_threads';

/** What the worker can do: `fetch` (http.send) and `lookup` (DNS, net.lookup_ip_addr). */
export type Operation = { kind: 'fetch'; url: string; init: Record<string, unknown>; timeoutMs: number } | { kind: 'lookup'; name: string };

/** A failure carries Node's error code when there is one (`ENOTFOUND`, …). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string; code?: string };

// The worker's program: one operation per message, the outcome posted on the port it was given.
const WORKER = `
const { parentPort } = require('node:worker_threads');
const dns = require('node:dns');
async function run(op) {
  if (op.kind === 'lookup') return (await dns.promises.lookup(op.name, { all: true })).map((a) => a.address);
  const res = await fetch(op.url, { ...op.init, signal: AbortSignal.timeout(op.timeoutMs) });
  const headers = {};
  res.headers.forEach((v, k) => { headers[k] = v; });
  return { status: res.status, statusText: res.statusText, headers, body: await res.text() };
}
parentPort.on('message', async ({ op, port, flag }) => {
  let outcome;
  try {
    outcome = { ok: true, value: await run(op) };
  } catch (e) {
    outcome = { ok: false, error: e && e.message ? e.message : String(e), code: e && typeof e.code === 'string' ? e.code : undefined };
  }
  port.postMessage(outcome);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

let worker: Worker | undefined;

/** Runs `op` on the worker and waits at most `waitMs` for its outcome. */
export function runBlocking<T>(op: Operation, waitMs: number): Outcome<T> {
  const { MessageChannel, Worker, receiveMessageOnPort } = require('node:worker_threads') as typeof import('node:worker_threads');
  worker ??= new Worker(WORKER, { eval: true });
  worker.unref();
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  worker.postMessage({ op, port: port2, flag }, [port2]);
  Atomics.wait(flag, 0, 0, waitMs);
  const msg = receiveMessageOnPort(port1);
  port1.close();
  return msg ? (msg.message as Outcome<T>) : { ok: false, error: `timed out after ${waitMs}ms` };
}
