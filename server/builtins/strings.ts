// String builtins. Indexes and lengths count code points (Go runes), not UTF-16 units.
import type { Builtin } from './types';
import {
  ANY,
  BOOLEAN,
  NUMBER,
  STRING,
  STRING_ARRAY,
  STRING_SET,
  anyOf,
  arrayOf,
  fn,
  objectOf,
} from './decl';
import { builtinError, elementError, int, num, obj, operandError, str, strings, typeError } from './operands';
import { sprintf } from './gofmt';
import { codePointCount, codePoints, isASCII } from './utf8';
import { SetValue, compareStrings, type Value } from '../value/value';

const STRINGS_ARG = anyOf(STRING, STRING_ARRAY, STRING_SET);

function str2(name: string, args: Value[]): [string, string] {
  return [str(name, args, 0), str(name, args, 1)];
}

function predicate(name: string, test: (a: string, b: string) => boolean): Builtin {
  return { name, decl: fn([STRING, STRING], BOOLEAN), impl: (args) => test(...str2(name, args)) };
}

function transform(name: string, f: (a: string, b: string) => string): Builtin {
  return { name, decl: fn([STRING, STRING], STRING), impl: (args) => f(...str2(name, args)) };
}

/** Code point index of `search` in `base`, or -1 (OPA counts runes, not bytes). */
function indexOfRunes(base: string, search: string, from = 0): number {
  const at = base.indexOf(search, from);
  if (at < 0) return -1;
  return codePointCount(base.slice(0, at));
}

/**
 * Go's strings.NewReplacer over (old, new) pairs: scanning left to right, at each position the
 * first pair (in argument order) whose old string matches wins; an empty old string matches
 * between runes, but not twice at the same position.
 */
export function replaceAll(s: string, pairs: Array<[string, string]>): string {
  if (pairs.length === 1 && pairs[0][0] !== '') return s.split(pairs[0][0]).join(pairs[0][1]);
  let out = '';
  let i = 0;
  let prevEmpty = false;
  for (;;) {
    const hit = pairs.find(([old]) => (old === '' ? !prevEmpty : s.startsWith(old, i)));
    if (hit !== undefined) {
      out += hit[1];
      i += hit[0].length;
      prevEmpty = hit[0] === '';
      continue;
    }
    prevEmpty = false;
    if (i >= s.length) return out;
    const w = (s.codePointAt(i) as number) > 0xffff ? 2 : 1;
    out += s.slice(i, i + w);
    i += w;
  }
}

/** Go's unicode.IsSpace (JS's trim differs: it strips U+FEFF but not U+0085). */
const GO_SPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007,
  0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

function trimWith(s: string, drop: (cp: number) => boolean, left: boolean, right: boolean): string {
  const cps = codePoints(s);
  let a = 0;
  let b = cps.length;
  if (left) while (a < b && drop(cps[a].codePointAt(0) as number)) a++;
  if (right) while (b > a && drop(cps[b - 1].codePointAt(0) as number)) b--;
  return a === 0 && b === cps.length ? s : cps.slice(a, b).join('');
}

function cutset(c: string): (cp: number) => boolean {
  const set = new Set(codePoints(c).map((x) => x.codePointAt(0) as number));
  return (cp) => set.has(cp);
}

/** Go's per-rune case mapping: a rune whose mapping is several runes (ß → SS) stays as it is. */
function mapCase(s: string, upper: boolean): string {
  if (isASCII(s)) return upper ? s.toUpperCase() : s.toLowerCase();
  let out = '';
  for (const ch of s) {
    if (!upper && ch === '\u0130') {
      out += 'i'; // Go maps İ to i; JS gives i + combining dot
      continue;
    }
    const m = upper ? ch.toUpperCase() : ch.toLowerCase();
    out += codePointCount(m) === 1 ? m : ch;
  }
  return out;
}

function formatInt(args: Value[]): string {
  const x = num('format_int', args, 0);
  const base = num('format_int', args, 1);
  const b = Number(base);
  if (b !== 2 && b !== 8 && b !== 10 && b !== 16) throw operandError('format_int', 2, 'must be one of {2, 8, 10, 16}');
  const i = typeof x === 'bigint' ? x : BigInt(Math.trunc(x));
  return i.toString(b);
}

function concat(args: Value[]): string {
  const sep = str('concat', args, 0);
  const v = args[1];
  let items: Value[];
  if (Array.isArray(v)) items = v;
  else if (v instanceof SetValue) items = v.values();
  else throw typeError('concat', 2, v, 'set', 'array');
  for (const x of items) if (typeof x !== 'string') throw elementError('concat', 2, v, x, 'string');
  return items.join(sep);
}

function substring(args: Value[]): string {
  const s = str('substring', args, 0);
  const start = int('substring', args, 1);
  const length = int('substring', args, 2);
  if (start < 0) throw builtinError('substring', 'negative offset');
  if (isASCII(s)) return length < 0 ? s.slice(start) : s.slice(start, start + length);
  const cps = codePoints(s);
  return (length < 0 ? cps.slice(start) : cps.slice(start, start + length)).join('');
}

