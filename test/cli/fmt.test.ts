// `regent fmt` as a subprocess: printing, --list, --diff, --write and --fail on real files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { regent, tempTree } from './cli';

const UGLY = 'package p\nimport rego.v1\nallow   if {\n    input.n>1\n}\n';
const PRETTY = 'package p\n\nimport rego.v1\n\nallow if {\n\tinput.n > 1\n}\n';

describe('regent fmt', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempTree({ 'a/ugly.rego': UGLY, 'a/pretty.rego': PRETTY, 'notes.txt': 'not rego' });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the formatted modules', () => {
    const r = regent(['fmt', path.join(dir, 'a', 'ugly.rego')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(PRETTY);
  });

  it('--list names the files that would change; --fail makes that exit 1', () => {
    expect(regent(['fmt', '--list', dir]).stdout).toBe(path.join(dir, 'a', 'ugly.rego') + '\n');
    expect(regent(['fmt', '--list', '--fail', dir]).status).toBe(1);
    expect(regent(['fmt', '--list', '--fail', path.join(dir, 'a', 'pretty.rego')]).status).toBe(0);
  });

  it('--diff shows a unified diff; --write rewrites in place, after which nothing changes', () => {
    const d = regent(['fmt', '--diff', dir]);
    expect(d.stdout).toContain('-allow   if {');
    expect(d.stdout).toContain('+allow if {');
    expect(regent(['fmt', '--write', dir]).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'a', 'ugly.rego'), 'utf8')).toBe(PRETTY);
    expect(regent(['fmt', '--list', '--fail', dir]).status).toBe(0);
  });

  it('reports a module that does not parse with file:row:col and leaves it alone', () => {
    const bad = path.join(dir, 'a', 'bad.rego');
    fs.writeFileSync(bad, 'package p\nallow if {\n');
    const r = regent(['fmt', '--write', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.rego:\d+:\d+: rego_parse_error/);
    expect(fs.readFileSync(bad, 'utf8')).toBe('package p\nallow if {\n');
  });

  it('the bundled library is formatted', () => {
    expect(regent(['fmt', '--list', '--fail', path.resolve(__dirname, '../../policies')]).status).toBe(0);
  });
});
