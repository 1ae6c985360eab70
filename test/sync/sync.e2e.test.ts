// End to end: the real service (`regent run`), the real sidecar (`regent sync`, on
// @kubernetes/client-node) and the Kubernetes API test server. Each test builds on the state
// the previous ones left, as a cluster's history does.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeApiServer } from '../support/kube-api/server';
import type { KubeObject, ResourceType } from '../support/kube-api/store';
import { freePort, getData, startRegent, startService, waitFor, type Proc } from '../support/processes';

jest.setTimeout(60_000);

const STATUS = 'openpolicyagent.org/kube-mgmt-status';
const api = new KubeApiServer({ bookmarkMs: 200 });
const type = (resource: string): ResourceType => api.store.types.find((t) => t.resource === resource)!;
let service: Proc & { url: string };
let sidecar: Proc;
let servicePort: number;
let healthPort: number;
let emptyDir: string;

const configMap = (namespace: string, name: string, labels: Record<string, string>, data: Record<string, string>): KubeObject => ({
  metadata: { name, namespace, labels },
  data,
});
const policyCM = (namespace: string, name: string, data: Record<string, string>) => configMap(namespace, name, { 'openpolicyagent.org/policy': 'rego' }, data);
const dataCM = (namespace: string, name: string, data: Record<string, string>) => configMap(namespace, name, { 'openpolicyagent.org/data': 'opa' }, data);
const pod = (namespace: string, name: string, image = 'nginx:1.27'): KubeObject => ({
  metadata: { name, namespace, labels: { app: name } },
  spec: { containers: [{ name: 'main', image }] },
});
const ingress = (namespace: string, name: string, host: string): KubeObject => ({
  metadata: { name, namespace },
  spec: { rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
});

const status = (namespace: string, name: string): unknown => {
  const text = api.store.get(type('configmaps'), namespace, name)?.metadata.annotations?.[STATUS];
  return text === undefined ? undefined : JSON.parse(text);
};

/** The cluster's objects of a resource as the data document should hold them (kube-system is ignored). */
function expectedDocument(resource: string): Record<string, unknown> {
  const t = type(resource);
  const doc: Record<string, Record<string, unknown>> = {};
  for (const o of api.store.list(t)) {
    if (o.metadata.namespace === 'kube-system') continue;
    if (t.namespaced) (doc[o.metadata.namespace!] ??= {})[o.metadata.name] = o;
    else doc[o.metadata.name] = o;
  }
  return doc;
}

async function replicatedMatches(resource: string): Promise<boolean> {
  const got = (await getData(service.url, `kubernetes/${resource}`)) ?? {};
  return JSON.stringify(sortKeys(got)) === JSON.stringify(sortKeys(expectedDocument(resource)));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sortKeys(x)]));
  return v;
}

async function policyIds(): Promise<string[]> {
  const res = await fetch(`${service.url}/v1/policies`);
  return ((await res.json()) as { result: { id: string }[] }).result.map((p) => p.id).sort();
}

async function admit(object: KubeObject, kind: string, group = ''): Promise<{ allowed: boolean; status?: { message?: string } }> {
  const review = {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { uid: 'u-1', kind: { group, version: 'v1', kind }, operation: 'CREATE', namespace: object.metadata.namespace, name: object.metadata.name, object },
  };
  const res = await fetch(`${service.url}/v1/admit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(review) });
  return ((await res.json()) as { response: { allowed: boolean; status?: { message?: string } } }).response;
}

function startSidecar(kubeconfig: string): Proc {
  return startRegent([
    'sync',
    '--kubeconfig', kubeconfig,
    '--opa-url', `http://127.0.0.1:${servicePort}/v1`,
    '--namespaces', 'opa,team-a',
    '--replicate', 'v1/pods',
    '--replicate', 'networking.k8s.io/v1/ingresses',
    '--replicate', 'example.com/v1/widgets',
    '--replicate-cluster', 'v1/namespaces',
    '--replicate-ignore-namespaces', 'kube-system',
    '--poll-interval', '200ms',
    '--health-endpoint', `127.0.0.1:${healthPort}`,
    '--log-level', 'debug',
  ]);
}

