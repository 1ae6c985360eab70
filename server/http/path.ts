// The one reading of a request's path, shared by routing, authorization and every handler, so
// the authorization policy decides on exactly the path the handler acts on.
//
// As OPA's authorizer builds `input.path`: the raw path is split on `/` and each segment is then
// percent-decoded, once. Paths that a proxy, the policy or a handler could read two ways are
// refused with 400 before anything else looks at them: a malformed escape, an empty segment
// (`//`, a trailing `/`), a `.` or `..` segment (encoded or not) and a segment whose escapes
// decode to `/` (`secrets%2Fdb` would otherwise be one segment to the policy and two to a data
// path). The request's URL is then rewritten to the canonical encoding of those segments, so
// express routes (case-sensitively, strictly) on what the policy saw: `/%76%31/data` is `/v1/data`.
import type { IncomingMessage } from 'node:http';
import { Router } from 'express';

/** A request path that cannot be read one way only (HTTP 400). */
export class BadPath extends Error {
  readonly status = 400;
}

const parsed = new WeakMap<IncomingMessage, string[]>();

/** The decoded segments of a request target's path (`/` is `[""]`, as in OPA's input.path). */
export function parsePath(target: string): string[] {
  const q = target.indexOf('?');
  const raw = q < 0 ? target : target.slice(0, q);
  if (!raw.startsWith('/')) throw new BadPath(`request target must be an absolute path (got ${JSON.stringify(raw.slice(0, 100))})`);
  if (raw === '/') return [''];
  return raw
    .slice(1)
    .split('/')
    .map((s) => {
      let seg: string;
      try {
        seg = decodeURIComponent(s);
      } catch {
        throw new BadPath(`malformed percent-encoding in path segment ${JSON.stringify(s.slice(0, 100))}`);
      }
      if (seg === '') throw new BadPath('path has an empty segment (a doubled or trailing "/")');
      if (seg === '.' || seg === '..') throw new BadPath(`path has a ${JSON.stringify(seg)} segment`);
      if (seg.includes('/')) throw new BadPath(`path segment ${JSON.stringify(s.slice(0, 100))} encodes a "/"`);
      return seg;
    });
}

/**
 * The request's path segments, parsed on first use; after that the request's URL is in its
 * canonical encoding. Throws BadPath.
 */
export function requestPath(req: IncomingMessage): string[] {
  let segments = parsed.get(req);
  if (segments === undefined) {
    const url = req.url ?? '';
    segments = parsePath(url);
    const q = url.indexOf('?');
    req.url = '/' + segments.map(encodeURIComponent).join('/') + (q < 0 ? '' : url.slice(q));
    parsed.set(req, segments);
  }
  return segments;
}

/** The segments after a route's first `n` (the data path after `/v1/data`, a policy id's parts). */
export function pathAfter(req: IncomingMessage, n: number): string[] {
  return requestPath(req).slice(n);
}

/** A router for the API's routes: case-sensitive and strict, as OPA's routes are. */
export function apiRouter(): Router {
  return Router({ caseSensitive: true, strict: true });
}
