// String builtins natively, as OPA's topdown/strings.go runs them on Go's strings package:
// upper/lower (strings.ToUpper/ToLower), trim/trim_left/trim_right (strings.Trim*, a cutset of
// runes), trim_space (strings.TrimSpace, unicode.IsSpace) and replace (strings.ReplaceAll).
// Strings are UTF-8 bytes; a byte that starts no valid sequence is one rune U+FFFD, as Go
// decodes it. Go maps case rune by rune with Unicode's simple mappings: the runtime has no
// Unicode table, so upper/lower change ASCII here and hand any other string to the host
// (ASK_HOST; ../native.ts).
import { alloc } from './memory';
import { ASK_HOST, T_STR, str, strLen, strPtr, tag } from './value';
import { typeError } from './errors';
import { find } from './builtins';

// ---- UTF-8 as Go decodes it

/** The width of the last rune `decodeRune` read (1 for an invalid byte). */
let runeWidth: u32 = 0;

/** The rune starting at `p` (before `end`): U+FFFD, width 1, for anything invalid. */
function decodeRune(p: u32, end: u32): u32 {
  const c0 = <u32>load<u8>(p);
  runeWidth = 1;
  if (c0 < 0x80) return c0;
  const avail = end - p;
  if (c0 >= 0xc2 && c0 <= 0xdf && avail >= 2) {
    const c1 = <u32>load<u8>(p, 1);
    if ((c1 & 0xc0) == 0x80) {
      runeWidth = 2;
      return ((c0 & 0x1f) << 6) | (c1 & 0x3f);
    }
  } else if (c0 >= 0xe0 && c0 <= 0xef && avail >= 3) {
    const c1 = <u32>load<u8>(p, 1);
    const c2 = <u32>load<u8>(p, 2);
    if ((c1 & 0xc0) == 0x80 && (c2 & 0xc0) == 0x80) {
      const cp = ((c0 & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
      if (cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff)) {
        runeWidth = 3;
        return cp;
      }
    }
  } else if (c0 >= 0xf0 && c0 <= 0xf4 && avail >= 4) {
    const c1 = <u32>load<u8>(p, 1);
    const c2 = <u32>load<u8>(p, 2);
    const c3 = <u32>load<u8>(p, 3);
    if ((c1 & 0xc0) == 0x80 && (c2 & 0xc0) == 0x80 && (c3 & 0xc0) == 0x80) {
      const cp = ((c0 & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f);
      if (cp >= 0x10000 && cp <= 0x10ffff) {
        runeWidth = 4;
        return cp;
      }
    }
  }
  return 0xfffd;
}

/** The rune ending at `end` (after `start`), as Go's utf8.DecodeLastRune: U+FFFD, width 1, when
 *  the bytes before `end` are not one whole valid rune. */
function decodeLastRune(start: u32, end: u32): u32 {
  const last = <u32>load<u8>(end - 1);
  runeWidth = 1;
  if (last < 0x80) return last;
  // Back over continuation bytes to a possible start, at most 4 bytes in all.
  let p = end - 1;
  const limit = end - start < 4 ? start : end - 4;
  while (p > limit && (load<u8>(p) & 0xc0) == 0x80) p--;
  const cp = decodeRune(p, end);
  if (p + runeWidth != end) {
    runeWidth = 1;
    return 0xfffd;
  }
  return cp;
}

// ---- upper, lower

function mapCase(name: string, s: u32, upper: bool): u32 {
  if (tag(s) != T_STR) return typeError(name, 1, 'string', s);
  const p = strPtr(s);
  const n = strLen(s);
  // The letters that change: a-z for upper, A-Z for lower.
  const from: u32 = upper ? 97 : 65;
  let first: u32 = n;
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if (c >= 0x80) return ASK_HOST;
    if (first == n && c - from < 26) first = i;
  }
  if (first == n) return s;
  const out = alloc(n);
  memory.copy(out, p, n);
  for (let i = first; i < n; i++) {
    const c = <u32>load<u8>(out + i);
    if (c - from < 26) store<u8>(out + i, <u8>(c ^ 0x20));
  }
  return str(out, n);
}

export function rt_b_upper(s: u32): u32 {
  return mapCase('upper', s, true);
}

export function rt_b_lower(s: u32): u32 {
  return mapCase('lower', s, false);
}

// ---- trim, trim_left, trim_right, trim_space

/** Whether the cutset string `c` holds rune `r` (an invalid byte in it stands for U+FFFD). */
function inCutset(c: u32, r: u32): bool {
  const p = strPtr(c);
  const end = p + strLen(c);
  if (r < 0x80) {
    for (let q = p; q < end; q++) if (<u32>load<u8>(q) == r) return true;
    return false;
  }
  for (let q = p; q < end; q += runeWidth) if (decodeRune(q, end) == r) return true;
  return false;
}

/** Go's unicode.IsSpace. */
function isSpace(r: u32): bool {
  if (r <= 0xff) return (r >= 0x09 && r <= 0x0d) || r == 0x20 || r == 0x85 || r == 0xa0;
  return r == 0x1680 || (r >= 0x2000 && r <= 0x200a) || r == 0x2028 || r == 0x2029 || r == 0x202f || r == 0x205f || r == 0x3000;
}

/** `s` without its leading (`left`) and trailing (`right`) runes that are in the cutset `c`
 *  (`c` 0: that are spaces). */
function trimRunes(s: u32, c: u32, left: bool, right: bool): u32 {
  const p = strPtr(s);
  const n = strLen(s);
  let a = p;
  let b = p + n;
  if (left) {
    while (a < b) {
      const r = decodeRune(a, b);
      const w = runeWidth; // inCutset decodes too
      if (c == 0 ? !isSpace(r) : !inCutset(c, r)) break;
      a += w;
    }
  }
  if (right) {
    while (b > a) {
      const r = decodeLastRune(a, b);
      const w = runeWidth;
      if (c == 0 ? !isSpace(r) : !inCutset(c, r)) break;
      b -= w;
    }
  }
  return a == p && b == p + n ? s : str(a, b - a);
}

function trim(name: string, s: u32, c: u32, left: bool, right: bool): u32 {
  if (tag(s) != T_STR) return typeError(name, 1, 'string', s);
  if (tag(c) != T_STR) return typeError(name, 2, 'string', c);
  return strLen(c) == 0 ? s : trimRunes(s, c, left, right);
}

export function rt_b_trim(s: u32, c: u32): u32 {
  return trim('trim', s, c, true, true);
}

export function rt_b_trim_left(s: u32, c: u32): u32 {
  return trim('trim_left', s, c, true, false);
}

export function rt_b_trim_right(s: u32, c: u32): u32 {
  return trim('trim_right', s, c, false, true);
}

export function rt_b_trim_space(s: u32): u32 {
  if (tag(s) != T_STR) return typeError('trim_space', 1, 'string', s);
  return trimRunes(s, 0, true, true);
}

// ---- replace

/** Byte offset of `needle` (nn bytes) in `hay` at or after `from`, or -1. */
function findFrom(hay: u32, hn: u32, needle: u32, nn: u32, from: u32): i32 {
  const at = find(hay + from, hn - from, needle, nn);
  return at < 0 ? -1 : at + <i32>from;
}

export function rt_b_replace(s: u32, old: u32, repl: u32): u32 {
  if (tag(s) != T_STR) return typeError('replace', 1, 'string', s);
  if (tag(old) != T_STR) return typeError('replace', 2, 'string', old);
  if (tag(repl) != T_STR) return typeError('replace', 3, 'string', repl);
  const p = strPtr(s);
  const n = strLen(s);
  const o = strPtr(old);
  const on = strLen(old);
  const r = strPtr(repl);
  const rn = strLen(repl);
  if (on == 0) {
    // Go inserts the replacement before every rune and at the end.
    let runes: u32 = 0;
    for (let q = p; q < p + n; q += runeWidth) {
      decodeRune(q, p + n);
      runes++;
    }
    const out = alloc(n + (runes + 1) * rn);
    let w = out;
    for (let q = p; q < p + n; ) {
      decodeRune(q, p + n);
      memory.copy(w, r, rn);
      memory.copy(w + rn, q, runeWidth);
      w += rn + runeWidth;
      q += runeWidth;
    }
    memory.copy(w, r, rn);
    return str(out, n + (runes + 1) * rn);
  }
  // Non-overlapping matches, left to right.
  let count: u32 = 0;
  for (let at = findFrom(p, n, o, on, 0); at >= 0; at = findFrom(p, n, o, on, <u32>at + on)) count++;
  if (count == 0) return s;
  const size = n - count * on + count * rn;
  const out = alloc(size);
  let w = out;
  let from: u32 = 0;
  for (let at = findFrom(p, n, o, on, 0); at >= 0; at = findFrom(p, n, o, on, from)) {
    const k = <u32>at - from;
    memory.copy(w, p + from, k);
    memory.copy(w + k, r, rn);
    w += k + rn;
    from = <u32>at + on;
  }
  memory.copy(w, p + from, n - from);
  return str(out, size);
}
