// --authentication token --authorization basic: data.system.authz.allow decides every request.
import request from 'supertest';
import { PolicyEngine } from '../../server/engine/engine';
import { createApp } from '../../server/http/app';
import { ObjectValue } from '../../server/value/value';

const AUTHZ = `package system.authz

default allow := false

# Anyone may read data; only the admin token may change policies.
allow if {
	input.method == "GET"
	input.path[0] == "v1"
	input.path[1] == "data"
}

allow if input.identity == "s3cret"
`;

async function app() {
  const e = new PolicyEngine();
  await e.load([{ id: 'authz.rego', text: AUTHZ }], new ObjectValue());
  return createApp(e, { auth: { authentication: 'token', authorization: 'basic' } });
}

describe('authentication and authorization', () => {
  it('rejects an unauthenticated policy PUT with 401, and changes nothing', async () => {
    const a = await app();
    const res = await request(a).put('/v1/policies/evil.rego').set('content-type', 'text/plain').send('package evil\nx := 1').expect(401);
    expect(res.body).toEqual({ code: 'unauthorized', message: 'request rejected by administrative policy' });
    await request(a).get('/v1/data/evil/x').expect(200, {});
  });

  it('admits what the policy allows: reads for all, writes with the token', async () => {
    const a = await app();
    await request(a).get('/v1/data/system/authz/allow').expect(200);
    await request(a).put('/v1/policies/ok.rego').set('authorization', 'Bearer s3cret').set('content-type', 'text/plain').send('package ok\nx := 1').expect(200);
    await request(a).put('/v1/policies/ok.rego').set('authorization', 'Bearer wrong').set('content-type', 'text/plain').send('package ok\nx := 2').expect(401);
  });
});
