// Request bodies arrive raw (express.raw) so each route decides how to read them.
import type { Request } from 'express';
import { fromJS, type Value } from '../value/value';
import { readJSONData } from '../value/json';
import { MAX_DEPTH } from '../engine/document';

export class BadRequest extends Error {}

export function bodyText(req: Request): string {
  return Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
}

/** The body as JSON; undefined when empty. */
export function bodyJSON(req: Request): unknown {
  const text = bodyText(req).trim();
  if (text === '') return undefined;
  let parsed: unknown;
  try {
    parsed = readJSONData(text);
  } catch (e) {
    throw new BadRequest(`body contains malformed JSON: ${(e as Error).message}`);
  }
  checkNesting(parsed);
  return parsed;
}

/** Refuses JSON nested deeper than any document may be (see MAX_DEPTH), before anything
 *  recursive walks it; `depth` is the level `x` sits at in the request. */
export function checkNesting(x: unknown, depth = 0): void {
  const stack: Array<[unknown, number]> = [[x, depth]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (d >= MAX_DEPTH) throw new BadRequest(`body exceeds the maximum nesting depth of ${MAX_DEPTH}`);
    for (const y of Array.isArray(v) ? v : Object.values(v)) stack.push([y, d + 1]);
  }
}

/** An input document given bare (`?input=`, the body of /v0/data and POST /): it may nest as
 *  deep as one inside `{"input": …}`, one level below the body's root. */
export function inputDocument(parsed: unknown): Value {
  checkNesting(parsed, 1);
  return fromJS(parsed);
}

/** `{"input": …}` from a POST body, or `?input=` on a GET. */
export function requestInput(req: Request): Value | undefined {
  if (req.method === 'GET') {
    const q = req.query.input;
    if (typeof q !== 'string') return undefined;
    let parsed: unknown;
    try {
      parsed = readJSONData(q);
    } catch (e) {
      throw new BadRequest(`input parameter contains malformed JSON: ${(e as Error).message}`);
    }
    return inputDocument(parsed);
  }
  const body = bodyJSON(req);
  if (body === undefined) return undefined;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('body must be an object with an "input" key');
  const input = (body as Record<string, unknown>).input;
  return input === undefined ? undefined : fromJS(input);
}
