// Globs (gobwas/glob syntax, as OPA's glob.match): `*` (no separators), `**` (anything), `?`,
// `[abc]`, `[!a-z]`, `{a,b}` and `\` escapes. A glob is translated to an anchored RE2 pattern,
// so matching is linear-time and shares the regex cache.
import type { Builtin } from './types';
import { BOOLEAN, NULL, STRING, anyOf, arrayOf, fn } from './decl';
import { builtinError, elementError, str, typeError } from './operands';
import { quoteMeta, regex } from './re2';
import { codePointCount } from './utf8';
import type { Value } from '../value/value';

class GlobError extends Error {}

function classChar(c: string): string {
  return c === '\\' || c === ']' || c === '[' || c === '^' || c === '-' ? '\\' + c : c;
}

/** The RE2 pattern equivalent to a glob with the given separator characters. */
export function globToRegex(glob: string, separators: string[]): string {
  const chars = Array.from(glob);
  const notSep = separators.length > 0 ? `[^${separators.map(classChar).join('')}]` : '(?s:.)';
  let i = 0;
  // Parses until one of `stops` (at this nesting level) or the end.
  const seq = (stops: string): string => {
    let out = '';
    while (i < chars.length && !stops.includes(chars[i])) {
      const c = chars[i++];
      switch (c) {
        case '*':
          if (chars[i] === '*') {
            while (chars[i] === '*') i++;
            out += '(?s:.*)';
          } else out += `${notSep}*`;
          break;
        case '?':
          out += notSep;
          break;
        case '\\':
          if (i >= chars.length) throw new GlobError('unexpected end of input');
          out += quoteMeta(chars[i++]);
          break;
        case '[': {
          let neg = false;
          if (chars[i] === '!') {
            neg = true;
            i++;
          }
          let body = '';
          let n = 0;
          while (i < chars.length && chars[i] !== ']') {
            const lo = chars[i++];
            if (chars[i] === '-' && i + 1 < chars.length && chars[i + 1] !== ']') {
              body += `${classChar(lo)}-${classChar(chars[i + 1])}`;
              i += 2;
            } else body += classChar(lo);
            n++;
          }
          if (i >= chars.length || n === 0) throw new GlobError('unexpected end of input');
          i++; // ]
          out += `[${neg ? '^' : ''}${body}]`;
          break;
        }
        case '{': {
          const alts: string[] = [];
          for (;;) {
            alts.push(seq(',}'));
            if (i >= chars.length) throw new GlobError('unexpected end of input');
            if (chars[i++] === '}') break;
          }
          out += `(?:${alts.join('|')})`;
          break;
        }
        default:
          out += quoteMeta(c);
      }
    }
    return out;
  };
  const body = seq('');
  return `^${body}$`;
}

function delimiters(v: Value): string[] {
  if (v === null) return [];
  if (!Array.isArray(v)) throw typeError('glob.match', 2, v, 'array', 'null');
  for (const x of v) {
    if (typeof x !== 'string') throw elementError('glob.match', 2, v, x, 'string');
    if (codePointCount(x) !== 1) throw elementError('glob.match', 2, v, x, 'rune');
  }
  return v.length === 0 ? ['.'] : (v as string[]);
}

export const GLOB: Builtin[] = [
  {
    name: 'glob.match',
    decl: fn([STRING, anyOf(arrayOf(STRING), NULL), STRING], BOOLEAN),
    impl: (args) => {
      const pattern = str('glob.match', args, 0);
      const seps = delimiters(args[1]);
      const s = str('glob.match', args, 2);
      let source: string;
      try {
        source = globToRegex(pattern, seps);
      } catch (e) {
        if (e instanceof GlobError) throw builtinError('glob.match', e.message);
        throw e;
      }
      return regex(source).test(s);
    },
  },
  {
    name: 'glob.quote_meta',
    decl: fn([STRING], STRING),
    impl: (args) => str('glob.quote_meta', args, 0).replace(/[*?\\[\]{}]/g, '\\$&'),
  },
];
