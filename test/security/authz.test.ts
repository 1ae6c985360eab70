// Issue 14 item 3: a client must not get past `--authorization basic` by spelling a path
// differently. The authorization policy decides on exactly the path the handler acts on: one
// parser splits the raw path on `/` and decodes each segment (as OPA's authorizer does), routes are
// case-sensitive, paths that could be read two ways are refused, and every endpoint — the
// admission fast path, /health and /metrics included — goes through the policy.
import { startService, json, type Service } from './server';

const AUTHZ = `package system.authz

default allow := false

# The admin token may do anything.
allow if input.identity == "admin-token"

# Anyone else may do everything but reach the guarded APIs and documents.
allow if not guarded

guarded if {
	input.path[0] == "v1"
	input.path[1] in {"policies", "query"}
}

guarded if {
	input.path[0] in {"v0", "v1"}
	input.path[1] == "data"
	input.path[2] in {"secrets", "system"}
}
`;

const DATA = { secrets: { db: { password: 'hunter2' }, api_key: 'k-123' }, public: { motd: 'hello', 'a b': 1, 'x%2Fy': 2 } };
const ADMIN = json('admin-token');

describe.each([0, 2])('authorization bypasses (%d eval workers)', (workers) => {
  let svc: Service;
  beforeAll(async () => {
    svc = await startService({ policies: { 'authz.rego': AUTHZ }, data: DATA, workers, app: { auth: { authentication: 'token', authorization: 'basic' } } });
  }, 60_000);
  afterAll(() => svc?.close());

  const secrets = async () => (await svc.send('GET', '/v1/data/secrets', { headers: ADMIN })).json;

  it('guards what the policy guards, and serves the rest', async () => {
    expect((await svc.send('GET', '/v1/data/secrets/db')).status).toBe(401);
    expect((await svc.send('GET', '/v1/data/public/motd')).json).toEqual({ result: 'hello' });
    expect(await secrets()).toEqual({ result: DATA.secrets });
  });

  it.each(['/v1/data/secrets%2Fdb', '/v1/data/%2Fsecrets', '/v1/data/%2fsecrets%2fdb/password', '/v1/data/public/..%2F..%2Fsecrets'])(
    'does not read guarded data through an encoded slash: GET %s',
    async (target) => {
      const res = await svc.send('GET', target);
      expect(res.status).toBe(400);
      expect(res.json.code).toBe('invalid_parameter');
      expect(res.text).not.toContain('hunter2');
    },
  );

  it('does not evaluate guarded data through an encoded slash on /v0/data', async () => {
    const res = await svc.send('POST', '/v0/data/secrets%2Fdb', { body: '{}', headers: json() });
    expect(res.status).toBe(400);
    expect(res.text).not.toContain('hunter2');
  });

  it.each([
    ['PUT', '/v1/data/%2Fsecrets%2Fdb%2Fpassword', '"pwned"'],
    ['PUT', '/v1/data/secrets%2Fdb', '{"password": "pwned"}'],
    ['DELETE', '/v1/data/secrets%2Fapi_key', undefined],
    ['PATCH', '/v1/data/%2Fsecrets', '[{"op": "replace", "path": "/api_key", "value": "pwned"}]'],
    ['PUT', '/v1/data/system%2Fregent%2Fsync', '{"ready": true}'],
  ])('does not write guarded data through an encoded slash: %s %s', async (method, target, body) => {
    const res = await svc.send(method, target, { body, headers: json() });
    expect(res.status).toBe(400);
    expect(await secrets()).toEqual({ result: DATA.secrets });
    expect((await svc.send('GET', '/v1/data/system/regent', { headers: ADMIN })).json).toEqual({});
  });

  it.each([
    ['GET', '/V1/POLICIES'],
    ['GET', '/v1/Policies'],
    ['PUT', '/V1/policies/evil.rego'],
    ['GET', '/V1/QUERY?q=x:=data.secrets'],
    ['GET', '/v1/Query?q=x:=data.secrets'],
    ['GET', '/V1/data/secrets'],
    ['GET', '/v1/DATA/secrets'],
  ])('routes are case-sensitive: %s %s is not an endpoint', async (method, target) => {
    const res = await svc.send(method, target, { body: method === 'PUT' ? 'package evil\nx := 1\n' : undefined, headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('resource_not_found');
    expect(res.text).not.toContain('hunter2');
    expect((await svc.send('GET', '/v1/policies/evil.rego', { headers: ADMIN })).status).toBe(404);
  });

  it.each(['/v1/data/public/../secrets', '/v1/data/./secrets', '/v1/data//secrets', '/v1/data/%2e%2e/secrets', '/v1//data/secrets', '/v1/data/secrets/'])(
    'refuses a path that is not in its one canonical form: GET %s',
    async (target) => {
      const res = await svc.send('GET', target);
      expect(res.status).toBe(400);
      expect(res.text).not.toContain('hunter2');
    },
  );

  it.each(['/v1/policies/%', '/v1/data/%zz', '/v1/data/%E0%A4%A', '/%'])('answers a malformed escape with 400: GET %s', async (target) => {
    const res = await svc.send('GET', target);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 'invalid_parameter' });
  });

  it('decodes each segment once: keys with spaces and percent signs are reachable, the same for policy and handler', async () => {
    expect((await svc.send('GET', '/v1/data/public/a%20b')).json).toEqual({ result: 1 });
    expect((await svc.send('GET', '/v1/data/public/x%252Fy')).json).toEqual({ result: 2 });
    // An equivalent spelling of a path gets the same decision and the same answer.
    expect((await svc.send('GET', '/v1/data/%73ecrets/db')).status).toBe(401);
    expect((await svc.send('GET', '/%76%31/data/public/motd')).json).toEqual({ result: 'hello' });
  });
});

