// POST /v1/query ({"query": "...", "input": ...}) and GET /v1/query?q=…: ad-hoc queries, answered
// as OPA does with one object of bindings per solution.
import type { Request, Response, Router } from 'express';
import type { PolicyEngine } from '../engine/engine';
import { fromJS, toJSONText, ObjectValue, type Value } from '../value/value';
import { bodyJSON, requestInput } from './body';
import { sendError, sendThrown } from './errors';
import { apiRouter } from './path';

export function queryRoutes(engine: PolicyEngine): Router {
  const r = apiRouter();
  const run = async (res: Response, text: unknown, input: Value | undefined): Promise<void> => {
    if (typeof text !== 'string' || text.trim() === '') return sendError(res, 400, 'invalid_parameter', 'missing query');
    try {
      const rows = (await engine.query(text, input)).map((b) => ObjectValue.fromEntries(Object.entries(b)));
      res.status(200).type('application/json').send(`{"result":${toJSONText(rows)}}`);
    } catch (e) {
      sendThrown(res, e, 'compile');
    }
  };
  r.get('/v1/query', async (req: Request, res: Response) => {
    let input: Value | undefined;
    try {
      input = requestInput(req); // `?input=`, as GET /v1/data reads it
    } catch (e) {
      return sendError(res, 400, 'invalid_parameter', (e as Error).message);
    }
    await run(res, req.query.q, input);
  });
  r.post('/v1/query', async (req: Request, res: Response) => {
    let b: { query?: unknown; input?: unknown };
    let input: Value | undefined;
    try {
      b = (bodyJSON(req) ?? {}) as typeof b;
      if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new Error('body must be an object with a "query" key');
      input = b.input === undefined ? undefined : fromJS(b.input);
    } catch (e) {
      return sendError(res, 400, 'invalid_parameter', (e as Error).message);
    }
    await run(res, b.query, input);
  });
  return r;
}
