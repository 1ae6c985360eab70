// The policy library's fixtures (policies/fixtures: the seeds' YAML examples as AdmissionReviews)
// through the running service (`regent run policies/`): POST /v1/admit gives the decision each
// case of expectations.yaml names, and every patch POST /v1/mutate emits applies with
// fast-json-patch; where a case says `mutate`, the patched Pod passes the restricted profile.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyPatch, type Operation } from 'fast-json-patch';
import * as yaml from 'js-yaml';
import { freePort, startService } from '../support/processes';

jest.setTimeout(60_000);

const FIXTURES = path.join(__dirname, '..', '..', 'policies', 'fixtures');

interface Case {
  review: string;
  namespace?: string;
  change?: Operation[];
  why?: string;
  allowed?: boolean;
  deny?: string[];
  warn?: string[];
  mutate?: boolean;
}

interface Scenario {
  name: string;
  data: Record<string, string>;
  cases: Case[];
}

interface Review {
  apiVersion: string;
  kind: string;
  request: { uid: string; namespace: string; object: Pod };
}

interface Pod {
  metadata: { name: string; namespace: string };
  spec: Record<string, unknown>;
}

interface Response {
  uid: string;
  allowed: boolean;
  status?: { code: number; message: string };
  warnings?: string[];
  patchType?: string;
  patch?: string;
}

const { scenarios } = yaml.load(fs.readFileSync(path.join(FIXTURES, 'expectations.yaml'), 'utf8')) as { scenarios: Scenario[] };

let service: Awaited<ReturnType<typeof startService>>;

beforeAll(async () => {
  service = await startService(['policies/'], await freePort());
});

afterAll(async () => service?.stop());

async function post(endpoint: '/v1/admit' | '/v1/mutate', review: Review): Promise<Response> {
  const res = await fetch(`${service.url}${endpoint}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(review) });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { response: Response };
  expect(body.response.uid).toBe(review.request.uid);
  return body.response;
}

/** The case's review: moved to its namespace and changed as it says. */
function reviewFor(c: Case, index: number): Review {
  const review = JSON.parse(fs.readFileSync(path.join(FIXTURES, c.review), 'utf8')) as Review;
  const namespace = c.namespace ?? review.request.namespace;
  review.request.uid = `${review.request.uid}-${index}`;
  review.request.namespace = namespace;
  review.request.object.metadata.namespace = namespace;
  if (c.change) review.request.object = applyPatch(review.request.object, c.change, true, false).newDocument;
  return review;
}

function decodePatch(r: Response): Operation[] {
  expect(r.patchType).toBe('JSONPatch');
  return JSON.parse(Buffer.from(r.patch ?? '', 'base64').toString('utf8')) as Operation[];
}

it('the expectations name existing fixtures and one decision per case', () => {
  for (const s of scenarios) {
    for (const [key, file] of Object.entries(s.data)) expect([key, fs.existsSync(path.join(FIXTURES, file))]).toEqual([key, true]);
    for (const c of s.cases) {
      expect(fs.existsSync(path.join(FIXTURES, c.review))).toBe(true);
      expect([c.review, c.deny === undefined, c.allowed === true]).toEqual([c.review, c.allowed === true, c.deny === undefined]);
    }
  }
});

describe.each(scenarios)('$name', (scenario) => {
  beforeAll(async () => {
    for (const [key, file] of Object.entries(scenario.data)) {
      const res = await fetch(`${service.url}/v1/data/${key}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: fs.readFileSync(path.join(FIXTURES, file)) });
      expect(res.status).toBe(204);
    }
  });

  const title = (c: Case): string =>
    `${path.basename(path.dirname(c.review))} in ${c.namespace ?? 'its namespace'}${c.change ? ' (changed)' : ''}: ${c.deny ? 'denied' : 'allowed'}${c.why ? ` (${c.why})` : ''}`;

  it.each(scenario.cases.map((c, i) => [title(c), c, i] as const))('%s', async (_title, c, i) => {
    const review = reviewFor(c, i);
    const decision = await post('/v1/admit', review);
    if (c.deny) {
      expect(decision.allowed).toBe(false);
      expect(decision.status?.code).toBe(403);
      expect(decision.status?.message).toBe([...c.deny].sort().join('; '));
    } else {
      expect(decision.status?.message).toBeUndefined();
      expect(decision.allowed).toBe(true);
    }
    for (const w of c.warn ?? []) expect(decision.warnings ?? []).toContain(w);

    // Whatever patch the mutating webhook would return applies cleanly to the Pod.
    const mutation = await post('/v1/mutate', review);
    expect(mutation.allowed).toBe(true);
    if (mutation.patch === undefined) {
      expect(c.mutate).toBeFalsy();
      return;
    }
    const patched = applyPatch(structuredClone(review.request.object), decodePatch(mutation), true, false).newDocument;
    if (!c.mutate) return;
    // The patched Pod passes restricted: it is admitted in the namespace enforcing it.
    patched.metadata.namespace = 'secure';
    const again = await post('/v1/admit', { ...review, request: { ...review.request, uid: `${review.request.uid}-patched`, namespace: 'secure', object: patched } });
    expect(again.status?.message).toBeUndefined();
    expect(again.allowed).toBe(true);
  });
});

describe('audit of replicated objects with the library', () => {
  beforeAll(async () => {
    const put = (p: string, body: unknown) =>
      fetch(`${service.url}/v1/data/${p}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const lab = fs.readFileSync(path.join(FIXTURES, 'lab', 'config.json'));
    expect((await fetch(`${service.url}/v1/data/config`, { method: 'PUT', body: lab })).status).toBe(204);
    const cluster = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'cluster', 'cluster.json'), 'utf8')) as Record<string, unknown>;
    // The seeds' Pods as the cluster runs them, in their namespaces.
    const pods: Record<string, Record<string, Pod>> = {};
    for (const name of ['002-nfs-server', '002-runas', '000-pod-with-defaults']) {
      const pod = (JSON.parse(fs.readFileSync(path.join(FIXTURES, 'reviews', name, 'review.json'), 'utf8')) as Review).request.object;
      (pods[pod.metadata.namespace] ??= {})[pod.metadata.name] = pod;
    }
    expect((await put('kubernetes', { ...cluster, pods })).status).toBe(204);
  });

  it('GET /v1/audit lists the replicated Pods the policy would reject now, with its messages', async () => {
    const res = await fetch(`${service.url}/v1/audit`);
    expect(res.status).toBe(200);
    const { result: report } = (await res.json()) as { result: { checked: number; violations: { kind: string; namespace?: string; name: string; messages: string[] }[] } };
    const pods = report.violations.filter((v) => v.kind === 'Pod').map((v) => [v.namespace, v.name, v.messages.length > 0]);
    expect(pods).toEqual([
      ['apps', 'nfs-server', true],
      ['secure', 'pod-with-defaults', true],
    ]);
    const nfs = report.violations.find((v) => v.name === 'nfs-server');
    expect(nfs?.messages).toEqual(['container nfs-server: spec.containers[0].securityContext.privileged is true; privileged containers are not allowed [profile baseline]']);
  });
});
