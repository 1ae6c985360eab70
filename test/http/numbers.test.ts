// Numbers over REST (issue 14, item 7): request JSON is read without losing precision on every
// path, as OPA reads it (Go's json.Number), and both engines answer alike. Bodies are sent and
// answers read as raw text: JSON.parse on either side would round the very numbers under test.
import request from 'supertest';
import { PolicyEngine } from '../../server/engine/engine';
import { createApp } from '../../server/http/app';
import { ObjectValue } from '../../server/value/value';

const POLICY = `package numbers

echo := input

greater if input.x > 18446744073709551614

is_huge if input.x == 1e400
`;

const ADMISSION = `package kubernetes.admission

deny contains msg if {
	r := input.request.object.spec.replicas
	r > 100
	msg := sprintf("replicas %v is more than 100", [r])
}
`;

const HUGE = '1' + '0'.repeat(400); // 1e400, an integer, as Regent prints it
const ENGINES = ['wasm', 'interp'] as const;
type Engine = (typeof ENGINES)[number];

async function app(engine: Engine, policies = [{ id: 'numbers.rego', text: POLICY }]) {
  const e = new PolicyEngine(engine);
  await e.load(policies, new ObjectValue());
  return createApp(e);
}

const json = (r: request.Test, body: string) => r.set('content-type', 'application/json').send(body);

function review(replicas: string): string {
  return `{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": "u-1", "operation": "CREATE",
    "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
    "object": {"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": ${replicas}}}}}`;
}

