// Scenario 6: the sync sidecar. 10,000 Pods in the Kubernetes API test server are replicated
// into a cold service (`regent run policies/ --require-sync` + `regent sync --replicate v1/pods`):
// the time from the sidecar's start to the service reporting ready, beside the floor of one
// `PUT /v1/data` of the same document sent straight to the service. Then the steady-state lag:
// a Pod is changed in the API server and a decision polls until it sees the change, beside a
// direct PUT followed by the same read (the floor of any write-then-read path).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KubeApiServer } from '../test/support/kube-api/server';
import type { KubeObject } from '../test/support/kube-api/store';
import { freePort, getData, startRegent, startService, waitFor } from '../test/support/processes';

const ROOT = path.resolve(__dirname, '..', '..');
const POD = (JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'fixtures', 'pod-review.json'), 'utf8')) as { request: { object: KubeObject } }).request.object;

function pod(i: number): KubeObject {
  const p = structuredClone(POD);
  p.metadata = { ...p.metadata, name: `pod-${i}`, namespace: `ns-${i % 50}`, labels: { app: `app-${i % 7}`, rev: '0' } };
  delete p.metadata.uid;
  delete p.metadata.resourceVersion;
  return p;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

const fmt = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${quantile(s, 0.5).toFixed(1)} ms   p99 ${quantile(s, 0.99).toFixed(1)} ms`;
};

async function put(url: string, p: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}/v1/data/${p}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 204) throw new Error(`PUT ${p}: ${res.status} ${await res.text()}`);
}

export async function scenarioSync(pods: number, samples: number): Promise<void> {
  console.log(`\nscenario 6: sync sidecar, ${pods} Pods from the Kubernetes API test server into a cold service`);
  const api = new KubeApiServer();
  await api.start();
  const podType = api.store.types.find((t) => t.resource === 'pods')!;
  for (let i = 0; i < pods; i++) api.store.create(podType, pod(i));
  const kubeconfig = api.writeKubeconfig();
  const policies = path.join(ROOT, 'policies');
  const procs: { stop(): Promise<void> }[] = [];
  try {
    // Floor: the whole document in one PUT, straight to a fresh service.
    const floorService = await startService([policies], await freePort(), ['--max-request-bytes', String(256 * 2 ** 20)]);
    procs.push(floorService);
    const doc: Record<string, Record<string, KubeObject>> = {};
    for (const o of api.store.list(podType)) (doc[o.metadata.namespace!] ??= {})[o.metadata.name] = o;
    let t = performance.now();
    await put(floorService.url, 'kubernetes/pods', doc);
    const floorCold = performance.now() - t;
    const floorLag: number[] = [];
    for (let i = 1; i <= samples; i++) {
      const obj = { ...doc['ns-1']['pod-1'], metadata: { ...doc['ns-1']['pod-1'].metadata, labels: { rev: String(i) } } };
      t = performance.now();
      await put(floorService.url, 'kubernetes/pods/ns-1/pod-1', obj);
      await waitFor(async () => (await getData(floorService.url, 'kubernetes/pods/ns-1/pod-1/metadata/labels/rev')) === String(i), 10_000, undefined, 0);
      floorLag.push(performance.now() - t);
    }
    await floorService.stop();

    const service = await startService([policies], await freePort(), ['--require-sync']);
    procs.push(service);
    t = performance.now();
    const sidecar = startRegent(['sync', '--kubeconfig', kubeconfig, '--opa-url', `${service.url}/v1`, '--replicate', 'v1/pods', '--log-level', 'warn']);
    procs.push(sidecar);
    await waitFor(async () => (await fetch(`${service.url}/health`)).status === 200, 120_000, () => `the first sync:\n${sidecar.logs()}`);
    const cold = performance.now() - t;
    const rss = Number(/^process_resident_memory_bytes (\d+)/m.exec(await (await fetch(`${service.url}/metrics`)).text())?.[1] ?? NaN);

    const lag: number[] = [];
    for (let i = 1; i <= samples; i++) {
      const current = api.store.get(podType, 'ns-1', 'pod-1')!;
      t = performance.now();
      api.store.apply(podType, { ...current, metadata: { ...current.metadata, labels: { ...current.metadata.labels, rev: String(i) } } });
      await waitFor(async () => (await getData(service.url, 'kubernetes/pods/ns-1/pod-1/metadata/labels/rev')) === String(i), 10_000, undefined, 0);
      lag.push(performance.now() - t);
    }
    console.log(`  cold start → ready (${pods} Pods)         sidecar ${(cold / 1000).toFixed(2)} s   floor (one PUT) ${(floorCold / 1000).toFixed(2)} s   ratio ${(cold / floorCold).toFixed(1)}×`);
    if (!Number.isNaN(rss)) console.log(`  service RSS after the sync               ${(rss / 2 ** 20).toFixed(0)} MiB`);
    console.log(`  watch event → visible in a decision      ${fmt(lag)}   (${samples} changes)`);
    console.log(`  floor: PUT → visible in a decision       ${fmt(floorLag)}`);
  } finally {
    for (const p of procs) await p.stop();
    await api.stop();
  }
}
