// Issue 14 item 8: a hostile or broken client gets the same OPA error (status and body) from
// every endpoint, never a 500 for its own mistakes: malformed paths, unknown encodings, gzip
// (and gzip bombs) on the webhooks, reviews without the object they judge, writes over rules,
// and JSON nested deeper than the engine keeps.
import * as zlib from 'node:zlib';
import { startService, gzip, json, type Service } from './server';

const POLICIES = {
  'authz.rego': `package system.authz

default allow := false

allow if input.identity == "admin-token"
`,
  'main.rego': `package system

main := input
`,
  'echo.rego': `package echo

value := input

deep.rule.here := 1
`,
  'admission.rego': `package kubernetes.admission

deny contains "privileged" if input.request.object.spec.containers[_].securityContext.privileged

deny contains "deleting a protected object" if {
	input.request.operation == "DELETE"
	input.request.oldObject.metadata.labels.protected == "true"
}

patch contains {"op": "add", "path": "/metadata/labels/seen", "value": "yes"} if input.request.object
`,
};

const LIMIT = 64 * 1024;

function review(request: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u-1', kind: { group: '', version: 'v1', kind: 'Pod' }, ...request } });
}

const POD = { kind: 'Pod', metadata: { name: 'p', labels: { protected: 'true' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };

const nested = (levels: number): string => '['.repeat(levels) + '1' + ']'.repeat(levels);

describe.each([
  ['no authorization (the webhooks on the fast path)', 0, undefined],
  ['--authorization basic (everything through express), 2 eval workers', 2, { authentication: 'token', authorization: 'basic' } as const],
])('%s', (_name, workers, auth) => {
  let svc: Service;
  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({ ...json(auth ? 'admin-token' : undefined), ...extra });
  beforeAll(async () => {
    svc = await startService({ policies: POLICIES, data: { system: { config: { level: 1 } } }, workers, app: { auth, maxRequestBytes: LIMIT } });
  }, 60_000);
  afterAll(() => svc?.close());

  it('a malformed escape in a path is 400 invalid_parameter, never 500 "URI malformed"', async () => {
    for (const target of ['/v1/policies/%', '/v1/data/%ZZ', '/v0/data/a%', '/v1/admit%']) {
      const res = await svc.send(target.startsWith('/v1/policies') ? 'GET' : 'POST', target, { body: '{}', headers: headers() });
      expect([target, res.status, res.json?.code]).toEqual([target, 400, 'invalid_parameter']);
    }
  });

  it.each(['/v1/data/echo/value', '/v1/admit', '/v1/mutate', '/v1/query'])('an unknown Content-Encoding on %s is 415 invalid_parameter', async (target) => {
    const res = await svc.send('POST', target, { body: '{}', headers: headers({ 'content-encoding': 'snappy' }) });
    expect(res.status).toBe(415);
    expect(res.json).toEqual({ code: 'invalid_parameter', message: 'unsupported content encoding "snappy"' });
  });

  describe('compressed reviews', () => {
    const privileged = review({ operation: 'CREATE', object: { ...POD, spec: { containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }] } } });
    it.each([
      ['gzip', zlib.gzipSync],
      ['deflate', zlib.deflateSync],
      ['br', zlib.brotliCompressSync],
    ] as const)('%s bodies are decided as the plain ones are, on /v1/admit and /v1/mutate', async (encoding, compress) => {
      const admit = await svc.send('POST', '/v1/admit?timeout=10s', { body: compress(privileged), headers: headers({ 'content-encoding': encoding }) });
      expect(admit.status).toBe(200);
      expect(admit.json.response).toMatchObject({ uid: 'u-1', allowed: false, status: { code: 403, message: 'privileged' } });
      const mutate = await svc.send('POST', '/v1/mutate', { body: compress(privileged), headers: headers({ 'content-encoding': encoding }) });
      expect(mutate.json.response).toMatchObject({ uid: 'u-1', allowed: true, patchType: 'JSONPatch' });
    });

    it('the size limit applies to the decompressed body: a gzip bomb is 413, and the service stays up', async () => {
      const bomb = gzip(Buffer.alloc(64 * LIMIT, 32)); // 4 MiB of spaces in a few KiB
      expect(bomb.length).toBeLessThan(LIMIT / 4);
      for (const target of ['/v1/admit', '/v1/mutate', '/v1/data/echo/value']) {
        const res = await svc.send('POST', target, { body: bomb, headers: headers({ 'content-encoding': 'gzip' }) });
        expect([target, res.status, res.json]).toEqual([target, 413, { code: 'invalid_parameter', message: `request body exceeds ${LIMIT} bytes` }]);
      }
      const ok = await svc.send('POST', '/v1/admit', { body: gzip(privileged), headers: headers({ 'content-encoding': 'gzip' }) });
      expect(ok.json.response.allowed).toBe(false);
    });

    it('a corrupt gzip stream is 400', async () => {
      const broken = gzip(privileged).subarray(0, 40);
      for (const target of ['/v1/admit', '/v1/data/echo/value']) {
        const res = await svc.send('POST', target, { body: broken, headers: headers({ 'content-encoding': 'gzip' }) });
        expect([target, res.status, res.json?.code]).toEqual([target, 400, 'invalid_parameter']);
      }
    });
  });

  describe('reviews without the object they judge', () => {
    it.each([
      ['CREATE without object', { operation: 'CREATE' }, 'AdmissionReview is missing request.object (an CREATE review carries the object)'],
      ['CREATE with a null object', { operation: 'CREATE', object: null }, 'AdmissionReview is missing request.object (an CREATE review carries the object)'],
      ['UPDATE with a null object', { operation: 'UPDATE', object: null, oldObject: POD }, 'AdmissionReview is missing request.object (an UPDATE review carries the object)'],
      ['no operation', { object: POD }, 'request.operation must be CREATE, UPDATE, DELETE or CONNECT (got null)'],
      ['an unknown operation', { operation: 'PATCH', object: POD }, 'request.operation must be CREATE, UPDATE, DELETE or CONNECT (got "PATCH")'],
    ])('%s is 400, with neither a decision nor a patch', async (_n, request, message) => {
      for (const target of ['/v1/admit', '/v1/mutate']) {
        const res = await svc.send('POST', target, { body: review(request), headers: headers() });
        expect([target, res.status, res.json]).toEqual([target, 400, { code: 'invalid_parameter', message }]);
      }
    });

    it('DELETE has only oldObject, as Kubernetes sends it, and is decided on it', async () => {
      const res = await svc.send('POST', '/v1/admit', { body: review({ operation: 'DELETE', object: null, oldObject: POD }), headers: headers() });
      expect(res.status).toBe(200);
      expect(res.json.response).toMatchObject({ uid: 'u-1', allowed: false, status: { message: 'deleting a protected object' } });
      const mutate = await svc.send('POST', '/v1/mutate', { body: review({ operation: 'DELETE', oldObject: POD }), headers: headers() });
      expect(mutate.json.response).toEqual({ uid: 'u-1', allowed: true });
    });

    it('CONNECT may come without an object', async () => {
      const res = await svc.send('POST', '/v1/admit', { body: review({ operation: 'CONNECT' }), headers: headers() });
      expect(res.json.response).toEqual({ uid: 'u-1', allowed: true });
    });
  });

  describe('writes over rules are refused, as OPA refuses them', () => {
    const conflict = (path: string) => ({
      code: 'invalid_parameter',
      message: `conflicting rule for data path ${path} found`,
      errors: [{ code: 'rego_compile_error', message: `conflicting rule for data path ${path} found` }],
    });
    it.each([
      ['PUT', '/v1/data/system/authz', '{"allow": true}', 'system/authz/allow'],
      ['PUT', '/v1/data/system/authz/allow', 'true', 'system/authz/allow'],
      ['PUT', '/v1/data/system/authz/allow/x', '1', 'system/authz/allow'],
      ['PUT', '/v1/data/system', '{"authz": {"allow": true}}', 'system/authz/allow'],
      ['PUT', '/v1/data/system', '"flat"', 'system/authz/allow'],
      ['PUT', '/v1/data/echo/deep', '{"rule": {"here": 2}}', 'echo/deep/rule/here'],
      ['PUT', '/v1/data', '{"system": {"main": 1}}', 'system/main'],
      ['PATCH', '/v1/data/system', '[{"op": "add", "path": "/authz", "value": {"allow": true}}]', 'system/authz/allow'],
    ])('%s %s %s', async (method, target, body, rule) => {
      const res = await svc.send(method, target, { body, headers: headers() });
      expect(res.status).toBe(400);
      expect(res.json).toEqual(conflict(rule));
      expect((await svc.send('GET', '/v1/data/system/config', { headers: headers() })).json).toEqual({ result: { level: 1 } });
      expect((await svc.send('GET', '/v1/data/system/authz/allow', { headers: headers() })).json).toEqual({ result: false });
    });

    it('data beside the rules of a package is still written', async () => {
      await svc.send('PUT', '/v1/data/system/authz/users', { body: '["alice"]', headers: headers() }).then((r) => expect(r.status).toBe(204));
      await svc.send('PUT', '/v1/data/echo/deep/other', { body: '2', headers: headers() }).then((r) => expect(r.status).toBe(204));
      expect((await svc.send('GET', '/v1/data/system/authz', { headers: headers() })).json).toEqual({ result: { allow: false, users: ['alice'] } });
      await svc.send('DELETE', '/v1/data/system/authz/users', { headers: headers() }).then((r) => expect(r.status).toBe(204));
    });
  });

  describe('JSON nested deeper than a document may be is 400 everywhere', () => {
    const input = (levels: number) => [
      ['POST', '/v1/data/echo/value', `{"input": ${nested(levels)}}`],
      ['GET', `/v1/data/echo/value?input=${nested(levels)}`, undefined],
      ['POST', '/v0/data/echo/value', nested(levels)],
      ['POST', '/', nested(levels)],
      ['POST', '/v1/query', `{"query": "x := input", "input": ${nested(levels)}}`],
      ['GET', `/v1/query?q=x:=input&input=${nested(levels)}`, undefined],
    ];

    it('an input document 511 levels deep is evaluated by every endpoint', async () => {
      for (const [method, target, body] of input(511)) {
        const res = await svc.send(method as string, target as string, { body, headers: headers() });
        expect([method, target?.slice(0, 20), res.status]).toEqual([method, target?.slice(0, 20), 200]);
      }
    });

    it.each([512, 600, 30_000])('and one %d levels deep by none', async (levels) => {
      for (const [method, target, body] of input(levels)) {
        if (method === 'GET' && levels > 600) continue; // longer than Node's header limit (431)
        const res = await svc.send(method as string, target as string, { body, headers: headers() });
        expect([method, target?.slice(0, 20), res.status, res.json?.code]).toEqual([method, target?.slice(0, 20), 400, 'invalid_parameter']);
      }
    });

    it('nor in a data write, a review, or gzip-compressed', async () => {
      const deep = nested(30_000);
      const cases: Array<[string, string, string | Buffer, Record<string, string>]> = [
        ['PUT', '/v1/data/x', deep, {}],
        ['PATCH', '/v1/data/system', `[{"op": "add", "path": "/x", "value": ${deep}}]`, {}],
        ['POST', '/v1/admit', review({ operation: 'CREATE', object: { ...POD, spec: JSON.parse(nested(600)) } }), {}],
        ['POST', '/v1/mutate', gzip(review({ operation: 'CREATE', object: { ...POD, spec: JSON.parse(nested(600)) } })), { 'content-encoding': 'gzip' }],
        ['POST', '/v0/data/echo/value', gzip(deep), { 'content-encoding': 'gzip' }],
        // An integer beyond 2^53 sends the body through the exact number reader.
        ['POST', '/', deep.replace('1', '18446744073709551616'), {}],
        ['POST', '/v1/query', `{"query": "x := 1", "input": ${deep.replace('1', '18446744073709551616')}}`, {}],
      ];
      for (const [method, target, body, extra] of cases) {
        const res = await svc.send(method, target, { body, headers: headers(extra) });
        expect([method, target, res.status, res.json?.code]).toEqual([method, target, 400, 'invalid_parameter']);
      }
    });
  });
});
