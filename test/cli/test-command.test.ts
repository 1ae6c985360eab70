// `regent test` as a subprocess on fixture directories: passing, failing, erroring and skipped
// tests, `with` mocks, --run, and the exit code.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { regent } from './cli';

const POLICY = `package demo

allow if input.user == "alice"

double(x) := x * 2
`;

const TESTS = `package demo_test

import data.demo

test_alice_allowed if demo.allow with input as {"user": "alice"}

test_bob_allowed if demo.allow with input as {"user": "bob"}

test_mocked_function if demo.double(2) == 5 with demo.double as triple_plus_minus_one

triple_plus_minus_one(x) := (x * 3) - 1

test_conflict if {
	print("about to conflict")
	conflict == 1
}

conflict := 1 if true

conflict := 2 if true

todo_later if false
`;

describe('regent test', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regent-test-'));
    fs.writeFileSync(path.join(dir, 'demo.rego'), POLICY);
    fs.writeFileSync(path.join(dir, 'demo_test.rego'), TESTS);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports each outcome and exits non-zero when a test fails', () => {
    const r = regent(['test', dir, '-v']);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/data\.demo_test\.test_alice_allowed: PASS/);
    expect(r.stdout).toMatch(/data\.demo_test\.test_bob_allowed: FAIL/);
    expect(r.stdout).toMatch(/data\.demo_test\.test_mocked_function: PASS/);
    expect(r.stdout).toMatch(/data\.demo_test\.test_conflict: ERROR[\s\S]*eval_conflict_error/);
    expect(r.stdout).toMatch(/about to conflict/);
    expect(r.stdout).toMatch(/data\.demo_test\.todo_later: SKIPPED/);
    expect(r.stdout.trim().split('\n').pop()).toBe('2 passed, 2 failed, 1 skipped');
  });

  it('--run selects tests; all passing exits 0', () => {
    const r = regent(['test', dir, '--run', 'alice|mocked']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').pop()).toBe('2 passed, 0 failed');
  });

  it('a module that does not parse is reported with file:row:col, exit 1', () => {
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'regent-bad-'));
    fs.writeFileSync(path.join(bad, 'x.rego'), 'package x\n\np := [1,\n');
    const r = regent(['test', bad]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/x\.rego:\d+:\d+: rego_parse_error/);
    fs.rmSync(bad, { recursive: true, force: true });
  });

  it('gives the same verdicts on WASM as on the interpreter (the default)', () => {
    const interp = regent(['test', dir, '-v']);
    const wasm = regent(['test', dir, '-v', '--engine', 'wasm']);
    const verdicts = (out: string) => out.split('\n').filter((l) => l.startsWith('data.')).map((l) => l.replace(/ \(.*$/, ''));
    expect(verdicts(wasm.stdout)).toEqual(verdicts(interp.stdout));
    expect(wasm.status).toBe(2);
  });

  it.each([
    ['the interpreter (the default)', []],
    ['WASM', ['--engine', 'wasm']],
  ])('--timeout fails a test that runs too long; --bench reports ns/op: on %s', (_engine: string, flags: string[]) => {
    const slow = fs.mkdtempSync(path.join(os.tmpdir(), 'regent-slow-'));
    fs.writeFileSync(
      path.join(slow, 's.rego'),
      'package s\n\ntest_slow if count([1 | some i in numbers.range(1, 3000); some j in numbers.range(1, 3000); i < j]) > 0\n\ntest_fast if 1 + 1 == 2\n',
    );
    const r = regent(['test', slow, '--timeout', '100ms', ...flags]);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/data\.s\.test_slow: ERROR[\s\S]*eval_cancel_error: evaluation exceeded the time limit of 100 ms/);
    const b = regent(['test', slow, '--run', 'fast', '--bench', ...flags]);
    expect(b.status).toBe(0);
    expect(b.stdout).toMatch(/data\.s\.test_fast\s+\d+\s+\d+ ns\/op/);
    fs.rmSync(slow, { recursive: true, force: true });
  });

  it('--coverage reports the lines the tests ran, per file; --threshold fails below it', () => {
    const cov = fs.mkdtempSync(path.join(os.tmpdir(), 'regent-cov-'));
    // label(10) runs both definitions' bodies (a function's definitions must agree), so lines
    // 3-4 and 7 run, as OPA counts them; no test reaches `unused` (lines 9-10).
    fs.writeFileSync(path.join(cov, 'size.rego'), 'package size\n\nlabel(x) := "big" if {\n\tx > 5\n}\n\nlabel(x) := "small" if x <= 5\n\nunused := 1 if {\n\tinput.x\n}\n');
    fs.writeFileSync(path.join(cov, 'size_test.rego'), 'package size_test\n\nimport data.size\n\ntest_big if size.label(10) == "big"\n');
    const r = regent(['test', cov, '--coverage']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    const file = report.files[path.join(cov, 'size.rego')];
    expect(file.covered).toEqual([{ start: { row: 3 }, end: { row: 4 } }, { start: { row: 7 }, end: { row: 7 } }]);
    expect(file.not_covered).toEqual([{ start: { row: 9 }, end: { row: 10 } }]);
    expect(file.coverage).toBe(60);
    const low = regent(['test', cov, '--coverage', '--threshold', '90']);
    expect(low.status).toBe(2);
    expect(low.stderr).toMatch(/Code coverage threshold not met: got \d+\.\d\d instead of 90\.00/);
    fs.rmSync(cov, { recursive: true, force: true });
  });

  it('passes on the bundled policy library', () => {
    const r = regent(['test', path.resolve(__dirname, '../../policies')]);
    expect(r.stdout.trim().split('\n').pop()).toMatch(/^\d+ passed, 0 failed$/);
    expect(r.status).toBe(0);
  });
});
