// Differential test: every conformance case that passes on the IR interpreter is run again on
// WASM (compiled by our code generator, loaded by the stock @open-policy-agent/opa-wasm SDK), and
// the two engines must agree.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSuite, runCase } from '../../server/conformance/index';

const SUITE = path.resolve(__dirname, '../../../shared/conformance/opa/v1');
const present = fs.existsSync(SUITE);

(present ? describe : describe.skip)('interpreter and WASM agree on the conformance suite', () => {
  jest.setTimeout(600_000);

  it('passes at least 97% of the cases the interpreter passes', async () => {
    const suite = loadSuite([SUITE]);
    let interpPassed = 0;
    const disagreements: string[] = [];
    for (const tc of suite.cases) {
      const interp = await runCase(tc, { engine: 'interp' });
      if (interp.status !== 'passed') continue;
      interpPassed++;
      const wasm = await runCase(tc, { engine: 'wasm' });
      if (wasm.status !== 'passed') disagreements.push(`${tc.note}: ${wasm.status === 'failed' ? wasm.reason : wasm.status}`);
    }
    const rate = (interpPassed - disagreements.length) / interpPassed;
    if (rate < 0.97) throw new Error(`wasm passes ${(rate * 100).toFixed(1)}% of interpreter-passing cases:\n${disagreements.slice(0, 40).join('\n')}`);
    expect(rate).toBeGreaterThanOrEqual(0.97);
  });
});

if (!present) console.warn(`differential test skipped: ${SUITE} not found`);
