// One-shot query evaluation: parse → compile → plan → execute. Used by `regent eval`, the
// conformance runner and tests. (The long-lived, load-once engine for the service comes later.)
import type { SourceFile } from '../rego/ast';
import type { Value } from '../value/value';

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

/**
 * Evaluates the query. Returns one entry per solution (none when undefined). Throws `RegoErrors`
 * for parse/compile errors and `RegoError` for evaluation errors (conflicts, strict builtins).
 */
export function runQuery(opts: QueryOptions): QueryResult[] {
  void opts;
  throw new Error('runQuery: compiler not wired yet');
}
