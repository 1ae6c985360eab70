// Evaluations on worker threads, for the service. The thread that answers HTTP only routes:
// each evaluation worker holds the installed policy set and a copy of the data, and answers
// requests in order. A worker that overruns an evaluation's time limit (a builtin that never
// yields, say) is terminated, and one that exhausts its memory dies alone; either way the
// evaluation fails with an error, the other requests it held run elsewhere, and a fresh worker
// takes its place. Ad-hoc queries can occupy all but one worker, so decisions always have one.
// Compilation runs on a separate worker that exits when idle, so the compiler's and binaryen's
// memory is not held by the serving process.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { RegoError, timeUp } from '../../rego/errors';
import type { BuildRequest, PolicySet } from '../policy-set';
import type { Lane, Reply, Request, Runner, WireError } from './runner';
import { fromWire } from './wire';

export type ToWorker = { id: number } & (
  | { t: 'install'; set: PolicySet }
  | { t: 'build'; request: BuildRequest }
  | { t: 'data'; json: string }
  | { t: 'edit'; path: string[]; json?: string }
  | { t: 'run'; request: Request }
);
type FromWorker = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError } | { id: number; planning: boolean };
type Message = ToWorker extends infer T ? (T extends { id: number } ? Omit<T, 'id'> : never) : never;

export interface PoolOptions {
  /** Evaluation workers (at least 1). */
  workers: number;
  /** Heap of each worker (and the largest WASM memory), in MiB. */
  memoryLimitMb: number;
  /** What a (re)started worker must hold: the installed set and the data as JSON text. */
  snapshot: () => { set?: PolicySet; data: string };
  log?: (line: string) => void;
}

/** Requests a worker may hold at once (they pipeline: the worker is never idle waiting). */
const MAX_IN_FLIGHT = 8;
/** How long an idle compile worker is kept (a burst of policy PUTs reuses it). */
const COMPILER_IDLE_MS = 5000;

/** The worker program, compiled (tests run from sources: the build puts it in dist/). */
const WORKER_JS = __filename.endsWith('.ts')
  ? path.resolve(__dirname, '../../../dist/server/engine/runner/worker.js')
  : path.join(__dirname, 'worker.js');

interface Job {
  message: Message;
  lane?: Lane;
  resolve(value: unknown): void;
  reject(e: Error): void;
  /** For runs: when the worker holding it is stopped, and how often it was moved. */
  timeLimitMs?: number;
  timer?: NodeJS.Timeout;
  moves: number;
}

let nextId = 1;

/** One worker thread and the jobs it holds. */
class Thread {
  readonly worker: Worker;
  readonly jobs = new Map<number, Job>();
  adhoc = 0;
  /** Why it stopped, when it did (set before `exit`). */
  stopReason: Error | undefined;
  /** Stopped or stopping: takes no more jobs. */
  exited = false;
  /** Stopped by the pool after its job overran (that job already failed). */
  overran = false;
  /** Holds the current policy set (a replacement is not ready until its install is done). */
  ready = true;

  constructor(memoryLimitMb: number, onMessage: (t: Thread, m: FromWorker) => void, onExit: (t: Thread) => void, role: 'evaluate' | 'compile' = 'evaluate') {
    this.worker = new Worker(WORKER_JS, {
      workerData: { role, limits: { wasmMaxPages: memoryLimitMb * 16 } },
      resourceLimits: { maxOldGenerationSizeMb: memoryLimitMb },
    });
    this.worker.unref();
    this.worker.on('message', (batch: FromWorker[]) => {
      for (const m of batch) onMessage(this, m);
    });
    this.worker.on('error', (e: Error & { code?: string }) => {
      this.stopReason ??=
        e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new RegoError('eval_cancel_error', `evaluation exceeded the memory limit of ${memoryLimitMb} MiB`)
          : new RegoError('internal_error', `evaluation worker failed: ${e.message}`);
    });
    this.worker.on('exit', () => {
      this.exited = true;
      onExit(this);
    });
  }

  post(job: Job): void {
    const id = nextId++;
    this.jobs.set(id, job);
    if (job.lane === 'adhoc') this.adhoc++;
    this.outbox.push({ id, ...job.message } as ToWorker);
    if (this.outbox.length === 1) setImmediate(() => this.flush());
  }

