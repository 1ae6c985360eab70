// One thread's evaluation state: the installed policy set, its executor (WASM or the
// interpreter) and this thread's copy of the base data. The service's workers each hold one;
// the inline runner holds one on the calling thread. Everything arrives as plain data (policy
// sets, JSON text), so both are driven by the same calls.
import { compileQuery, planPolicy, type CompiledModules, type CompiledQuery } from '../compiler/index';
import { parseQuery } from '../rego/index';
import { RegoError } from '../rego/errors';
import { Interpreter } from '../ir/interpreter';
import type { Policy } from '../ir/types';
import { lookupBuiltin } from '../builtins/catalog';
import { NumberTooBig, readJSON } from '../value/json';
import { ObjectValue, toJSONText, type Value } from '../value/value';
import { compileSources, groupName, planEntrypoint, type PolicySet } from './policy-set';
import { navigate, putAt, removeAt, undoEdit } from './document';
import { WasmPolicy, type EvalOptions } from './wasm-policy';

/** An input: JSON bytes (a request body, handed to WASM untouched), a value, or none. */
export type EvalInput = Uint8Array | Value | undefined;

interface Executor {
  /** The result set as JSON text. */
  evaluateJSON(input: EvalInput, entrypoint: string, opts: EvalOptions): string;
  /** Holds far more memory than its data needs (and a fresh one would give it back). */
  oversized?(): boolean;
  setData(data: Value): void;
  /** `path` of the document last given to `setData` was changed in place: apply the same. */
  dataChanged(path: string[], value: Value | undefined, json?: string): void;
}

export interface EvaluatorLimits {
  /** Largest WASM linear memory, in 64 KiB pages (an evaluation needing more fails). */
  wasmMaxPages?: number;
  /** Told when planning on first use starts and ends: that is compilation, not evaluation, and
   *  does not count against an evaluation's time limit. */
  planning?: (busy: boolean) => void;
}

export class Evaluator {
  private set: PolicySet | undefined;
  private executor: Executor | undefined;
  private data = new ObjectValue();
  /** Names the executor has ahead (entrypoints and groups). */
  private ahead = new Set<string>();
  /** The modules compiled on first use (paths not compiled ahead, ad-hoc queries), and the
   *  plans made from them, by entrypoint name or query text. */
  private compiled: CompiledModules | undefined;
  private readonly lazy = new Map<string, { plan: Policy; name: string }>();
  private renewing = false;
  /** Loads started (a renewal overtaken by an install is dropped), and installs under way. */
  private installs = 0;
  private pending = 0;

  constructor(private readonly limits: EvaluatorLimits = {}) {}

  /** Loads a new policy set over the current data; on failure the previous one stays. */
  async install(set: PolicySet): Promise<void> {
    this.pending++;
    try {
      await this.load(set, ++this.installs);
    } finally {
      this.pending--;
    }
  }

  private async load(set: PolicySet, started: number): Promise<void> {
    const executor: Executor = set.wasm ? await WasmPolicy.load(set.wasm, { maxPages: this.limits.wasmMaxPages }) : new InterpExecutor(JSON.parse(set.plan as string) as Policy);
    if (started !== this.installs) return; // a renewal overtaken by an install
    executor.setData(this.data);
    if (this.set?.version !== set.version) {
      this.compiled = undefined;
      this.lazy.clear();
    }
    this.set = set;
    this.executor = executor;
    this.ahead = new Set(set.compiled);
  }

  /** Replaces the base data; on failure the previous data stays. */
  setData(json: string): void {
    const doc = readJSON(json);
    if (!(doc instanceof ObjectValue)) throw new RegoError('internal_error', 'the data document must be an object');
    this.executor?.setData(doc);
    this.data = doc;
  }

  /** Writes (json given) or removes the document at `path`; on failure nothing changes. */
  edit(path: string[], json: string | undefined): void {
    const edit = json === undefined ? removeAt(this.data, path) : putAt(this.data, path, readJSON(json));
    if (edit === undefined) return;
    try {
      // The value's JSON text goes along, so a large write is not written out again for WASM.
      this.executor?.dataChanged(path, json === undefined ? undefined : navigate(this.data, path), json);
    } catch (e) {
      undoEdit(this.data, edit);
      this.executor?.setData(this.data);
      throw e;
    }
    this.renewIfOversized();
  }

  /** WASM memory only grows: when it has grown far past the data, a fresh instance of the same
   *  set replaces it (evaluations use the current one meanwhile), and the old memory is freed. */
  private renewIfOversized(): void {
    const set = this.set;
    if (!set || this.renewing || this.pending > 0 || !this.executor?.oversized?.()) return;
    this.renewing = true;
    this.load(set, ++this.installs)
      .catch(() => undefined) // the current instance keeps serving
      .finally(() => (this.renewing = false));
  }

