// Loading case files: walking, normalising, folders, v0 detection, and malformed files.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSuite } from '../../server/conformance/cases';

let root: string;

function write(rel: string, text: string): string {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'regent-cases-'));
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const ONE = `cases:
  - note: a/one
    query: data.test.p = x
    modules:
      - |
        package test
        p := 1
    data:
      big: 28857836529306024611913
    input_term: '{"a": 1}'
    want_result:
      - x: 1
    sort_bindings: true
    strict_error: true
  - note: a/two
    query: "true"
    input: null
    want_error_code: eval_conflict_error
    want_error: boom
    skip: true
`;

describe('loadSuite', () => {
  test('normalises cases with their file, index and folder', () => {
    const file = write('v1/a/x.yaml', ONE);
    const { cases, problems } = loadSuite([path.join(root, 'v1')]);
    expect(problems).toEqual([]);
    expect(cases).toHaveLength(2);
    expect(cases[0]).toMatchObject({
      file,
      index: 0,
      folder: 'a',
      note: 'a/one',
      query: 'data.test.p = x',
      modules: ['package test\np := 1\n'],
      data: { big: 28857836529306024611913n },
      inputTerm: '{"a": 1}',
      wantResult: [{ x: 1 }],
      sortBindings: true,
      strictError: true,
      skip: false,
      regoVersion: 1,
    });
    // An explicit null reads as absent, as in OPA's Go harness.
    expect(cases[1]).toMatchObject({ index: 1, input: undefined, modules: [], skip: true, wantErrorCode: 'eval_conflict_error', wantError: 'boom' });
  });

  test('walks sub-directories in name order and ignores other files', () => {
    write('s/b/2.yaml', ONE.replace(/a\/one/, 'b/one'));
    write('s/a/1.yaml', ONE);
    write('s/a/notes.txt', 'not a case');
    const { cases } = loadSuite([path.join(root, 's')]);
    expect(cases.map((c) => `${c.folder}:${c.note}`)).toEqual(['a:a/one', 'a:a/two', 'b:b/one', 'b:a/two']);
  });

  test('files directly under the root are in a folder named after the root', () => {
    write('flat/x.yaml', ONE);
    expect(loadSuite([path.join(root, 'flat')]).cases[0].folder).toBe('flat');
  });

  test('cases under a v0 directory run with rego version 0', () => {
    write('opa/v0/all/x.yaml', ONE);
    write('opa/v1/all/x.yaml', ONE);
    const { cases } = loadSuite([path.join(root, 'opa')]);
    expect(cases.map((c) => [c.folder, c.regoVersion])).toEqual([
      ['v0/all', 0],
      ['v0/all', 0],
      ['v1/all', 1],
      ['v1/all', 1],
    ]);
  });

  test('a malformed file or case is a problem, not a crash', () => {
    write('bad/x.yaml', 'cases: [unclosed');
    write('bad/y.yaml', 'notcases: []');
    write('bad/z.yaml', 'cases:\n  - note: no query\n  - note: ok\n    query: "true"\n    want_result: []\n');
    const { cases, problems } = loadSuite([path.join(root, 'bad')]);
    expect(cases.map((c) => c.note)).toEqual(['ok']);
    expect(problems.map((p) => [path.basename(p.file), p.index, p.note])).toEqual([
      ['x.yaml', -1, path.join(root, 'bad', 'x.yaml')],
      ['y.yaml', -1, path.join(root, 'bad', 'y.yaml')],
      ['z.yaml', 0, 'no query'],
    ]);
    expect(problems[2].message).toMatch(/query/);
  });

  test('a missing root throws', () => {
    expect(() => loadSuite([path.join(root, 'nope')])).toThrow(/ENOENT/);
  });
});
