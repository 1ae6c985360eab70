// /v1/policies: list, get, put (Rego text; rejected with 400 if the set does not compile, and
// nothing loaded changes) and delete.
import type { Router, Request } from 'express';
import type { PolicyEngine } from '../engine/engine';
import { bodyText } from './body';
import { sendError, sendThrown } from './errors';
import { apiRouter, pathAfter } from './path';

export function policyRoutes(engine: PolicyEngine): Router {
  const r = apiRouter();
  /** `/v1/policies/a/b%20c` → `a/b c`: no segment holds a `/`, so ids read one way only. */
  const id = (req: Request): string => pathAfter(req, 2).join('/');

  r.get('/v1/policies', (_req, res) => {
    res.json({ result: engine.listPolicies() });
  });
  r.get(/^\/v1\/policies\/.+$/, (req, res) => {
    const p = engine.getPolicy(id(req));
    if (!p) return sendError(res, 404, 'resource_not_found', `storage_not_found_error: policy id ${JSON.stringify(id(req))}`);
    res.json({ result: p });
  });
  r.put(/^\/v1\/policies\/.+$/, async (req, res) => {
    try {
      await engine.putPolicy(id(req), bodyText(req));
      res.status(200).json({});
    } catch (e) {
      sendThrown(res, e, 'compile');
    }
  });
  r.delete(/^\/v1\/policies\/.+$/, async (req, res) => {
    try {
      const found = await engine.deletePolicy(id(req));
      if (!found) return sendError(res, 404, 'resource_not_found', `storage_not_found_error: policy id ${JSON.stringify(id(req))}`);
      res.status(200).json({});
    } catch (e) {
      sendThrown(res, e, 'compile');
    }
  });
  return r;
}
