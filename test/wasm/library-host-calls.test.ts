// The shipped policy library decides the fixture AdmissionReviews on WASM without calling the
// host: every host call marshals its arguments and result as JSON, which cost more than the
// policy itself (issue 15: object.union through lib.kubernetes.settings(), upper). A builtin the
// library starts to need that must run on the host goes in HOST_CALLS, with the reason.
// (test/wasm/library-profile.cjs prints the counts and the time per decision.)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { compileModules } from '../../server/compiler/index';
import { parseModule } from '../../server/rego/index';
import { loadPaths } from '../../server/cli/load-paths';
import { buildWasm } from '../../server/engine/wasm-policy';
import { DEADLINE_BUILTIN, hostBuiltins } from '../../server/wasm/host-builtins';

const ROOT = path.resolve(__dirname, '../..');
const ENTRYPOINTS = ['kubernetes/admission/deny', 'kubernetes/admission/warn', 'kubernetes/admission/patch', 'kubernetes/admission/audit_annotations'];

/** Host calls allowed per decision, by builtin. */
const HOST_CALLS: Record<string, number> = {};

it('evaluates every fixture review without host builtin calls', async () => {
  const loaded = loadPaths([path.join(ROOT, 'policies')]);
  const compiled = compileModules(loaded.modules.filter((m) => !m.file.endsWith('_test.rego')).map((m) => parseModule(m)));
  const artifact = await buildWasm(compiled, ENTRYPOINTS);
  const calls = new Map<string, number>();
  const state = { strict: false, deadline: Infinity, ctx: { nowNs: 0n, print: () => undefined, cache: new Map() } };
  const counted = Object.fromEntries(
    Object.entries(hostBuiltins(artifact.hostBuiltins, state)).map(([key, f]) => {
      const name = artifact.hostBuiltins[key];
      return [key, (...args: unknown[]) => (name !== DEADLINE_BUILTIN && calls.set(name, (calls.get(name) ?? 0) + 1), f(...args))];
    }),
  );
  const policy = await loadPolicy(artifact.wasm, undefined, counted);
  const cluster: unknown = JSON.parse(fs.readFileSync(path.join(ROOT, 'policies/fixtures/cluster/cluster.json'), 'utf8'));
  policy.setData({ ...loaded.data, kubernetes: cluster });

  const dir = path.join(ROOT, 'policies/fixtures/reviews');
  const reviews = fs.readdirSync(dir).sort();
  expect(reviews.length).toBeGreaterThan(0);
  let denied = 0;
  for (const name of reviews) {
    const review: unknown = JSON.parse(fs.readFileSync(path.join(dir, name, 'review.json'), 'utf8'));
    calls.clear();
    const [deny] = ENTRYPOINTS.map((e) => (policy.evaluate(review, e) as Array<{ result: unknown }>)[0]?.result);
    if (Array.isArray(deny) && deny.length > 0) denied++;
    for (const [builtin, n] of calls) expect([name, builtin, n]).toEqual([name, builtin, Math.min(n, HOST_CALLS[builtin] ?? 0)]);
  }
  // The policies really ran (the fixtures include Pods the defaults reject).
  expect(denied).toBeGreaterThan(0);
});
