// POST /v1/admit and POST /v1/mutate with AdmissionReviews built from real Pod specs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { PolicyEngine } from '../../server/engine/engine';
import { createApp, type AppOptions } from '../../server/http/app';
import { ObjectValue } from '../../server/value/value';

const POLICY = `package kubernetes.admission

deny contains msg if {
	some c in input.request.object.spec.containers
	c.securityContext.privileged
	msg := sprintf("container %s: privileged", [c.name])
}

deny contains {"msg": "hostNetwork is not allowed"} if input.request.object.spec.hostNetwork

warn contains "no app label" if not input.request.object.metadata.labels.app

patch contains {"op": "add", "path": "/metadata/annotations", "value": {"checked": "true"}} if {
	not input.request.object.metadata.annotations
}

audit_annotations["regent/containers"] := sprintf("%d", [count(input.request.object.spec.containers)])

crash if 1 / 0 == 1
`;

function review(pod: unknown, apiVersion = 'admission.k8s.io/v1') {
  return { apiVersion, kind: 'AdmissionReview', request: { uid: 'e911857d-c318-11e8-bbad-025000000001', kind: { group: '', version: 'v1', kind: 'Pod' }, operation: 'CREATE', object: pod } };
}

function pod(spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'web', labels: { app: 'web' } }) {
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

async function app(opts: { failOpen?: boolean; pkg?: string[]; policy?: string } & Omit<AppOptions, 'admission'> = {}) {
  const { failOpen, pkg, policy = POLICY, ...rest } = opts;
  const e = new PolicyEngine();
  await e.load([{ id: 'admission.rego', text: policy }], new ObjectValue());
  return createApp(e, { ...rest, admission: { failOpen, ...(pkg ? { package: pkg } : {}) } });
}

describe('POST /v1/admit', () => {
  it('allows a compliant Pod, echoing the uid, with patch and audit annotations', async () => {
    const res = await request(await app())
      .post('/v1/admit')
      .send(review(pod({ containers: [{ name: 'app', image: 'nginx:1.25' }] })))
      .expect(200);
    expect(res.body.apiVersion).toBe('admission.k8s.io/v1');
    expect(res.body.kind).toBe('AdmissionReview');
    expect(res.body.response).toMatchObject({ uid: 'e911857d-c318-11e8-bbad-025000000001', allowed: true, patchType: 'JSONPatch', auditAnnotations: { 'regent/containers': '1' } });
    expect(JSON.parse(Buffer.from(res.body.response.patch, 'base64').toString())).toEqual([{ op: 'add', path: '/metadata/annotations', value: { checked: 'true' } }]);
  });

  it('denies with 403 and every message sorted and joined; no patch when denied', async () => {
    const res = await request(await app())
      .post('/v1/admit')
      .send(review(pod({ hostNetwork: true, containers: [{ name: 'b', securityContext: { privileged: true } }, { name: 'a', securityContext: { privileged: true } }] })))
      .expect(200);
    expect(res.body.response.allowed).toBe(false);
    expect(res.body.response.status).toMatchObject({ code: 403, message: 'container a: privileged; container b: privileged; hostNetwork is not allowed' });
    expect(res.body.response.patch).toBeUndefined();
  });

  it('returns warnings and answers v1beta1 in kind', async () => {
    const res = await request(await app())
      .post('/v1/admit')
      .send(review(pod({ containers: [] }, { name: 'x', annotations: { a: 'b' } }), 'admission.k8s.io/v1beta1'))
      .expect(200);
    expect(res.body.apiVersion).toBe('admission.k8s.io/v1beta1');
    expect(res.body.response.warnings).toEqual(['no app label']);
  });

  it.each([
    [{ kind: 'Pod' }, 'kind must be AdmissionReview'],
    [{ kind: 'AdmissionReview', apiVersion: 'admission.k8s.io/v1' }, 'missing request'],
    [{ kind: 'AdmissionReview', apiVersion: 'admission.k8s.io/v1', request: {} }, 'missing request.uid'],
    [{ kind: 'AdmissionReview', apiVersion: 'v2', request: { uid: 'x' } }, 'apiVersion must be'],
  ])('rejects a malformed review with 400 naming the problem (%#)', async (body, message) => {
    const res = await request(await app()).post('/v1/admit').send(body).expect(400);
    expect(res.body.message).toContain(message);
  });

  it('accepts the ?timeout= the API server appends, and refuses bodies over the limit with 413', async () => {
    const e = new PolicyEngine();
    await e.load([{ id: 'admission.rego', text: POLICY }], new ObjectValue());
    const handler = createApp(e, { maxRequestBytes: 4096 });
    const ok = await request(handler).post('/v1/admit?timeout=10s').send(review(pod({ containers: [{ name: 'a' }] }))).expect(200);
    expect(ok.body.response.allowed).toBe(true);
    const big = review(pod({ containers: [{ name: 'a', image: 'x'.repeat(5000) }] }));
    const res = await request(handler).post('/v1/admit').send(big).expect(413);
    expect(res.body).toEqual({ code: 'invalid_parameter', message: 'request body exceeds 4096 bytes' });
    const metrics = await request(handler).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/http_requests_total\{handler="\/v1\/admit",method="POST",code="413"\} 1/);
  });

  it('denies when evaluation fails, unless --admission-fail-open', async () => {
    const conflicting = 'package kubernetes.admission\nlevel := 1 if input.request\nlevel := 2 if input.request\ndeny contains "too high" if level > 5\n';
    const make = async (failOpen: boolean) => {
      const e = new PolicyEngine();
      await e.load([{ id: 'p.rego', text: conflicting }], new ObjectValue());
      return createApp(e, { admission: { failOpen } });
    };
    const input = review(pod({ containers: [] }));
    const closed = await request(await make(false)).post('/v1/admit').send(input).expect(200);
    expect(closed.body.response.allowed).toBe(false);
    expect(closed.body.response.status.message).toContain('eval_conflict_error');
    const open = await request(await make(true)).post('/v1/admit').send(input).expect(200);
    expect(open.body.response.allowed).toBe(true);
    expect(open.body.response.warnings[0]).toContain('eval_conflict_error');
  });
});

