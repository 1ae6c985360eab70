// The value model (layout in ../README.md). A value is a pointer to a record whose first byte is
// its type tag; 0 is undefined. Records are immutable once built, except collections that
// generated code is still filling.
import { alloc, realloc } from './memory';
import { compare } from './compare';

export const T_NULL: u8 = 1;
export const T_BOOL: u8 = 2;
export const T_NUM: u8 = 3;
export const T_STR: u8 = 4;
export const T_ARR: u8 = 5;
export const T_OBJ: u8 = 6;
export const T_SET: u8 = 7;

export const N_INT: u8 = 0;
export const N_F64: u8 = 1;
export const N_REF: u8 = 2;

export const NULL_V: u32 = <u32>memory.data<u8>([1, 0, 0, 0, 0, 0, 0, 0], 8);
export const FALSE_V: u32 = <u32>memory.data<u8>([2, 0, 0, 0, 0, 0, 0, 0], 8);
export const TRUE_V: u32 = <u32>memory.data<u8>([2, 1, 0, 0, 0, 0, 0, 0], 8);

@inline export function tag(v: u32): u8 {
  return load<u8>(v);
}

@inline export function boolV(b: bool): u32 {
  return b ? TRUE_V : FALSE_V;
}

// ---- numbers: 0 tag, 1 repr, 8 i64|f64 (ref: 4 len, 8 ptr of the decimal text)

export function numInt(x: i64): u32 {
  const p = alloc(16);
  store<u32>(p, T_NUM);
  store<i64>(p, x, 8);
  return p;
}

export function numF64(x: f64): u32 {
  // Integral results within the exact range are integers, as Rego prints them.
  if (Math.abs(x) < 9007199254740992.0 && Math.floor(x) == x) return numInt(<i64>x);
  const p = alloc(16);
  store<u32>(p, <u32>T_NUM | (<u32>N_F64 << 8));
  store<f64>(p, x, 8);
  return p;
}

export function numRefRaw(ptr: u32, len: u32): u32 {
  const p = alloc(16);
  store<u32>(p, <u32>T_NUM | (<u32>N_REF << 8));
  store<u32>(p, len, 4);
  store<u32>(p, ptr, 8);
  return p;
}

@inline export function numRepr(v: u32): u8 {
  return load<u8>(v, 1);
}

@inline export function numI64(v: u32): i64 {
  return load<i64>(v, 8);
}

// ---- strings: 4 byte length, 8 pointer to UTF-8 bytes

export function str(ptr: u32, len: u32): u32 {
  const p = alloc(16);
  store<u32>(p, T_STR);
  store<u32>(p, len, 4);
  store<u32>(p, ptr, 8);
  return p;
}

@inline export function strLen(v: u32): u32 {
  return load<u32>(v, 4);
}

@inline export function strPtr(v: u32): u32 {
  return load<u32>(v, 8);
}

/** A string value from an AssemblyScript literal (ASCII). */
export function strAscii(s: string): u32 {
  const n = <u32>s.length;
  const b = alloc(n);
  for (let i: u32 = 0; i < n; i++) store<u8>(b + i, <u8>s.charCodeAt(i));
  return str(b, n);
}

// ---- arrays, objects, sets: 4 length, 8 capacity, 12 items (u32 each; objects: key, value pairs)
// Objects and sets keep their items sorted in Rego's order: lookups are binary searches and
// iteration needs no extra work.

function collection(t: u8, cap: u32, width: u32): u32 {
  const p = alloc(16);
  store<u32>(p, t);
  store<u32>(p, 0, 4);
  store<u32>(p, cap, 8);
  store<u32>(p, cap > 0 ? alloc(cap * width) : 0, 12);
  return p;
}

export function arrNew(cap: u32): u32 {
  return collection(T_ARR, cap, 4);
}

export function objNew(): u32 {
  return collection(T_OBJ, 0, 8);
}

/** An empty object with room for `cap` entries (to be filled in key order with `objAppend`). */
export function objWithCap(cap: u32): u32 {
  return collection(T_OBJ, cap, 8);
}

export function setNew(): u32 {
  return collection(T_SET, 0, 4);
}

@inline export function len(v: u32): u32 {
  return load<u32>(v, 4);
}

@inline export function items(v: u32): u32 {
  return load<u32>(v, 12);
}

@inline export function arrGet(a: u32, i: u32): u32 {
  return load<u32>(items(a) + (i << 2));
}

@inline export function setGet(s: u32, i: u32): u32 {
  return load<u32>(items(s) + (i << 2));
}

@inline export function objKey(o: u32, i: u32): u32 {
  return load<u32>(items(o) + (i << 3));
}

@inline export function objVal(o: u32, i: u32): u32 {
  return load<u32>(items(o) + (i << 3), 4);
}

/** Room for one more item of `width` bytes. */
function reserve(c: u32, width: u32): void {
  const n = len(c);
  const cap = load<u32>(c, 8);
  if (n < cap) return;
  const next = cap < 4 ? 4 : cap * 2;
  store<u32>(c, cap == 0 ? alloc(next * width) : realloc(items(c), cap * width, next * width), 12);
  store<u32>(c, next, 8);
}

export function arrPush(a: u32, v: u32): void {
  reserve(a, 4);
  const n = len(a);
  store<u32>(items(a) + (n << 2), v);
  store<u32>(a, n + 1, 4);
}

