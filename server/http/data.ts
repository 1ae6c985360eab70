// /v1/data (GET, POST: evaluate; PUT, PATCH, DELETE: change base data), /v0/data and POST /
// (the default decision).
import type { Request, Response, Router } from 'express';
import { navigate, type PolicyEngine } from '../engine/engine';
import { applyPatch, type JsonPatchError, type Operation } from 'fast-json-patch';
import { ObjectValue, fromJS, toJS, toJSONText, type Value } from '../value/value';
import { BadRequest, bodyJSON, inputDocument, requestInput } from './body';
import { sendError, sendThrown } from './errors';
import { apiRouter, pathAfter } from './path';

function sendJSON(res: Response, status: number, text: string): void {
  res.status(status).type('application/json').send(text);
}

export function dataRoutes(engine: PolicyEngine): Router {
  const r = apiRouter();
  /** The data path a `/v1/data/…` or `/v0/data/…` request addresses. */
  const dataPath = (req: Request): string[] => pathAfter(req, 2);

  const query = async (req: Request, res: Response): Promise<void> => {
    const start = process.hrtime.bigint();
    let input: Value | undefined;
    try {
      input = requestInput(req);
    } catch (e) {
      return sendError(res, 400, 'invalid_parameter', (e as Error).message);
    }
    const parsed = process.hrtime.bigint();
    try {
      const result = await engine.evaluate(dataPath(req), input);
      const done = process.hrtime.bigint();
      const out = new ObjectValue();
      if (result !== undefined) out.set('result', result);
      // `?metrics=true`: OPA's timers, in nanoseconds.
      if (req.query.metrics === 'true') {
        out.set(
          'metrics',
          ObjectValue.fromEntries([
            ['timer_rego_input_parse_ns', Number(parsed - start)],
            ['timer_rego_query_eval_ns', Number(done - parsed)],
            ['timer_server_handler_ns', Number(process.hrtime.bigint() - start)],
          ]),
        );
      }
      sendJSON(res, 200, toJSONText(out, req.query.pretty === 'true' ? '  ' : undefined));
    } catch (e) {
      sendThrown(res, e, 'eval');
    }
  };
  r.get(/^\/v1\/data(\/.*)?$/, query);
  r.post(/^\/v1\/data(\/.*)?$/, query);

  /** /v0/data and POST /: the body is the input document itself, and the answer the bare value. */
  const rawQuery = (path: (req: Request) => string[], missing: string) => async (req: Request, res: Response): Promise<void> => {
    let input: Value | undefined;
    try {
      const body = bodyJSON(req);
      input = body === undefined ? undefined : inputDocument(body);
    } catch (e) {
      // Whatever the body's reader throws, the body is at fault.
      return sendError(res, 400, 'invalid_parameter', (e as Error).message);
    }
    try {
      const result = await engine.evaluate(path(req), input);
      if (result === undefined) return sendError(res, 404, 'undefined_document', missing);
      sendJSON(res, 200, toJSONText(result));
    } catch (e) {
      sendThrown(res, e, 'eval');
    }
  };
  r.post(/^\/v0\/data(\/.*)?$/, rawQuery(dataPath, 'document missing or undefined'));
  r.post('/', rawQuery(() => ['system', 'main'], 'document missing or undefined: data.system.main'));

  /** Writes `value` at `path` unless a rule of a loaded policy is there (400, as OPA). */
  const write = async (res: Response, path: string[], value: Value): Promise<void> => {
    if (path.length === 0 && !(value instanceof ObjectValue)) return sendError(res, 400, 'invalid_parameter', 'the root document must be an object');
    const conflict = engine.rulePathConflict(path, value);
    if (conflict !== undefined) return sendError(res, 400, 'invalid_parameter', conflict, [{ code: 'rego_compile_error', message: conflict }]);
    try {
      await engine.putData(path, value);
      res.status(204).end();
    } catch (e) {
      sendThrown(res, e, 'eval');
    }
  };

  r.put(/^\/v1\/data(\/.*)?$/, async (req, res) => {
    let value: Value;
    try {
      const body = bodyJSON(req);
      if (body === undefined) throw new BadRequest('body must be a JSON document');
      value = fromJS(body);
    } catch (e) {
      return sendError(res, 400, 'invalid_parameter', (e as Error).message);
    }
    await write(res, dataPath(req), value);
  });

  r.patch(/^\/v1\/data(\/.*)?$/, async (req, res) => {
    const path = dataPath(req);
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
    await write(res, path, fromJS(patched));
  });

  r.delete(/^\/v1\/data(\/.*)?$/, async (req, res) => {
    const path = dataPath(req);
    if (path.length === 0) return sendError(res, 400, 'invalid_parameter', 'the root document cannot be deleted');
    try {
      if (!(await engine.deleteData(path))) {
        return sendError(res, 404, 'resource_not_found', `storage_not_found_error: ${'/' + path.join('/')}: document does not exist`);
      }
      res.status(204).end();
    } catch (e) {
      sendThrown(res, e, 'eval');
    }
  });

  return r;
}
