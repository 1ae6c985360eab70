// The long-lived policy engine behind the service: a policy store and a data store, compiled
// once per change (compile → load → atomic swap) and evaluated many times. A change that does
// not compile is rejected and leaves the serving state exactly as it was.
import type { SourceFile } from '../rego/ast';
import { parseModule } from '../rego/index';
import { RegoError, RegoErrors } from '../rego/errors';
import { compileModules, compileQuery, planPolicy, type CompiledModules } from '../compiler/index';
import type { RuleNode } from '../compiler/ruletree';
import { Interpreter } from '../ir/interpreter';
import { lookupBuiltin } from '../builtins/catalog';
import { ObjectValue, fromJS, type Value } from '../value/value';
import type { EngineName } from './query';
import { WasmPolicy, buildWasm, entrypointQuery, type EvalOptions } from './wasm-policy';
import { parseQuery } from '../rego/index';

/**
 * An input document still as the JSON bytes a request carried. The WASM engine hands the bytes
 * straight to the module (no JS parse, no re-serialisation); the interpreter and decision logs
 * parse them when they need the value.
 */
export class JSONInput {
  private parsed: Value | undefined;

  constructor(readonly bytes: Uint8Array) {}

  get value(): Value {
    this.parsed ??= fromJS(JSON.parse(Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString('utf8')));
    return this.parsed;
  }
}

export type Input = Value | JSONInput | undefined;

/** The input as a value (parsing JSON bytes if need be). */
export function inputValue(input: Input): Value | undefined {
  return input instanceof JSONInput ? input.value : input;
}

/** Runs an entrypoint (a data path like `a/b`) over the current data. */
interface Executor {
  evaluate(input: Input, entrypoint: string, opts: EvalOptions): Value[];
  setData(data: Value): void;
  /** The engine changed `path` of the data last given to `setData` in place: apply the same. */
  dataChanged(path: string[], value: Value | undefined): void;
}

interface Serving {
  compiled: CompiledModules;
  executor: Executor;
  /** Paths (joined by `/`) that have virtual documents and so an entrypoint: a rule's, or a
   *  package's (whose document holds its rules and subpackages). */
  entrypoints: Map<string, 'rule' | 'package'>;
  /** Planned ad-hoc queries by text. */
  queries: Map<string, ReturnType<typeof planPolicy>>;
}

export interface PolicyInfo {
  id: string;
  raw: string;
}

export class PolicyEngine {
  private readonly policies = new Map<string, SourceFile>();
  private data: ObjectValue = new ObjectValue();
  private serving: Serving | undefined;
  /** Observers for metrics: seconds per compile (after a change) and per evaluation. */
  onCompile?: (seconds: number) => void;
  onEval?: (seconds: number) => void;
  /** Observer for decision logs: every evaluation that is a decision (not internal checks). */
  onDecision?: (path: string[], input: Input, result: Value | undefined, evalNs: number) => void;
  /** Updates run one at a time; evaluations always see one complete state. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly engine: EngineName = 'wasm',
    private readonly defaults: EvalOptions = {},
  ) {}

  get ready(): boolean {
    return this.serving !== undefined;
  }

  listPolicies(): PolicyInfo[] {
    return [...this.policies.entries()].map(([id, src]) => ({ id, raw: src.text }));
  }

  getPolicy(id: string): PolicyInfo | undefined {
    const src = this.policies.get(id);
    return src && { id, raw: src.text };
  }

  /** Loads a whole set of modules and base data (start-up, reloads). */
  load(modules: Array<{ id: string; text: string }>, data: ObjectValue): Promise<void> {
    return this.update(async () => {
      const next = new Map(modules.map((m) => [m.id, { file: m.id, text: m.text }]));
      this.serving = await this.build(next, data);
      this.policies.clear();
      for (const [k, v] of next) this.policies.set(k, v);
      this.data = data;
    });
  }

  /** Adds or replaces a module; throws RegoErrors (and changes nothing) if the set does not compile. */
  putPolicy(id: string, text: string): Promise<void> {
    return this.update(async () => {
      const next = new Map(this.policies);
      next.set(id, { file: id, text });
      this.serving = await this.build(next, this.data);
      this.policies.set(id, { file: id, text });
    });
  }

  /** Removes a module; returns false if there was none. */
  deletePolicy(id: string): Promise<boolean> {
    return this.update(async () => {
      if (!this.policies.has(id)) return false;
      const next = new Map(this.policies);
      next.delete(id);
      this.serving = await this.build(next, this.data);
      this.policies.delete(id);
      return true;
    });
  }

  getData(): ObjectValue {
    return this.data;
  }

  /** Replaces the base data document. */
  setData(data: ObjectValue): Promise<void> {
    return this.update(async () => {
      this.serving?.executor.setData(data);
      this.data = data;
    });
  }

  /**
   * Writes `value` at `path` of the base data, creating objects on the way (a non-object in the
   * way is replaced, as OPA's PUT does). Applied in place, in JS and in the loaded module, so a
   * burst of small writes into a large document costs each write its own size only.
   */
  putData(path: string[], value: Value): Promise<void> {
    if (path.length === 0) {
      if (!(value instanceof ObjectValue)) return Promise.reject(new TypeError('the root document must be an object'));
      return this.setData(value);
    }
    return this.update(async () => {
      let cur = this.data;
      for (const k of path.slice(0, -1)) {
        let next = cur.get(k);
        if (!(next instanceof ObjectValue)) {
          next = new ObjectValue();
          cur.set(k, next);
        }
        cur = next;
      }
      cur.set(path[path.length - 1], value);
      this.serving?.executor.dataChanged(path, value);
    });
  }