function split(args: Value[]): string[] {
  const [s, d] = str2('split', args);
  if (d === '') return codePoints(s);
  return s.split(d);
}

/** Strings of an operand that may be one string or an array/set of them. */
function oneOrMany(name: string, args: Value[], i: number): string[] {
  const v = args[i];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) || v instanceof SetValue) return strings(name, args, i);
  throw typeError(name, i + 1, v, 'string', 'set', 'array');
}

function anyMatch(name: string, test: (s: string, affix: string) => boolean): Builtin {
  return {
    name,
    decl: fn([STRINGS_ARG, STRINGS_ARG], BOOLEAN),
    impl: (args) => {
      const ss = oneOrMany(name, args, 0);
      const affixes = oneOrMany(name, args, 1);
      return ss.some((s) => affixes.some((a) => test(s, a)));
    },
  };
}

function replaceN(args: Value[]): string {
  const patterns = obj('strings.replace_n', args, 0);
  const pairs: Array<[string, string]> = [];
  for (const [k, v] of patterns.entries()) {
    if (typeof k !== 'string') throw operandError('strings.replace_n', 1, 'non-string key found in pattern object');
    if (typeof v !== 'string') throw operandError('strings.replace_n', 1, 'non-string value found in pattern object');
    pairs.push([k, v]);
  }
  const s = str('strings.replace_n', args, 1);
  pairs.sort((a, b) => compareStrings(a[0], b[0]));
  return replaceAll(s, pairs);
}

export const STRINGS: Builtin[] = [
  { name: 'concat', decl: fn([STRING, anyOf(STRING_ARRAY, STRING_SET)], STRING), impl: concat },
  predicate('contains', (a, b) => a.includes(b)),
  predicate('startswith', (a, b) => a.startsWith(b)),
  predicate('endswith', (a, b) => a.endsWith(b)),
  { name: 'format_int', decl: fn([NUMBER, NUMBER], STRING), impl: formatInt },
  {
    name: 'indexof',
    decl: fn([STRING, STRING], NUMBER),
    impl: (args) => {
      const [s, search] = str2('indexof', args);
      if (search === '') throw builtinError('indexof', 'empty search character');
      return indexOfRunes(s, search);
    },
  },
  {
    name: 'indexof_n',
    decl: fn([STRING, STRING], arrayOf(NUMBER)),
    impl: (args) => {
      const [s, search] = str2('indexof_n', args);
      if (search === '') throw builtinError('indexof_n', 'empty search character');
      const out: number[] = [];
      // Overlapping matches count, each at its rune index.
      for (let at = s.indexOf(search); at >= 0; at = s.indexOf(search, at + 1)) out.push(codePointCount(s.slice(0, at)));
      return out;
    },
  },
  { name: 'lower', decl: fn([STRING], STRING), impl: (args) => mapCase(str('lower', args, 0), false) },
  { name: 'upper', decl: fn([STRING], STRING), impl: (args) => mapCase(str('upper', args, 0), true) },
  {
    name: 'replace',
    decl: fn([STRING, STRING, STRING], STRING),
    impl: (args) => replaceAll(str('replace', args, 0), [[str('replace', args, 1), str('replace', args, 2)]]),
  },
  { name: 'split', decl: fn([STRING, STRING], STRING_ARRAY), impl: split },
  {
    name: 'sprintf',
    decl: fn([STRING, arrayOf(ANY)], STRING),
    impl: (args) => {
      const format = str('sprintf', args, 0);
      const values = args[1];
      if (!Array.isArray(values)) throw typeError('sprintf', 2, values, 'array');
      return sprintf(format, values);
    },
  },
  { name: 'substring', decl: fn([STRING, NUMBER, NUMBER], STRING), impl: substring },
  transform('trim', (s, c) => trimWith(s, cutset(c), true, true)),
  transform('trim_left', (s, c) => trimWith(s, cutset(c), true, false)),
  transform('trim_right', (s, c) => trimWith(s, cutset(c), false, true)),
  transform('trim_prefix', (s, p) => (s.startsWith(p) ? s.slice(p.length) : s)),
  transform('trim_suffix', (s, p) => (p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s)),
  {
    name: 'trim_space',
    decl: fn([STRING], STRING),
    impl: (args) => trimWith(str('trim_space', args, 0), (cp) => GO_SPACE.has(cp), true, true),
  },
  { name: 'strings.replace_n', decl: fn([objectOf(STRING, STRING), STRING], STRING), impl: replaceN },
  {
    name: 'strings.reverse',
    decl: fn([STRING], STRING),
    impl: (args) => codePoints(str('strings.reverse', args, 0)).reverse().join(''),
  },
  {
    name: 'strings.count',
    decl: fn([STRING, STRING], NUMBER),
    impl: (args) => {
      const [s, sub] = str2('strings.count', args);
      if (sub === '') return codePointCount(s) + 1;
      return s.split(sub).length - 1;
    },
  },
  anyMatch('strings.any_prefix_match', (s, p) => s.startsWith(p)),
  anyMatch('strings.any_suffix_match', (s, p) => s.endsWith(p)),
];
