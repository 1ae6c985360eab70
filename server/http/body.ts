// Request bodies arrive raw (express.raw) so each route decides how to read them.
import type { Request } from 'express';
import { fromJS, type Value } from '../value/value';

export class BadRequest extends Error {}

export function bodyText(req: Request): string {
  return Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
}

/** The body as JSON; undefined when empty. */
export function bodyJSON(req: Request): unknown {
  const text = bodyText(req).trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BadRequest(`body contains malformed JSON: ${(e as Error).message}`);
  }
}

/** `{"input": …}` from a POST body, or `?input=` on a GET. */
export function requestInput(req: Request): Value | undefined {
  if (req.method === 'GET') {
    const q = req.query.input;
    if (typeof q !== 'string') return undefined;
    try {
      return fromJS(JSON.parse(q));
    } catch (e) {
      throw new BadRequest(`input parameter contains malformed JSON: ${(e as Error).message}`);
    }
  }
  const body = bodyJSON(req);
  if (body === undefined) return undefined;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('body must be an object with an "input" key');
  const input = (body as Record<string, unknown>).input;
  return input === undefined ? undefined : fromJS(input);
}

/** The path segments after a route prefix, decoded. */
export function pathSegments(req: Request, prefix: string): string[] {
  const rest = decodeURIComponent(req.path.slice(prefix.length));
  return rest.split('/').filter((s) => s !== '');
}
