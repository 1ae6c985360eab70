// JSON (and Rego value text: sets, non-string keys) to values and back.
import { alloc } from './memory';
import {
  FALSE_V, NULL_V, N_F64, N_INT, T_ARR, T_BOOL, T_NULL, T_NUM, T_OBJ, T_SET, T_STR, TRUE_V,
  appendRaw, arrNew, arrPush, finishSorted, items, len, numI64, numRepr, objNew, setNew, str, strLen, strPtr, tag,
} from './value';
import { F64_TEXT_MAX, numFromText, writeF64, writeInt } from './number';
import * as num from './number';
import { bufAdvance, bufAscii, bufBase, bufByte, bufBytes, bufFinish, bufReserve, bufSize, bufStart } from './buffer';

const MAX_DEPTH: i32 = 2048;

let pos: u32 = 0;
let end: u32 = 0;
let rego: bool = false;
let depth: i32 = 0;

/** Parses `n` bytes at `p`; 0 if they are not one JSON value (or, with `regoText`, Rego value). */
export function parse(p: u32, n: u32, regoText: bool): u32 {
  pos = p;
  end = p + n;
  rego = regoText;
  depth = 0;
  // One document's numbers share one budget of expanded digits (number.ts).
  num.expandBudget = num.MAX_EXPANDED_DIGITS;
  num.numberTooBig = false;
  let v = value();
  num.expandBudget = -1;
  if (v != 0) {
    ws();
    if (pos != end) v = 0;
  }
  return v;
}

function ws(): void {
  while (pos < end) {
    const c = load<u8>(pos);
    if (c != 32 && c != 10 && c != 13 && c != 9) break;
    pos++;
  }
}

function literal(s: string): bool {
  const n = <u32>s.length;
  if (end - pos < n) return false;
  for (let i: u32 = 0; i < n; i++) if (load<u8>(pos + i) != <u8>s.charCodeAt(i)) return false;
  pos += n;
  return true;
}

function value(): u32 {
  ws();
  if (pos >= end) return 0;
  const c = load<u8>(pos);
  if (c == 34) return stringValue();
  if (c == 123) return braced();
  if (c == 91) return array();
  if (c == 116) return literal('true') ? TRUE_V : 0;
  if (c == 102) return literal('false') ? FALSE_V : 0;
  if (c == 110) return literal('null') ? NULL_V : 0;
  if (rego && c == 115) return literal('set()') ? setNew() : 0;
  if (c == 45 || (c >= 48 && c <= 57)) return number();
  return 0;
}

@inline function digitAt(p: u32): bool {
  return p < end && <u32>load<u8>(p) - 48 < 10;
}

function number(): u32 {
  const start = pos;
  if (load<u8>(pos) == 45) pos++;
  if (!digitAt(pos)) return 0;
  if (load<u8>(pos) == 48) pos++;
  else while (digitAt(pos)) pos++;
  if (pos < end && load<u8>(pos) == 46) {
    pos++;
    if (!digitAt(pos)) return 0;
    while (digitAt(pos)) pos++;
  }
  if (pos < end && (load<u8>(pos) | 32) == 101) {
    pos++;
    if (pos < end && (load<u8>(pos) == 43 || load<u8>(pos) == 45)) pos++;
    if (!digitAt(pos)) return 0;
    while (digitAt(pos)) pos++;
  }
  return numFromText(start, pos - start);
}

function hex4(p: u32): i32 {
  if (end - p < 4) return -1;
  let v: i32 = 0;
  for (let i: u32 = 0; i < 4; i++) {
    const c = <i32>load<u8>(p + i);
    let d: i32;
    if (c >= 48 && c <= 57) d = c - 48;
    else if ((c | 32) >= 97 && (c | 32) <= 102) d = (c | 32) - 87;
    else return -1;
    v = (v << 4) | d;
  }
  return v;
}

