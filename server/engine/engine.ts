// The long-lived policy engine behind the service: a policy store and a data store, compiled
// once per change (compile → install → atomic swap) and evaluated many times. A change that does
// not compile, or that an evaluator cannot take, is rejected and leaves the serving state exactly
// as it was. Where compilation and evaluation run is the runner's business (runner/runner.ts):
// on this thread, or on workers that cannot stall or crash this one.
import { RegoError } from '../rego/errors';
import { ObjectValue, toJSONText, type Value } from '../value/value';
import { MAX_DEPTH, depthOf, navigate, putAt, removeAt, undoEdit, type Edit } from './document';
import { resultSets, type EvalReply } from './evaluator';
import { readJSON } from '../value/json';
import { groupName, type EntrypointKind, type PolicySet } from './policy-set';
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
    this.parsed ??= readJSON(Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString('utf8'));
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
  /** Entrypoints and groups the set has compiled ahead. */
  ahead: Set<string>;
}

/** At most this many entrypoints and groups are compiled ahead because they were asked for;
 *  others stay interpreted (a client walking many paths cannot grow the module without end). */
const MAX_HOT = 64;
/** Misses gathered before the WASM module is rebuilt with them. */
const PROMOTE_AFTER_MS = 200;

/** The entrypoint holding each path (if any) and the rest of the path below it. */
function targetsOf(entrypoints: Map<string, EntrypointKind>, paths: string[][]): Array<{ entrypoint?: string; below: string[] }> {
  return paths.map((path) => {
    for (let i = path.length; i >= 0; i--) {
      const kind = entrypoints.get(path.slice(0, i).join('/'));
      if (kind === undefined) continue;
      // Below a package but not at one of its rules or subpackages: only base data can be
      // there, so the package's rules need not run.
      if (kind === 'rule' || i === path.length) return { entrypoint: path.slice(0, i).join('/'), below: path.slice(i) };
      break;
    }
    return { below: path };
  });
}

