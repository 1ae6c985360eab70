// Policies whose constants take more memory than the SDK's default 5 pages (320 KiB) still load:
// with the stock SDK's plain `loadPolicy(wasm)` (as OPA's own bundles are loaded) and through
// Regent's engine. Issues 14 (item 6) and 15: `memory import 0 is smaller than initial 7, got 5`.
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { compileModules } from '../../server/compiler/index';
import { parseModule } from '../../server/rego/index';
import { WasmPolicy, buildWasm } from '../../server/engine/wasm-policy';
import { fromJS, toJS } from '../../server/value/value';

/** 1 MB of text with multi-byte characters in it, so byte and character counts differ. */
const BIG = Array.from({ length: 1 << 20 }, (_, i) => (i % 4096 === 0 ? 'é' : String.fromCharCode(97 + (i % 26)))).join('');

const BIG_POLICY = `package big

s := ${JSON.stringify(BIG)}

n := count(s)

same if input.s == s
`;

describe('a 1 MB string constant', () => {
  jest.setTimeout(60_000); // about 2 s on two cores
  const compiled = compileModules([parseModule({ file: 'big.rego', text: BIG_POLICY })]);
  const entrypoints = ['big/s', 'big/n', 'big/same'];

  it('evaluates with plain loadPolicy(wasm), no memory descriptor', async () => {
    const { wasm } = await buildWasm(compiled, entrypoints, [], { portable: true });
    const policy = await loadPolicy(wasm);
    expect(policy.mem.buffer.byteLength).toBeGreaterThan(BIG.length); // grown past the SDK's 5 pages
    expect(policy.evaluate({}, 'big/n')).toEqual([{ result: BIG.length }]);
    expect(policy.evaluate({ s: BIG }, 'big/same')).toEqual([{ result: true }]);
    expect(policy.evaluate({}, 'big/s')).toEqual([{ result: BIG }]);
  });

  it("evaluates through Regent's engine", async () => {
    const policy = await WasmPolicy.load(await buildWasm(compiled, entrypoints));
    expect(toJS(policy.evaluate(undefined, 'big/n')[0])).toEqual({ result: BIG.length });
    expect(toJS(policy.evaluate(fromJS({ s: BIG }), 'big/same')[0])).toEqual({ result: true });
    expect(toJS(policy.evaluate(undefined, 'big/s')[0])).toEqual({ result: BIG });
  });
});

/** An infrastructure-as-code rule tree the size of public ones: 1,100 packages, 6,050 rules. */
const PACKAGES = 1100;
const RULES_PER_PACKAGE = 5;

function treeModule(p: number): string {
  const rules = Array.from(
    { length: RULES_PER_PACKAGE },
    (_, r) => `deny contains msg if {
	some res in input.resources
	res.type == "svc_${p}_kind_${r}"
	res.settings.encrypted != true
	msg := sprintf("svc_${p} check ${r}: resource %s must be encrypted at rest (see the guide, section ${p}.${r})", [res.name])
}
`,
  );
  return `package iac.svc_${p}

import rego.v1

title := "Service ${p}: encryption, logging and network exposure checks"

${rules.join('\n')}`;
}

const AGGREGATE = `package main

import rego.v1

violations contains msg if some msg in data.iac[_].deny
`;

describe('a tree of 1,100 modules', () => {
  jest.setTimeout(60_000); // about 10 s on two cores

  it('compiles and evaluates on WASM', async () => {
    const modules = [
      ...Array.from({ length: PACKAGES }, (_, p) => parseModule({ file: `iac/svc_${p}.rego`, text: treeModule(p) })),
      parseModule({ file: 'main.rego', text: AGGREGATE }),
    ];
    const artifact = await buildWasm(compileModules(modules), ['main/violations', 'iac/svc_1099/title']);
    const policy = await WasmPolicy.load(artifact);
    expect(policy.memoryBytes()).toBeGreaterThan(5 * 65536); // the messages alone take more than 5 pages
    const input = fromJS({
      resources: [
        { name: 'a', type: 'svc_0_kind_0', settings: { encrypted: false } },
        { name: 'b', type: 'svc_1099_kind_4', settings: { encrypted: 'no' } },
        { name: 'c', type: 'svc_550_kind_2', settings: { encrypted: true } },
      ],
    });
    expect(toJS(policy.evaluate(input, 'main/violations')[0])).toEqual({
      result: [
        'svc_0 check 0: resource a must be encrypted at rest (see the guide, section 0.0)',
        'svc_1099 check 4: resource b must be encrypted at rest (see the guide, section 1099.4)',
      ],
    });
    expect(toJS(policy.evaluate(undefined, 'iac/svc_1099/title')[0])).toEqual({ result: 'Service 1099: encryption, logging and network exposure checks' });
  });
});
