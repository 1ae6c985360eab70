// /v1/data (GET, POST: evaluate; PUT, PATCH, DELETE: change base data), /v0/data and POST /
// (the default decision).
import { Router, type Request, type Response } from 'express';
import type { PolicyEngine } from '../engine/engine';
import { applyPatch, type JsonPatchError, type Operation } from 'fast-json-patch';
import { ObjectValue, fromJS, toJS, toJSONText, type Value } from '../value/value';
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

  r.patch(/^\/v1\/data(\/.*)?$/, async (req, res) => {
    const path = pathSegments(req, '/v1/data');
    let ops: Operation[];
    try {
      const body = bodyJSON(req);
      if (!Array.isArray(body)) throw new BadRequest('body must be a JSON Patch array of operations');
      ops = body as Operation[];
    } catch (e) {
      return sendError(res, 400, 'invalid_parameter', (e as Error).message);
    }
    const current = navigate(engine.getData(), path);
    if (current === undefined) return sendError(res, 404, 'resource_not_found', `storage_not_found_error: ${'/' + path.join('/')}: document does not exist`);
    let patched: unknown;
    try {
      patched = applyPatch(toJS(current), ops, true, true).newDocument;
    } catch (e) {
      const err = e as JsonPatchError;
      if (err.name === 'OPERATION_PATH_UNRESOLVABLE') return sendError(res, 404, 'resource_not_found', `storage_not_found_error: ${err.message.split('\n')[0]}`);
      return sendError(res, 400, 'invalid_parameter', `invalid patch: ${err.message.split('\n')[0]}`);
    }
    try {
      await engine.setData(upsert(engine.getData(), path, fromJS(patched)) as ObjectValue);
      res.status(204).end();
    } catch (e) {
      sendThrown(res, e, 'eval');
    }
  });

  r.delete(/^\/v1\/data(\/.*)?$/, async (req, res) => {
    const path = pathSegments(req, '/v1/data');
    if (path.length === 0) return sendError(res, 400, 'invalid_parameter', 'the root document cannot be deleted');
    if (navigate(engine.getData(), path) === undefined) {
      return sendError(res, 404, 'resource_not_found', `storage_not_found_error: ${'/' + path.join('/')}: document does not exist`);
    }
    try {
      await engine.setData(remove(engine.getData(), path) as ObjectValue);
      res.status(204).end();
    } catch (e) {
      sendThrown(res, e, 'eval');
    }
  });

  return r;
}

/** The base document at `path`, or undefined. */
function navigate(doc: Value, path: string[]): Value | undefined {
  let cur: Value | undefined = doc;
  for (const k of path) {
    cur = cur instanceof ObjectValue ? cur.get(k) : Array.isArray(cur) && /^\d+$/.test(k) ? cur[Number(k)] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** A copy of `doc` without the value at `path` (which exists). */
function remove(doc: Value, path: string[]): Value {
  if (!(doc instanceof ObjectValue)) return doc;
  const obj = doc.clone();
  if (path.length === 1) obj.delete(path[0]);
  else obj.set(path[0], remove(obj.get(path[0]) as Value, path.slice(1)));
  return obj;
}

/** A copy of `doc` with `value` at `path`, creating objects on the way. */
function upsert(doc: Value | undefined, path: string[], value: Value): Value {
  if (path.length === 0) return value;
  const obj = doc instanceof ObjectValue ? doc.clone() : new ObjectValue();
  obj.set(path[0], upsert(obj.get(path[0]), path.slice(1), value));
  return obj;
}