/** The name an evaluation of these entrypoints runs under: one, or their group. */
function aheadName(entrypoints: string[]): string {
  return entrypoints.length === 1 ? entrypoints[0] : groupName(entrypoints);
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
  private version = 0;
  /** With workers, a new policy version serves on the interpreter as soon as it is planned, and
   *  on WASM once that is built; on the calling thread, loads wait for the WASM build. */
  private readonly tiered: boolean;
  /** Paths (groups of paths) callers said they will evaluate together, and the entrypoints and
   *  groups that were asked for: compiled ahead in every build. */
  private readonly declared: string[][][] = [];
  private readonly hot = new Set<string>();
  private upgrading: Promise<void> | undefined;
  private upgradeAgain = false;
  private promoteTimer: NodeJS.Timeout | undefined;
  private readonly log: (line: string) => void;
  private closed = false;

  constructor(
    private readonly engine: EngineName = 'wasm',
    private readonly defaults: WireEvalOptions = {},
    opts: EngineOptions = {},
  ) {
    const memoryLimitMb = opts.memoryLimitMb ?? 1024;
    this.tiered = (opts.workers ?? 0) > 0;
    this.log = opts.log ?? (() => undefined);
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
    this.closed = true;
    if (this.promoteTimer) clearTimeout(this.promoteTimer);
    return this.runner.close();
  }

  /** Documents a caller will evaluate together (e.g. an admission decision's rules): compiled
   *  ahead as one group from the next build on. */
  declareGroup(paths: string[][]): void {
    this.declared.push(paths);
    if (this.serving) this.schedulePromotion();
  }

  /** Resolves once the serving set is the final one for the current policies (WASM built,
   *  asked-for paths compiled in); for tests and benchmarks. */
  async settled(): Promise<void> {
    await this.queue;
    while (this.upgrading || this.promoteTimer) {
      if (this.promoteTimer) {
        clearTimeout(this.promoteTimer);
        this.promoteTimer = undefined;
        this.requestUpgrade();
      }
      await this.upgrading;
    }
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
    const targets = targetsOf(s.entrypoints, paths);
    const entrypoints = [...new Set(targets.flatMap((t) => (t.entrypoint === undefined ? [] : [t.entrypoint])))];
    const sets = new Map<string, Value[]>();
    if (entrypoints.length > 0) {
      const name = aheadName(entrypoints);
      if (!s.ahead.has(name)) this.noteMiss(name);
      const start = process.hrtime.bigint();
      const bytes = input instanceof JSONInput ? input.bytes : input === undefined ? undefined : Buffer.from(toJSONText(input), 'utf8');
      const wireInput = bytes === undefined ? undefined : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
      const reply = (await this.runner.run({ t: 'eval', entrypoints, input: wireInput, opts: { ...this.defaults, ...rest } }, lane ?? 'decision')) as EvalReply;
      this.onEval?.(Number(process.hrtime.bigint() - start) / 1e9);
      const results = resultSets(reply, entrypoints.length);
      entrypoints.forEach((e, i) => sets.set(e, results[i]));
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
    const rows = readJSON(reply as string) as Value[];
    return rows.map((row) => {
      const out: Record<string, Value> = {};
      if (row instanceof ObjectValue) for (const [k, v] of row.entries()) out[k as string] = v;
      return out;
    });
  }

  /** Compiles `modules` and makes them the serving set everywhere, or changes nothing. With
   *  workers, the new version serves on the interpreter at once; its WASM follows. */
  private async swap(modules: Map<string, string>): Promise<void> {
    const start = process.hrtime.bigint();
    const version = ++this.version;
    const stage = this.tiered || this.engine === 'interp' ? 'plan' : 'wasm';
    const set = await this.runner.build({
      version,
      modules: [...modules].map(([id, text]) => ({ id, text })),
      engine: this.engine,
      compile: this.aheadNames(this.serving?.entrypoints),
      all: !this.tiered,
      stage,
    });
    await this.serve(set);
    this.policies.clear();
    for (const [k, v] of modules) this.policies.set(k, v);
    this.onCompile?.(Number(process.hrtime.bigint() - start) / 1e9);
    if (this.tiered && this.engine === 'wasm') this.requestUpgrade();
  }

  /** Installs `set` everywhere and serves it; on failure the previous set serves again. */
  private async serve(set: PolicySet): Promise<void> {
    const previous = this.serving;
    // Set first: a worker restarted meanwhile starts from it.
    this.serving = { set, entrypoints: new Map(set.entrypoints), ahead: new Set(set.compiled) };
    try {
      await this.runner.install(set);
    } catch (e) {
      this.serving = previous;
      if (previous) await this.runner.install(previous.set).catch(() => undefined);
      throw e;
    }
  }

  /** Entrypoint and group names to compile ahead: the declared groups (resolved against
   *  `entrypoints`, when known) and what was asked for. */
  private aheadNames(entrypoints: Map<string, EntrypointKind> | undefined): string[] {
    const names = [...this.hot];
    if (!entrypoints) return names;
    for (const group of this.declared) {
      const eps = [...new Set(targetsOf(entrypoints, group).flatMap((t) => (t.entrypoint === undefined ? [] : [t.entrypoint])))];
      if (eps.length > 0) names.push(aheadName(eps), ...eps);
    }
    return names;
  }

  private noteMiss(name: string): void {
    if (!this.tiered || this.engine !== 'wasm' || this.hot.has(name) || this.hot.size >= MAX_HOT) return;
    this.hot.add(name);
    this.schedulePromotion();
  }

  private schedulePromotion(): void {
    if (!this.tiered || this.engine !== 'wasm' || this.promoteTimer) return;
    this.promoteTimer = setTimeout(() => {
      this.promoteTimer = undefined;
      this.requestUpgrade();
    }, PROMOTE_AFTER_MS);
    this.promoteTimer.unref();
  }

  /** Asks for a WASM build of what is current: one starts, or the running one goes round again. */
  private requestUpgrade(): void {
    this.upgradeAgain = true;
    this.startUpgrade();
  }

  /** Builds the WASM stage of the current version (again, while asked to) and serves it, unless
   *  a newer version came meanwhile. Failures are logged: the interpreter keeps serving. */
  private startUpgrade(): void {
    if (this.upgrading) return;
    this.upgrading = (async () => {
      while (this.upgradeAgain && this.serving) {
        this.upgradeAgain = false;
        const current = this.serving.set;
        try {
          const set = await this.runner.build({
            version: current.version,
            modules: current.modules,
            engine: this.engine,
            compile: this.aheadNames(this.serving.entrypoints),
            stage: 'wasm',
          });
          await this.update(async () => {
            if (this.serving?.set.version === set.version) await this.serve(set);
          });
        } catch (e) {
          if (this.closed) return;
          this.log(`regent: policies keep serving on the interpreter; the WASM build failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    })().finally(() => {
      this.upgrading = undefined;
    });
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

  /**
   * Why writing `value` at `path` of the base data would put data where a rule of the serving
   * policies is (undefined: it would not), as OPA refuses such writes (ast.CheckPathConflicts
   * over storage.NonEmpty): a write at or below a rule's path conflicts, and one above it when
   * `value` reaches the rule's path or puts a non-object on the way there.
   */
  rulePathConflict(path: readonly string[], value: Value): string | undefined {
    for (const [key, kind] of this.serving?.entrypoints ?? []) {
      if (kind !== 'rule') continue;
      const rule = key.split('/');
      if (!rule.slice(0, path.length).every((k, i) => k === path[i])) continue;
      let v: Value | undefined = value;
      for (const k of rule.slice(path.length)) {
        if (!(v instanceof ObjectValue)) break;
        v = v.get(k);
      }
      if (v !== undefined) return `conflicting rule for data path ${key} found`;
    }
    return undefined;
  }
}

/** Rejects a document that would nest deeper than MAX_DEPTH at `path`. */
export function checkDepth(path: string[], value: Value): void {
  if (path.length + depthOf(value, MAX_DEPTH) > MAX_DEPTH) {
    throw new DocumentRejected(`document exceeds the maximum nesting depth of ${MAX_DEPTH} (path segments included)`);
  }
}
