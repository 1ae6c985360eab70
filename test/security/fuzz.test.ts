// The HTTP API against random hostile requests over real sockets: paths in every spelling (case,
// dot segments, doubled slashes, %2F, %00, broken escapes), any method, content type, encoding and
// body. Whatever arrives: no 5xx (none of these requests reaches a documented one: no policy here
// fails to evaluate), the process keeps answering, a guarded document never leaks past
// `--authorization basic`, and equivalent spellings of a path get the same decision.
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { startService, type Service } from './server';

const SENTINEL = 'S3NTINEL-do-not-leak';

/** A deny-list policy: the style that spelling tricks defeat when policy and handler read a path
 *  differently. Only data under `public` is open; every other document, policies and ad-hoc
 *  queries need the admin token (which the fuzzer never sends). */
const AUTHZ = `package system.authz

default allow := false

allow if input.identity == "admin-token"

allow if not guarded

guarded if {
	input.path[0] in {"v0", "v1"}
	input.path[1] == "data"
	not input.path[2] == "public"
}

guarded if {
	input.path[0] == "v1"
	input.path[1] in {"policies", "query", "audit"}
}
`;

const POLICIES = {
  'authz.rego': AUTHZ,
  'public.rego': 'package public\n\nshout := upper(input.name) if is_string(input.name)\n\nsize := count(data.public.items) if is_array(data.public.items)\n',
  'admission.rego': 'package kubernetes.admission\n\ndeny contains "host network" if input.request.object.spec.hostNetwork\n',
};
const DATA = { secrets: { token: SENTINEL, db: { password: SENTINEL } }, public: { items: [1, 2], motd: 'hi' }, system: { note: SENTINEL } };

const REVIEW = JSON.stringify({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: { uid: 'u', operation: 'CREATE', object: { kind: 'Pod', metadata: { name: 'p' }, spec: { hostNetwork: true } } },
});

/** Path segments as a client means them (decoded). */
const WORDS = ['v1', 'v0', 'V1', 'data', 'Data', 'DATA', 'policies', 'Policies', 'query', 'QUERY', 'admit', 'mutate', 'health', 'metrics', 'audit', 'public', 'secrets', 'system', 'motd', 'items', 'token', 'db', 'password'];
const decodedSegment = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 1, arbitrary: fc.constantFrom('', '.', '..', '/', 'secrets/db', '/secrets', '\u0000', 'a b', 'é', '%', '%2F', '?', '#') },
  { weight: 1, arbitrary: fc.string({ maxLength: 6, unit: 'binary' }) },
);

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/** One spelling of a decoded segment: each character raw (when it may be) or percent-encoded,
 *  with upper or lower hex digits, as `picks` says. */
function spell(segment: string, picks: boolean[]): string {
  let out = '';
  let i = 0;
  for (const ch of segment) {
    const pick = picks[i++ % Math.max(picks.length, 1)] ?? false;
    if (UNRESERVED.test(ch) && !pick) out += ch;
    else {
      const hex = [...Buffer.from(ch, 'utf8')].map((b) => '%' + b.toString(16).padStart(2, '0')).join('');
      out += pick ? hex.toUpperCase() : hex.toLowerCase();
    }
  }
  return out;
}

/** Raw spellings a decoder must cope with (not all of them valid). */
const rawSegment = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(decodedSegment, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 })).map(([s, p]) => spell(s, p)) },
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%E0%A4', '%C3', '%2e%2E', '..%2F..', '%252F', '%00', ';x=1', '%u0041', '%%', '%2') },
);

const PREFIXES = ['', '/v1/data', '/v0/data', '/v1/policies', '/v1', '/V1/DATA', '/v1/Data', '/v1/query', '/v1/admit', '/health', '/metrics'];
const QUERIES = ['', '?pretty=true', '?metrics=true', '?q=x:=data.secrets', '?q=', '?input=%7B%22name%22%3A%22a%22%7D', '?input=%', '?input=[[[[', '?timeout=10s', '?plugins', '?a=1&a=2'];

const target = fc
  .record({
    prefix: fc.constantFrom(...PREFIXES),
    segments: fc.array(rawSegment, { maxLength: 4 }),
    separator: fc.constantFrom('/', '/', '/', '//', '/./', '/../'),
    trailing: fc.constantFrom('', '', '/'),
    query: fc.constantFrom(...QUERIES),
  })
  .map(({ prefix, segments, separator, trailing, query }) => {
    const path = prefix + segments.map((s) => separator + s).join('') + trailing;
    return (path === '' ? '/' : path) + query;
  });