  /** Each entrypoint's result set, as JSON text, for one input. Entrypoints compiled ahead
   *  as one group run as one evaluation; others are planned on first use and interpreted. */
  evaluate(entrypoints: string[], input: EvalInput, opts: EvalOptions): string[] {
    const reply = this.evaluateRaw(entrypoints, input, opts);
    return 'sets' in reply ? reply.sets : resultSets(reply, entrypoints.length).map((rs) => toJSONText(rs));
  }

  /** Like `evaluate`, but a group's answer stays the one JSON text the module wrote: whoever
   *  reads it parses it once (`resultSets`), instead of this thread parsing and re-writing it. */
  evaluateRaw(entrypoints: string[], input: EvalInput, opts: EvalOptions): EvalReply {
    const executor = this.executor;
    if (!executor) throw new RegoError('internal_error', 'no policies are loaded yet');
    try {
      return this.run(executor, entrypoints, input, opts);
    } finally {
      this.renewIfOversized();
    }
  }

  private run(executor: Executor, entrypoints: string[], input: EvalInput, opts: EvalOptions): EvalReply {
    if (entrypoints.length > 1) {
      const group = groupName(entrypoints);
      if (this.ahead.has(group)) return { group: executor.evaluateJSON(input, group, opts) };
    }
    // Interpreted entrypoints take the input as a value: read once for all of them.
    let value: Value | undefined;
    const inputValue = (): Value | undefined => (value ??= input instanceof Uint8Array ? parseBytes(input) : input);
    const sets = entrypoints.map((e) =>
      this.ahead.has(e) ? executor.evaluateJSON(input, e, opts) : this.interpret(e, () => planEntrypoint(this.modules(), e), inputValue(), opts),
    );
    return { sets };
  }

  /** An ad-hoc query's solutions (objects of bindings), as JSON text; always interpreted. */
  query(text: string, input: Value | undefined, opts: EvalOptions): string {
    return this.interpret(`query\n${text}`, () => compileQuery(this.modules(), 'q', parseQuery(text, 'query')), input, opts);
  }

  private modules(): CompiledModules {
    if (!this.set) throw new RegoError('internal_error', 'no policies are loaded yet');
    this.compiled ??= compileSources(this.set.modules);
    return this.compiled;
  }

  /** Runs a lazily planned query (kept by key, at most LAZY_PLANS of them). */
  private interpret(key: string, make: () => CompiledQuery, input: Value | undefined, opts: EvalOptions): string {
    let lazy = this.lazy.get(key);
    if (!lazy) {
      this.limits.planning?.(true);
      try {
        const q = make();
        lazy = { plan: planPolicy(this.modules(), [q]), name: q.name };
      } finally {
        this.limits.planning?.(false);
      }
      if (this.lazy.size >= LAZY_PLANS) this.lazy.delete(this.lazy.keys().next().value as string);
      this.lazy.set(key, lazy);
    }
    return toJSONText(new Interpreter(lazy.plan, { lookupBuiltin, ...opts }).evalPlan(lazy.name, input, this.data));
  }
}

/** Plans kept for paths and queries not compiled ahead. */
const LAZY_PLANS = 256;

/** The WASM runtime's JSON reader opens at most this many containers (server/wasm/runtime/json.ts). */
const WASM_MAX_DEPTH = 2048;

/** An input given as JSON bytes, read as the WASM module reads it and failing as it fails. */
function parseBytes(input: Uint8Array): Value {
  try {
    return readJSON(Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8'), { maxDepth: WASM_MAX_DEPTH });
  } catch (e) {
    throw new RegoError('eval_internal_error', e instanceof NumberTooBig ? `input: ${e.message}` : 'input is not valid JSON');
  }
}

/** What one evaluation request answers: each entrypoint's result set as JSON text, or, for
 *  entrypoints compiled ahead as a group, the group's result set (one row binding `x<i>` to
 *  the array of the i-th document's values) as the module wrote it. */
export type EvalReply = { sets: string[] } | { group: string };

/** Each entrypoint's result set (`[{"result": v}]`, or `[]` when undefined) from a reply. */
export function resultSets(reply: EvalReply, n: number): Value[][] {
  if ('sets' in reply) return reply.sets.map((text) => readJSON(text) as Value[]);
  const rows = readJSON(reply.group);
  const row = Array.isArray(rows) ? rows[0] : undefined;
  return Array.from({ length: n }, (_, i) => {
    const values = row instanceof ObjectValue ? row.get(`x${i}`) : undefined;
    return Array.isArray(values) && values.length > 0 ? [ObjectValue.fromEntries([['result', values[0]]])] : [];
  });
}

class InterpExecutor implements Executor {
  private data: Value = new ObjectValue();
  constructor(private readonly policy: Policy) {}

  setData(data: Value): void {
    this.data = data;
  }

  dataChanged(): void {
    // The interpreter reads the evaluator's document itself, already changed.
  }

  evaluateJSON(input: EvalInput, entrypoint: string, opts: EvalOptions): string {
    const value = input instanceof Uint8Array ? parseBytes(input) : input;
    return toJSONText(new Interpreter(this.policy, { lookupBuiltin, ...opts }).evalPlan(entrypoint, value, this.data));
  }
}
