// Under load nothing is lost: while 20 policy PUTs (every third one invalid) replace the
// admission policy, 5,000 concurrent AdmissionReviews over real sockets each get a well-formed
// answer, decided by one complete policy version: an old one or a new one, never a mix.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PolicyEngine } from '../../server/engine/engine';
import { createApp } from '../../server/http/app';
import { ObjectValue } from '../../server/value/value';

const policy = (version: number): string => `package kubernetes.admission

deny contains sprintf("v${version}: container %s is privileged", [c.name]) if {
	some c in input.request.object.spec.containers
	c.securityContext.privileged
}

deny contains "v${version}: hostNetwork" if input.request.object.spec.hostNetwork
`;

const BROKEN = 'package kubernetes.admission\n\ndeny contains msg if {\n';

function review(i: number): string {
  const containers = [{ name: `c${i}`, image: 'nginx', securityContext: { privileged: i % 2 === 0 } }];
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { uid: `uid-${i}`, kind: { group: '', version: 'v1', kind: 'Pod' }, operation: 'CREATE', object: { kind: 'Pod', metadata: { name: `p${i}` }, spec: { hostNetwork: i % 3 === 0, containers } } },
  });
}

function call(agent: http.Agent, port: number, method: string, path: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('admission under load while policies change', () => {
  jest.setTimeout(120_000);

  it('answers 5,000 concurrent reviews well-formed, each from one whole policy version', async () => {
    const engine = new PolicyEngine();
    await engine.load([{ id: 'admission.rego', text: policy(0) }], new ObjectValue());
    const server = http.createServer(createApp(engine));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const admin = new http.Agent({ keepAlive: true, maxSockets: 1 }); // PUTs do not queue behind reviews
    try {
      const admissions = Array.from({ length: 5000 }, (_, i) => call(agent, port, 'POST', '/v1/admit', review(i)).then((r) => ({ i, ...r })));
      const puts: Array<Promise<{ status: number; text: string }>> = [];
      for (let k = 1; k <= 20; k++) {
        await new Promise((r) => setTimeout(r, 15));
        puts.push(call(admin, port, 'PUT', '/v1/policies/admission.rego', k % 3 === 0 ? BROKEN : policy(k)));
      }
      const putResults = await Promise.all(puts);
      const answers = await Promise.all(admissions);

      putResults.forEach((r, n) => expect(r.status).toBe((n + 1) % 3 === 0 ? 400 : 200));
      const versions = new Set<string>();
      for (const { i, status, text } of answers) {
        expect(status).toBe(200);
        const body = JSON.parse(text) as { kind: string; response: { uid: string; allowed: boolean; status?: { message: string } } };
        expect(body.kind).toBe('AdmissionReview');
        expect(body.response.uid).toBe(`uid-${i}`);
        const denials = (i % 2 === 0 ? 1 : 0) + (i % 3 === 0 ? 1 : 0);
        expect(body.response.allowed).toBe(denials === 0);
        if (denials > 0) {
          const messages = body.response.status!.message.split('; ');
          expect(messages).toHaveLength(denials);
          // Every message of one answer comes from the same policy version.
          const seen = new Set(messages.map((m) => m.split(':')[0]));
          expect(seen.size).toBe(1);
          versions.add([...seen][0]);
        }
      }
      // The answers span old and new versions, and never a broken one.
      expect(versions.size).toBeGreaterThan(1);
      for (const v of versions) expect(Number(v.slice(1)) % 3 === 0 && v !== 'v0').toBe(false);
    } finally {
      agent.destroy();
      admin.destroy();
      await new Promise((r) => server.close(r));
    }
  });
});