beforeAll(async () => {
  await api.start();
  for (const ns of ['opa', 'team-a', 'team-b', 'kube-system']) api.store.create(type('namespaces'), { metadata: { name: ns, labels: { team: ns } } });
  api.store.create(type('pods'), pod('team-a', 'web-1'));
  api.store.create(type('pods'), pod('kube-system', 'dns'));
  api.store.create(type('configmaps'), policyCM('opa', 'hello', { 'main.rego': 'package hello\n\nallow if input.user == "alice"\n' }));
  [servicePort, healthPort] = [await freePort(), await freePort()];
  emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'regent-sync-'));
  service = await startService([emptyDir], servicePort, ['--require-sync']);
  sidecar = startSidecar(api.writeKubeconfig());
});

afterAll(async () => {
  await sidecar?.stop();
  await service?.stop();
  await api.stop();
  fs.rmSync(emptyDir, { recursive: true, force: true });
});

const logs = (): string => `sidecar logs:\n${sidecar.logs().slice(-4000)}`;

test('the service reports ready only after the first full sync; the sidecar serves /health', async () => {
  await waitFor(async () => (await fetch(`http://127.0.0.1:${healthPort}/health`).catch(() => undefined))?.status === 200, 20_000, logs);
  expect((await fetch(`${service.url}/health`)).status).toBe(200);
  expect(await policyIds()).toEqual(['opa/hello/main.rego']);
  expect(status('opa', 'hello')).toEqual({ status: 'ok' });
  expect(await replicatedMatches('pods')).toBe(true);
  // kube-system is ignored by replication; cluster-scoped resources are keyed by name alone.
  expect(await getData(service.url, 'kubernetes/pods/kube-system')).toBeUndefined();
  expect(Object.keys((await getData(service.url, 'kubernetes/namespaces')) as object).sort()).toEqual(['kube-system', 'opa', 'team-a', 'team-b']);
});

test('a valid policy ConfigMap loads, is annotated ok, and decides', async () => {
  api.store.create(type('configmaps'), policyCM('team-a', 'authz', { 'authz.rego': 'package team.authz\n\ndefault allow := false\n\nallow if input.role == "admin"\n' }));
  await waitFor(() => JSON.stringify(status('team-a', 'authz')) === '{"status":"ok"}', 10_000, logs);
  const res = await fetch(`${service.url}/v1/data/team/authz/allow`, { method: 'POST', body: JSON.stringify({ input: { role: 'admin' } }) });
  expect(await res.json()).toEqual({ result: true });
});

test('ConfigMaps outside the watched namespaces or without the label are left alone', async () => {
  api.store.create(type('configmaps'), policyCM('team-b', 'elsewhere', { 'x.rego': 'package elsewhere\n\nx := 1\n' }));
  api.store.create(type('configmaps'), configMap('team-a', 'unlabelled', {}, { 'y.rego': 'package unlabelled\n\ny := 1\n' }));
  api.store.create(type('configmaps'), policyCM('team-a', 'marker', { 'm.rego': 'package marker\n\nm := 1\n' }));
  await waitFor(() => status('team-a', 'marker') !== undefined, 10_000, logs);
  expect(await policyIds()).not.toContain('team-b/elsewhere/x.rego');
  expect(await policyIds()).not.toContain('team-a/unlabelled/y.rego');
  expect(status('team-b', 'elsewhere')).toBeUndefined();
});

test('an invalid policy is annotated with the service\'s error and nothing loaded is lost', async () => {
  api.store.create(type('configmaps'), policyCM('team-a', 'broken', { 'broken.rego': 'package broken\n\nallow if {\n' }));
  await waitFor(() => status('team-a', 'broken') !== undefined, 10_000, logs);
  const s = status('team-a', 'broken') as { status: string; error: { code: string; errors: { code: string; location: { row: number } }[] } };
  expect(s.status).toBe('error');
  expect(s.error.code).toBe('invalid_parameter');
  expect(s.error.errors[0].code).toBe('rego_parse_error');
  expect(s.error.errors[0].location.row).toBeGreaterThan(0);
  const res = await fetch(`${service.url}/v1/data/team/authz/allow`, { method: 'POST', body: JSON.stringify({ input: { role: 'admin' } }) });
  expect(await res.json()).toEqual({ result: true });
  expect(await policyIds()).not.toContain('team-a/broken/broken.rego');
});

