// The program of the service's worker threads. An evaluation worker holds an Evaluator and
// answers requests as they come; a compile worker builds policy sets (so binaryen and the compiler's
// work stay off the thread that answers HTTP). Messages: see pool.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { Evaluator } from '../evaluator';
import { PolicyBuilder } from '../policy-set';
import { perform } from './inline';
import { toWire } from './wire';
import type { ToWorker } from './pool';

const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread');
/** The message being handled (planning notices name it). */
let current = 0;
const evaluator = new Evaluator({ ...(workerData?.limits ?? {}), planning: (busy: boolean) => port.postMessage({ id: current, planning: busy }) });
const builder = new PolicyBuilder();

// Installs are asynchronous (WebAssembly compiles) and run one after another. Requests and data
// changes do not wait for them: until an install completes they use the set before it (the
// engine reports the change done only when every worker has it), and data changed meanwhile is
// loaded into the new set as it completes.
let installs: Promise<void> = Promise.resolve();

port.on('message', (m: ToWorker) => {
  if (m.t === 'install' || m.t === 'build') installs = installs.then(() => handle(m));
  else void handle(m);
});

function handle(m: ToWorker): Promise<void> | undefined {
  current = m.id;
  const reply = (value: unknown, transfer: ArrayBuffer[] = []): void => port!.postMessage({ id: m.id, ok: true, value }, transfer);
  const fail = (e: unknown): void => port!.postMessage({ id: m.id, ok: false, error: toWire(e) });
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