function utf8(out: u32, cp: u32): u32 {
  if (cp < 0x80) {
    store<u8>(out, <u8>cp);
    return 1;
  }
  if (cp < 0x800) {
    store<u8>(out, <u8>(0xc0 | (cp >> 6)));
    store<u8>(out, <u8>(0x80 | (cp & 63)), 1);
    return 2;
  }
  if (cp < 0x10000) {
    store<u8>(out, <u8>(0xe0 | (cp >> 12)));
    store<u8>(out, <u8>(0x80 | ((cp >> 6) & 63)), 1);
    store<u8>(out, <u8>(0x80 | (cp & 63)), 2);
    return 3;
  }
  store<u8>(out, <u8>(0xf0 | (cp >> 18)));
  store<u8>(out, <u8>(0x80 | ((cp >> 12) & 63)), 1);
  store<u8>(out, <u8>(0x80 | ((cp >> 6) & 63)), 2);
  store<u8>(out, <u8>(0x80 | (cp & 63)), 3);
  return 4;
}

/** A string value; without escapes it points into the source bytes. */
function stringValue(): u32 {
  pos++;
  const start = pos;
  let escaped = false;
  while (true) {
    if (pos >= end) return 0;
    const c = load<u8>(pos);
    if (c == 34) break;
    if (c < 32) return 0;
    if (c == 92) {
      escaped = true;
      pos++;
    }
    pos++;
  }
  const stop = pos;
  pos++;
  if (!escaped) return str(start, stop - start);
  // Escapes only shrink the text, so its length is enough room.
  const out = alloc(stop - start);
  let o = out;
  let p = start;
  while (p < stop) {
    const c = load<u8>(p++);
    if (c != 92) {
      store<u8>(o++, c);
      continue;
    }
    const e = load<u8>(p++);
    if (e == 34 || e == 92 || e == 47) store<u8>(o++, e);
    else if (e == 98) store<u8>(o++, 8);
    else if (e == 102) store<u8>(o++, 12);
    else if (e == 110) store<u8>(o++, 10);
    else if (e == 114) store<u8>(o++, 13);
    else if (e == 116) store<u8>(o++, 9);
    else if (e == 117) {
      let cp = hex4(p);
      if (cp < 0) return 0;
      p += 4;
      if (cp >= 0xd800 && cp < 0xdc00) {
        // A high surrogate pairs with a following \uDC00-\uDFFF; alone it is U+FFFD, as in Go.
        const lo = p + 6 <= stop && load<u8>(p) == 92 && load<u8>(p + 1) == 117 ? hex4(p + 2) : -1;
        if (lo >= 0xdc00 && lo < 0xe000) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          p += 6;
        } else cp = 0xfffd;
      } else if (cp >= 0xdc00 && cp < 0xe000) cp = 0xfffd;
      o += utf8(o, <u32>cp);
    } else return 0;
  }
  return str(out, o - out);
}

function array(): u32 {
  if (++depth > MAX_DEPTH) return 0;
  pos++;
  const a = arrNew(0);
  ws();
  if (pos < end && load<u8>(pos) == 93) {
    pos++;
    depth--;
    return a;
  }
  while (true) {
    const v = value();
    if (v == 0) return 0;
    arrPush(a, v);
    ws();
    if (pos >= end) return 0;
    const c = load<u8>(pos++);
    if (c == 93) break;
    if (c != 44) return 0;
  }
  depth--;
  return a;
}

/** `{…}`: an object, or in Rego text a set when the first item has no `:`. */
function braced(): u32 {
  if (++depth > MAX_DEPTH) return 0;
  pos++;
  ws();
  if (pos < end && load<u8>(pos) == 125) {
    pos++;
    depth--;
    return objNew();
  }
  const first = value();
  if (first == 0) return 0;
  ws();
  if (rego && pos < end && load<u8>(pos) != 58) {
    const s = setNew();
    appendRaw(s, 4, first, 0);
    while (true) {
      ws();
      if (pos >= end) return 0;
      const c = load<u8>(pos++);
      if (c == 125) break;
      if (c != 44) return 0;
      const v = value();
      if (v == 0) return 0;
      appendRaw(s, 4, v, 0);
    }
    finishSorted(s, 4);
    depth--;
    return s;
  }
  const o = objNew();
  let k = first;
  while (true) {
    if (!rego && tag(k) != T_STR) return 0;
    ws();
    if (pos >= end || load<u8>(pos++) != 58) return 0;
    const v = value();
    if (v == 0) return 0;
    appendRaw(o, 8, k, v);
    ws();
    if (pos >= end) return 0;
    const c = load<u8>(pos++);
    if (c == 125) break;
    if (c != 44) return 0;
    k = value();
    if (k == 0) return 0;
  }
  finishSorted(o, 8);
  depth--;
  return o;
}

