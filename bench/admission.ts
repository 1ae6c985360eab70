// Scenario: a twenty-rule admission policy (bench/fixtures/admission.rego) over a Pod
// AdmissionReview, evaluated by WASM (the production path), by the IR interpreter, and by a
// hand-written TypeScript function doing the same checks (the floor). Also: compile time of
// the shared suite's largest module, parse → wasm bytes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileModules, compileQuery, planPolicy } from '../server/compiler/index';
import { lookupBuiltin } from '../server/builtins/catalog';
import { Interpreter } from '../server/ir/interpreter';
import { parseModule, parseQuery } from '../server/rego/index';
import { WasmPolicy, buildWasm } from '../server/engine/wasm-policy';
import { ObjectValue, fromJS, toJS } from '../server/value/value';
import { loadSuite } from '../server/conformance/index';
import { floorDeny } from './floor';

const FIXTURES = path.join(__dirname, '..', '..', 'bench', 'fixtures');

/** Median time of `fn` in microseconds over `n` runs, after `n / 10` warm-up runs. */
export function medianMicros(fn: () => void, n: number): number {
  for (let i = 0; i < Math.max(1, n / 10); i++) fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export async function medianMicrosAsync(fn: () => Promise<void>, n: number): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function fixture(name: string): string {
  const p = [path.join(FIXTURES, name), path.join(__dirname, 'fixtures', name)].find((f) => fs.existsSync(f));
  if (!p) throw new Error(`bench fixture ${name} not found`);
  return fs.readFileSync(p, 'utf8');
}

export async function scenarioAdmission(iterations: number): Promise<void> {
  const text = fixture('admission.rego');
  const reviewText = fixture('pod-review.json');
  const review: unknown = JSON.parse(reviewText);
  const input = fromJS(review);
  const compiled = compileModules([parseModule({ file: 'admission.rego', text })]);

  const policy = await WasmPolicy.load(await buildWasm(compiled, ['bench/admission/deny']));
  policy.setData(new ObjectValue());
  const reviewBytes = new TextEncoder().encode(reviewText);

  const q = compileQuery(compiled, 'q', parseQuery('x = data.bench.admission.deny'));
  const interp = new Interpreter(planPolicy(compiled, [q]), { lookupBuiltin });

  // The three must agree before any of them is timed.
  const want = floorDeny(review);
  const gotWasm = toJS(policy.evaluate(input, 'bench/admission/deny')[0]) as { result: string[] };
  const gotInterp = toJS(interp.evalPlan('q', input, new ObjectValue())[0]) as { x: string[] };
  for (const [name, got] of [['wasm', gotWasm.result], ['interpreter', gotInterp.x]] as const) {
    if (JSON.stringify([...got].sort()) !== JSON.stringify(want)) {
      throw new Error(`bench: ${name} disagrees with the floor:\n  ${JSON.stringify(got)}\n  ${JSON.stringify(want)}`);
    }
  }

  const floorParsed = medianMicros(() => void floorDeny(review), iterations);
  const floorText = medianMicros(() => void floorDeny(JSON.parse(reviewText)), iterations);
  const wasmText = medianMicros(() => void policy.evaluate(reviewBytes, 'bench/admission/deny'), iterations);
  const wasmValue = medianMicros(() => void policy.evaluate(input, 'bench/admission/deny'), iterations);
  const interpValue = medianMicros(() => void interp.evalPlan('q', input, new ObjectValue()), iterations);

  const row = (label: string, us: number, floor: number): string =>
    `  ${label.padEnd(44)} ${us.toFixed(1).padStart(9)} µs   ${(us / floor).toFixed(2).padStart(6)}× floor`;
  console.log(`scenario 2: admission policy (20 rules, ${want.length} denials) over a Pod AdmissionReview, median of ${iterations}`);
  console.log(row('floor: hand-written TypeScript, parsed input', floorParsed, floorParsed));
  console.log(row('floor: hand-written TypeScript, JSON text', floorText, floorText));
  console.log(row('wasm (loaded by opa-wasm), JSON text in', wasmText, floorText));
  console.log(row('wasm (loaded by opa-wasm), value in', wasmValue, floorParsed));
  console.log(row('IR interpreter, value in', interpValue, floorParsed));
}

/** Parse → wasm bytes for the largest module of the suite. */
export async function scenarioCompile(dirs: string[], iterations: number): Promise<void> {
  const suite = loadSuite(dirs);
  // The largest module that compiles (some cases' modules exist to be rejected).
  const modules = suite.cases.flatMap((tc) => tc.modules.map((text) => ({ text, note: tc.note })));
  modules.sort((a, b) => b.text.length - a.text.length);
  const compiles = (text: string): boolean => {
    try {
      compileModules([parseModule({ file: 'largest.rego', text })]);
      return true;
    } catch {
      return false;
    }
  };
  const largest = modules.find((m) => compiles(m.text));
  if (!largest) throw new Error('no module of the suite compiles');
  let entry: string | undefined;
  const compileOnce = async (): Promise<void> => {
    const mod = parseModule({ file: 'largest.rego', text: largest.text });
    entry ??= mod.package.join('/');
    const compiled = compileModules([mod]);
    await buildWasm(compiled, [entry]);
  };
  const us = await medianMicrosAsync(compileOnce, iterations);
  console.log(`scenario 3: compile the suite's largest module (${largest.text.length} bytes, "${largest.note}"), parse → wasm bytes`);
  console.log(`  median ${(us / 1000).toFixed(1)} ms over ${iterations} runs (binaryen loaded once beforehand)`);
}