  /** Removes the base document at `path` (not the root); false when there was none. */
  deleteData(path: string[]): Promise<boolean> {
    return this.update(async () => {
      const parent = navigate(this.data, path.slice(0, -1));
      const last = path[path.length - 1];
      if (path.length === 0 || !(parent instanceof ObjectValue) || parent.get(last) === undefined) return false;
      parent.delete(last);
      this.serving?.executor.dataChanged(path, undefined);
      return true;
    });
  }

  /** The document at `path` (virtual and base), or undefined. */
  evaluate(path: string[], input: Input, options: EvalOptions & { internal?: boolean } = {}): Value | undefined {
    const { internal, ...rest } = options;
    const start = process.hrtime.bigint();
    const result = this.decide(path, input, { ...this.defaults, ...rest });
    if (!internal) this.onDecision?.(path, input, result, Number(process.hrtime.bigint() - start));
    return result;
  }

  private decide(path: string[], input: Input, opts: EvalOptions): Value | undefined {
    const s = this.serving;
    if (!s) throw new RegoError('internal_error', 'no policies are loaded yet');
    let depth = -1;
    for (let i = path.length; i >= 0; i--) {
      const kind = s.entrypoints.get(path.slice(0, i).join('/'));
      if (kind === undefined) continue;
      // Below a package but not at one of its rules or subpackages: only base data can be there,
      // so the package's rules need not run.
      if (kind === 'rule' || i === path.length) depth = i;
      break;
    }
    if (depth < 0) return navigate(this.data, path);
    const start = process.hrtime.bigint();
    const rs = s.executor.evaluate(input, path.slice(0, depth).join('/'), opts);
    this.onEval?.(Number(process.hrtime.bigint() - start) / 1e9);
    if (rs.length === 0) return undefined;
    const row = rs[0];
    const result = row instanceof ObjectValue ? row.get('result') : undefined;
    return result === undefined ? undefined : navigate(result, path.slice(depth));
  }

  /**
   * An ad-hoc query (`POST /v1/query`) over the current policies and data, evaluated by the
   * interpreter; plans are cached per query text until the policies change.
   */
  query(text: string, input: Value | undefined, options: EvalOptions = {}): Array<Record<string, Value>> {
    const opts = { ...this.defaults, ...options };
    const s = this.serving;
    if (!s) throw new RegoError('internal_error', 'no policies are loaded yet');
    let plan = s.queries.get(text);
    if (!plan) {
      const q = compileQuery(s.compiled, 'q', parseQuery(text, 'query'));
      plan = planPolicy(s.compiled, [q]);
      if (s.queries.size >= 256) s.queries.delete(s.queries.keys().next().value as string);
      s.queries.set(text, plan);
    }
    const interp = new Interpreter(plan, { lookupBuiltin, ...opts });
    return interp.evalPlan('q', input, this.data).map((row) => {
      const out: Record<string, Value> = {};
      if (row instanceof ObjectValue) for (const [k, v] of row.entries()) out[k as string] = v;
      return out;
    });
  }

  private update<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async build(modules: Map<string, SourceFile>, data: ObjectValue): Promise<Serving> {
    const start = process.hrtime.bigint();
    const serving = await this.compile(modules, data);
    this.onCompile?.(Number(process.hrtime.bigint() - start) / 1e9);
    return serving;
  }

  private async compile(modules: Map<string, SourceFile>, data: ObjectValue): Promise<Serving> {
    const parsed = [];
    const errors: RegoError[] = [];
    for (const src of modules.values()) {
      try {
        parsed.push(parseModule(src));
      } catch (e) {
        if (e instanceof RegoErrors) errors.push(...e.errors);
        else throw e;
      }
    }
    if (errors.length > 0) throw new RegoErrors(errors);
    const compiled = compileModules(parsed);
    const entrypoints = virtualPaths(compiled.tree);
    const list = [...entrypoints.keys()];
    let executor: Executor;
    if (this.engine === 'wasm') {
      executor = await WasmPolicy.load(await buildWasm(compiled, list));
    } else {
      const queries = list.map((e) => compileQuery(compiled, e, parseQuery(entrypointQuery(e), `entrypoint ${e}`)));
      executor = new InterpExecutor(planPolicy(compiled, queries));
    }
    executor.setData(data);
    return { compiled, executor, entrypoints, queries: new Map() };
  }
}

class InterpExecutor implements Executor {
  private data: Value = new ObjectValue();
  constructor(private readonly policy: ReturnType<typeof planPolicy>) {}

  setData(data: Value): void {
    this.data = data;
  }

  dataChanged(): void {
    // The interpreter reads the engine's document itself, already changed.
  }

  evaluate(input: Input, entrypoint: string, opts: EvalOptions): Value[] {
    return new Interpreter(this.policy, { lookupBuiltin, ...opts }).evalPlan(entrypoint, inputValue(input), this.data);
  }
}

/** Every path of the rule tree that holds a virtual document (not functions), and the root. */
function virtualPaths(tree: RuleNode): Map<string, 'rule' | 'package'> {
  const out = new Map<string, 'rule' | 'package'>([['', 'package']]);
  const visit = (n: RuleNode): void => {
    if (n.kind === 'function') return;
    if (n.path.length > 0) out.set(n.path.join('/'), n.kind !== undefined ? 'rule' : 'package');
    if (n.kind !== undefined) return; // below a rule, its value is navigated
    for (const c of n.children.values()) visit(c);
  };
  visit(tree);
  return out;
}

/** The value at `path` inside `v` (object keys, array indexes), or undefined. */
export function navigate(v: Value, path: string[]): Value | undefined {
  let cur: Value | undefined = v;
  for (const k of path) {
    if (cur instanceof ObjectValue) cur = cur.get(k);
    else if (Array.isArray(cur) && /^(0|[1-9]\d*)$/.test(k)) cur = cur[Number(k)];
    else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}
