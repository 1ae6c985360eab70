// What generated code does to values beyond building them: lookups, lengths, iteration, merges,
// `with` overlays and results.
import {
  N_INT, T_ARR, T_OBJ, T_SET, T_STR, arrGet, items, len, numI64, numInt, numRepr,
  objCopy, objGet, objKey, objNew, objPut, objRemove, objVal, setFromValues, setGet, setHas, strLen, strPtr, tag,
} from './value';
import { asInt, numIsInt } from './number';
import { compare } from './compare';

/** Array index of a number key, or -1. */
export function indexOf(a: u32, k: u32): i32 {
  if (tag(k) != 3) return -1;
  let i: i64;
  if (numRepr(k) == N_INT) i = numI64(k);
  else if (numIsInt(k)) i = asInt;
  else return -1;
  return i >= 0 && i < <i64>len(a) ? <i32>i : -1;
}

export function get(v: u32, k: u32): u32 {
  const t = tag(v);
  if (t == T_OBJ) return objGet(v, k);
  if (t == T_ARR) {
    const i = indexOf(v, k);
    return i < 0 ? 0 : arrGet(v, <u32>i);
  }
  if (t == T_SET) return setHas(v, k) ? k : 0;
  return 0;
}

/** Code points in `n` bytes of UTF-8. */
export function codePoints(p: u32, n: u32): u32 {
  let c: u32 = 0;
  for (let i: u32 = 0; i < n; i++) if ((load<u8>(p + i) & 0xc0) != 0x80) c++;
  return c;
}

export function length(v: u32): i32 {
  const t = tag(v);
  if (t == T_ARR || t == T_OBJ || t == T_SET) return <i32>len(v);
  if (t == T_STR) return <i32>codePoints(strPtr(v), strLen(v));
  return -1;
}

export function iterLen(v: u32): u32 {
  const t = tag(v);
  return t == T_ARR || t == T_OBJ || t == T_SET ? len(v) : 0;
}

export function iterKey(v: u32, i: u32): u32 {
  const t = tag(v);
  if (t == T_ARR) return numInt(i);
  if (t == T_OBJ) return objKey(v, i);
  return setGet(v, i);
}

export function iterValue(v: u32, i: u32): u32 {
  const t = tag(v);
  if (t == T_ARR) return arrGet(v, i);
  if (t == T_OBJ) return objVal(v, i);
  return setGet(v, i);
}

/** Deep merge of two objects; on a clash of non-objects `a` wins. 0 unless both are objects. */
export function merge(a: u32, b: u32): u32 {
  if (tag(a) != T_OBJ || tag(b) != T_OBJ) return 0;
  const out = objCopy(a);
  const n = len(b);
  for (let i: u32 = 0; i < n; i++) {
    const k = objKey(b, i);
    const v = objVal(b, i);
    const cur = objGet(out, k);
    if (cur == 0) objPut(out, k, v);
    else if (tag(cur) == T_OBJ && tag(v) == T_OBJ) objPut(out, k, merge(cur, v));
  }
  return out;
}

/** A copy of `doc` (maybe undefined) with `v` at `path` (an array of keys), creating objects. */
export function upsert(doc: u32, path: u32, v: u32): u32 {
  return upsertFrom(doc, path, 0, v);
}

function upsertFrom(doc: u32, path: u32, i: u32, v: u32): u32 {
  if (i == len(path)) return v;
  const obj = doc != 0 && tag(doc) == T_OBJ ? objCopy(doc) : objNew();
  const k = arrGet(path, i);
  objPut(obj, k, upsertFrom(objGet(obj, k), path, i + 1, v));
  return obj;
}

/** Inserts unless a different value is there: 0 done, 1 conflict. */
export function insertOnce(o: u32, k: u32, v: u32): i32 {
  const cur = objGet(o, k);
  if (cur != 0) return compare(cur, v) == 0 ? 0 : 1;
  objPut(o, k, v);
  return 0;
}

/** A host builtin declared to return a set hands back an array (JSON has no sets). */
export function toSet(v: u32): u32 {
  if (v == 0 || tag(v) != T_ARR) return v;
  return setFromValues(items(v), len(v));
}

/** In-place update of a document at a path, for the ABI's opa_value_add_path: 0 ok,
 *  2 invalid type, 3 invalid path. */
export function addPath(base: u32, path: u32, v: u32): i32 {
  if (tag(path) != T_ARR || tag(base) != T_OBJ) return 2;
  const n = len(path);
  if (n == 0) return 3;
  let cur = base;
  for (let i: u32 = 0; i + 1 < n; i++) {
    const k = arrGet(path, i);
    let next = objGet(cur, k);
    if (next == 0) {
      next = objNew();
      objPut(cur, k, next);
    } else if (tag(next) != T_OBJ) return 3;
    cur = next;
  }
  objPut(cur, arrGet(path, n - 1), v);
  return 0;
}

export function removePath(base: u32, path: u32): i32 {
  if (tag(path) != T_ARR || tag(base) != T_OBJ) return 2;
  const n = len(path);
  if (n == 0) return 3;
  let cur = base;
  for (let i: u32 = 0; i + 1 < n; i++) {
    cur = objGet(cur, arrGet(path, i));
    if (cur == 0 || tag(cur) != T_OBJ) return 0;
  }
  objRemove(cur, arrGet(path, n - 1));
  return 0;
}
