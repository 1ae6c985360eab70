// strings.render_template: go literals: strconv.Unquote / UnquoteChar and number syntax
import { length, slice } from './funcs';

export const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };

/**
 * strconv.UnquoteChar: the first character or escape of `s` inside `quote`s, as [value, whether
 * it is a single byte (\xNN, \NNN) rather than a rune, the rest]; undefined for Go's ErrSyntax.
 */
export function unquoteChar(s: string, quote: string): [number, boolean, string] | undefined {
  const c = s[0];
  if (c === undefined || c === quote) return undefined;
  if (c !== '\\') {
    const cp = s.codePointAt(0) as number;
    return [cp, false, s.slice(cp > 0xffff ? 2 : 1)];
  }
  const e = s[1];
  let rest = s.slice(2);
  if (e === undefined) return undefined;
  if (e in SIMPLE_ESCAPES) return [SIMPLE_ESCAPES[e], false, rest];
  if (e === '"' || e === "'") return e === quote ? [e.charCodeAt(0), false, rest] : undefined;
  if (e === 'x' || e === 'u' || e === 'U') {
    const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
    const hex = rest.slice(0, n);
    if (hex.length < n || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
    const v = parseInt(hex, 16);
    if (e !== 'x' && (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))) return undefined;
    return [v, e === 'x', rest.slice(n)];
  }
  if (e >= '0' && e <= '7') {
    const oct = e + rest.slice(0, 2);
    if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) return undefined;
    rest = rest.slice(2);
    return [parseInt(oct, 8), true, rest];
  }
  return undefined;
}

/** strconv.Unquote of a string token. */
export function unquote(token: string): string | undefined {
  if (token.startsWith('`')) return token.slice(1, -1).replace(/\r/g, '');
  const bytes: number[] = [];
  let body = token.slice(1, -1);
  while (body.length > 0) {
    const r = unquoteChar(body, '"');
    if (r === undefined) return undefined;
    const [v, isByte, rest] = r;
    if (isByte || v < 0x80) bytes.push(v);
    else for (const b of Buffer.from(String.fromCodePoint(v), 'utf8')) bytes.push(b);
    body = rest;
  }
  return Buffer.from(bytes).toString('utf8');
}

export const INT64_MIN = -(1n << 63n);
export const INT64_MAX = (1n << 63n) - 1n;
export const UINT64_MAX = (1n << 64n) - 1n;
export const INT_LITERAL = /^[+-]?(0[xX](_?[0-9a-fA-F])+|0[oO](_?[0-7])+|0[bB](_?[01])+|0(_?[0-7])*|[1-9](_?[0-9])*)$/;
export const DEC_FLOAT = /^[+-]?(?=\.?[0-9])([0-9](_?[0-9])*)?(\.([0-9](_?[0-9])*)?)?([eE][+-]?[0-9](_?[0-9])*)?$/;
export const HEX_FLOAT = /^[+-]?0[xX](_?[0-9a-fA-F])*(\.([0-9a-fA-F](_?[0-9a-fA-F])*)?)?[pP][+-]?[0-9](_?[0-9])*$/;

export function parseGoInt(text: string): bigint | undefined {
  if (!INT_LITERAL.test(text)) return undefined;
  let s = text.replace(/_/g, '');
  const neg = s.startsWith('-');
  if (s[0] === '+' || s[0] === '-') s = s.slice(1);
  let v: bigint;
  if (/^0[oO]/.test(s)) v = BigInt('0o' + s.slice(2));
  else if (/^0[0-7]+$/.test(s)) v = BigInt('0o' + s.slice(1));
  else v = BigInt(s);
  return neg ? -v : v;
}

export function parseGoFloat(text: string): number | undefined {
  if (DEC_FLOAT.test(text)) {
    const f = Number(text.replace(/_/g, ''));
    return Number.isFinite(f) ? f : undefined;
  }
  if (HEX_FLOAT.test(text)) {
    const m = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9_]+)$/.exec(text) as RegExpExecArray;
    const int = m[2].replace(/_/g, '');
    const frac = (m[3] ?? '').replace(/_/g, '');
    const mant = Number(BigInt('0x' + (int + frac || '0')));
    const f = mant * 2 ** (Number(m[4].replace(/_/g, '')) - 4 * frac.length);
    if (!Number.isFinite(f)) return undefined;
    return m[1] === '-' ? -f : f;
  }
  return undefined;
}