  /** Messages go out once per turn of the event loop, together: under load one postMessage
   *  (a cross-thread wake-up each) carries every request parsed in that turn. */
  private outbox: ToWorker[] = [];

  private flush(): void {
    const batch = this.outbox;
    this.outbox = [];
    if (batch.length > 0 && !this.exited) this.worker.postMessage(batch);
  }

  /** The job answered (or failed) and leaves the thread. */
  take(id: number): Job | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    this.jobs.delete(id);
    if (job.lane === 'adhoc') this.adhoc--;
    if (job.timer) clearTimeout(job.timer);
    return job;
  }
}

export class WorkerPool implements Runner {
  private threads: Thread[] = [];
  private readonly queue: Job[] = [];
  private readonly adhocSlots: number;
  private compiler: Thread | undefined;
  private compilerIdle: NodeJS.Timeout | undefined;
  private closed = false;
  /** Restarts so far (metrics, tests). */
  restarts = 0;

  constructor(private readonly opts: PoolOptions) {
    const n = Math.max(1, Math.floor(opts.workers));
    this.adhocSlots = Math.max(1, n - 1);
    for (let i = 0; i < n; i++) this.threads.push(this.spawn(false));
  }

  build(request: BuildRequest): Promise<PolicySet> {
    if (this.compilerIdle) clearTimeout(this.compilerIdle);
    // The compiler needs room for binaryen and the whole program; it is not bounded by the
    // evaluation limit.
    this.compiler ??= new Thread(Math.max(this.opts.memoryLimitMb, 2048), (t, m) => this.answer(t, m), (t) => this.compilerExited(t), 'compile');
    const compiler = this.compiler;
    return new Promise<unknown>((resolve, reject) => compiler.post({ message: { t: 'build', request }, resolve, reject, moves: 0 })).then(
      (set) => set as PolicySet,
    ).finally(() => this.idleCompiler());
  }

  async install(set: PolicySet): Promise<void> {
    await this.broadcast({ t: 'install', set });
  }

  async setData(json: string): Promise<void> {
    await this.broadcast({ t: 'data', json });
  }

  async edit(path: string[], json: string | undefined): Promise<void> {
    await this.broadcast({ t: 'edit', path, json });
  }