describe.each(ENGINES)('numbers over REST (%s)', (engine) => {
  jest.setTimeout(60_000);

  it('PUT /v1/data then GET keeps 18446744073709551615 and 1e400 exact', async () => {
    const a = await app(engine);
    await json(request(a).put('/v1/data/nums'), '{"big": 18446744073709551615, "huge": 1e400, "neg": -1.8446744073709551615e19, "tiny": 1.5e-400}').expect(204);
    const res = await request(a).get('/v1/data/nums').expect(200);
    expect(res.text).toBe(`{"result":{"big":18446744073709551615,"huge":${HUGE},"neg":-18446744073709551615,"tiny":0}}`);
  });

  it('POST /v1/data/{path} and GET ?input= read the input exactly', async () => {
    const a = await app(engine);
    const want = `{"result":{"big":18446744073709551615,"huge":${HUGE}}}`;
    const post = await json(request(a).post('/v1/data/numbers/echo'), '{"input": {"big": 18446744073709551615, "huge": 1e400}}').expect(200);
    expect(post.text).toBe(want);
    const get = await request(a).get('/v1/data/numbers/echo').query({ input: '{"big": 18446744073709551615, "huge": 1e400}' }).expect(200);
    expect(get.text).toBe(want);
    const v0 = await json(request(a).post('/v0/data/numbers/echo'), '{"big": 18446744073709551615, "huge": 1e400}').expect(200);
    expect(v0.text).toBe(`{"big":18446744073709551615,"huge":${HUGE}}`);
  });

  it('POST and GET /v1/query read the input exactly', async () => {
    const a = await app(engine);
    const want = `{"result":[{"x":[18446744073709551615,${HUGE}]}]}`;
    const post = await json(request(a).post('/v1/query'), '{"query": "x := [input.big, input.huge]", "input": {"big": 18446744073709551615, "huge": 1e400}}').expect(200);
    expect(post.text).toBe(want);
    const get = await request(a).get('/v1/query').query({ q: 'x := [input.big, input.huge]', input: '{"big": 18446744073709551615, "huge": 1e400}' }).expect(200);
    expect(get.text).toBe(want);
  });

  it.each([
    ['18446744073709551615', true],
    ['18446744073709551614', false], // JSON.parse makes both …552000, and this true
    ['1.8446744073709551615e19', true],
    ['184467440737095516.14e2', false],
    ['1e400', true],
    ['-1e400', false],
  ])('input.x > 18446744073709551614 with x = %s is %s, as in OPA', async (x, want) => {
    const a = await app(engine);
    const res = await json(request(a).post('/v1/data/numbers/greater'), `{"input": {"x": ${x}}}`).expect(200);
    expect(res.text).toBe(want ? '{"result":true}' : '{}');
  });

  it('1e400 in the input equals the literal 1e400 and nothing next to it', async () => {
    const a = await app(engine);
    for (const [x, want] of [['1e400', true], ['1.0e400', true], [HUGE, true], [HUGE.slice(0, -1) + '1', false], ['1.7976931348623157e308', false]] as const) {
      const res = await json(request(a).post('/v1/data/numbers/is_huge'), `{"input": {"x": ${x}}}`).expect(200);
      expect([x, res.text]).toEqual([x, want ? '{"result":true}' : '{}']);
    }
  });

  it('an AdmissionReview with replicas: 1e400 gets the same answer from /v1/admit and /v1/data', async () => {
    const a = await app(engine, [{ id: 'admission.rego', text: ADMISSION }]);
    for (const replicas of ['1e400', '18446744073709551615', '1.5e2']) {
      const admit = await json(request(a).post('/v1/admit'), review(replicas)).expect(200);
      const data = await json(request(a).post('/v1/data/kubernetes/admission/deny'), `{"input": ${review(replicas)}}`).expect(200);
      const messages = JSON.parse(data.text).result as string[];
      expect(messages).toHaveLength(1);
      expect(admit.body.response).toEqual({ uid: 'u-1', allowed: false, status: { code: 403, reason: 'Forbidden', message: messages[0] } });
    }
    const admit = await json(request(a).post('/v1/admit'), review('1e400')).expect(200);
    expect(admit.body.response.status.message).toBe(`replicas ${HUGE} is more than 100`);
  });

  it('refuses numbers whose exponents expand past the digit budget, on every path alike', async () => {
    const a = await app(engine, [{ id: 'admission.rego', text: ADMISSION }, { id: 'numbers.rego', text: POLICY }]);
    const put = await json(request(a).put('/v1/data/nums'), '[1e60000, 1e60000]').expect(400);
    expect(put.body).toMatchObject({ code: 'invalid_parameter', message: expect.stringContaining('number too big') });
    await json(request(a).post('/v1/data/numbers/echo'), '{"input": [1e60000, 1e60000]}').expect(400);
    // The webhook reads the review's own bytes (in WASM, or in JS for the interpreter): it fails
    // closed with the same message either way.
    const admit = await json(request(a).post('/v1/admit'), review('[1e60000, 1e60000]')).expect(200);
    expect(admit.body.response).toMatchObject({ allowed: false, status: { code: 500 } });
    expect(admit.body.response.status.message).toBe(
      'policy evaluation failed: eval_internal_error: input: number too big: integers written with exponents may expand to 100000 digits per document',
    );
  });

  it('rejects a 100,000-deep body with 400, without a stack overflow', async () => {
    const a = await app(engine);
    const deep = '['.repeat(100_000) + '1e400' + ']'.repeat(100_000);
    const res = await json(request(a).put('/v1/data/deep'), deep).expect(400);
    expect(res.body.message).toMatch(/nesting depth/);
    await json(request(a).post('/v1/data/numbers/echo'), `{"input": ${deep}}`).expect(400);
  });
});

describe('numbers over REST: both engines', () => {
  jest.setTimeout(60_000);

  it('answer the same AdmissionReviews alike', async () => {
    const [wasm, interp] = await Promise.all(ENGINES.map((e) => app(e, [{ id: 'admission.rego', text: ADMISSION }])));
    for (const replicas of ['1e400', '18446744073709551615', '-1e400', '1.5e-400', '100.5', '[1e60000, 1e60000]']) {
      const [w, i] = await Promise.all([wasm, interp].map((a) => json(request(a).post('/v1/admit'), review(replicas))));
      expect([replicas, w.status, w.text]).toEqual([replicas, i.status, i.text]);
    }
  });
});
