// Go-compatible string helpers. Rego strings are sequences of code points (Go runes), and Go
// strings may hold bytes that are not UTF-8 (e.g. from base64.decode): Go decodes each bad byte
// as one U+FFFD, so bytes are turned into text the same way here to keep counts identical.

export function codePointCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

export function codePoints(s: string): string[] {
  return Array.from(s);
}

export function isASCII(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

export function utf8Bytes(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}

/** Decodes bytes as Go does when ranging over a string: every invalid byte is one U+FFFD. */
export function bytesToString(b: Uint8Array): string {
  // Fast path: valid UTF-8 round-trips through the WHATWG decoder unchanged.
  const fast = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
  if (!fast.includes('\ufffd')) return fast;
  let out = '';
  let i = 0;
  while (i < b.length) {
    const [cp, width] = decodeRune(b, i);
    out += String.fromCodePoint(cp);
    i += width;
  }
  return out;
}

/** One rune at b[i]: [code point, byte width], with (U+FFFD, 1) for anything invalid. */
function decodeRune(b: Uint8Array, i: number): [number, number] {
  const c0 = b[i];
  if (c0 < 0x80) return [c0, 1];
  const cont = (k: number): number => (i + k < b.length && (b[i + k] & 0xc0) === 0x80 ? b[i + k] & 0x3f : -1);
  if (c0 >= 0xc2 && c0 <= 0xdf) {
    const c1 = cont(1);
    if (c1 >= 0) return [((c0 & 0x1f) << 6) | c1, 2];
  } else if (c0 >= 0xe0 && c0 <= 0xef) {
    const c1 = cont(1);
    const c2 = cont(2);
    if (c1 >= 0 && c2 >= 0) {
      const cp = ((c0 & 0x0f) << 12) | (c1 << 6) | c2;
      if (cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff)) return [cp, 3];
    }
  } else if (c0 >= 0xf0 && c0 <= 0xf4) {
    const c1 = cont(1);
    const c2 = cont(2);
    const c3 = cont(3);
    if (c1 >= 0 && c2 >= 0 && c3 >= 0) {
      const cp = ((c0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
      if (cp >= 0x10000 && cp <= 0x10ffff) return [cp, 4];
    }
  }
  return [0xfffd, 1];
}
