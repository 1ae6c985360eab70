// One-shot query evaluation: parse → compile → plan → execute. Used by `regent eval`, the
// conformance runner and tests. (The long-lived, load-once engine for the service comes later.)
import type { SourceFile } from '../rego/ast';
import { parseModule, parseQuery } from '../rego/index';
import { RegoError, RegoErrors } from '../rego/errors';
import { compileModules, compileQuery, planPolicy, type CompiledModules, type CompiledQuery } from '../compiler/index';
import { Interpreter } from '../ir/interpreter';
import { lookupBuiltin } from '../builtins/catalog';
import { ObjectValue, type Value } from '../value/value';

export type EngineName = 'interp' | 'wasm';

export interface QueryOptions {
  modules: SourceFile[];
  /** A Rego query body, e.g. `data.test.p = x`. */
  query: string;
  data?: Value;
  input?: Value;
  /** OPA's strict builtin errors: builtin failures become errors instead of undefined. */
  strictBuiltinErrors?: boolean;
  regoVersion?: 0 | 1;
  engine?: EngineName;
  /** Receives `print(...)` output; stderr by default. */
  print?: (message: string) => void;
}

export interface QueryResult {
  /** Values of the query's own variables (generated ones left out), by name. */
  bindings: Record<string, Value>;
  /** The value of each expression of the query, in order (`true` for relations). */
  expressions: Value[];
}

function prepare(opts: QueryOptions): { compiled: CompiledModules; query: CompiledQuery } {
  const parseErrors: RegoError[] = [];
  const modules = opts.modules.flatMap((src) => {
    try {
      return [parseModule(src, { regoVersion: opts.regoVersion })];
    } catch (e) {
      if (e instanceof RegoErrors) parseErrors.push(...e.errors);
      else throw e;
      return [];
    }
  });
  if (parseErrors.length > 0) throw new RegoErrors(parseErrors);
  const body = parseQuery(opts.query, 'query', { regoVersion: opts.regoVersion });
  const compiled = compileModules(modules);
  return { compiled, query: compileQuery(compiled, 'query', body) };
}

/** Splits a result row into the query's bindings and its `$eN` expression values. */
function toResult(row: Value): QueryResult {
  const bindings: Record<string, Value> = {};
  const expressions: Value[] = [];
  if (row instanceof ObjectValue) {
    for (const [k, v] of row.entries()) {
      const key = k as string;
      if (key.startsWith('$e')) expressions[Number(key.slice(2))] = v;
      else bindings[key] = v;
    }
  }
  return { bindings, expressions };
}

/**
 * Evaluates the query with the IR interpreter (synchronously). Returns one entry per solution
 * (none when undefined). Throws `RegoErrors` for parse/compile errors and `RegoError` for
 * evaluation errors (conflicts, strict builtins).
 */
export function runQuery(opts: QueryOptions): QueryResult[] {
  if (opts.engine === 'wasm') throw new RegoError('internal_error', 'the wasm engine is asynchronous: use evaluateQuery');
  const { compiled, query } = prepare(opts);
  const policy = planPolicy(compiled, [{ ...query, expressionValues: true }]);
  const interp = new Interpreter(policy, {
    lookupBuiltin,
    strictBuiltinErrors: opts.strictBuiltinErrors,
    print: opts.print,
  });
  return interp.evalPlan('query', opts.input, opts.data ?? new ObjectValue()).map(toResult);
}

/** Evaluates the query on either engine; `wasm` compiles it to WebAssembly and runs it there. */
export async function evaluateQuery(opts: QueryOptions): Promise<QueryResult[]> {
  if (opts.engine !== 'wasm') return runQuery(opts);
  const { compiled, query } = prepare(opts);
  // Loaded here: the WASM toolchain and host are no part of an interpreted evaluation.
  const { buildWasm, WasmPolicy } = require('./wasm-policy') as typeof import('./wasm-policy');
  const artifact = await buildWasm(compiled, [], [{ ...query, expressionValues: true }]);
  const policy = await WasmPolicy.load(artifact);
  policy.setData(opts.data ?? new ObjectValue());
  const rows = policy.evaluate(opts.input, 'query', { strictBuiltinErrors: opts.strictBuiltinErrors, print: opts.print });
  return rows.map(toResult);
}
