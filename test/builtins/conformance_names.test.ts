// Every builtin called in the conformance cases of the builtin families must be in the catalog.
// Calls are found textually: `name(` or `a.b.c(` not at the start of a line (which would be a
// rule or function head of the module itself), minus data/input references and `set(`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { lookupBuiltin } from '../../server/builtins/catalog';

const ROOT = path.resolve(__dirname, '../../../shared/conformance/opa/v1');

const FAMILY_FOLDERS = [
  'aggregates',
  'arithmetic',
  'array',
  'base64builtins',
  'base64urlbuiltins',
  'bitsand',
  'bitsnegate',
  'comparisonexpr',
  'hexbuiltins',
  'intersection',
  'netcidrcontains',
  'netcidrisvalid',
  'numbersrange',
  'numbersrangestep',
  'objectget',
  'objectkeys',
  'objectremove',
  'objectunion',
  'objectunionn',
  'regexfind',
  'regexfindallstringsubmatch',
  'regexisvalid',
  'regexmatch',
  'replacen',
  'semvercompare',
  'semverisvalid',
  'sets',
  'sprintf',
  'strings',
  'subset',
  'time',
  'trim',
  'trimleft',
  'trimprefix',
  'trimright',
  'trimspace',
  'trimsuffix',
  'typebuiltin',
  'typenamebuiltin',
  'union',
  'units',
  'urlbuiltins',
];

interface Case {
  modules?: string[];
}

function calledNames(module: string): Set<string> {
  const defined = new Set<string>();
  for (const line of module.split('\n')) {
    const head = /^([a-z_][\w.]*)\s*[([]/i.exec(line);
    if (head) defined.add(head[1]);
  }
  const names = new Set<string>();
  // Drop string literals so their contents do not look like calls.
  const code = module.replace(/"(?:[^"\\\n]|\\.)*"|`[^`]*`/g, '""');
  for (const m of code.matchAll(/(?<![\w.])([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*)\(/gi)) {
    const name = m[1];
    if (defined.has(name) || name === 'set' || name.startsWith('data.') || name.startsWith('input.')) continue;
    names.add(name);
  }
  return names;
}

const available = fs.existsSync(ROOT);

(available ? describe : describe.skip)('builtins called by the conformance suite', () => {
  test.each(FAMILY_FOLDERS)('%s', (folder) => {
    const dir = path.join(ROOT, folder);
    const missing = new Set<string>();
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      const doc = yaml.load(fs.readFileSync(path.join(dir, file), 'utf8')) as { cases?: Case[] };
      for (const c of doc.cases ?? []) {
        for (const m of c.modules ?? []) {
          for (const name of calledNames(m)) if (lookupBuiltin(name) === undefined) missing.add(name);
        }
      }
    }
    expect([...missing].sort()).toEqual([]);
  });
});
