// The long-lived policy engine behind the service: a policy store and a data store, compiled
// once per change (compile → install → atomic swap) and evaluated many times. A change that does
// not compile, or that an evaluator cannot take, is rejected and leaves the serving state exactly
// as it was. Where compilation and evaluation run is the runner's business (runner/runner.ts):
// on this thread, or on workers that cannot stall or crash this one.
import { RegoError } from '../rego/errors';
import { ObjectValue, toJSONText, type Value } from '../value/value';
import { MAX_DEPTH, depthOf, navigate, putAt, removeAt, undoEdit, type Edit } from './document';
import { parseExact } from './evaluator';
import type { EntrypointKind, PolicySet } from './policy-set';
import type { EngineName } from './query';
import type { EvalOptions } from './wasm-policy';
import { InlineRunner } from './runner/inline';
import { WorkerPool } from './runner/pool';
import type { Lane, Runner, WireEvalOptions } from './runner/runner';

export { navigate } from './document';

/**
 * An input document still as the JSON bytes a request carried. The WASM engine hands the bytes
 * straight to the module (no JS parse, no re-serialisation); the interpreter and decision logs
 * parse them when they need the value.
 */
export class JSONInput {
  private parsed: Value | undefined;

  constructor(readonly bytes: Uint8Array) {}

  get value(): Value {
    this.parsed ??= parseExact(Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString('utf8'));
    return this.parsed;
  }
}

export type Input = Value | JSONInput | undefined;

/** The input as a value (parsing JSON bytes if need be). */
export function inputValue(input: Input): Value | undefined {
  return input instanceof JSONInput ? input.value : input;
}

export interface PolicyInfo {
  id: string;
  raw: string;
}

export interface EngineOptions {
  /** Evaluation worker threads; 0 (the default) evaluates on the calling thread. */
  workers?: number;
  /** Memory of each evaluation (a worker's heap and the WASM memory), in MiB. */
  memoryLimitMb?: number;
  log?: (line: string) => void;
}

export type DecisionOptions = Omit<EvalOptions, 'print'> & { internal?: boolean; lane?: Lane };

/** A document the engine refuses to store (the client's fault: HTTP 400). */
export class DocumentRejected extends Error {}

interface Serving {
  set: PolicySet;
  entrypoints: Map<string, EntrypointKind>;
}

export class PolicyEngine {
  private readonly policies = new Map<string, string>();
  private data: ObjectValue = new ObjectValue();
  private serving: Serving | undefined;
  private readonly runner: Runner;
  /** Observers for metrics: seconds per compile (after a change) and per evaluation. */
  onCompile?: (seconds: number) => void;
  onEval?: (seconds: number) => void;
  /** Observer for decision logs: every evaluation that is a decision (not internal checks). */
  onDecision?: (path: string[], input: Input, result: Value | undefined, evalNs: number) => void;
  /** Updates run one at a time; evaluations always see one complete state. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly engine: EngineName = 'wasm',
    private readonly defaults: WireEvalOptions = {},
    opts: EngineOptions = {},
  ) {
    const memoryLimitMb = opts.memoryLimitMb ?? 1024;
    this.runner =
      (opts.workers ?? 0) > 0
        ? new WorkerPool({
            workers: opts.workers as number,
            memoryLimitMb,
            log: opts.log,
            snapshot: () => ({ set: this.serving?.set, data: toJSONText(this.data) }),
          })
        : new InlineRunner({ wasmMaxPages: memoryLimitMb * 16 });
  }

  get ready(): boolean {
    return this.serving !== undefined;
  }

  /** Stops the workers, if any. */
  close(): Promise<void> {
    return this.runner.close();
  }

  listPolicies(): PolicyInfo[] {
    return [...this.policies.entries()].map(([id, raw]) => ({ id, raw }));
  }

  getPolicy(id: string): PolicyInfo | undefined {
    const raw = this.policies.get(id);
    return raw === undefined ? undefined : { id, raw };
  }

  /** Loads a whole set of modules and base data (start-up, reloads). */
  load(modules: Array<{ id: string; text: string }>, data: ObjectValue): Promise<void> {
    checkDepth([], data);
    return this.update(async () => {
      const next = new Map(modules.map((m) => [m.id, m.text]));
      const previous = this.data;
      await this.runner.setData(toJSONText(data));
      this.data = data;
      try {
        await this.swap(next);
      } catch (e) {
        this.data = previous;
        await this.runner.setData(toJSONText(previous));
        throw e;
      }
    });
  }

  /** Adds or replaces a module; throws RegoErrors (and changes nothing) if the set does not compile. */
  putPolicy(id: string, text: string): Promise<void> {
    return this.update(() => this.swap(new Map(this.policies).set(id, text)));
  }

  /** Removes a module; returns false if there was none. */
  deletePolicy(id: string): Promise<boolean> {
    return this.update(async () => {
      if (!this.policies.has(id)) return false;
      const next = new Map(this.policies);
      next.delete(id);
      await this.swap(next);
      return true;
    });
  }

  getData(): ObjectValue {
    return this.data;
  }

  /** Replaces the base data document. */
  setData(data: ObjectValue): Promise<void> {
    checkDepth([], data);
    return this.update(async () => {
      await this.runner.setData(toJSONText(data));
      this.data = data;
    });
  }

