import type { Location } from './ast';

/** OPA's error kinds. Compile-time kinds start with `rego_`, run-time kinds with `eval_`. */
export type ErrorCode =
  | 'rego_parse_error'
  | 'rego_compile_error'
  | 'rego_type_error'
  | 'rego_unsafe_var_error'
  | 'rego_recursion_error'
  | 'eval_conflict_error'
  | 'eval_type_error'
  | 'eval_builtin_error'
  | 'eval_with_merge_error'
  | 'eval_cancel_error'
  | 'eval_internal_error'
  | 'internal_error';

/**
 * Every error a stage reports. `toString()` follows OPA's `file:row: code: message` form so CLI
 * output and conformance `want_error` substrings line up with OPA's.
 */
export class RegoError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly location?: Location,
  ) {
    super(message);
    this.name = 'RegoError';
  }

  override toString(): string {
    const where = this.location ? `${this.location.file}:${this.location.row}: ` : '';
    return `${where}${this.code}: ${this.message}`;
  }

  toJSON(): { code: string; message: string; location?: Location } {
    return this.location
      ? { code: this.code, message: this.message, location: this.location }
      : { code: this.code, message: this.message };
  }
}

/** Several errors from one stage (OPA reports all compile errors of a module set at once). */
export class RegoErrors extends Error {
  constructor(readonly errors: RegoError[]) {
    super(errors.map((e) => e.toString()).join('\n'));
    this.name = 'RegoErrors';
  }
}

export function isRegoError(e: unknown): e is RegoError {
  return e instanceof RegoError;
}

/** The error of an evaluation stopped by its time limit. */
export function timeUp(limitMs: number | undefined): RegoError {
  return new RegoError('eval_cancel_error', `evaluation exceeded the time limit of ${limitMs ?? 0} ms`);
}
