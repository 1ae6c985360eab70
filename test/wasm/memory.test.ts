// Evaluations reuse the heap: after warm-up, 100,000 evaluations on varying inputs leave the
// WASM memory size unchanged.
import { compileModules } from '../../server/compiler/index';
import { parseModule } from '../../server/rego/index';
import { WasmPolicy, buildWasm } from '../../server/engine/wasm-policy';
import { fromJS } from '../../server/value/value';

const POLICY = `package mem

deny contains msg if {
	some c in input.containers
	not startswith(c.image, "registry.example.com/")
	msg := concat("", ["untrusted image ", c.image])
}

allow if count(deny) == 0
`;

describe('wasm memory', () => {
  jest.setTimeout(120_000);

  it('stays bounded over 100,000 evaluations', async () => {
    const compiled = compileModules([parseModule({ file: 'mem.rego', text: POLICY })]);
    const policy = await WasmPolicy.load(await buildWasm(compiled, ['mem/allow', 'mem/deny']));
    const input = (i: number) =>
      fromJS({ containers: Array.from({ length: 1 + (i % 7) }, (_, j) => ({ image: j % 2 ? `docker.io/x${i}:${j}` : `registry.example.com/a${j}` })) });
    for (let i = 0; i < 1000; i++) policy.evaluate(input(i), 'mem/deny');
    const before = policy.memoryBytes();
    for (let i = 0; i < 100_000; i++) {
      const rs = policy.evaluate(input(i), i % 2 ? 'mem/deny' : 'mem/allow');
      if (i % 10_000 === 1) expect(rs.length).toBe(1); // a deny set is always defined
    }
    expect(policy.memoryBytes()).toBe(before);
  });
});
