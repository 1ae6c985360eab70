// Base data changed path by path (what kube-mgmt-style replication does: thousands of PUTs of
// single objects) is applied in place in the loaded module, and every evaluation sees exactly
// the engine's document, before and after the data area is compacted.
import { PolicyEngine } from '../../server/engine/engine';
import { ObjectValue, fromJS, toJS } from '../../server/value/value';

const POLICY = `package inv

pods_per_ns[ns] := count(pods) if {
	some ns, pods in data.kubernetes.pods
}

total := sum([n | some n in pods_per_ns])

images contains data.kubernetes.pods[_][_].spec.containers[_].image
`;

function pod(ns: string, name: string, image: string, pad = 0): unknown {
  return { metadata: { namespace: ns, name, labels: { app: name } }, spec: { containers: [{ name: 'c', image }] }, pad: 'x'.repeat(pad) };
}

describe('incremental data updates on the wasm engine', () => {
  jest.setTimeout(120_000);

  it('mirrors puts and deletes of single objects, without reloading the document', async () => {
    const engine = new PolicyEngine('wasm');
    await engine.load([{ id: 'inv.rego', text: POLICY }], new ObjectValue());
    for (let i = 0; i < 2000; i++) {
      await engine.putData(['kubernetes', 'pods', `ns${i % 10}`, `p${i}`], fromJS(pod(`ns${i % 10}`, `p${i}`, `img${i % 3}`)));
    }
    expect(await engine.evaluate(['inv', 'total'], undefined)).toBe(2000);
    expect(toJS((await engine.evaluate(['inv', 'images'], undefined))!)).toEqual(['img0', 'img1', 'img2']);

    for (let i = 0; i < 2000; i += 2) expect(await engine.deleteData(['kubernetes', 'pods', `ns${i % 10}`, `p${i}`])).toBe(true);
    expect(await engine.deleteData(['kubernetes', 'pods', 'ns0', 'nope'])).toBe(false);
    expect(await engine.evaluate(['inv', 'total'], undefined)).toBe(1000);
    expect(toJS((await engine.evaluate(['inv', 'pods_per_ns'], undefined))!)).toEqual({ ns0: 0, ns1: 200, ns2: 0, ns3: 200, ns4: 0, ns5: 200, ns6: 0, ns7: 200, ns8: 0, ns9: 200 }); // emptied namespaces stay, empty
    // The base document reads the same through the engine.
    expect(toJS((await engine.evaluate(['kubernetes', 'pods', 'ns1', 'p1', 'spec'], undefined))!)).toEqual({ containers: [{ name: 'c', image: 'img1' }] });
  });

  it('stays correct and bounded when replaced values pile up and the data area is compacted', async () => {
    const engine = new PolicyEngine('wasm');
    await engine.load([{ id: 'inv.rego', text: POLICY }], new ObjectValue());
    // 3,000 rewrites of the same 100 pods with 4 KB each: about 12 MB of replaced values.
    for (let round = 0; round < 30; round++) {
      for (let i = 0; i < 100; i++) {
        await engine.putData(['kubernetes', 'pods', 'ns', `p${i}`], fromJS(pod('ns', `p${i}`, `img-${round}`, 4096)));
      }
      expect(toJS((await engine.evaluate(['inv', 'images'], undefined))!)).toEqual([`img-${round}`]);
    }
    expect(await engine.evaluate(['inv', 'total'], undefined)).toBe(100);
  });

  it('replaces a non-object in the way, as a PUT does', async () => {
    const engine = new PolicyEngine('wasm');
    await engine.load([{ id: 'inv.rego', text: POLICY }], fromJS({ kubernetes: 'not yet' }) as ObjectValue);
    await engine.putData(['kubernetes', 'pods', 'ns', 'a'], fromJS(pod('ns', 'a', 'i')));
    expect(await engine.evaluate(['inv', 'total'], undefined)).toBe(1);
  });
});
