// The REST API over real HTTP (supertest drives the express app on an ephemeral port).
import request from 'supertest';
import { PolicyEngine } from '../../server/engine/engine';
import { createApp } from '../../server/http/app';
import { ObjectValue, fromJS } from '../../server/value/value';

const POLICY = `package example

default allow := false

allow if input.user in data.admins

greeting := concat(" ", ["hello", input.user])
`;

async function app(engine: 'interp' | 'wasm' = 'wasm') {
  const e = new PolicyEngine(engine);
  await e.load([{ id: 'example.rego', text: POLICY }], fromJS({ admins: ['alice'] }) as ObjectValue);
  return createApp(e);
}

describe('REST API', () => {
  it('GET /health is 200 once policies are loaded', async () => {
    await request(await app()).get('/health').expect(200, {});
  });

  it('POST /v1/data/{path} evaluates with the input', async () => {
    const a = await app();
    await request(a).post('/v1/data/example/allow').send({ input: { user: 'alice' } }).expect(200, { result: true });
    await request(a).post('/v1/data/example/allow').send({ input: { user: 'bob' } }).expect(200, { result: false });
    await request(a).post('/v1/data/example').send({ input: { user: 'bob' } }).expect(200, { result: { allow: false, greeting: 'hello bob' } });
  });

  it('GET /v1/data reads base and virtual documents; undefined has no result key', async () => {
    const a = await app();
    await request(a).get('/v1/data/admins').expect(200, { result: ['alice'] });
    await request(a).get('/v1/data/example/greeting').expect(200, {});
    await request(a).get('/v1/data/example/greeting').query({ input: JSON.stringify({ user: 'carol' }) }).expect(200, { result: 'hello carol' });
    await request(a).get('/v1/data/nothing/here').expect(200, {});
  });

  it('?metrics=true adds OPA\'s timers; ?pretty=true indents', async () => {
    const a = await app();
    const res = await request(a).post('/v1/data/example/allow?metrics=true').send({ input: { user: 'alice' } }).expect(200);
    expect(res.body.result).toBe(true);
    for (const t of ['timer_rego_input_parse_ns', 'timer_rego_query_eval_ns', 'timer_server_handler_ns']) expect(res.body.metrics[t]).toBeGreaterThan(0);
    const pretty = await request(a).get('/v1/data/admins?pretty=true').expect(200);
    expect(pretty.text).toBe('{\n  "result": [\n    "alice"\n  ]\n}');
  });

  it('rejects malformed input with 400 and OPA\'s error body', async () => {
    const res = await request(await app()).post('/v1/data/example/allow').set('content-type', 'application/json').send('{"input": ').expect(400);
    expect(res.body.code).toBe('invalid_parameter');
  });

  it('PUT /v1/policies/{id} with bad Rego is 400 with located errors, and nothing changes', async () => {
    const a = await app();
    const res = await request(a).put('/v1/policies/bad.rego').set('content-type', 'text/plain').send('package example\nallow := ').expect(400);
    expect(res.body).toMatchObject({ code: 'invalid_parameter', errors: [{ code: 'rego_parse_error', location: { file: 'bad.rego', row: 2 } }] });
    await request(a).post('/v1/data/example/allow').send({ input: { user: 'alice' } }).expect(200, { result: true });
    await request(a).get('/v1/policies/bad.rego').expect(404);
  });

  it('PUT, GET and DELETE a policy', async () => {
    const a = await app();
    await request(a).put('/v1/policies/extra.rego').set('content-type', 'text/plain').send('package extra\nx := 42\n').expect(200);
    await request(a).get('/v1/data/extra/x').expect(200, { result: 42 });
    const got = await request(a).get('/v1/policies/extra.rego').expect(200);
    expect(got.body.result).toEqual({ id: 'extra.rego', raw: 'package extra\nx := 42\n' });
    await request(a).delete('/v1/policies/extra.rego').expect(200);
    await request(a).get('/v1/data/extra/x').expect(200, {});
  });

  it('PUT /v1/data/{path} replaces base data', async () => {
    const a = await app();
    await request(a).put('/v1/data/admins').send(['bob']).expect(204);
    await request(a).post('/v1/data/example/allow').send({ input: { user: 'bob' } }).expect(200, { result: true });
  });

  it('POST and GET /v1/query answer ad-hoc queries with bindings', async () => {
    const a = await app();
    await request(a).post('/v1/query').send({ query: 'x := data.admins[_]' }).expect(200, { result: [{ x: 'alice' }] });
    await request(a).get('/v1/query').query({ q: 'data.example.allow = v', input: JSON.stringify({ user: 'alice' }) }).expect(200, { result: [{ v: true }] });
    const bad = await request(a).post('/v1/query').send({ query: 'x := ' }).expect(400);
    expect(bad.body.errors[0].code).toBe('rego_parse_error');
  });

  it('PATCH applies JSON Patch operations relative to the path; DELETE removes a document', async () => {
    const a = await app();
    await request(a).patch('/v1/data/admins').send([{ op: 'add', path: '/-', value: 'carol' }]).expect(204);
    await request(a).get('/v1/data/admins').expect(200, { result: ['alice', 'carol'] });
    await request(a).patch('/v1/data/admins').send([{ op: 'remove', path: '/7' }]).expect(404);
    await request(a).patch('/v1/data/admins').send({ op: 'add' }).expect(400);
    await request(a).delete('/v1/data/admins').expect(204);
    await request(a).get('/v1/data/admins').expect(200, {});
    await request(a).delete('/v1/data/admins').expect(404);
  });

  it('GET /metrics serves Prometheus text with request, compile and eval figures', async () => {
    const a = await app();
    await request(a).post('/v1/data/example/allow').send({ input: { user: 'alice' } }).expect(200);
    await request(a).put('/v1/policies/m.rego').set('content-type', 'text/plain').send('package m\nx := 1').expect(200);
    const res = await request(a).get('/metrics').expect(200);
    expect(res.text).toMatch(/http_requests_total\{handler="\/v1\/data",method="POST",code="200"\} 1/);
    expect(res.text).toMatch(/regent_compile_seconds_count 1/);
    expect(res.text).toMatch(/regent_eval_seconds_count 1/);
  });
});
