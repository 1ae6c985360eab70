// The program of the service's worker threads. An evaluation worker holds an Evaluator and
// answers requests as they come; a compile worker builds policy sets (so binaryen and the compiler's
// work stay off the thread that answers HTTP). Messages: see pool.ts.
import * as os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { Evaluator } from '../evaluator';
import { PolicyBuilder } from '../policy-set';
import { perform } from './inline';
import { toWire } from './wire';
import type { ToWorker } from './pool';

const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread');
// A build takes a core for up to a second; evaluations must not queue behind it. On Linux a
// thread's nice value is its own, so this lowers the compile worker alone.
if (workerData?.role === 'compile') {
  try {
    os.setPriority(19);
  } catch {
    // Not permitted here: the build simply competes at normal priority.
  }
}
/** The message being handled (planning notices name it). */
let current = 0;
// Planning notices go out at once (they pause the pool's hard timer for this request).
const evaluator = new Evaluator({ ...(workerData?.limits ?? {}), planning: (busy: boolean) => send({ id: current, planning: busy }, [], true) });
const builder = new PolicyBuilder();

// Installs are asynchronous (WebAssembly compiles) and run one after another. Requests and data
// changes do not wait for them: until an install completes they use the set before it (the
// engine reports the change done only when every worker has it), and data changed meanwhile is
// loaded into the new set as it completes.
let installs: Promise<void> = Promise.resolve();

port.on('message', (batch: ToWorker[]) => {
  for (const m of batch) {
    if (m.t === 'install' || m.t === 'build') installs = installs.then(() => handle(m));
    else void handle(m);
  }
});

// Answers go out together once the current batch is done (one cross-thread wake-up for all);
// those that carry a transfer, or must arrive now, go at once (after what is waiting).
let outbox: unknown[] = [];

function send(message: unknown, transfer: ArrayBuffer[] = [], now = false): void {
  outbox.push(message);
  if (now || transfer.length > 0) flush(transfer);
  else if (outbox.length === 1) setImmediate(() => flush());
}

function flush(transfer: ArrayBuffer[] = []): void {
  const batch = outbox;
  outbox = [];
  if (batch.length > 0) port!.postMessage(batch, transfer);
}

function handle(m: ToWorker): Promise<void> | undefined {
  current = m.id;
  const reply = (value: unknown, transfer: ArrayBuffer[] = []): void => send({ id: m.id, ok: true, value }, transfer);
  const fail = (e: unknown): void => send({ id: m.id, ok: false, error: toWire(e) });
  try {
    switch (m.t) {
      case 'install':
        return evaluator.install(m.set).then(() => reply(undefined), fail);
      case 'build':
        return builder.build(m.request).then((set) => reply(set, set.wasm ? [set.wasm.wasm.buffer as ArrayBuffer] : []), fail);
      case 'data':
        evaluator.setData(m.json);
        return void reply(undefined);
      case 'edit':
        evaluator.edit(m.path, m.json);
        return void reply(undefined);
      default:
        return void reply(perform(evaluator, m.request));
    }
  } catch (e) {
    fail(e);
  }
  return undefined;
}