  run(request: Request, lane: Lane): Promise<Reply> {
    return new Promise<unknown>((resolve, reject) => {
      this.queue.push({ message: { t: 'run', request }, lane, resolve, reject, timeLimitMs: request.opts.timeLimitMs, moves: 0 });
      this.dispatch();
    }) as Promise<Reply>;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.compilerIdle) clearTimeout(this.compilerIdle);
    const all = [...this.threads, ...(this.compiler ? [this.compiler] : [])];
    await Promise.all(all.map((t) => t.worker.terminate()));
    for (const job of this.queue.splice(0)) job.reject(new RegoError('internal_error', 'the engine is shutting down'));
  }

  /** Sends a state change to every evaluation worker; resolves when all have applied it. */
  private broadcast(message: Message): Promise<void> {
    const acks = this.threads.map(
      (t) => new Promise<unknown>((resolve, reject) => t.post({ message, resolve, reject, moves: 0 })),
    );
    return Promise.all(acks).then(() => undefined);
  }

  private spawn(restart: boolean): Thread {
    const t = new Thread(this.opts.memoryLimitMb, (th, m) => this.answer(th, m), (th) => this.exited(th));
    if (restart) {
      // A replacement starts from the engine's current state; requests posted after see it.
      const { set, data } = this.opts.snapshot();
      const failed = (e: Error): void => this.opts.log?.(`regent: restarting an evaluation worker: ${e.message}`);
      t.post({ message: { t: 'data', json: data }, resolve: () => undefined, reject: failed, moves: 0 });
      if (set) {
        t.ready = false;
        const done = (): void => {
          t.ready = true;
          this.dispatch();
        };
        t.post({ message: { t: 'install', set }, resolve: done, reject: (e) => (failed(e), done()), moves: 0 });
      }
    }
    return t;
  }

  private answer(t: Thread, m: FromWorker): void {
    if ('planning' in m) return this.planning(t, m.id, m.planning);
    const job = t.take(m.id);
    if (!job) return;
    if (m.ok) job.resolve(m.value);
    else job.reject(fromWire(m.error));
    this.dispatch();
  }

  /** Sends queued runs to workers with room: decisions to the least busy worker, ad-hoc queries
   *  only while they hold fewer than `adhocSlots` workers. */
  private dispatch(): void {
    for (let i = 0; i < this.queue.length; ) {
      const job = this.queue[i];
      const t = this.pick(job.lane ?? 'decision');
      if (!t) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      t.post(job);
      this.arm(t, job);
    }
  }

  /** The worker stops an evaluation at its deadline itself; this timer is for one that cannot
   *  notice (a single long builtin call): the worker is stopped a little after the deadline. */
  private arm(t: Thread, job: Job): void {
    const limit = job.timeLimitMs;
    if (limit === undefined || limit <= 0) return;
    job.timer = setTimeout(() => this.overrun(t, job, limit), limit + 100 + limit / 4);
    job.timer.unref();
  }

  /** A job's evaluation waits for planning (compilation): its time limit starts after. */
  private planning(t: Thread, id: number, busy: boolean): void {
    const job = t.jobs.get(id);
    if (!job) return;
    if (job.timer) clearTimeout(job.timer);
    job.timer = undefined;
    if (!busy) this.arm(t, job);
  }

  private pick(lane: Lane): Thread | undefined {
    let best: Thread | undefined;
    if (lane === 'adhoc') {
      const busy = this.threads.reduce((n, t) => n + (t.adhoc > 0 ? 1 : 0), 0);
      if (busy >= this.adhocSlots) {
        // Only a worker already running ad-hoc queries may take another.
        for (const t of this.threads) if (!t.exited && t.ready && t.adhoc > 0 && t.jobs.size < MAX_IN_FLIGHT && (!best || t.jobs.size < best.jobs.size)) best = t;
        return best;
      }
    }
    for (const t of this.threads) {
      if (t.exited || !t.ready || t.jobs.size >= MAX_IN_FLIGHT) continue;
      // Decisions avoid workers busy with ad-hoc queries while another has room.
      const load = t.jobs.size + (lane === 'decision' && t.adhoc > 0 ? MAX_IN_FLIGHT : 0);
      const bestLoad = best ? best.jobs.size + (lane === 'decision' && best.adhoc > 0 ? MAX_IN_FLIGHT : 0) : Infinity;
      if (load < bestLoad) best = t;
    }
    return best;
  }

  private overrun(t: Thread, job: Job, limitMs: number): void {
    if (t.exited) return;
    t.stopReason ??= timeUp(limitMs);
    t.exited = true; // termination is asynchronous: no new job may land on it meanwhile
    t.overran = true;
    for (const [id, j] of t.jobs) if (j === job) t.take(id)?.reject(timeUp(limitMs));
    void t.worker.terminate();
  }

  /** A worker stopped (terminated, out of memory, crashed): fail or move its jobs, replace it. */
  private exited(t: Thread): void {
    this.threads = this.threads.filter((x) => x !== t);
    if (this.closed) return;
    this.restarts++;
    const reason = t.stopReason ?? new RegoError('internal_error', 'evaluation worker exited');
    this.opts.log?.(`regent: evaluation worker stopped (${reason.message}); starting another`);
    const jobs = [...t.jobs.keys()].map((id) => t.take(id) as Job);
    this.threads.push(this.spawn(true));
    // With one job in flight, it is the one that stopped the worker (unless that one was
    // already failed for overrunning).
    const culprit = jobs.length === 1 && !t.overran;
    for (const job of jobs) {
      if (job.message.t !== 'run') job.resolve(undefined); // the replacement starts from the current state
      else if (culprit || job.lane === 'adhoc' || job.moves >= 1) job.reject(reason);
      else {
        job.moves++;
        this.queue.unshift(job);
      }
    }
    this.dispatch();
  }

  private idleCompiler(): void {
    const c = this.compiler;
    if (!c || c.jobs.size > 0) return;
    this.compilerIdle = setTimeout(() => {
      if (this.compiler === c && c.jobs.size === 0) {
        this.compiler = undefined;
        void c.worker.terminate();
      }
    }, COMPILER_IDLE_MS);
    this.compilerIdle.unref();
  }

  private compilerExited(t: Thread): void {
    if (this.compiler === t) this.compiler = undefined;
    const reason = t.stopReason ?? new RegoError('internal_error', 'the compiler worker exited');
    for (const id of [...t.jobs.keys()]) t.take(id)?.reject(reason);
  }
}