const body = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 4 }),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('{"input": {"name": "x"}}', '[{"op": "add", "path": "/x", "value": 1}]', '[{"op": "replace", "path": "", "value": 1}]', 'package fuzz\n\np := 1\n', REVIEW, '{"query": "x := 1"}', 'null', '{"input": null}'),
  fc.integer({ min: 1, max: 3000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
);

const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
  target,
  body,
  contentType: fc.constantFrom(undefined, 'application/json', 'text/plain', 'application/x-yaml', 'application/json; charset=latin1', 'multipart/form-data; boundary=x'),
  encoding: fc.constantFrom(undefined, undefined, 'gzip', 'deflate', 'br', 'identity', 'GZIP', 'snappy', 'gzip, br', 'gzip-lie'),
  authorization: fc.constantFrom(undefined, 'Bearer nobody', 'Basic YWRtaW46YWRtaW4=', 'Bearer ADMIN-TOKEN', 'Bearer'),
});

type Request = typeof request extends fc.Arbitrary<infer R> ? R : never;

function encode(r: Request): { body?: Buffer; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  if (r.contentType) headers['content-type'] = r.contentType;
  if (r.authorization) headers.authorization = r.authorization;
  if (r.body === undefined) return { headers };
  const raw = Buffer.from(r.body);
  if (r.encoding === undefined) return { body: raw, headers };
  headers['content-encoding'] = r.encoding === 'gzip-lie' ? 'gzip' : r.encoding;
  const compress: Record<string, (b: Buffer) => Buffer> = { gzip: zlib.gzipSync, GZIP: zlib.gzipSync, deflate: zlib.deflateSync, br: zlib.brotliCompressSync };
  return { body: compress[r.encoding]?.(raw) ?? raw, headers };
}

describe('HTTP API fuzz', () => {
  let open: Service;
  let guarded: Service;
  beforeAll(async () => {
    open = await startService({ policies: POLICIES, data: DATA });
    guarded = await startService({ policies: POLICIES, data: DATA, workers: 2, app: { auth: { authentication: 'token', authorization: 'basic' } } });
  }, 60_000);
  afterAll(async () => {
    await open?.close();
    await guarded?.close();
  });

  it('random requests: no 5xx, no crash, no guarded document past the policy', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const { body: bytes, headers } = encode(r);
        for (const svc of [open, guarded]) {
          const res = await svc.send(r.method, r.target, { body: bytes, headers });
          if (res.status >= 500) throw new Error(`${r.method} ${r.target} → ${res.status} ${res.text}`);
          if (svc === guarded && res.text.includes(SENTINEL)) throw new Error(`${r.method} ${r.target} leaked a guarded document: ${res.status} ${res.text}`);
        }
      }),
      { numRuns: 300 },
    );
    for (const svc of [open, guarded]) expect((await svc.send('GET', '/health')).status).toBe(200);
    const secrets = await guarded.send('GET', '/v1/data/secrets/token', { headers: { authorization: 'Bearer admin-token' } });
    expect(secrets.json).toEqual({ result: SENTINEL });
  }, 60_000);

  it('equivalent spellings of a path get the same authorization decision and the same answer', async () => {
    const spelled = fc
      .record({
        prefix: fc.constantFrom(['v1', 'data'], ['v0', 'data'], ['v1', 'policies'], ['v1', 'query'], ['v1'], ['health'], ['v1', 'admit']),
        rest: fc.array(decodedSegment, { maxLength: 3 }),
        picks: fc.array(fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }), { minLength: 3, maxLength: 3 }),
        method: fc.constantFrom('GET', 'POST', 'HEAD'),
      })
      .map(({ prefix, rest, picks, method }) => {
        const segments = [...prefix, ...rest];
        return { method, targets: picks.map((p) => '/' + segments.map((s) => spell(s, p)).join('/')) };
      });
    await fc.assert(
      fc.asyncProperty(spelled, async ({ method, targets }) => {
        const answers: Array<{ denied: boolean; status: number; text: string }> = [];
        for (const t of targets) {
          const res = await guarded.send(method, t, { body: method === 'POST' ? '{}' : undefined, headers: { 'content-type': 'application/json' } });
          // A 400 names the segment as it was spelled; other answers are the same bytes.
          answers.push({ denied: res.status === 401, status: res.status, text: res.status === 400 ? '' : res.text });
        }
        if (answers.some((a) => a.denied !== answers[0].denied)) throw new Error(`different decisions: ${JSON.stringify(targets)} → ${JSON.stringify(answers)}`);
        // Reads change nothing, so equivalent spellings get the same answer too.
        for (const a of answers) expect(a).toEqual(answers[0]);
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});