// ---- output

/** JSON text (or Rego value text) of `v`, NUL-terminated, on the heap. */
export function dump(v: u32, regoText: bool): u32 {
  bufStart();
  writeValue(v, regoText);
  return bufFinish();
}

/** Appends the JSON text (or Rego value text, as OPA prints values: `[1, "a"]`, `{"k": 1}`,
 *  `{1, 2}`, `set()`) of `v` to the buffer being built. */
export function writeValue(v: u32, regoText: bool): void {
  rego = regoText;
  write(v);
}

const HEX = '0123456789abcdef';

function writeString(p: u32, n: u32): void {
  bufByte(34);
  let run = p;
  const stop = p + n;
  for (let q = p; q < stop; q++) {
    const c = <u32>load<u8>(q);
    if (c >= 32 && c != 34 && c != 92) continue;
    bufBytes(run, q - run);
    run = q + 1;
    bufByte(92);
    if (c == 34 || c == 92) bufByte(c);
    else if (c == 10) bufByte(110);
    else if (c == 13) bufByte(114);
    else if (c == 9) bufByte(116);
    else if (c == 8) bufByte(98);
    else if (c == 12) bufByte(102);
    else {
      bufAscii('u00');
      bufByte(HEX.charCodeAt(c >> 4));
      bufByte(HEX.charCodeAt(c & 15));
    }
  }
  bufBytes(run, stop - run);
  bufByte(34);
}

function writeNumber(v: u32): void {
  const r = numRepr(v);
  if (r == N_INT) bufAdvance(writeInt(bufReserve(20), numI64(v)));
  else if (r == N_F64) bufAdvance(writeF64(bufReserve(F64_TEXT_MAX), load<f64>(v, 8)));
  else bufBytes(load<u32>(v, 8), load<u32>(v, 4));
}

function write(v: u32): void {
  switch (tag(v)) {
    case T_NULL:
      bufAscii('null');
      return;
    case T_BOOL:
      bufAscii(load<u8>(v, 1) ? 'true' : 'false');
      return;
    case T_NUM:
      writeNumber(v);
      return;
    case T_STR:
      writeString(strPtr(v), strLen(v));
      return;
    case T_ARR:
      writeItems(v, 91, 93);
      return;
    case T_SET:
      if (rego && len(v) == 0) bufAscii('set()');
      else if (rego) writeItems(v, 123, 125);
      else writeItems(v, 91, 93);
      return;
    case T_OBJ: {
      bufByte(123);
      const n = len(v);
      const p = items(v);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) separator();
        writeKey(load<u32>(p + (i << 3)));
        bufByte(58);
        if (rego) bufByte(32);
        write(load<u32>(p + (i << 3), 4));
      }
      bufByte(125);
      return;
    }
  }
}

function separator(): void {
  bufByte(44);
  if (rego) bufByte(32);
}

function writeItems(v: u32, open: u32, close: u32): void {
  bufByte(open);
  const n = len(v);
  const p = items(v);
  for (let i: u32 = 0; i < n; i++) {
    if (i > 0) separator();
    write(load<u32>(p + (i << 2)));
  }
  bufByte(close);
}

/** JSON keys are strings: any other key is written as the string of its own JSON text. */
function writeKey(k: u32): void {
  if (rego || tag(k) == T_STR) {
    write(k);
    return;
  }
  const at = bufSize();
  write(k);
  const n = bufSize() - at;
  const copy = alloc(n);
  memory.copy(copy, bufBase() + at, n);
  bufAdvance(0 - n);
  writeString(copy, n);
}
