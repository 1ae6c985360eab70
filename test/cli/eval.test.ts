// `regent eval` and `regent check` end to end. These need the parser and compiler (runQuery).
import { regent, removeTree, tempTree } from './cli';

const POLICY = `package example

default allow := false

allow if input.user == "alice"

names contains n if some n in data.people.names
`;

let root: string;
afterEach(() => removeTree(root));

describe('regent eval', () => {
  test('prints OPA’s result shape with text and location', () => {
    root = tempTree({ 'p/example.rego': POLICY, 'input.json': '{"user": "alice"}' });
    const r = regent(['eval', '-d', 'p', '-i', 'input.json', 'data.example.allow'], root);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      result: [{ expressions: [{ value: true, text: 'data.example.allow', location: { row: 1, col: 1 } }] }],
    });
    expect(r.stdout).toBe(
      [
        '{',
        '  "result": [',
        '    {',
        '      "expressions": [',
        '        {',
        '          "value": true,',
        '          "text": "data.example.allow",',
        '          "location": {',
        '            "row": 1,',
        '            "col": 1',
        '          }',
        '        }',
        '      ]',
        '    }',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
  });

  test('bindings, one result per solution, and expression texts', () => {
    root = tempTree({});
    const r = regent(['eval', 'x := [1, 2][_]; y := x * 10'], root);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { result: Array<{ expressions: Array<{ text: string; location: unknown }>; bindings: unknown }> };
    expect(out.result.map((s) => s.bindings)).toEqual([
      { x: 1, y: 10 },
      { x: 2, y: 20 },
    ]);
    expect(out.result[0].expressions.map((e) => e.text)).toEqual(['x := [1, 2][_]', 'y := x * 10']);
    expect(out.result[0].expressions[1].location).toEqual({ row: 1, col: 17 });
  });

  test('data files are placed at their directory path; files given directly at the root', () => {
    root = tempTree({
      'd/people/names/data.json': '["bob", "alice"]',
      'd/example.rego': POLICY,
      'extra.yaml': 'flag: true\n',
    });
    const r = regent(['eval', '-d', 'd', '-d', 'extra.yaml', '--format', 'pretty', '[data.example.names, data.flag]'], root);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([['alice', 'bob'], true]);
  });

  test('big integers in input keep their precision', () => {
    root = tempTree({ 'input.json': '{"n": 28857836529306024611913}' });
    const r = regent(['eval', '-i', 'input.json', 'input.n'], root);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('"value": 28857836529306024611913,');
  });

  test('numbers in data files and input read exactly: 1e400 is that integer, not null or a string', () => {
    root = tempTree({
      'd/j/data.json': '{"big": 18446744073709551615, "huge": 1e400}',
      'd/y/data.yaml': 'huge: 1e400\nexp: 1.8446744073709551615e19\n',
      'input.json': '{"x": 1e400}',
    });
    const r = regent(['eval', '-d', 'd', '-i', 'input.json', '--format', 'pretty', '[data.j, data.y, input.x == data.j.huge, data.j.big > 18446744073709551614]'], root);
    expect(r.status).toBe(0);
    const huge = '1' + '0'.repeat(400);
    expect(r.stdout.replace(/\s/g, '')).toBe(`[{"big":18446744073709551615,"huge":${huge}},{"exp":18446744073709551615,"huge":${huge}},true,true]`);
  });

  test('an undefined query prints {}', () => {
    root = tempTree({});
    const r = regent(['eval', 'input.missing'], root);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('{}\n');
    expect(regent(['eval', '--format', 'pretty', 'input.missing'], root).stdout).toBe('undefined\n');
  });

  test('pretty prints bindings as a table', () => {
    root = tempTree({});
    const r = regent(['eval', '--format', 'pretty', 'x := "a"'], root);
    expect(r.stdout).toBe(['+-----+', '| x   |', '+-----+', '| "a" |', '+-----+', ''].join('\n'));
  });

  test('a parse error is reported as OPA-style JSON with exit code 1', () => {
    root = tempTree({ 'bad.rego': 'package bad\n\np if {\n' });
    const r = regent(['eval', '-d', 'bad.rego', 'data.bad.p'], root);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { errors: Array<{ code: string; message: string; location: { file: string; row: number; col: number } }> };
    expect(out.errors[0].code).toBe('rego_parse_error');
    expect(out.errors[0].location.file).toBe('bad.rego');
  });

  test('pretty errors are file:row:col: code: message lines', () => {
    root = tempTree({ 'bad.rego': 'package bad\n\np if {\n' });
    const r = regent(['eval', '--format', 'pretty', '-d', 'bad.rego', 'data.bad.p'], root);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^bad\.rego:\d+:\d+: rego_parse_error: /);
  });

  test('--strict-builtin-errors turns builtin failures into errors', () => {
    root = tempTree({});
    expect(regent(['eval', 'x := 1 / 0'], root).stdout).toBe('{}\n');
    const r = regent(['eval', '--strict-builtin-errors', 'x := 1 / 0'], root);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('divide by zero');
  });

  test('a missing data path is an error in the same format', () => {
    root = tempTree({});
    const r = regent(['eval', '-d', 'nope', 'true'], root);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ errors: [{ message: 'nope: no such file or directory' }] });
  });
});

describe('regent check', () => {
  test('compiling modules print nothing and exit 0', () => {
    root = tempTree({ 'p/example.rego': POLICY, 'p/data.json': '{"not": "read"}' });
    const r = regent(['check', 'p'], root);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  test('errors print as file:row:col: code: message and exit 1', () => {
    root = tempTree({ 'p/ok.rego': POLICY, 'p/unsafe.rego': 'package u\n\np if x == 1\n' });
    const r = regent(['check', 'p'], root);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^p\/unsafe\.rego:3:\d+: rego_unsafe_var_error: var x is unsafe/m);
  });
});

describe('regent eval output shape', () => {
  test('sets print as arrays and composite object keys as their JSON, as OPA prints them', () => {
    root = tempTree({});
    const r = regent(['eval', '--format', 'pretty', '{"s": {2, 1}, "o": {{"a": 1}: true, 3: false}}'], root);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ o: { '3': false, '{"a":1}': true }, s: [1, 2] });
  });
});