  /**
   * Writes `value` at `path` of the base data, creating objects on the way (a non-object in the
   * way is replaced, as OPA's PUT does). Applied in place everywhere, so a burst of small writes
   * into a large document costs each write its own size only.
   */
  putData(path: string[], value: Value): Promise<void> {
    if (path.length === 0) {
      if (!(value instanceof ObjectValue)) return Promise.reject(new TypeError('the root document must be an object'));
      return this.setData(value);
    }
    try {
      checkDepth(path, value);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.update(() => this.edit(path, putAt(this.data, path, value), toJSONText(value)));
  }

  /** Removes the base document at `path` (not the root); false when there was none. */
  deleteData(path: string[]): Promise<boolean> {
    return this.update(async () => {
      const edit = removeAt(this.data, path);
      if (!edit) return false;
      await this.edit(path, edit, undefined);
      return true;
    });
  }

  /** The document at `path` (virtual and base), or undefined. */
  async evaluate(path: string[], input: Input, options: DecisionOptions = {}): Promise<Value | undefined> {
    const start = process.hrtime.bigint();
    const [result] = await this.evaluateEach([path], input, options);
    if (!options.internal) this.onDecision?.(path, input, result, Number(process.hrtime.bigint() - start));
    return result;
  }

  /** Several documents for one input, in one evaluation request. */
  async evaluateEach(paths: string[][], input: Input, options: DecisionOptions = {}): Promise<Array<Value | undefined>> {
    const s = this.serving;
    if (!s) throw new RegoError('internal_error', 'no policies are loaded yet');
    const { internal: _internal, lane, ...rest } = options;
    // Each path: the entrypoint that holds it (if any) and the rest of the path below it.
    const targets = paths.map((path) => {
      for (let i = path.length; i >= 0; i--) {
        const kind = s.entrypoints.get(path.slice(0, i).join('/'));
        if (kind === undefined) continue;
        // Below a package but not at one of its rules or subpackages: only base data can be
        // there, so the package's rules need not run.
        if (kind === 'rule' || i === path.length) return { entrypoint: path.slice(0, i).join('/'), below: path.slice(i) };
        break;
      }
      return { entrypoint: undefined, below: path };
    });
    const entrypoints = [...new Set(targets.flatMap((t) => (t.entrypoint === undefined ? [] : [t.entrypoint])))];
    const sets = new Map<string, Value[]>();
    if (entrypoints.length > 0) {
      const start = process.hrtime.bigint();
      const wireInput = input instanceof JSONInput ? input.bytes : input === undefined ? undefined : toJSONText(input);
      const reply = (await this.runner.run({ t: 'eval', entrypoints, input: wireInput, opts: { ...this.defaults, ...rest } }, lane ?? 'decision')) as string[];
      this.onEval?.(Number(process.hrtime.bigint() - start) / 1e9);
      entrypoints.forEach((e, i) => sets.set(e, parseExact(reply[i]) as Value[]));
    }
    return targets.map(({ entrypoint, below }) => {
      if (entrypoint === undefined) return navigate(this.data, below);
      const rs = sets.get(entrypoint) as Value[];
      const row = rs[0];
      const result = row instanceof ObjectValue ? row.get('result') : undefined;
      return result === undefined ? undefined : navigate(result, below);
    });
  }

  /**
   * An ad-hoc query (`POST /v1/query`) over the current policies and data, evaluated by the
   * interpreter; plans are cached per query text until the policies change.
   */
  async query(text: string, input: Value | undefined, options: WireEvalOptions = {}): Promise<Array<Record<string, Value>>> {
    if (!this.serving) throw new RegoError('internal_error', 'no policies are loaded yet');
    const opts = { ...this.defaults, ...options };
    const reply = await this.runner.run({ t: 'query', text, input: input === undefined ? undefined : toJSONText(input), opts }, 'adhoc');
    const rows = parseExact(reply as string) as Value[];
    return rows.map((row) => {
      const out: Record<string, Value> = {};
      if (row instanceof ObjectValue) for (const [k, v] of row.entries()) out[k as string] = v;
      return out;
    });
  }

  /** Compiles `modules` and makes them the serving set everywhere, or changes nothing. */
  private async swap(modules: Map<string, string>): Promise<void> {
    const start = process.hrtime.bigint();
    const set = await this.runner.build(
      [...modules].map(([id, text]) => ({ id, text })),
      this.engine,
    );
    const previous = this.serving;
    // Set first: a worker restarted meanwhile starts from it.
    this.serving = { set, entrypoints: new Map(set.entrypoints) };
    try {
      await this.runner.install(set);
    } catch (e) {
      this.serving = previous;
      if (previous) await this.runner.install(previous.set).catch(() => undefined);
      throw e;
    }
    this.policies.clear();
    for (const [k, v] of modules) this.policies.set(k, v);
    this.onCompile?.(Number(process.hrtime.bigint() - start) / 1e9);
  }

  /** Sends an edit already made to this thread's document to the evaluators; takes it back
   *  everywhere if any of them cannot apply it. */
  private async edit(path: string[], edit: Edit, json: string | undefined): Promise<void> {
    try {
      await this.runner.edit(path, json);
    } catch (e) {
      undoEdit(this.data, edit);
      const previous = navigate(this.data, edit.path);
      await this.runner.edit(edit.path, previous === undefined ? undefined : toJSONText(previous)).catch(() => undefined);
      throw e;
    }
  }

  private update<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Rejects a document that would nest deeper than MAX_DEPTH at `path`. */
export function checkDepth(path: string[], value: Value): void {
  if (path.length + depthOf(value, MAX_DEPTH) > MAX_DEPTH) {
    throw new DocumentRejected(`document exceeds the maximum nesting depth of ${MAX_DEPTH} (path segments included)`);
  }
}
