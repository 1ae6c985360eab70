// One thread's evaluation state: the installed policy set, its executor (WASM or the
// interpreter) and this thread's copy of the base data. The service's workers each hold one;
// the inline runner holds one on the calling thread. Everything arrives as plain data (policy
// sets, JSON text), so both are driven by the same calls.
import { compileQuery, planPolicy, type CompiledModules } from '../compiler/index';
import { parseQuery } from '../rego/index';
import { RegoError } from '../rego/errors';
import { Interpreter } from '../ir/interpreter';
import type { Policy } from '../ir/types';
import { lookupBuiltin } from '../builtins/catalog';
import { parseJSON } from '../builtins/json';
import { ObjectValue, fromJS, toJSONText, type Value } from '../value/value';
import { compileSources, type PolicySet } from './policy-set';
import { navigate, putAt, removeAt, undoEdit } from './document';
import { WasmPolicy, type EvalOptions } from './wasm-policy';

/** An input: JSON bytes (a request body, handed to WASM untouched), a value, or none. */
export type EvalInput = Uint8Array | Value | undefined;

interface Executor {
  evaluate(input: EvalInput, entrypoint: string, opts: EvalOptions): Value[];
  setData(data: Value): void;
  /** `path` of the document last given to `setData` was changed in place: apply the same. */
  dataChanged(path: string[], value: Value | undefined): void;
}

export interface EvaluatorLimits {
  /** Largest WASM linear memory, in 64 KiB pages (an evaluation needing more fails). */
  wasmMaxPages?: number;
}

/** JSON text → value, integers beyond 2^53 kept exact. */
export function parseExact(text: string): Value {
  return /\d{16}/.test(text) ? parseJSON(text) : fromJS(JSON.parse(text));
}

export class Evaluator {
  private set: PolicySet | undefined;
  private executor: Executor | undefined;
  private data = new ObjectValue();
  /** The modules compiled for ad-hoc queries, on first use, and the queries' plans. */
  private compiled: CompiledModules | undefined;
  private readonly queries = new Map<string, Policy>();

  constructor(private readonly limits: EvaluatorLimits = {}) {}

  /** Loads a new policy set over the current data; on failure the previous one stays. */
  async install(set: PolicySet): Promise<void> {
    const executor: Executor = set.wasm ? await WasmPolicy.load(set.wasm, { maxPages: this.limits.wasmMaxPages }) : new InterpExecutor(set.plan as Policy);
    executor.setData(this.data);
    this.set = set;
    this.executor = executor;
    this.compiled = undefined;
    this.queries.clear();
  }

  /** Replaces the base data; on failure the previous data stays. */
  setData(json: string): void {
    const doc = parseExact(json);
    if (!(doc instanceof ObjectValue)) throw new RegoError('internal_error', 'the data document must be an object');
    this.executor?.setData(doc);
    this.data = doc;
  }

  /** Writes (json given) or removes the document at `path`; on failure nothing changes. */
  edit(path: string[], json: string | undefined): void {
    const edit = json === undefined ? removeAt(this.data, path) : putAt(this.data, path, parseExact(json));
    if (edit === undefined) return;
    try {
      this.executor?.dataChanged(path, json === undefined ? undefined : navigate(this.data, path));
    } catch (e) {
      undoEdit(this.data, edit);
      this.executor?.setData(this.data);
      throw e;
    }
  }

  /** Each entrypoint's result set, as JSON text, for one input. */
  evaluate(entrypoints: string[], input: EvalInput, opts: EvalOptions): string[] {
    const executor = this.executor;
    if (!executor) throw new RegoError('internal_error', 'no policies are loaded yet');
    return entrypoints.map((e) => toJSONText(executor.evaluate(input, e, opts)));
  }

  /** An ad-hoc query's solutions (objects of bindings), as JSON text; always interpreted. */
  query(text: string, input: Value | undefined, opts: EvalOptions): string {
    if (!this.set) throw new RegoError('internal_error', 'no policies are loaded yet');
    let plan = this.queries.get(text);
    if (!plan) {
      this.compiled ??= compileSources(this.set.modules);
      plan = planPolicy(this.compiled, [compileQuery(this.compiled, 'q', parseQuery(text, 'query'))]);
      if (this.queries.size >= 256) this.queries.delete(this.queries.keys().next().value as string);
      this.queries.set(text, plan);
    }
    return toJSONText(new Interpreter(plan, { lookupBuiltin, ...opts }).evalPlan('q', input, this.data));
  }
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

  evaluate(input: EvalInput, entrypoint: string, opts: EvalOptions): Value[] {
    const value = input instanceof Uint8Array ? parseExact(Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8')) : input;
    return new Interpreter(this.policy, { lookupBuiltin, ...opts }).evalPlan(entrypoint, value, this.data);
  }
}
