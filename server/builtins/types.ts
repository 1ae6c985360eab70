// The contract between the builtin catalog and the executors (IR interpreter, WASM host).
import type { Location } from '../rego/ast';
import type { Value } from '../value/value';

/**
 * Declared types, in the shape of OPA's capabilities JSON (`opa capabilities`), so the catalog
 * can be printed as capabilities and read by the type checker.
 */
export type Type =
  | { type: 'any'; of?: Type[] }
  | { type: 'null' }
  | { type: 'boolean' }
  | { type: 'number' }
  | { type: 'string' }
  | { type: 'array'; static?: Type[]; dynamic?: Type }
  | { type: 'object'; static?: Array<{ key: string; value: Type }>; dynamic?: { key: Type; value: Type } }
  | { type: 'set'; of: Type }
  | FunctionType;

export interface FunctionType {
  type: 'function';
  args: Type[];
  result?: Type;
  /** Further arguments of this type may follow (e.g. `print`). */
  variadic?: Type;
}

/** Per-evaluation state a builtin may read. One instance lives for one query evaluation. */
export interface BuiltinContext {
  /** Wall-clock time fixed at the start of the evaluation (`time.now_ns`), in ns. */
  readonly nowNs: bigint;
  /** Where the call is, for messages. */
  location?: Location;
  /** Output of `print`. */
  print(message: string): void;
  /** Memo for builtins that must return the same answer within one evaluation (e.g. rand). */
  readonly cache: Map<string, Value>;
  /** What `opa.runtime()` returns (the service's environment); `{}` when absent. */
  runtime?: Value;
  /** Receives `trace(note)` notes when tracing is on. */
  trace?: (note: string) => void;
  /** `http.send` reaches the network only when the operator enabled it; where the operator
   *  disabled it (`enabled: false`), DNS lookups are refused too. */
  http?: { enabled: boolean };
}

/** Returns the result, or `undefined` when the call is undefined (e.g. a failed lookup). */
export type BuiltinImpl = (args: Value[], ctx: BuiltinContext) => Value | undefined;

export interface Builtin {
  name: string;
  decl: FunctionType;
  impl: BuiltinImpl;
  /** The operator, for infix builtins (`plus` → `+`). */
  infix?: string;
  /** Result may differ between calls with the same arguments (time, rand, http). */
  nondeterministic?: boolean;
  /**
   * A relation (OPA: `walk`) may have several outputs for one input: `impl` returns an array
   * holding every output, and the planner iterates over it.
   */
  relation?: boolean;
  /** Removed in Rego v1 (OPA's deprecated builtins): callable from v0 modules only. */
  deprecated?: boolean;
}

/**
 * A builtin's failure. OPA turns these into `undefined` unless strict builtin errors are on;
 * then they surface as `eval_type_error` / `eval_builtin_error` with the message.
 */
export class BuiltinError extends Error {
  constructor(
    readonly code: 'eval_type_error' | 'eval_builtin_error',
    message: string,
  ) {
    super(message);
    this.name = 'BuiltinError';
  }
}
