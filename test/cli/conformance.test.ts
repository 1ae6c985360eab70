// `regent conformance` on small hand-made suites.
import { regent, removeTree, tempTree } from './cli';

const PASSING = `cases:
  - note: basic/one
    query: data.test.p = x
    modules:
      - |
        package test
        p := 1
    want_result:
      - x: 1
`;

const SKIPPED = `cases:
  - note: skipped/one
    query: "true"
    want_result: []
    skip: true
`;

let root: string;
afterEach(() => removeTree(root));

describe('without the compiler', () => {
  test('skipped cases and unreadable files are counted; exit code is 0', () => {
    root = tempTree({ 'suite/skips/a.yaml': SKIPPED, 'suite/broken/b.yaml': 'cases: [' });
    const r = regent(['conformance', `${root}/suite`]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^folder\s+passed\s+failed\s+skipped$/);
    expect(lines[1]).toMatch(/^broken\s+0\s+1\s+0$/);
    expect(lines[2]).toMatch(/^skips\s+0\s+0\s+1$/);
    expect(lines[lines.length - 1]).toBe('0 passed, 1 failed, 1 skipped');
  });

  test('--format json has folders, failures and totals', () => {
    root = tempTree({ 'suite/skips/a.yaml': SKIPPED, 'suite/broken/b.yaml': 'cases: [' });
    const r = regent(['conformance', '--format', 'json', `${root}/suite`]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      folders: Array<{ folder: string; failures: Array<{ note: string; reason: string }> }>;
      passed: number;
      failed: number;
      skipped: number;
    };
    expect(out.folders.map((f) => f.folder)).toEqual(['broken', 'skips']);
    expect(out.folders[0].failures[0].reason).toMatch(/cannot load/);
    expect([out.passed, out.failed, out.skipped]).toEqual([0, 1, 1]);
  });

  test('--filter keeps only matching notes', () => {
    root = tempTree({ 'suite/skips/a.yaml': SKIPPED, 'suite/other/b.yaml': SKIPPED.replace('skipped/one', 'other/one') });
    const r = regent(['conformance', '--filter', '^other/', `${root}/suite`]);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('0 passed, 0 failed, 1 skipped');
  });
});

describe('with the compiler', () => {
  test('a passing case passes', () => {
    root = tempTree({ 'suite/basic/a.yaml': PASSING });
    const r = regent(['conformance', '--engine', 'interp', `${root}/suite`]);
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('1 passed, 0 failed, 0 skipped');
  });

  test('-v lists a failing case with expected and got', () => {
    root = tempTree({ 'suite/basic/a.yaml': PASSING.replace('- x: 1', '- x: 2') });
    const r = regent(['conformance', '-v', `${root}/suite`]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('FAIL basic/one');
    expect(r.stdout).toContain('expected [{"x":2}], got [{"x":1}]');
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('0 passed, 1 failed, 0 skipped');
  });
});
