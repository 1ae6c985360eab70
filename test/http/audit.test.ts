// GET /v1/audit over replicated objects, and `regent audit` against the real service.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import request from 'supertest';
import { PolicyEngine } from '../../server/engine/engine';
import { createApp } from '../../server/http/app';
import { fromJS, ObjectValue } from '../../server/value/value';
import { freePort, startService } from '../support/processes';

jest.setTimeout(30_000);

const POLICY = `package kubernetes.admission

deny contains msg if {
	input.request.kind.kind == "Pod"
	some c in input.request.object.spec.containers
	c.securityContext.privileged
	msg := sprintf("container %s: privileged", [c.name])
}

deny contains {"msg": sprintf("namespace %s has no owner label", [input.request.name])} if {
	input.request.kind.kind == "Namespace"
	not input.request.object.metadata.labels.owner
}

deny contains "conflicting sizes" if size > 0

size = 1 if input.request.object.metadata.name == "boom"

size = 2 if input.request.object.metadata.name == "boom"
`;

const pod = (ns: string, name: string, privileged: boolean) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns },
  spec: { containers: [{ name: 'app', image: 'nginx:1', securityContext: { privileged } }] },
});
const REPLICATED = {
  pods: { a: { ok: pod('a', 'ok', false), bad: pod('a', 'bad', true) }, b: { worse: pod('b', 'worse', true) } },
  namespaces: { a: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', labels: { owner: 'x' } } }, b: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b' } } },
};

async function app(data: unknown = { kubernetes: REPLICATED }) {
  const e = new PolicyEngine();
  await e.load([{ id: 'admission.rego', text: POLICY }], fromJS(data) as ObjectValue);
  return createApp(e);
}

test('every replicated object is put to deny; violations are listed with kind, namespace, name and messages', async () => {
  const res = await request(await app()).get('/v1/audit').expect(200);
  expect(res.body.result).toEqual({
    checked: 5,
    violations: [
      { apiVersion: 'v1', kind: 'Namespace', resource: 'namespaces', name: 'b', messages: ['namespace b has no owner label'] },
      { apiVersion: 'v1', kind: 'Pod', resource: 'pods', namespace: 'a', name: 'bad', messages: ['container app: privileged'] },
      { apiVersion: 'v1', kind: 'Pod', resource: 'pods', namespace: 'b', name: 'worse', messages: ['container app: privileged'] },
    ],
  });
});

test('filters by namespace and kind; another replication root', async () => {
  const byNs = await request(await app()).get('/v1/audit?namespace=b').expect(200);
  expect(byNs.body.result.violations.map((v: { name: string }) => v.name)).toEqual(['worse']);
  const byKind = await request(await app()).get('/v1/audit?kind=Namespace').expect(200);
  expect(byKind.body.result).toMatchObject({ checked: 2, violations: [{ name: 'b' }] });
  const other = await request(await app({ cluster: REPLICATED })).get('/v1/audit?path=cluster').expect(200);
  expect(other.body.result.violations).toHaveLength(3);
  const none = await request(await app({})).get('/v1/audit').expect(200);
  expect(none.body.result).toEqual({ checked: 0, violations: [] });
});

test('an object whose evaluation fails is reported with the error, not dropped', async () => {
  const data = { kubernetes: { pods: { a: { boom: pod('a', 'boom', false) } } } };
  const res = await request(await app(data)).get('/v1/audit').expect(200);
  expect(res.body.result.violations).toEqual([expect.objectContaining({ name: 'boom', messages: [], error: expect.stringContaining('eval_conflict_error') })]);
});

test('regent audit prints the running service\'s violations and can fail on them', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regent-audit-'));
  fs.writeFileSync(path.join(dir, 'admission.rego'), POLICY);
  const service = await startService([dir], await freePort());
  try {
    const put = await fetch(`${service.url}/v1/data/kubernetes`, { method: 'PUT', body: JSON.stringify(REPLICATED) });
    expect(put.status).toBe(204);
    const bin = path.resolve(__dirname, '..', '..', 'bin', 'regent.js');
    const r = spawnSync(process.execPath, [bin, 'audit', '--server', service.url, '--fail-on-violations'], { encoding: 'utf8' });
    expect(r.stdout).toBe(
      [
        'Namespace b: namespace b has no owner label',
        'Pod a/bad: container app: privileged',
        'Pod b/worse: container app: privileged',
        '5 objects checked, 3 violate the policy',
        '',
      ].join('\n'),
    );
    expect(r.status).toBe(2);
    const json = spawnSync(process.execPath, [bin, 'audit', '--server', service.url, '--format', 'json', '--kind', 'Namespace'], { encoding: 'utf8' });
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ checked: 2, violations: [{ name: 'b' }] });
    const down = spawnSync(process.execPath, [bin, 'audit', '--server', 'http://127.0.0.1:1'], { encoding: 'utf8' });
    expect(down.status).toBe(1);
    expect(down.stderr).toContain('regent audit: cannot reach http://127.0.0.1:1');
  } finally {
    await service.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
