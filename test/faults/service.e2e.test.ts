// Faults a hostile client (or a runaway policy) provokes, against the real service process:
// evaluations that exhaust memory or time, deep documents, huge constants. None may crash the
// process, stall other requests, or change what policies see.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, startService, type Proc } from '../support/processes';

const REPO = path.resolve(__dirname, '..', '..');
const REVIEW = fs.readFileSync(path.join(REPO, 'bench', 'fixtures', 'pod-review.json'), 'utf8');
const CRASH = 'x := count([numbers.range(0, 9999999) | some i in numbers.range(1, 40)])';

type Service = Proc & { url: string };

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function put(url: string, body: string): Promise<number> {
  return (await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body })).status;
}

/** An AdmissionReview of the bench Pod with its first container's image replaced. */
function reviewWithImage(image: string): string {
  const r = JSON.parse(REVIEW) as { request: { object: { spec: { containers: Array<{ image: string }> } } } };
  r.request.object.spec.containers[0].image = image;
  return JSON.stringify(r);
}

/** Whether the policy lets the first container's image through the registry allowlist. */
async function registryAllowed(s: Service, image: string): Promise<boolean> {
  const { json } = await post(`${s.url}/v1/admit`, reviewWithImage(image));
  const response = json.response as { allowed: boolean; status?: { message: string } };
  return !/containers\[0\]\.image [^;]* comes from a registry that is not allowed/.test(response.status?.message ?? '');
}

function deepArray(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

describe('faults against the running service', () => {
  jest.setTimeout(120_000);
  let s: Service;

  beforeAll(async () => {
    s = await startService([path.join(REPO, 'policies')], await freePort(), ['--eval-memory-limit', '256', '--eval-time-limit', '60s']);
  });
  afterAll(() => s.stop());

  it('an evaluation that exhausts its memory fails alone; the process and other requests carry on', async () => {
    const crash = post(`${s.url}/v1/query`, { query: CRASH });
    // Decisions keep being answered while the query grows (it holds one worker, never all).
    const during = await post(`${s.url}/v1/admit`, REVIEW);
    expect(during.status).toBe(200);
    const { status, json } = await crash;
    expect(status).toBe(500);
    expect(JSON.stringify(json)).toMatch(/eval_cancel_error.*memory limit of 256 MiB/);
    expect((await fetch(`${s.url}/health`)).status).toBe(200);
    expect((await post(`${s.url}/v1/admit`, REVIEW)).status).toBe(200);
    expect(s.child.exitCode).toBeNull();
    expect(s.logs()).toMatch(/evaluation worker stopped \(evaluation exceeded the memory limit/);
  });

  it('deep documents are refused at the door and never change what policies see', async () => {
    expect(await registryAllowed(s, 'evil.example.com/app:1.0')).toBe(false);
    // A 2048-deep array, a 2049-segment path, a 2049-deep body: all 400, nothing stored.
    expect(await put(`${s.url}/v1/data/h5/x`, deepArray(2048))).toBe(400);
    expect(await put(`${s.url}/v1/data/${Array.from({ length: 2049 }, (_, i) => `p${i}`).join('/')}`, '1')).toBe(400);
    expect(await put(`${s.url}/v1/data/h6`, deepArray(2049))).toBe(400);
    expect(await put(`${s.url}/v1/data/h7`, deepArray(100_000))).toBe(400);
    expect(((await (await fetch(`${s.url}/v1/data/h5`)).json()) as Record<string, unknown>).result).toBeUndefined();
    // Writes and policy changes go on working, and the registry list still holds.
    for (let i = 0; i < 20; i++) {
      expect(await put(`${s.url}/v1/data/scratch/n${i}`, JSON.stringify({ i }))).toBe(204);
      expect((await fetch(`${s.url}/v1/policies/extra${i}.rego`, { method: 'PUT', body: `package extra${i}\n\nv := ${i}\n` })).status).toBe(200);
    }
    expect(await registryAllowed(s, 'evil.example.com/app:1.0')).toBe(false);
    expect(await registryAllowed(s, 'registry.example.com/app:1.0')).toBe(true);
  });

  it('a policy with a 1 MB string constant loads and evaluates', async () => {
    const big = 'x'.repeat(1 << 20);
    const res = await fetch(`${s.url}/v1/policies/big.rego`, { method: 'PUT', body: `package big\n\ns := "${big}"\n\nn := count(s)\n` });
    expect(res.status).toBe(200);
    expect(((await (await fetch(`${s.url}/v1/data/big/n`)).json()) as Record<string, unknown>).result).toBe(1 << 20);
  });
});

describe('time limits on the running service', () => {
  jest.setTimeout(120_000);
  let s: Service;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regent-faults-'));
    fs.writeFileSync(
      path.join(dir, 'slow.rego'),
      [
        'package slow',
        '',
        '# Many builtin calls: stopped by the evaluation itself.',
        'calls := count([m | some i in numbers.range(1, 2000000); m := regex.match(sprintf("^a{%d}$", [i % 50]), "aaa")])',
        '',
        '# One builtin call that runs for seconds: the worker holding it is stopped.',
        'single := count(json.marshal(numbers.range(0, 9000000)))',
        '',
        'fast := 1',
      ].join('\n'),
    );
    s = await startService([dir], await freePort(), ['--eval-time-limit', '100ms']);
  });
  afterAll(async () => {
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(['calls', 'single'])('a slow evaluation (%s) stops with eval_cancel_error while /health answers', async (rule) => {
    let slowDone = false;
    const slow = fetch(`${s.url}/v1/data/slow/${rule}`).then(async (r) => {
      slowDone = true;
      return { status: r.status, text: await r.text() };
    });
    const health = await fetch(`${s.url}/health`);
    expect(health.status).toBe(200);
    expect(slowDone).toBe(false); // /health did not wait for it
    const { status, text } = await slow;
    expect(status).toBe(500);
    expect(text).toMatch(/eval_cancel_error.*time limit of 100 ms/);
    // The next evaluation is answered normally (a stopped worker's place is taken at once).
    expect(await (await fetch(`${s.url}/v1/data/slow/fast`)).json()).toEqual({ result: 1 });
  });
});