describe('POST /v1/mutate', () => {
  const ANNOTATE = [{ op: 'add', path: '/metadata/annotations', value: { checked: 'true' } }];
  const decode = (patch: string): unknown => JSON.parse(Buffer.from(patch, 'base64').toString('utf8'));

  it('returns the patch even when deny rules would fire, echoing the uid (deny and warn are /v1/admit\'s)', async () => {
    const handler = await app();
    // Privileged, hostNetwork and unlabelled: /v1/admit denies it and withholds the patch.
    const input = review(pod({ hostNetwork: true, containers: [{ name: 'a', securityContext: { privileged: true } }] }, { name: 'x' }));
    const admitted = await request(handler).post('/v1/admit').send(input).expect(200);
    expect(admitted.body.response).toMatchObject({ allowed: false, status: { code: 403 } });
    expect(admitted.body.response.patch).toBeUndefined();

    const res = await request(handler).post('/v1/mutate').send(input).expect(200);
    expect(res.body).toMatchObject({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' });
    expect(res.body.response).toEqual({ uid: 'e911857d-c318-11e8-bbad-025000000001', allowed: true, patchType: 'JSONPatch', patch: expect.any(String) });
    expect(decode(res.body.response.patch)).toEqual(ANNOTATE);
  });

  it('has no patch fields when the policy emits no ops', async () => {
    const res = await request(await app())
      .post('/v1/mutate')
      .send(review(pod({ containers: [{ name: 'a' }] }, { name: 'x', annotations: { a: 'b' } })))
      .expect(200);
    expect(res.body.response).toEqual({ uid: 'e911857d-c318-11e8-bbad-025000000001', allowed: true });
  });

  it('answers v1beta1 in kind', async () => {
    const res = await request(await app())
      .post('/v1/mutate?timeout=10s')
      .send(review(pod({ containers: [] }, { name: 'x' }), 'admission.k8s.io/v1beta1'))
      .expect(200);
    expect(res.body.apiVersion).toBe('admission.k8s.io/v1beta1');
    expect(res.body.kind).toBe('AdmissionReview');
    expect(res.body.response).toMatchObject({ uid: 'e911857d-c318-11e8-bbad-025000000001', allowed: true, patchType: 'JSONPatch' });
    expect(decode(res.body.response.patch)).toEqual(ANNOTATE);
  });

  it.each([
    ['not JSON', 'body is not JSON'],
    [{ kind: 'Pod' }, 'kind must be AdmissionReview'],
    [{ kind: 'AdmissionReview', apiVersion: 'admission.k8s.io/v1' }, 'missing request'],
    [{ kind: 'AdmissionReview', apiVersion: 'admission.k8s.io/v1', request: {} }, 'missing request.uid'],
    [{ kind: 'AdmissionReview', apiVersion: 'v2', request: { uid: 'x' } }, 'apiVersion must be'],
  ])('rejects a malformed review with 400 naming the problem (%#)', async (body, message) => {
    const res = await request(await app()).post('/v1/mutate').type('json').send(typeof body === 'string' ? body : JSON.stringify(body)).expect(400);
    expect(res.body).toEqual({ code: 'invalid_parameter', message: expect.stringContaining(message) });
  });

  it('refuses bodies over the limit with 413 and counts requests under its own handler', async () => {
    const handler = await app({ maxRequestBytes: 4096 });
    await request(handler).post('/v1/mutate').send(review(pod({ containers: [{ name: 'a' }] }))).expect(200);
    const res = await request(handler).post('/v1/mutate').send(review(pod({ containers: [{ name: 'a', image: 'x'.repeat(5000) }] }))).expect(413);
    expect(res.body).toEqual({ code: 'invalid_parameter', message: 'request body exceeds 4096 bytes' });
    const metrics = await request(handler).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/http_requests_total\{handler="\/v1\/mutate",method="POST",code="200"\} 1/);
    expect(metrics.text).toMatch(/http_requests_total\{handler="\/v1\/mutate",method="POST",code="413"\} 1/);
  });

  it('does not evaluate deny: a deny that fails does not stop the patch', async () => {
    const policy = 'package kubernetes.admission\nlevel := 1 if input.request\nlevel := 2 if input.request\ndeny contains "x" if level > 0\npatch contains {"op": "add", "path": "/metadata/labels", "value": {}} if input.request\n';
    const handler = await app({ policy });
    const input = review(pod({ containers: [] }));
    const admitted = await request(handler).post('/v1/admit').send(input).expect(200);
    expect(admitted.body.response.status.message).toContain('eval_conflict_error');
    const res = await request(handler).post('/v1/mutate').send(input).expect(200);
    expect(res.body.response).toMatchObject({ allowed: true, patchType: 'JSONPatch' });
    expect(decode(res.body.response.patch)).toEqual([{ op: 'add', path: '/metadata/labels', value: {} }]);
  });

  it('refuses with the error when patch evaluation fails; admits without a patch under --admission-fail-open', async () => {
    const policy = 'package kubernetes.admission\nlevel := 1 if input.request\nlevel := 2 if input.request\npatch contains {"op": "add", "path": "/metadata/labels", "value": {}} if level > 0\n';
    const input = review(pod({ containers: [] }));
    const closed = await request(await app({ policy, failOpen: false })).post('/v1/mutate').send(input).expect(200);
    expect(closed.body.response).toMatchObject({ uid: input.request.uid, allowed: false, status: { code: 500 } });
    expect(closed.body.response.status.message).toContain('eval_conflict_error');
    expect(closed.body.response.patch).toBeUndefined();
    const open = await request(await app({ policy, failOpen: true })).post('/v1/mutate').send(input).expect(200);
    expect(open.body.response).toMatchObject({ uid: input.request.uid, allowed: true });
    expect(open.body.response.patch).toBeUndefined();
    expect(open.body.response.patchType).toBeUndefined();
    expect(open.body.response.warnings[0]).toContain('eval_conflict_error');
  });

  it('answers the same through express (the route taken when authentication is on)', async () => {
    const input = review(pod({ hostNetwork: true, containers: [] }, { name: 'x' }));
    const fast = await request(await app()).post('/v1/mutate').send(input).expect(200);
    const routed = await request(await app({ auth: { authentication: 'token', authorization: 'off' } })).post('/v1/mutate').send(input).expect(200);
    expect(routed.body).toEqual(fast.body);
    expect(decode(routed.body.response.patch)).toEqual(ANNOTATE);
  });

  it('logs one decision per review, with only the patch rule in the result', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regent-mutate-log-'));
    const file = path.join(dir, 'decisions.log');
    try {
      const handler = await app({ decisionLog: { sink: `file:${file}`, mask: [] } });
      await request(handler).post('/v1/mutate').send(review(pod({ hostNetwork: true, containers: [] }))).expect(200);
      const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ path: 'kubernetes/admission', input: { request: { uid: 'e911857d-c318-11e8-bbad-025000000001' } }, result: { patch: ANNOTATE } });
      expect(Object.keys(lines[0].result)).toEqual(['patch']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
