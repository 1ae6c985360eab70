// Host calls and decision time of the shipped policy library on WASM (issue 15). Not a test: a
// measurement to run by hand after `npm run build` (it loads the compiled code in dist/, so jest's
// transpiler does not distort the timing):
//
//   node test/wasm/library-profile.cjs [iterations] [--before]
//
// Prints, per fixture review in policies/fixtures/reviews, the host builtin calls one decision
// makes (by builtin name), their mean per request, and the median µs per decision on
// bench/fixtures/pod-review.json. The data is what `regent run policies/` loads, plus the
// fixtures' cluster (policies/fixtures/cluster/cluster.json) under `kubernetes`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const dist = (p) => require(path.join(ROOT, 'dist', p));

// `--before`: the builtins made native in issue 15 go to the host again, as before it (the code
// generator reads this map), for an A/B comparison in one tree.
if (process.argv.includes('--before')) {
  const { NATIVE_BUILTINS } = dist('server/wasm/native.js');
  for (const name of ['object.union', 'object.union_n', 'upper', 'lower', 'trim', 'trim_left', 'trim_right', 'trim_space', 'replace']) NATIVE_BUILTINS.delete(name);
}

// Count host calls by wrapping the functions the module's imports are given.
const host = dist('server/wasm/host-builtins.js');
const counts = new Map();
let counting = false;
const hostBuiltins = host.hostBuiltins;
host.hostBuiltins = (names, state) => {
  const out = hostBuiltins(names, state);
  for (const [key, f] of Object.entries(out)) {
    const name = names[key];
    out[key] = (...args) => {
      if (counting) counts.set(name, (counts.get(name) ?? 0) + 1);
      return f(...args);
    };
  }
  return out;
};

const { Evaluator } = dist('server/engine/evaluator.js');
const { PolicyBuilder, groupName } = dist('server/engine/policy-set.js');
const { loadPaths } = dist('server/cli/load-paths.js');
const { medianMicros } = dist('bench/admission.js');

const ENTRYPOINTS = ['kubernetes/admission/deny', 'kubernetes/admission/warn', 'kubernetes/admission/patch', 'kubernetes/admission/audit_annotations'];

async function main() {
  const iterations = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 2000);
  const loaded = loadPaths([path.join(ROOT, 'policies')]);
  const modules = loaded.modules.map((m) => ({ id: m.file, text: m.text }));
  const data = { ...loaded.data, kubernetes: JSON.parse(fs.readFileSync(path.join(ROOT, 'policies/fixtures/cluster/cluster.json'), 'utf8')) };
  const ev = new Evaluator();
  // As the service compiles a decision: its four documents as one group, one evaluation.
  await ev.install(await new PolicyBuilder().build({ version: 1, modules, engine: 'wasm', compile: [groupName(ENTRYPOINTS)], stage: 'wasm' }));
  const dataJSON = JSON.stringify(data, (_, v) => (typeof v === 'bigint' ? Number(v) : v));
  ev.setData(dataJSON);
  // The interpreter, for a check that the decisions are the same.
  const interp = new Evaluator();
  await interp.install(await new PolicyBuilder().build({ version: 1, modules, engine: 'interp', compile: [groupName(ENTRYPOINTS)], stage: 'plan' }));
  interp.setData(dataJSON);

  const dir = path.join(ROOT, 'policies/fixtures/reviews');
  const total = new Map();
  const reviews = fs.readdirSync(dir).sort();
  for (const name of reviews) {
    const bytes = fs.readFileSync(path.join(dir, name, 'review.json'));
    counts.clear();
    counting = true;
    const got = ev.evaluate(ENTRYPOINTS, bytes, {});
    counting = false;
    const want = interp.evaluate(ENTRYPOINTS, bytes, {});
    if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`${name}: WASM and the interpreter disagree:\n${got}\n${want}`);
    const calls = [...counts].filter(([n]) => n !== host.DEADLINE_BUILTIN).sort((a, b) => b[1] - a[1]);
    for (const [n, c] of calls) total.set(n, (total.get(n) ?? 0) + c);
    const sum = calls.reduce((s, [, c]) => s + c, 0);
    console.log(`${name.padEnd(40)} ${String(sum).padStart(4)} host calls  ${calls.map(([n, c]) => `${n}×${c}`).join(' ')}`);
  }
  const perRequest = [...total].sort((a, b) => b[1] - a[1]).map(([n, c]) => `${n} ${(c / reviews.length).toFixed(2)}`);
  const sum = [...total.values()].reduce((s, c) => s + c, 0);
  console.log(`(every decision equals the interpreter's)\nmean host calls per request: ${(sum / reviews.length).toFixed(2)}  (${perRequest.join(', ') || 'none'})`);

  const pod = fs.readFileSync(path.join(ROOT, 'bench/fixtures/pod-review.json'));
  counts.clear();
  counting = true;
  const results = ev.evaluate(ENTRYPOINTS, pod, {});
  counting = false;
  console.log(`bench/fixtures/pod-review.json: ${[...counts].filter(([n]) => n !== host.DEADLINE_BUILTIN).map(([n, c]) => `${n}×${c}`).join(' ') || 'no host calls'}`);
  console.log(`  results: ${results.map((r) => r.length).join(' / ')} bytes of JSON`);
  const us = medianMicros(() => ev.evaluate(ENTRYPOINTS, pod, {}), iterations);
  console.log(`  median ${us.toFixed(1)} µs per decision (4 entrypoints) over ${iterations} runs`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
