// Encodings: base64, base64url, hex and URL query strings, with Go's strictness (padding,
// alphabets, escapes) and Go's error texts. Decoded bytes that are not UTF-8 become U+FFFD per
// bad byte, as Go would count and print them.
import type { Builtin } from './types';
import { ANY_OBJECT, BOOLEAN, STRING, arrayOf, fn, objectOf } from './decl';
import { builtinError, obj, operandError, str } from './operands';
import { bytesToString, utf8Bytes } from './utf8';
import { ObjectValue, SetValue, compareStrings, keyString, type Value } from '../value/value';

const STD = /^[A-Za-z0-9+/]*$/;
const URL = /^[A-Za-z0-9_-]*$/;

/** Go's base64 (padded) DecodeString: returns the bytes or the Go error text. */
function base64Decode(s: string, alphabet: RegExp): Buffer | string {
  const text = s.replace(/[\r\n]/g, '');
  const body = text.replace(/={1,2}$/, '');
  const padding = text.length - body.length;
  for (let i = 0; i < body.length; i++) {
    if (!alphabet.test(body[i])) return `illegal base64 data at input byte ${i}`;
  }
  if (text.length % 4 !== 0 || (padding > 0 && body.length % 4 < 2) || body.length % 4 === 1) {
    return `illegal base64 data at input byte ${body.length - (body.length % 4)}`;
  }
  return Buffer.from(body, 'base64');
}

function decodeOrThrow(name: string, s: string, alphabet: RegExp): string {
  const r = base64Decode(s, alphabet);
  if (typeof r === 'string') throw builtinError(name, r);
  return bytesToString(r);
}

function hexDecode(s: string): string {
  const b = utf8Bytes(s);
  const nibble = (c: number): number =>
    c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
  const bad = (c: number): never => {
    const shown = c === 0x27 ? "'\\''" : `'${String.fromCodePoint(c)}'`;
    throw builtinError('hex.decode', `encoding/hex: invalid byte: U+${c.toString(16).toUpperCase().padStart(4, '0')} ${shown}`);
  };
  const out = Buffer.alloc(b.length >> 1);
  let j = 0;
  for (; j + 1 < b.length; j += 2) {
    const hi = nibble(b[j]);
    if (hi < 0) bad(b[j]);
    const lo = nibble(b[j + 1]);
    if (lo < 0) bad(b[j + 1]);
    out[j >> 1] = (hi << 4) | lo;
  }
  if (b.length % 2 === 1) {
    if (nibble(b[b.length - 1]) < 0) bad(b[b.length - 1]);
    throw builtinError('hex.decode', 'encoding/hex: odd length hex string');
  }
  return bytesToString(out);
}

/** Go's url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const byte of utf8Bytes(s)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Go's url.QueryUnescape: the text, or the Go error text. */
function queryUnescape(s: string): { ok: true; value: string } | { ok: false; error: string } {
  const bytes: number[] = [];
  const src = utf8Bytes(s);
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === 0x25) {
      const h = src.subarray(i + 1, i + 3).toString('latin1');
      if (!/^[0-9a-fA-F]{2}$/.test(h)) {
        return { ok: false, error: `invalid URL escape ${JSON.stringify(src.subarray(i, i + 3).toString('utf8'))}` };
      }
      bytes.push(parseInt(h, 16));
      i += 2;
    } else bytes.push(c === 0x2b ? 0x20 : c);
  }
  return { ok: true, value: bytesToString(Uint8Array.from(bytes)) };
}

function encodeObject(args: Value[]): string {
  const o = obj('urlquery.encode_object', args, 0);
  const bad = operandError('urlquery.encode_object', 1, 'values must be string, array[string], or set[string]');
  const pairs: Array<[string, string[]]> = [];
  for (const [k, v] of o.entries()) {
    let vals: Value[];
    if (typeof v === 'string') vals = [v];
    else if (Array.isArray(v)) vals = v;
    else if (v instanceof SetValue) vals = v.values();
    else throw bad;
    if (!vals.every((x) => typeof x === 'string')) throw bad;
    pairs.push([keyString(k), vals as string[]]);
  }
  pairs.sort((a, b) => compareStrings(a[0], b[0]));
  const parts: string[] = [];
  for (const [k, vals] of pairs) for (const v of vals) parts.push(`${queryEscape(k)}=${queryEscape(v)}`);
  return parts.join('&');
}

function decodeObject(args: Value[]): ObjectValue {
  const q = str('urlquery.decode_object', args, 0);
  const groups = new Map<string, string[]>();
  let firstError: string | undefined;
  for (const part of q.split('&')) {
    if (part === '') continue;
    if (part.includes(';')) {
      firstError ??= 'invalid semicolon separator in query';
      continue;
    }
    const eq = part.indexOf('=');
    const k = queryUnescape(eq < 0 ? part : part.slice(0, eq));
    const v = queryUnescape(eq < 0 ? '' : part.slice(eq + 1));
    if (!k.ok) {
      firstError ??= k.error;
      continue;
    }
    if (!v.ok) {
      firstError ??= v.error;
      continue;
    }
    const list = groups.get(k.value) ?? [];
    list.push(v.value);
    groups.set(k.value, list);
  }
  if (firstError !== undefined) throw builtinError('urlquery.decode_object', firstError);
  const out = new ObjectValue();
  for (const [k, vs] of groups) out.set(k, vs);
  return out;
}

function stringFn(name: string, f: (s: string) => Value): Builtin {
  return { name, decl: fn([STRING], STRING), impl: (args) => f(str(name, args, 0)) };
}

export const ENCODING: Builtin[] = [
  stringFn('base64.encode', (s) => utf8Bytes(s).toString('base64')),
  stringFn('base64.decode', (s) => decodeOrThrow('base64.decode', s, STD)),
  {
    name: 'base64.is_valid',
    decl: fn([STRING], BOOLEAN),
    impl: ([s]) => typeof s === 'string' && typeof base64Decode(s, STD) !== 'string',
  },
  stringFn('base64url.encode', (s) => {
    const t = utf8Bytes(s).toString('base64url');
    return t + '='.repeat((4 - (t.length % 4)) % 4);
  }),
  stringFn('base64url.encode_no_pad', (s) => utf8Bytes(s).toString('base64url')),
  stringFn('base64url.decode', (s) => {
    let t = s;
    // Unpadded input is accepted (RFC 7515 appendix C), as OPA does.
    if (!t.endsWith('=')) {
      const r = t.length % 4;
      if (r === 1) throw builtinError('base64url.decode', `illegal base64url string: ${s}`);
      t += r === 2 ? '==' : r === 3 ? '=' : '';
    }
    return decodeOrThrow('base64url.decode', t, URL);
  }),
  stringFn('hex.encode', (s) => utf8Bytes(s).toString('hex')),
  stringFn('hex.decode', hexDecode),
  stringFn('urlquery.encode', queryEscape),
  stringFn('urlquery.decode', (s) => {
    const r = queryUnescape(s);
    if (!r.ok) throw builtinError('urlquery.decode', r.error);
    return r.value;
  }),
  { name: 'urlquery.encode_object', decl: fn([ANY_OBJECT], STRING), impl: encodeObject },
  { name: 'urlquery.decode_object', decl: fn([STRING], objectOf(STRING, arrayOf(STRING))), impl: decodeObject },
];