test('fixing a ConfigMap reloads it; dropping a key unloads that module; deleting unloads all', async () => {
  api.store.apply(type('configmaps'), policyCM('team-a', 'broken', { 'broken.rego': 'package broken\n\nallow := true\n', 'extra.rego': 'package extra\n\ne := 1\n' }));
  await waitFor(() => JSON.stringify(status('team-a', 'broken')) === '{"status":"ok"}', 10_000, logs);
  expect(await getData(service.url, 'broken/allow')).toBe(true);
  expect(await policyIds()).toContain('team-a/broken/extra.rego');

  api.store.apply(type('configmaps'), policyCM('team-a', 'broken', { 'broken.rego': 'package broken\n\nallow := false\n' }));
  await waitFor(async () => (await getData(service.url, 'broken/allow')) === false, 10_000, logs);
  await waitFor(async () => !(await policyIds()).includes('team-a/broken/extra.rego'), 10_000, logs);

  api.store.delete(type('configmaps'), 'team-a', 'broken');
  await waitFor(async () => !(await policyIds()).includes('team-a/broken/broken.rego'), 10_000, logs);
  expect(await getData(service.url, 'broken/allow')).toBeUndefined();
});

test('policies that import each other across ConfigMaps converge once all are present', async () => {
  api.store.create(type('configmaps'), policyCM('team-a', 'uses-lib', { 'main.rego': 'package app\n\nimport data.lib.names\n\nallow if names.is_admin(input.user)\n' }));
  await waitFor(() => (status('team-a', 'uses-lib') as { status?: string } | undefined)?.status === 'error', 10_000, logs);
  api.store.create(type('configmaps'), policyCM('opa', 'lib', { 'lib.rego': 'package lib.names\n\nis_admin(u) if u == "root"\n' }));
  await waitFor(() => JSON.stringify(status('team-a', 'uses-lib')) === '{"status":"ok"}', 10_000, logs);
  expect(await fetch(`${service.url}/v1/data/app/allow`, { method: 'POST', body: JSON.stringify({ input: { user: 'root' } }) }).then((r) => r.json())).toEqual({ result: true });
});

test('data ConfigMaps land at data.<namespace>.<name>.<key>, JSON or YAML; bad ones are annotated', async () => {
  api.store.create(type('configmaps'), dataCM('team-a', 'registries', { 'allowed.json': '["registry.example.com"]', 'limits.yaml': 'cpu: 2\nmemory: 4Gi\n' }));
  await waitFor(async () => (await getData(service.url, 'team-a/registries')) !== undefined, 10_000, logs);
  expect(await getData(service.url, 'team-a/registries')).toEqual({ 'allowed.json': ['registry.example.com'], 'limits.yaml': { cpu: 2, memory: '4Gi' } });
  await waitFor(() => JSON.stringify(status('team-a', 'registries')) === '{"status":"ok"}', 10_000, logs);

  api.store.create(type('configmaps'), dataCM('team-a', 'bad', { 'x.yaml': 'a: [1, 2\n' }));
  await waitFor(() => status('team-a', 'bad') !== undefined, 10_000, logs);
  expect(status('team-a', 'bad')).toMatchObject({ status: 'error', error: expect.stringContaining('key x.yaml') });
  expect(await getData(service.url, 'team-a/bad')).toBeUndefined();

  api.store.delete(type('configmaps'), 'team-a', 'registries');
  await waitFor(async () => (await getData(service.url, 'team-a/registries')) === undefined, 10_000, logs);
});

test('replication follows creates, updates and deletes of Pods, Namespaces and a CRD', async () => {
  api.store.create(type('pods'), pod('team-a', 'web-2'));
  api.store.create(type('pods'), pod('team-b', 'api-1'));
  api.store.apply(type('pods'), pod('team-a', 'web-1', 'nginx:1.28'));
  api.store.create(type('namespaces'), { metadata: { name: 'team-c' } });
  api.store.create(type('widgets'), { metadata: { name: 'w', namespace: 'team-a' }, spec: { size: 3 } });
  await waitFor(async () => (await replicatedMatches('pods')) && (await replicatedMatches('namespaces')) && (await replicatedMatches('widgets')), 10_000, logs);

  api.store.delete(type('pods'), 'team-b', 'api-1');
  api.store.delete(type('namespaces'), undefined, 'team-c');
  await waitFor(async () => (await replicatedMatches('pods')) && (await replicatedMatches('namespaces')), 10_000, logs);
  // The namespace's last Pod took the namespace's document with it.
  expect(await getData(service.url, 'kubernetes/pods/team-b')).toBeUndefined();
});

