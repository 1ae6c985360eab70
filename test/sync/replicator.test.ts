// The replicator's writes for a list, a relist and watch events, against a recording writer.
import pino from 'pino';
import { Replicator } from '../../sync/replicate/replicator';
import type { DataWriter } from '../../sync/opa/writer';
import type { KubeObject } from '../../sync/kube/client';

function recorder() {
  const ops: string[] = [];
  const values = new Map<string, unknown>();
  let failures = 0;
  const writer = {
    put: (p: string[], v: unknown) => {
      ops.push(`put ${p.join('/')}`);
      values.set(p.join('/'), v);
    },
    delete: (p: string[]) => ops.push(`delete ${p.join('/')}`),
    flush: async () => {
      const f = failures;
      failures = 0;
      return f;
    },
  } as unknown as DataWriter;
  return { writer, ops, values, fail: (n: number) => (failures = n) };
}

const pod = (ns: string, name: string, rv = '1'): KubeObject => ({ metadata: { name, namespace: ns, resourceVersion: rv } });
const spec = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const log = pino({ level: 'silent' });

test('the first list is one document; a relist writes only the difference', async () => {
  const rec = recorder();
  const r = new Replicator({ spec, basePath: ['kubernetes'], ignoreNamespaces: new Set(['kube-system']), maxWriteBytes: 1 << 20 }, rec.writer, log);
  await r.replace([pod('a', 'p1'), pod('a', 'p2'), pod('kube-system', 'dns'), pod('b', 'p3')]);
  expect(rec.ops).toEqual(['put kubernetes/pods']);
  expect(Object.keys(rec.values.get('kubernetes/pods') as object).sort()).toEqual(['a', 'b']);

  rec.ops.length = 0;
  await r.replace([pod('a', 'p1'), pod('a', 'p2', '7'), pod('c', 'p4')]);
  // p3 was b's last Pod: b's document goes with it.
  expect(rec.ops.sort()).toEqual(['delete kubernetes/pods/b', 'put kubernetes/pods/a/p2', 'put kubernetes/pods/c/p4']);
});

test('watch events become per-object writes; an emptied namespace is deleted whole', async () => {
  const rec = recorder();
  const r = new Replicator({ spec, basePath: ['kubernetes'], ignoreNamespaces: new Set(), maxWriteBytes: 1 << 20 }, rec.writer, log);
  await r.replace([pod('a', 'p1')]);
  rec.ops.length = 0;
  r.event('ADDED', pod('a', 'p2'));
  r.event('DELETED', pod('a', 'p1'));
  r.event('DELETED', pod('a', 'p2'));
  r.event('DELETED', pod('a', 'never-seen'));
  expect(rec.ops).toEqual(['put kubernetes/pods/a/p2', 'delete kubernetes/pods/a/p1', 'delete kubernetes/pods/a']);
});

test('a state too big for one write is sent as an empty document, namespaces, then objects', async () => {
  const rec = recorder();
  const big = (ns: string, name: string): KubeObject => ({ metadata: { name, namespace: ns }, data: 'x'.repeat(400) });
  const r = new Replicator({ spec, basePath: ['k'], ignoreNamespaces: new Set(), maxWriteBytes: 1000 }, rec.writer, log);
  await r.replace([big('small', 'p1'), big('large', 'q1'), big('large', 'q2'), big('large', 'q3')]);
  expect(rec.ops).toEqual(['put k/pods', 'put k/pods/small', 'put k/pods/large/q1', 'put k/pods/large/q2', 'put k/pods/large/q3']);
  expect(rec.values.get('k/pods')).toEqual({});
});

test('failed writes make the next list a full load again', async () => {
  const rec = recorder();
  const r = new Replicator({ spec, basePath: ['kubernetes'], ignoreNamespaces: new Set(), maxWriteBytes: 1 << 20 }, rec.writer, log);
  rec.fail(1);
  await expect(r.replace([pod('a', 'p1')])).rejects.toThrow('1 of the writes to the service failed');
  rec.ops.length = 0;
  await r.replace([pod('a', 'p1')]);
  expect(rec.ops).toEqual(['put kubernetes/pods']);
});

test('cluster-scoped objects are keyed by name', async () => {
  const rec = recorder();
  const r = new Replicator({ spec: { group: '', version: 'v1', resource: 'namespaces', namespaced: false }, basePath: ['kubernetes'], ignoreNamespaces: new Set(), maxWriteBytes: 1 << 20 }, rec.writer, log);
  await r.replace([{ metadata: { name: 'default' } }]);
  r.event('DELETED', { metadata: { name: 'default' } });
  expect(rec.ops).toEqual(['put kubernetes/namespaces', 'delete kubernetes/namespaces/default']);
  expect(rec.values.get('kubernetes/namespaces')).toEqual({ default: { metadata: { name: 'default' } } });
});
