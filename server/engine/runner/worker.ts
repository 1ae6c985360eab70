// The program of the service's worker threads. An evaluation worker holds an Evaluator and
// answers requests in order; a compile worker builds policy sets (so binaryen and the compiler's
// work stay off the thread that answers HTTP). Messages: see pool.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { Evaluator } from '../evaluator';
import { PolicyBuilder } from '../policy-set';
import { perform } from './inline';
import { toWire } from './wire';
import type { ToWorker } from './pool';

const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread');
const evaluator = new Evaluator(workerData?.limits ?? {});
const builder = new PolicyBuilder();

// Installs are asynchronous (WebAssembly compiles); everything after one waits for it, so every
// request sees the state of all the messages sent before it.
let chain: Promise<void> | undefined;

port.on('message', (m: ToWorker) => {
  const run = chain ? chain.then(() => handle(m)) : handle(m);
  if (!run) return; // answered synchronously, nothing pending
  const next: Promise<void> = run.then(() => {
    if (chain === next) chain = undefined;
  });
  chain = next;
});

function handle(m: ToWorker): Promise<void> | undefined {
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