test('after a dropped watch, the data equals the cluster exactly', async () => {
  const lists = api.count('GET list pods');
  api.dropWatches();
  api.store.create(type('pods'), pod('team-b', 'while-dropped'));
  api.store.delete(type('pods'), 'team-a', 'web-2');
  api.store.apply(type('pods'), pod('team-a', 'web-1', 'nginx:1.29'));
  await waitFor(async () => (await replicatedMatches('pods')) && api.count('GET list pods') > lists, 15_000, logs);
});

test('a watch the server ends cleanly resumes from the last resourceVersion, without a relist', async () => {
  const lists = api.count('GET list pods');
  const watches = api.count('GET watch pods');
  api.endWatches();
  await waitFor(() => api.count('GET watch pods') > watches, 10_000, logs);
  api.store.create(type('pods'), pod('team-a', 'resumed'));
  await waitFor(() => replicatedMatches('pods'), 10_000, logs);
  expect(api.count('GET list pods')).toBe(lists);
});

test('after 410 Gone (a compacted history), the sidecar relists and removes what vanished', async () => {
  const lists = api.count('GET list pods');
  // Events the sidecar will never see: the log is compacted before its watch resumes, so
  // the resumed watch gets a 410 ERROR event.
  api.store.compact();
  api.endWatches();
  api.store.delete(type('pods'), 'team-b', 'while-dropped');
  api.store.create(type('pods'), pod('team-b', 'after-compaction'));
  api.store.compact();
  await waitFor(async () => (await replicatedMatches('pods')) && api.count('GET list pods') > lists, 15_000, logs);
  expect(sidecar.logs()).toContain('410 Gone');

  // The HTTP form of 410 (some proxies answer it that way) relists too.
  const lists2 = api.count('GET list pods');
  api.failNextWatch(410, 'pods');
  api.dropWatches();
  api.store.create(type('pods'), pod('team-a', 'web-3'));
  await waitFor(async () => (await replicatedMatches('pods')) && api.count('GET list pods') > lists2, 15_000, logs);
});

test('an admission decision uses replicated data: Ingress hosts unique across namespaces', async () => {
  api.store.create(type('ingresses'), ingress('team-a', 'shop', 'shop.example.com'));
  const policy = [
    'package kubernetes.admission',
    '',
    'deny contains msg if {',
    '\tinput.request.kind.kind == "Ingress"',
    '\tsome rule in input.request.object.spec.rules',
    '\tsome ns, others in data.kubernetes.ingresses',
    '\tsome name, other in others',
    '\t[ns, name] != [input.request.namespace, input.request.name]',
    '\tsome r in other.spec.rules',
    '\tr.host == rule.host',
    '\tmsg := sprintf("ingress host %s is already used by %s/%s", [rule.host, ns, name])',
    '}',
    '',
  ].join('\n');
  api.store.create(type('configmaps'), policyCM('opa', 'ingress-hosts', { 'ingress.rego': policy }));
  await waitFor(async () => JSON.stringify(status('opa', 'ingress-hosts')) === '{"status":"ok"}' && (await replicatedMatches('ingresses')), 10_000, logs);

  const dup = await admit(ingress('team-b', 'copy', 'shop.example.com'), 'Ingress', 'networking.k8s.io');
  expect(dup.allowed).toBe(false);
  expect(dup.status?.message).toBe('ingress host shop.example.com is already used by team-a/shop');
  expect((await admit(ingress('team-b', 'blog', 'blog.example.com'), 'Ingress', 'networking.k8s.io')).allowed).toBe(true);
  // Updating the Ingress that owns the host is not a conflict with itself.
  expect((await admit(ingress('team-a', 'shop', 'shop.example.com'), 'Ingress', 'networking.k8s.io')).allowed).toBe(true);
});

test('after the service restarts, policies, data and replicated objects are back within seconds', async () => {
  const before = await policyIds();
  await service.stop();
  service = await startService([emptyDir], servicePort, ['--require-sync']);
  expect((await fetch(`${service.url}/health`)).status).toBe(500);
  const started = Date.now();
  await waitFor(async () => (await fetch(`${service.url}/health`)).status === 200, 15_000, logs);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(await policyIds()).toEqual(before);
  expect(await replicatedMatches('pods')).toBe(true);
  expect(await replicatedMatches('namespaces')).toBe(true);
  expect(await replicatedMatches('ingresses')).toBe(true);
  expect(await fetch(`${service.url}/v1/data/app/allow`, { method: 'POST', body: JSON.stringify({ input: { user: 'root' } }) }).then((r) => r.json())).toEqual({ result: true });
});