const DENY_ALL_BUT_HEALTH = `package system.authz

default allow := false

allow if {
	input.method == "GET"
	input.path == ["health"]
}
`;

const ADMISSION = `package kubernetes.admission

deny contains "no" if input.request.object.spec.hostNetwork

patch contains {"op": "add", "path": "/metadata/labels", "value": {"seen": "yes"}} if true
`;

const REVIEW = JSON.stringify({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: { uid: 'u-1', kind: { group: '', version: 'v1', kind: 'Pod' }, operation: 'CREATE', object: { kind: 'Pod', metadata: { name: 'p' }, spec: {} } },
});

describe.each([
  ['authorization alone', { authentication: 'off', authorization: 'basic' }],
  ['token authentication', { authentication: 'token', authorization: 'basic' }],
] as const)('every endpoint goes through the policy (%s)', (_name, auth) => {
  let svc: Service;
  beforeAll(async () => {
    svc = await startService({ policies: { 'authz.rego': DENY_ALL_BUT_HEALTH, 'admission.rego': ADMISSION }, app: { auth } });
  }, 60_000);
  afterAll(() => svc?.close());

  it.each(['/v1/admit', '/v1/mutate', '/v1/admit?timeout=10s', '/v1/mutate?timeout=10s'])('POST %s is refused by the policy', async (target) => {
    const res = await svc.send('POST', target, { body: REVIEW, headers: json() });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ code: 'unauthorized', message: 'request rejected by administrative policy' });
  });

  it('/metrics too; /health only because the policy allows it', async () => {
    expect((await svc.send('GET', '/metrics')).status).toBe(401);
    expect((await svc.send('GET', '/health')).status).toBe(200);
    expect((await svc.send('POST', '/health')).status).toBe(401);
    expect((await svc.send('GET', '/v1/data')).status).toBe(401);
  });
});

describe('without authorization the admission fast path still answers', () => {
  let svc: Service;
  beforeAll(async () => {
    svc = await startService({ policies: { 'admission.rego': ADMISSION }, workers: 2 });
  }, 60_000);
  afterAll(() => svc?.close());

  it('POST /v1/admit and /v1/mutate', async () => {
    const admit = await svc.send('POST', '/v1/admit?timeout=10s', { body: REVIEW, headers: json() });
    expect(admit.status).toBe(200);
    expect(admit.json.response).toMatchObject({ uid: 'u-1', allowed: true, patchType: 'JSONPatch' });
    const mutate = await svc.send('POST', '/v1/mutate', { body: REVIEW, headers: json() });
    expect(mutate.json.response).toMatchObject({ uid: 'u-1', allowed: true, patchType: 'JSONPatch' });
    // The routes are exact: a trailing slash or another case is no webhook.
    expect((await svc.send('POST', '/v1/admit/', { body: REVIEW, headers: json() })).status).toBe(400);
    expect((await svc.send('POST', '/V1/ADMIT', { body: REVIEW, headers: json() })).status).toBe(404);
  });
});
