// Regular expressions with RE2 syntax, as Go's regexp package (which OPA uses) defines them.
import type { Builtin } from './types';
import { BOOLEAN, NUMBER, STRING, arrayOf, fn } from './decl';
import { builtinError, int, str } from './operands';
import { Regex, RegexError, quoteMeta, regex } from './re2';
import { codePoints } from './utf8';
import { GlobSyntaxError, globsIntersect } from './globintersect';
import type { Value } from '../value/value';

export function compile(name: string, pattern: string): Regex {
  try {
    return regex(pattern);
  } catch (e) {
    if (e instanceof RegexError) throw builtinError(name, e.message);
    throw e;
  }
}

function split(args: Value[]): string[] {
  const re = compile('regex.split', str('regex.split', args, 0));
  const s = str('regex.split', args, 1);
  if (s === '') return [''];
  const cps = codePoints(s);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of re.findAll(s, -1, false)) {
    end = m.start;
    if (m.end !== 0) out.push(cps.slice(beg, end).join(''));
    beg = m.end;
  }
  if (end !== cps.length) out.push(cps.slice(beg).join(''));
  return out;
}

/** Go's Regexp.Expand: $1, ${1}, $name, ${name}, $$; unknown groups expand to nothing. */
function expand(template: string, re: Regex, groups: Array<string | undefined>, whole: string): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    let next = i + 1;
    if (template[i + 1] === '{') {
      const close = template.indexOf('}', i + 2);
      const inner = close < 0 ? '' : template.slice(i + 2, close);
      if (close >= 0 && /^[A-Za-z0-9_]+$/.test(inner)) {
        name = inner;
        next = close + 1;
      }
    } else {
      const m = /^[A-Za-z0-9_]+/.exec(template.slice(i + 1));
      if (m) {
        name = m[0];
        next = i + 1 + m[0].length;
      }
    }
    if (name === undefined) {
      out += '$';
      continue;
    }
    if (/^\d+$/.test(name)) {
      const k = Number(name);
      out += k === 0 ? whole : (groups[k - 1] ?? '');
    } else {
      for (const [k, n] of re.names) if (n === name) out += groups[k - 1] ?? '';
    }
    i = next - 1;
  }
  return out;
}

/** Go's ReplaceAllString (with template expansion). */
function replace(args: Value[]): string {
  const s = str('regex.replace', args, 0);
  const re = compile('regex.replace', str('regex.replace', args, 1));
  const template = str('regex.replace', args, 2);
  const cps = codePoints(s);
  let out = '';
  let lastEnd = 0;
  let pos = 0;
  while (pos <= cps.length) {
    const m = re.exec(s, pos);
    if (m === undefined) break;
    out += cps.slice(lastEnd, m.start).join('');
    // No replacement for an empty match right after the previous match.
    if (m.end > lastEnd || m.start === 0) out += expand(template, re, m.groups, m.text);
    lastEnd = m.end;
    pos = pos + 1 > m.end ? pos + 1 : m.end;
  }
  return out + cps.slice(lastEnd).join('');
}

function delimiterIndices(name: string, s: string, open: string, close: string): number[] {
  let level = 0;
  let idx = 0;
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === open) {
      if (++level === 1) idx = i;
    } else if (s[i] === close) {
      if (--level === 0) out.push(idx, i + 1);
      else if (level < 0) throw builtinError(name, `unbalanced braces in ${JSON.stringify(s)}`);
    }
  }
  if (level !== 0) throw builtinError(name, `unbalanced braces in ${JSON.stringify(s)}`);
  return out;
}

function templateMatch(args: Value[]): boolean {
  const name = 'regex.template_match';
  const template = str(name, args, 0);
  const s = str(name, args, 1);
  const open = str(name, args, 2);
  const close = str(name, args, 3);
  // Go measures the delimiters in bytes.
  const len = (x: string): number => Buffer.byteLength(x, 'utf8');
  if (len(open) !== 1) throw builtinError(name, `start delimiter has to be exactly one character long but is ${len(open)} long`);
  if (len(close) !== 1) throw builtinError(name, `end delimiter has to be exactly one character long but is ${len(open)} long`);
  const idxs = delimiterIndices(name, template, open, close);
  let pattern = '^';
  let end = 0;
  for (let i = 0; i < idxs.length; i += 2) {
    const raw = template.slice(end, idxs[i]);
    end = idxs[i + 1];
    const inner = template.slice(idxs[i] + 1, end - 1);
    compile(name, `^${inner}$`);
    pattern += `${quoteMeta(raw)}(${inner})`;
  }
  pattern += quoteMeta(template.slice(end)) + '$';
  return compile(name, pattern).test(s);
}

export const REGEX: Builtin[] = [
  {
    name: 'regex.is_valid',
    decl: fn([STRING], BOOLEAN),
    impl: ([p]) => {
      if (typeof p !== 'string') return false;
      try {
        regex(p);
        return true;
      } catch (e) {
        if (e instanceof RegexError) return false;
        throw e;
      }
    },
  },
  {
    name: 'regex.match',
    decl: fn([STRING, STRING], BOOLEAN),
    impl: (args) => compile('regex.match', str('regex.match', args, 0)).test(str('regex.match', args, 1)),
  },
  { name: 'regex.split', decl: fn([STRING, STRING], arrayOf(STRING)), impl: split },
  {
    name: 'regex.find_n',
    decl: fn([STRING, STRING, NUMBER], arrayOf(STRING)),
    impl: (args) => {
      const re = compile('regex.find_n', str('regex.find_n', args, 0));
      const s = str('regex.find_n', args, 1);
      const n = int('regex.find_n', args, 2);
      return re.findAll(s, n, false).map((m) => m.text);
    },
  },
  {
    name: 'regex.find_all_string_submatch_n',
    decl: fn([STRING, STRING, NUMBER], arrayOf(arrayOf(STRING))),
    impl: (args) => {
      const name = 'regex.find_all_string_submatch_n';
      const re = compile(name, str(name, args, 0));
      const s = str(name, args, 1);
      const n = int(name, args, 2);
      return re.findAll(s, n, true).map((m) => [m.text, ...m.groups.map((g) => g ?? '')]);
    },
  },
  { name: 'regex.replace', decl: fn([STRING, STRING, STRING], STRING), impl: replace },
  {
    name: 'regex.globs_match',
    decl: fn([STRING, STRING], BOOLEAN),
    impl: (args) => {
      try {
        return globsIntersect(str('regex.globs_match', args, 0), str('regex.globs_match', args, 1));
      } catch (e) {
        if (e instanceof GlobSyntaxError) throw builtinError('regex.globs_match', `the input provided is invalid: ${e.message}`);
        throw e;
      }
    },
  },
  { name: 'regex.template_match', decl: fn([STRING, STRING, STRING, STRING], BOOLEAN), impl: templateMatch },
];
