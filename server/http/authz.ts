// Authentication (`--authentication token`: the Bearer token becomes the request's identity) and
// authorization (`--authorization basic`: every request — /health, /metrics and the webhooks
// included, as in OPA — is allowed only if data.system.authz.allow is true for OPA's input shape
// `{method, path, identity, headers, params}`).
import type { NextFunction, Request, Response } from 'express';
import type { PolicyEngine } from '../engine/engine';
import { fromJS } from '../value/value';
import { sendError } from './errors';
import { requestPath } from './path';

/** The document that decides every request under `--authorization basic`. */
export const AUTHZ_DECISION = ['system', 'authz', 'allow'];

export interface AuthOptions {
  authentication: 'off' | 'token';
  authorization: 'off' | 'basic';
}

function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h.trim());
  return m ? m[1] : undefined;
}

export function authMiddleware(engine: PolicyEngine, opts: AuthOptions) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (opts.authorization === 'off') return next();
    const identity = opts.authentication === 'token' ? bearer(req) : undefined;
    const input: Record<string, unknown> = {
      method: req.method,
      // The segments every handler acts on (path.ts); app.ts has refused paths that do not parse.
      path: requestPath(req),
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v : [v]])),
      params: req.query,
    };
    if (identity !== undefined) input.identity = identity;
    let allowed = false;
    try {
      allowed = (await engine.evaluate(AUTHZ_DECISION, fromJS(input), { internal: true })) === true;
    } catch {
      allowed = false; // an authorization policy that fails denies
    }
    if (!allowed) return sendError(res, 401, 'unauthorized', 'request rejected by administrative policy');
    next();
  };
}
