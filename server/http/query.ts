// POST /v1/query ({"query": "...", "input": ...}) and GET /v1/query?q=…: ad-hoc queries, answered
// as OPA does with one object of bindings per solution.
import type { Request, Response, Router } from 'express';
import type { PolicyEngine } from '../engine/engine';
import { fromJS, toJSONText, ObjectValue, type Value } from '../value/value';
import { bodyJSON } from './body';
import { readJSONData } from '../value/json';
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
    if (typeof req.query.input === 'string') {
      try {
        input = fromJS(readJSONData(req.query.input));
      } catch (e) {
        return sendError(res, 400, 'invalid_parameter', `input parameter contains malformed JSON: ${(e as Error).message}`);
      }
    }
    await run(res, req.query.q, input);
  });
  r.post('/v1/query', async (req: Request, res: Response) => {
    let body: unknown;
    try {
      body = bodyJSON(req);
    } catch (e) {
      return sendError(res, 400, 'invalid_parameter', (e as Error).message);
    }
    const b = (body ?? {}) as { query?: unknown; input?: unknown };
    await run(res, b.query, b.input === undefined ? undefined : fromJS(b.input));
  });
  return r;
}
