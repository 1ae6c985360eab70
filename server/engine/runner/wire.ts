// Errors across threads: RegoError and RegoErrors as plain data and back.
import { RegoError, RegoErrors } from '../../rego/errors';
import type { WireError } from './runner';

export function toWire(e: unknown): WireError {
  if (e instanceof RegoErrors) return { errors: e.errors.map((x) => x.toJSON()), message: e.message };
  if (e instanceof RegoError) return { errors: [e.toJSON()], single: true, message: e.message };
  return { message: e instanceof Error ? e.message : String(e) };
}

export function fromWire(w: WireError): Error {
  if (!w.errors) return new RegoError('internal_error', w.message);
  const errors = w.errors.map((x) => new RegoError(x.code as RegoError['code'], x.message, x.location));
  return w.single ? errors[0] : new RegoErrors(errors);
}
