// OPA's error bodies: `{"code", "message", "errors": [...]}` with its status codes.
import type { Response } from 'express';
import { RegoError, RegoErrors } from '../rego/errors';
import { DocumentRejected } from '../engine/engine';

export interface ErrorBody {
  code: string;
  message: string;
  errors?: Array<{ code: string; message: string; location?: { file: string; row: number; col: number } }>;
}

export function sendError(res: Response, status: number, code: string, message: string, errors?: ErrorBody['errors']): void {
  const body: ErrorBody = { code, message };
  if (errors && errors.length > 0) body.errors = errors;
  res.status(status).json(body);
}

/**
 * OPA's status and body for an error raised before a handler runs (a path that does not read one
 * way, a body that cannot be read: too large, an unknown Content-Encoding, a corrupt gzip stream)
 * or that a route let escape: what the client got wrong is its 4xx with `invalid_parameter`;
 * only real faults are 500s.
 */
export function errorAnswer(err: unknown): { status: number; body: ErrorBody } {
  const e = err as { status?: unknown; type?: unknown; limit?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const status = typeof e?.status === 'number' && e.status >= 400 && e.status < 600 ? e.status : 500;
  if (e?.type === 'entity.too.large') return { status: 413, body: { code: 'invalid_parameter', message: `request body exceeds ${String(e.limit)} bytes` } };
  return { status, body: { code: status < 500 ? 'invalid_parameter' : 'internal_error', message } };
}

/** Maps a thrown error to OPA's status and body; only real faults are 500s. */
export function sendThrown(res: Response, e: unknown, what: 'compile' | 'eval'): void {
  if (e instanceof DocumentRejected) return sendError(res, 400, 'invalid_parameter', e.message);
  if (e instanceof RegoErrors) {
    const message = what === 'compile' ? 'error(s) occurred while compiling module(s)' : 'error(s) occurred while evaluating query';
    sendError(res, 400, 'invalid_parameter', message, e.errors.map((x) => x.toJSON()));
    return;
  }
  if (e instanceof RegoError) {
    if (e.code === 'internal_error') sendError(res, 500, 'internal_error', e.message);
    else sendError(res, 500, 'internal_error', e.toString(), [e.toJSON()]);
    return;
  }
  sendError(res, 500, 'internal_error', e instanceof Error ? e.message : String(e));
}
