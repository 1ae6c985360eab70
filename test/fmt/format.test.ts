// regent fmt: canonical output for the constructs of the language, and on every module of the
// conformance suite: the output parses, is its own formatting, and plans exactly as the source.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileModules, compileQuery, planPolicy } from '../../server/compiler/index';
import { loadSuite } from '../../server/conformance/index';
import { formatSource } from '../../server/fmt/check';
import { parseModule, parseQuery } from '../../server/rego/index';

const fmt = (text: string): string => formatSource({ file: 'm.rego', text });

describe('regent fmt style', () => {
  it('sorts imports, uses v1 keywords and tabs, one space around operators', () => {
    const src = 'package  p\nimport rego.v1\nimport data.b\nimport data.a as x\nallow   if {\n    input.n>1+2*3\n    x.y[input.k]== "v"\n}\ns contains  v if some v in [1,2]\nf(a)  :=a*2\n';
    expect(fmt(src)).toBe(
      'package p\n\nimport data.a as x\nimport data.b\nimport rego.v1\n\nallow if {\n\tinput.n > 1 + 2 * 3\n\tx.y[input.k] == "v"\n}\n\ns contains v if some v in [1, 2]\n\nf(a) := a * 2\n',
    );
  });

  it('adds the parentheses precedence needs, and only those', () => {
    expect(fmt('package p\nx := (1 + 2) * 3\ny := 1 + (2 * 3)\nz := (1 - 2) - 3\nw := 1 - (2 - 3)\n')).toBe(
      'package p\n\nx := (1 + 2) * 3\n\ny := 1 + 2 * 3\n\nz := 1 - 2 - 3\n\nw := 1 - (2 - 3)\n',
    );
  });

  it('keeps comments where they were, and blank lines (at most one)', () => {
    const src = [
      '# The package.',
      'package p',
      '',
      '',
      '# Leading a rule.',
      'allow if {',
      '\tinput.a # trailing',
      '',
      '',
      '\t# leading an expression',
      '\tinput.b',
      '\t# at the end of the body',
      '}',
      'default deny := false',
      '',
    ].join('\n');
    expect(fmt(src)).toBe(
      '# The package.\npackage p\n\n# Leading a rule.\nallow if {\n\tinput.a  # trailing\n\n\t# leading an expression\n\tinput.b\n\t# at the end of the body\n}\n\ndefault deny := false\n',
    );
  });

  it('keeps spread-out literals and with-continuations on their own lines', () => {
    const src = 'package p\n\npatch contains {\n  "op": "add",\n  "path": "/a", "value": 1}\n\nt if {\n\tdata.p.patch with input as {}\n\t\twith data.x as 1\n}\n';
    expect(fmt(src)).toBe('package p\n\npatch contains {\n\t"op": "add",\n\t"path": "/a",\n\t"value": 1,\n}\n\nt if {\n\tdata.p.patch with input as {}\n\t\twith data.x as 1\n}\n');
  });

  it('prints else chains, every, some and not', () => {
    const src = 'package p\nr := 1 if { input.a } else := 2 if { input.b } else := 3\nq if { every x in input.xs { x > 0 }\nnot input.z\nsome i, v in input.m }\n';
    expect(fmt(src)).toBe(
      'package p\n\nr := 1 if {\n\tinput.a\n} else := 2 if {\n\tinput.b\n} else := 3\n\nq if {\n\tevery x in input.xs {\n\t\tx > 0\n\t}\n\tnot input.z\n\tsome i, v in input.m\n}\n',
    );
  });
});

/** A plan with every source location removed: two modules that differ in layout only plan alike. */
function planText(texts: string[]): string | undefined {
  try {
    const compiled = compileModules(texts.map((text, i) => parseModule({ file: `m${i}.rego`, text })));
    const plan = planPolicy(compiled, [compileQuery(compiled, 'q', parseQuery('x = data'))]);
    return JSON.stringify(plan, (k, v) => (k === 'loc' || k === 'files' ? undefined : v));
  } catch {
    return undefined;
  }
}

const SUITE = path.resolve(__dirname, '../../../shared/conformance/opa/v1');
(fs.existsSync(SUITE) ? describe : describe.skip)('regent fmt on the conformance suite', () => {
  jest.setTimeout(120_000);

  it('output parses, is stable, and plans like the source for every module set', () => {
    let sets = 0;
    const problems: string[] = [];
    for (const tc of loadSuite([SUITE]).cases) {
      const before = planText(tc.modules);
      let formatted: string[];
      try {
        formatted = tc.modules.map((text, i) => formatSource({ file: `m${i}.rego`, text }));
      } catch (e) {
        // Only modules that do not parse may refuse (their cases expect the parse error).
        if (tc.modules.every((text) => { try { parseModule({ file: 'x.rego', text }); return true; } catch { return false; } })) problems.push(`${tc.note}: ${(e as Error).message}`);
        continue;
      }
      if (before === undefined) continue; // a case whose modules are meant not to compile
      sets++;
      if (planText(formatted) !== before) problems.push(`${tc.note}: the formatted modules plan differently`);
    }
    expect(problems).toEqual([]);
    expect(sets).toBeGreaterThan(800);
  });
});
