// The sidecar's data writer against a recording stand-in for the service: coalescing, ordering
// between a document and its children, and failure counts.
import { DataWriter } from '../../sync/opa/writer';
import type { OpaClient } from '../../sync/opa/client';

interface Call {
  op: 'put' | 'delete';
  path: string;
  value?: unknown;
}

/** A fake service whose requests complete when the test says so. */
function fakeService(failPaths: string[] = []) {
  const calls: Call[] = [];
  const open: (() => void)[] = [];
  const answer = (c: Call): Promise<void> => {
    calls.push(c);
    return new Promise<void>((resolve, reject) => open.push(() => (failPaths.includes(c.path) ? reject(new Error('refused')) : resolve())));
  };
  const client = {
    putData: (path: string[], value: unknown) => answer({ op: 'put', path: path.join('/'), value }),
    deleteData: (path: string[]) => answer({ op: 'delete', path: path.join('/') }),
  } as unknown as OpaClient;
  const completeAll = async (): Promise<void> => {
    while (open.length > 0) {
      open.splice(0).forEach((f) => f());
      await new Promise((r) => setImmediate(r));
    }
  };
  return { client, calls, completeAll };
}

test('a newer write to a path replaces the one still waiting', async () => {
  const svc = fakeService();
  const w = new DataWriter(svc.client, 1);
  w.put(['a'], 1); // in flight
  w.put(['b'], 1);
  w.put(['b'], 2);
  w.delete(['b']);
  w.put(['b'], 3);
  const done = w.flush();
  await svc.completeAll();
  expect(await done).toBe(0);
  expect(svc.calls).toEqual([
    { op: 'put', path: 'a', value: 1 },
    { op: 'put', path: 'b', value: 3 },
  ]);
});

test('a child never overtakes a write to its parent, nor a parent to its child', async () => {
  const svc = fakeService();
  const w = new DataWriter(svc.client, 8);
  w.put(['pods', 'ns', 'a'], 'a1');
  w.delete(['pods', 'ns']);
  w.put(['pods', 'ns', 'b'], 'b1');
  w.put(['pods', 'other', 'c'], 'c1');
  // Only the first write and the unrelated one may be in flight together.
  expect(svc.calls.map((c) => c.path)).toEqual(['pods/ns/a', 'pods/other/c']);
  const done = w.flush();
  await svc.completeAll();
  await done;
  expect(svc.calls.map((c) => `${c.op} ${c.path}`)).toEqual(['put pods/ns/a', 'put pods/other/c', 'delete pods/ns', 'put pods/ns/b']);
});

test('paths are compared segment by segment: a/b does not block a/bc', async () => {
  const svc = fakeService();
  const w = new DataWriter(svc.client, 8);
  w.put(['a', 'b'], 1);
  w.put(['a', 'bc'], 2);
  expect(svc.calls).toHaveLength(2);
  await svc.completeAll();
});

test('failed writes are counted and reported', async () => {
  const svc = fakeService(['x']);
  const failed: string[] = [];
  const w = new DataWriter(svc.client, 2, (path, err) => failed.push(`${path.join('/')}: ${err.message}`));
  w.put(['x'], 1);
  w.put(['y'], 1);
  const done = w.flush();
  await svc.completeAll();
  expect(await done).toBe(1);
  expect(failed).toEqual(['x: refused']);
  expect(await w.flush()).toBe(0);
});