/** Index of `k` among the sorted keys (objects) or elements (sets), or -(insertion point) - 1. */
export function search(c: u32, k: u32, width: u32): i32 {
  let lo: i32 = 0;
  let hi: i32 = <i32>len(c) - 1;
  const base = items(c);
  // Appends in order are the common case (iteration order, sorted JSON): check the end first.
  if (hi >= 0) {
    const last = compare(load<u32>(base + <u32>hi * width), k);
    if (last < 0) return -(hi + 1) - 1;
    if (last == 0) return hi;
    hi--;
  }
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c2 = compare(load<u32>(base + <u32>mid * width), k);
    if (c2 < 0) lo = mid + 1;
    else if (c2 > 0) hi = mid - 1;
    else return mid;
  }
  return -lo - 1;
}

function insertAt(c: u32, at: u32, width: u32): u32 {
  reserve(c, width);
  const n = len(c);
  const base = items(c);
  const p = base + at * width;
  if (at < n) memory.copy(p + width, p, (n - at) * width);
  store<u32>(c, n + 1, 4);
  return p;
}

export function objGet(o: u32, k: u32): u32 {
  const i = search(o, k, 8);
  return i < 0 ? 0 : objVal(o, <u32>i);
}

/** Appends an entry whose key sorts after every key already there, within the capacity. */
@inline export function objAppend(o: u32, k: u32, v: u32): void {
  const n = len(o);
  const p = items(o) + (n << 3);
  store<u32>(p, k);
  store<u32>(p, v, 4);
  store<u32>(o, n + 1, 4);
}

/** Sets `o[k] = v`; returns the previous value (0 if none). */
export function objPut(o: u32, k: u32, v: u32): u32 {
  const i = search(o, k, 8);
  if (i >= 0) {
    const p = items(o) + (<u32>i << 3);
    const prev = load<u32>(p, 4);
    store<u32>(p, v, 4);
    return prev;
  }
  const p = insertAt(o, <u32>(-i - 1), 8);
  store<u32>(p, k);
  store<u32>(p, v, 4);
  return 0;
}

export function objRemove(o: u32, k: u32): bool {
  const i = search(o, k, 8);
  if (i < 0) return false;
  const n = len(o);
  const p = items(o) + (<u32>i << 3);
  memory.copy(p, p + 8, (n - <u32>i - 1) << 3);
  store<u32>(o, n - 1, 4);
  return true;
}

export function setHas(s: u32, v: u32): bool {
  return search(s, v, 4) >= 0;
}

export function setAdd(s: u32, v: u32): void {
  const i = search(s, v, 4);
  if (i >= 0) return;
  store<u32>(insertAt(s, <u32>(-i - 1), 4), v);
}

/** A shallow copy of an object (its entries may then be changed). */
export function objCopy(o: u32): u32 {
  const n = len(o);
  const c = collection(T_OBJ, n, 8);
  memory.copy(items(c), items(o), n << 3);
  store<u32>(c, n, 4);
  return c;
}

/** Builds a set from `n` values at `src` (any order, duplicates allowed). */
export function setFromValues(src: u32, n: u32): u32 {
  const s = collection(T_SET, n, 4);
  memory.copy(items(s), src, n << 2);
  store<u32>(s, sortUnique(items(s), n, 4), 4);
  return s;
}

/** Sorts `n` items of `width` bytes (4 values, 8 key/value pairs) by their first word, stably,
 *  and keeps the last of equal ones (JSON's duplicate keys: the last wins). Returns the count. */
export function sortUnique(base: u32, n: u32, width: u32): u32 {
  if (n < 2) return n;
  let sorted = true;
  for (let i: u32 = 1; i < n; i++) {
    if (compare(load<u32>(base + (i - 1) * width), load<u32>(base + i * width)) >= 0) {
      sorted = false;
      break;
    }
  }
  if (!sorted) mergeSort(base, n, width);
  let out: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const p = base + i * width;
    if (i + 1 < n && compare(load<u32>(p), load<u32>(p + width)) == 0) continue; // a later one wins
    if (out != i) memory.copy(base + out * width, p, width);
    out++;
  }
  return out;
}

/** Bottom-up stable merge sort through a scratch buffer. */
export function mergeSort(base: u32, n: u32, width: u32): void {
  let src = base;
  let dst = alloc(n * width);
  const scratch = dst;
  for (let run: u32 = 1; run < n; run <<= 1) {
    for (let lo: u32 = 0; lo < n; lo += run << 1) {
      const mid = min(lo + run, n);
      const hi = min(lo + (run << 1), n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (compare(load<u32>(src + j * width), load<u32>(src + i * width)) < 0) {
          memory.copy(dst + k * width, src + j * width, width);
          j++;
        } else {
          memory.copy(dst + k * width, src + i * width, width);
          i++;
        }
        k++;
      }
      if (i < mid) memory.copy(dst + k * width, src + i * width, (mid - i) * width);
      else if (j < hi) memory.copy(dst + k * width, src + j * width, (hi - j) * width);
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src != base) memory.copy(base, scratch, n * width);
}

/** Appends without keeping order; `finishSorted` restores it (bulk building, e.g. JSON). */
export function appendRaw(c: u32, width: u32, a: u32, b: u32): void {
  reserve(c, width);
  const n = len(c);
  const p = items(c) + n * width;
  store<u32>(p, a);
  if (width == 8) store<u32>(p, b, 4);
  store<u32>(c, n + 1, 4);
}

export function finishSorted(c: u32, width: u32): void {
  store<u32>(c, sortUnique(items(c), len(c), width), 4);
}

/** Returned by a native builtin with a fast path only (see ../native.ts): "ask the host".
 *  Never a value: records are 8-byte aligned. */
export const ASK_HOST: u32 = 1;
