// /v1/data (GET, POST: evaluate; PUT: replace base data), /v0/data and POST / (default decision).
import { Router, type Request, type Response } from 'express';
import type { PolicyEngine } from '../engine/engine';
import { ObjectValue, fromJS, toJSONText, type Value } from '../value/value';
import { BadRequest, bodyJSON, pathSegments, requestInput } from './body';
import { sendError, sendThrown } from './errors';

function sendJSON(res: Response, status: number, text: string): void {
  res.status(status).type('application/json').send(text);
}

export function dataRoutes(engine: PolicyEngine): Router {
  const r = Router();

  const query = (req: Request, res: Response): void => {
    let input: Value | undefined;
    try {
      input = requestInput(req);
    } catch (e) {
      return sendError(res, 400, 'invalid_parameter', (e as Error).message);
    }
    try {
      const result = engine.evaluate(pathSegments(req, '/v1/data'), input);
      const indent = req.query.pretty === 'true' ? '  ' : undefined;
      sendJSON(res, 200, result === undefined ? '{}' : `{"result":${toJSONText(result, indent)}}`);
    } catch (e) {
      sendThrown(res, e, 'eval');
    }
  };
  r.get(/^\/v1\/data(\/.*)?$/, query);
  r.post(/^\/v1\/data(\/.*)?$/, query);

  r.post(/^\/v0\/data(\/.*)?$/, (req, res) => {
    try {
      const body = bodyJSON(req);
      const result = engine.evaluate(pathSegments(req, '/v0/data'), body === undefined ? undefined : fromJS(body));
      if (result === undefined) return sendError(res, 404, 'undefined_document', 'document missing or undefined');
      sendJSON(res, 200, toJSONText(result));
    } catch (e) {
      if (e instanceof BadRequest) return sendError(res, 400, 'invalid_parameter', e.message);
      sendThrown(res, e, 'eval');
    }
  });

  r.post('/', (req, res) => {
    try {
      const body = bodyJSON(req);
      const result = engine.evaluate(['system', 'main'], body === undefined ? undefined : fromJS(body));
      if (result === undefined) return sendError(res, 404, 'undefined_document', 'document missing or undefined: data.system.main');
      sendJSON(res, 200, toJSONText(result));
    } catch (e) {
      if (e instanceof BadRequest) return sendError(res, 400, 'invalid_parameter', e.message);
      sendThrown(res, e, 'eval');
    }
  });

  r.put(/^\/v1\/data(\/.*)?$/, async (req, res) => {
    let value: Value;
    try {
      const body = bodyJSON(req);
      if (body === undefined) throw new BadRequest('body must be a JSON document');
      value = fromJS(body);
    } catch (e) {
      return sendError(res, 400, 'invalid_parameter', (e as Error).message);
    }
    const path = pathSegments(req, '/v1/data');
    if (path.length === 0 && !(value instanceof ObjectValue)) return sendError(res, 400, 'invalid_parameter', 'the root document must be an object');
    try {
      await engine.setData(upsert(engine.getData(), path, value) as ObjectValue);
      res.status(204).end();
    } catch (e) {
      sendThrown(res, e, 'eval');
    }
  });

  return r;
}

/** A copy of `doc` with `value` at `path`, creating objects on the way. */
function upsert(doc: Value | undefined, path: string[], value: Value): Value {
  if (path.length === 0) return value;
  const obj = doc instanceof ObjectValue ? doc.clone() : new ObjectValue();
  obj.set(path[0], upsert(obj.get(path[0]), path.slice(1), value));
  return obj;
}
