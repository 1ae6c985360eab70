// WASM linear memory only grows. After an evaluation (or a run of data writes) has grown it far
// past what the data needs, the evaluator replaces the instance with a fresh one of the same
// policy set, so the memory goes back to the system, and answers stay the same.
import { Evaluator } from '../../server/engine/evaluator';
import { PolicyBuilder } from '../../server/engine/policy-set';

const POLICY = `package m

big := count([x | some x in numbers.range(1, 2000000)])

small := 1
`;

describe('WASM memory renewal', () => {
  jest.setTimeout(60_000);

  it('gives back the memory a large evaluation grew, and keeps answering', async () => {
    const set = await new PolicyBuilder().build({ version: 1, modules: [{ id: 'm.rego', text: POLICY }], engine: 'wasm', compile: ['m/big', 'm/small'], stage: 'wasm' });
    const ev = new Evaluator();
    await ev.install(set);
    ev.setData('{"d": [1, 2, 3]}');
    const memory = (): number => (ev as unknown as { executor: { memoryBytes(): number } }).executor.memoryBytes();
    const before = memory();
    expect(ev.evaluate(['m/big'], undefined, {})).toEqual(['[{"result":2000000}]']);
    expect(memory()).toBeGreaterThan(64 << 20); // the comprehension grew it
    // The renewal is asynchronous (a WebAssembly instantiation); poll for the fresh instance.
    for (let i = 0; i < 200 && memory() > before * 2; i++) await new Promise((r) => setTimeout(r, 25));
    expect(memory()).toBeLessThanOrEqual(before * 2);
    expect(ev.evaluate(['m/small'], undefined, {})).toEqual(['[{"result":1}]']);
    expect(ev.evaluate(['m/big'], undefined, {})).toEqual(['[{"result":2000000}]']);
  });
});
