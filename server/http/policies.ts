// /v1/policies: list, get, put (Rego text; rejected with 400 if the set does not compile, and
// nothing loaded changes) and delete.
import { Router } from 'express';
import type { PolicyEngine } from '../engine/engine';
import { bodyText } from './body';
import { sendError, sendThrown } from './errors';

export function policyRoutes(engine: PolicyEngine): Router {
  const r = Router();
  const id = (path: string): string => decodeURIComponent(path.replace(/^\/v1\/policies\/?/, ''));

  r.get('/v1/policies', (_req, res) => {
    res.json({ result: engine.listPolicies() });
  });
  r.get(/^\/v1\/policies\/.+$/, (req, res) => {
    const p = engine.getPolicy(id(req.path));
    if (!p) return sendError(res, 404, 'resource_not_found', `storage_not_found_error: policy id ${JSON.stringify(id(req.path))}`);
    res.json({ result: p });
  });
  r.put(/^\/v1\/policies\/.+$/, async (req, res) => {
    try {
      await engine.putPolicy(id(req.path), bodyText(req));
      res.status(200).json({});
    } catch (e) {
      sendThrown(res, e, 'compile');
    }
  });
  r.delete(/^\/v1\/policies\/.+$/, async (req, res) => {
    try {
      const found = await engine.deletePolicy(id(req.path));
      if (!found) return sendError(res, 404, 'resource_not_found', `storage_not_found_error: policy id ${JSON.stringify(id(req.path))}`);
      res.status(200).json({});
    } catch (e) {
      sendThrown(res, e, 'compile');
    }
  });
  return r;
}
