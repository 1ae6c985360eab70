// The parser over OPA's conformance suite: every module, query and input term must parse, and
// every rule's recorded text and location must match its source.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import type { Module, Rule } from '../../server/rego/ast';
import { parseModule, parseQuery, parseTerm } from '../../server/rego/index';

const ROOT = path.resolve(__dirname, '../../../shared/conformance/opa/v1');

interface Case {
  note?: string;
  modules?: string[];
  query?: string;
  input_term?: string;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (e.name.endsWith('.yaml')) out.push(p);
  }
  return out.sort();
}

function cases(): Array<{ file: string; c: Case }> {
  const out: Array<{ file: string; c: Case }> = [];
  for (const file of yamlFiles(ROOT)) {
    const doc = yaml.load(fs.readFileSync(file, 'utf8')) as { cases?: Case[] } | undefined;
    for (const c of doc?.cases ?? []) out.push({ file: path.relative(ROOT, file), c });
  }
  return out;
}

/** The text of a rule starts at its location, and is found there in the source. */
function checkText(src: string, r: Rule): void {
  const lines = src.split('\n');
  const line = lines[r.loc.row - 1];
  expect(line).toBeDefined();
  const at = src.split('\n').slice(0, r.loc.row - 1).join('\n').length + (r.loc.row > 1 ? 1 : 0) + [...line].slice(0, r.loc.col - 1).join('').length;
  expect(src.startsWith(r.text ?? '', at)).toBe(true);
  if (r.else) checkText(src, r.else);
}

const available = fs.existsSync(ROOT);
(available ? describe : describe.skip)('OPA conformance suite', () => {
  const all = available ? cases() : [];

  it('has cases', () => {
    expect(all.length).toBeGreaterThan(1000);
  });

  it('parses every module', () => {
    const failures: string[] = [];
    let count = 0;
    for (const { file, c } of all) {
      (c.modules ?? []).forEach((text, i) => {
        count++;
        let m: Module;
        try {
          m = parseModule({ file: `${file}#${i}`, text });
        } catch (e) {
          failures.push(`${file} (${c.note}) module ${i}: ${String(e)}`);
          return;
        }
        for (const r of m.rules) checkText(text, r);
      });
    }
    expect(failures).toEqual([]);
    expect(count).toBeGreaterThan(1000);
  });

  it('parses every query and input term', () => {
    const failures: string[] = [];
    for (const { file, c } of all) {
      for (const [what, text, parse] of [
        ['query', c.query, (t: string) => parseQuery(t, 'query')],
        ['input_term', c.input_term, (t: string) => parseTerm(t, 'input')],
      ] as const) {
        if (text === undefined) continue;
        try {
          parse(text);
        } catch (e) {
          failures.push(`${file} (${c.note}) ${what}: ${String(e)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
