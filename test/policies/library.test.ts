// The bundled library as an admin adopts it: its own tests pass on both engines with at least
// 90% coverage, every file is formatted, and the whole directory (fixtures included) loads.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

jest.setTimeout(120_000);

const REPO = path.join(__dirname, '..', '..');

function regent(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin', 'regent.js'), ...args], { cwd: REPO, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

it.each(['wasm', 'interp'])('regent test policies/ passes on %s', (engine) => {
  const r = regent('test', 'policies/', '--engine', engine);
  expect(r.stderr + r.stdout).toMatch(/\d+ passed, 0 failed/);
  expect(r.status).toBe(0);
});

it('regent test policies/ --coverage --threshold 90 meets the threshold', () => {
  const r = regent('test', 'policies/', '--coverage', '--threshold', '90');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const report = JSON.parse(r.stdout) as { coverage: number; files: Record<string, { coverage: number }> };
  expect(report.coverage).toBeGreaterThanOrEqual(90);
  // Each rule file, not just the total.
  for (const [file, { coverage }] of Object.entries(report.files)) {
    if (!file.endsWith('_test.rego')) expect([file, coverage >= 90]).toEqual([file, true]);
  }
});

it('every file of the library is formatted', () => {
  const r = regent('fmt', '--list', '--fail', 'policies/');
  expect(r.stdout).toBe('');
  expect(r.status).toBe(0);
});

it('the library directory loads whole, fixtures as data.fixtures', () => {
  const r = regent('eval', '-d', 'policies/', '--format', 'pretty', 'count(data.fixtures.reviews) > 0');
  expect(r.stdout.trim()).toBe('true');
});
