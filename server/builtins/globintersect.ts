// Whether two regexp-style globs (`.`, `[a-z]` classes, `*` and `+` after a token, `\` escapes;
// anchored at both ends) both match some non-empty string: OPA's regex.globs_match. Each glob
// is a small NFA; a search over pairs of states finds a common non-empty word.

export class GlobSyntaxError extends Error {}

/** A character class: any character, or a union of inclusive code point ranges. */
type CharSet = { any: true } | { any: false; ranges: Array<[number, number]> };

interface Token {
  chars: CharSet;
  /** none: exactly once; star: zero or more; plus: one or more. */
  rep: 'one' | 'star' | 'plus';
}

function tokenize(glob: string): Token[] {
  const rs = Array.from(glob);
  const out: Token[] = [];
  let i = 0;
  const next = (): [string, boolean] => {
    if (rs[i] === '\\') {
      if (i + 1 >= rs.length) throw new GlobSyntaxError(`pos:${i}:input ends with a \\ (escape) character`);
      i += 2;
      return [rs[i - 1], true];
    }
    return [rs[i++], false];
  };
  while (i < rs.length) {
    const [c, escaped] = next();
    let chars: CharSet;
    if (!escaped && (c === '+' || c === '*')) {
      throw new GlobSyntaxError(`pos:${i}:flag '${c}' must be preceded by a non-flag`);
    } else if (!escaped && c === '.') chars = { any: true };
    else if (!escaped && c === ']') throw new GlobSyntaxError(`pos:${i}:set-close ']' with no preceding '['`);
    else if (!escaped && c === '[') {
      const ranges: Array<[number, number]> = [];
      let prev: number | undefined;
      let complete = false;
      while (i < rs.length) {
        const [d, esc] = next();
        if (!esc && d === ']') {
          complete = true;
          break;
        }
        if (!esc && d === '-') {
          if (prev === undefined) throw new GlobSyntaxError(`pos:${i}:range character '-' must be preceded by a Unicode character`);
          if (i >= rs.length) throw new GlobSyntaxError(`pos:${i}:range character '-' must be followed by a Unicode character`);
          const [e, esc2] = next();
          if (!esc2 && (e === ']' || e === '-')) {
            throw new GlobSyntaxError(`pos:${i}:range character '-' cannot be followed by a special symbol`);
          }
          const hi = e.codePointAt(0) as number;
          if (hi < prev) throw new GlobSyntaxError(`pos:${i}:range is out of order`);
          ranges.push([prev, hi]);
          prev = undefined;
          continue;
        }
        prev = d.codePointAt(0) as number;
        ranges.push([prev, prev]);
      }
      if (!complete) throw new GlobSyntaxError(`pos:${i}:found [ without matching ]`);
      chars = { any: false, ranges };
    } else {
      const cp = c.codePointAt(0) as number;
      chars = { any: false, ranges: [[cp, cp]] };
    }
    let rep: Token['rep'] = 'one';
    if (rs[i] === '*' || rs[i] === '+') {
      rep = rs[i] === '*' ? 'star' : 'plus';
      i++;
      if (rs[i] === '*' || rs[i] === '+') throw new GlobSyntaxError(`pos:${i}:flag '${rs[i]}' must be preceded by a non-flag`);
    }
    out.push({ chars, rep });
  }
  return out;
}

function overlaps(a: CharSet, b: CharSet): boolean {
  if (a.any) return b.any || b.ranges.length > 0;
  if (b.any) return a.ranges.length > 0;
  return a.ranges.some(([lo, hi]) => b.ranges.some(([lo2, hi2]) => lo <= hi2 && lo2 <= hi));
}

/** `x+` is `x` then `x*`, so the automaton only needs "once" and "loop" tokens. */
function expandPlus(ts: Token[]): Token[] {
  return ts.flatMap((t) => (t.rep === 'plus' ? [{ chars: t.chars, rep: 'one' as const }, { chars: t.chars, rep: 'star' as const }] : [t]));
}

/** States 0..n (state i is "before token i", n accepts); the states reachable without input. */
function closure(ts: Token[], i: number): number[] {
  const out = [i];
  while (i < ts.length && ts[i].rep === 'star') out.push(++i);
  return out;
}

/** One character's moves from state s (after its closure): [class, next state]. */
function moves(ts: Token[], s: number): Array<[CharSet, number]> {
  return closure(ts, s)
    .filter((i) => i < ts.length)
    .map((i): [CharSet, number] => [ts[i].chars, ts[i].rep === 'star' ? i : i + 1]);
}

export function globsIntersect(a: string, b: string): boolean {
  const ta = expandPlus(tokenize(a));
  const tb = expandPlus(tokenize(b));
  const accepts = (ts: Token[], s: number): boolean => closure(ts, s).includes(ts.length);
  const seen = new Set<string>(['0,0']);
  const queue: Array<[number, number]> = [[0, 0]];
  for (let q = 0; q < queue.length; q++) {
    const [x, y] = queue[q];
    for (const [ca, nx] of moves(ta, x)) {
      for (const [cb, ny] of moves(tb, y)) {
        if (!overlaps(ca, cb)) continue;
        // At least one character has been read, so the common word is non-empty.
        if (accepts(ta, nx) && accepts(tb, ny)) return true;
        const key = `${nx},${ny}`;
        if (!seen.has(key)) {
          seen.add(key);
          queue.push([nx, ny]);
        }
      }
    }
  }
  return false;
}
