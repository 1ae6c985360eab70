// RE2 regular expressions (Go's regexp syntax and semantics) through the re2-wasm package, with
// compiled patterns kept in a small LRU cache. Positions are code point indexes throughout, which
// is what the wasm wrapper speaks. The package (a WebAssembly module) loads on the first pattern.
import type { WrappedRE2 } from 're2-wasm/build/wasm/re2.js';
import { lazy } from './lazy';
import { codePointCount } from './utf8';

const wrappedRE2 = lazy(() => (require('re2-wasm/build/wasm/re2.js') as typeof import('re2-wasm/build/wasm/re2.js')).WrappedRE2);

/** A match: [start, end) in code points, and each group's text (undefined when unmatched). */
export interface Match {
  start: number;
  end: number;
  text: string;
  groups: Array<string | undefined>;
}

export class RegexError extends Error {}

/** The emscripten object also has delete(), which its typings leave out. */
interface Deletable {
  delete?: () => void;
}

/** RE2's (C++) error codes in Go regexp/syntax's words, which OPA's messages carry. */
const GO_ERRORS: ReadonlyArray<[string, string]> = [
  ['missing ]', 'missing closing ]'],
  ['missing )', 'missing closing )'],
  ['unexpected )', 'unexpected )'],
  ['trailing \\', 'trailing backslash at end of expression'],
  ['bad repetition operator', 'invalid nested repetition operator'],
  ['no argument for repetition operator', 'missing argument to repetition operator'],
  ['invalid repetition size', 'invalid repeat count'],
  ['invalid named capture group', 'invalid named capture'],
  ['invalid escape sequence', 'invalid escape sequence'],
  ['invalid character class range', 'invalid character class range'],
  ['invalid character class', 'invalid character class'],
  ['invalid UTF-8', 'invalid UTF-8'],
  ['bad UTF-8', 'invalid UTF-8'],
];

/** `missing ]: [` → "missing closing ]: `[`" (Go quotes the offending text in backquotes). */
function goRegexpError(err: string): string {
  for (const [re2, go] of GO_ERRORS) {
    if (err === re2) return go;
    if (err.startsWith(re2 + ': ')) return `${go}: \`${err.slice(re2.length + 2)}\``;
  }
  return err;
}

export class Regex {
  private constructor(
    private readonly re: WrappedRE2,
    /** Group names by group number (1-based); unnamed groups are absent. */
    readonly names: ReadonlyMap<number, string>,
  ) {}

  static compile(pattern: string): Regex {
    const RE2 = wrappedRE2();
    const re = new RE2(goToRE2Syntax(pattern), false, false, false);
    if (!re.ok()) {
      const err = re.error();
      (re as unknown as Deletable).delete?.();
      throw new RegexError(`error parsing regexp: ${goRegexpError(err)}`);
    }
    const names = new Map<number, string>();
    const map = re.capturingGroupNames();
    const keys = map.keys();
    for (let i = 0; i < keys.size(); i++) names.set(keys.get(i), map.get(keys.get(i)));
    (keys as unknown as Deletable).delete?.();
    (map as unknown as Deletable).delete?.();
    return new Regex(re, names);
  }

  /** The leftmost match at or after code point `from` (context before `from` still counts). */
  exec(input: string, from = 0, groups = true): Match | undefined {
    const m = this.re.match(input, from, groups);
    if (m.index < 0) return undefined;
    return { start: m.index, end: m.index + codePointCount(m.match), text: m.match, groups: m.groups };
  }

  test(input: string): boolean {
    return this.re.match(input, 0, false).index >= 0;
  }

  /** Go's allMatches: successive matches, skipping an empty match right after a previous one. */
  findAll(input: string, n: number, groups: boolean): Match[] {
    const out: Match[] = [];
    const end = codePointCount(input);
    const limit = n < 0 ? end + 1 : n;
    let pos = 0;
    let prevEnd = -1;
    while (out.length < limit && pos <= end) {
      const m = this.exec(input, pos, groups);
      if (m === undefined) break;
      let accept = true;
      if (m.end === pos) {
        // An empty match at pos: step one rune; drop it if it abuts the previous match.
        if (m.start === prevEnd) accept = false;
        pos++;
      } else pos = m.end;
      prevEnd = m.end;
      if (accept) out.push(m);
    }
    return out;
  }

  dispose(): void {
    (this.re as unknown as Deletable).delete?.();
  }
}

/** Go accepts `(?<name>…)` for named groups; this RE2 build only knows `(?P<name>…)`. */
function goToRE2Syntax(p: string): string {
  if (!p.includes('(?<')) return p;
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      out += p.slice(i, i + 2);
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (p[i + 1] === '^') out += p[++i];
      if (p[i + 1] === ']') out += p[++i];
      continue;
    }
    if (p.startsWith('(?<', i) && /[A-Za-z_]/.test(p[i + 3] ?? '')) {
      out += '(?P<';
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

/** At most this many compiled patterns stay cached (OPA keeps 100). */
const CACHE_SIZE = 100;
const cache = new Map<string, Regex>();

/** The compiled pattern, from the LRU cache when seen recently. Throws RegexError. */
export function regex(pattern: string): Regex {
  const hit = cache.get(pattern);
  if (hit !== undefined) {
    cache.delete(pattern);
    cache.set(pattern, hit);
    return hit;
  }
  const re = Regex.compile(pattern);
  cache.set(pattern, re);
  if (cache.size > CACHE_SIZE) {
    const [oldest, old] = cache.entries().next().value as [string, Regex];
    cache.delete(oldest);
    old.dispose();
  }
  return re;
}

/** Go's regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}
