// Builtins implemented in the runtime (the hot ones; ../native.ts lists them for the code
// generator). Each takes defined values and returns a value, or 0 for undefined: on bad operands
// that is OPA's non-strict behaviour; in strict mode errors abort (errors.ts).
import { alloc } from './memory';
import {
  ASK_HOST, FALSE_V, N_INT, N_REF, T_ARR, T_BOOL, T_NULL, T_NUM, T_OBJ, T_SET, T_STR, TRUE_V, arrGet, arrNew, arrPush, boolV, items,
  len, mergeSort, numF64, numI64, numInt, numRefRaw, numRepr, objGet, objKey, objVal, setAdd, setFromValues, setHas, setNew,
  str, strAscii, strLen, strPtr, tag,
} from './value';
import { compare } from './compare';
import { asInt, isIntegerText, needsHost, numAdd, numDiv, numIsInt, numIsZero, numMul, numSub, numToF64 } from './number';
import { builtinError, operandError, typeError } from './errors';
import { get, indexOf } from './ops';

// ---- comparison

export function rt_b_equal(a: u32, b: u32): u32 {
  return boolV(compare(a, b) == 0);
}
export function rt_b_neq(a: u32, b: u32): u32 {
  return boolV(compare(a, b) != 0);
}
export function rt_b_lt(a: u32, b: u32): u32 {
  return boolV(compare(a, b) < 0);
}
export function rt_b_lte(a: u32, b: u32): u32 {
  return boolV(compare(a, b) <= 0);
}
export function rt_b_gt(a: u32, b: u32): u32 {
  return boolV(compare(a, b) > 0);
}
export function rt_b_gte(a: u32, b: u32): u32 {
  return boolV(compare(a, b) >= 0);
}

// ---- arithmetic

@inline function isNum(v: u32): bool {
  return tag(v) == T_NUM;
}

/** An arithmetic result, or ASK_HOST where it overflowed an i64 (0: see number.ts). */
@inline function orHost(r: u32): u32 {
  return r == 0 ? ASK_HOST : r;
}

export function rt_b_plus(a: u32, b: u32): u32 {
  if (!isNum(a)) return typeError('plus', 1, 'number', a);
  if (!isNum(b)) return typeError('plus', 2, 'number', b);
  if (needsHost(a) || needsHost(b)) return ASK_HOST;
  return orHost(numAdd(a, b));
}
export function rt_b_minus(a: u32, b: u32): u32 {
  // `-` is also set difference.
  if (tag(a) == T_SET && tag(b) == T_SET) {
    const out = setNew();
    const n = len(a);
    for (let i: u32 = 0; i < n; i++) {
      const x = arrGet(a, i);
      if (!setHas(b, x)) setAdd(out, x);
    }
    return out;
  }
  if (tag(a) == T_SET) return typeError('minus', 2, 'set', b);
  if (!isNum(a)) return typeError('minus', 1, 'one of {number, set}', a);
  if (!isNum(b)) return typeError('minus', 2, 'number', b);
  if (needsHost(a) || needsHost(b)) return ASK_HOST;
  return orHost(numSub(a, b));
}
export function rt_b_mul(a: u32, b: u32): u32 {
  if (!isNum(a)) return typeError('mul', 1, 'number', a);
  if (!isNum(b)) return typeError('mul', 2, 'number', b);
  if (needsHost(a) || needsHost(b)) return ASK_HOST;
  return orHost(numMul(a, b));
}
export function rt_b_div(a: u32, b: u32): u32 {
  if (!isNum(a)) return typeError('div', 1, 'number', a);
  if (!isNum(b)) return typeError('div', 2, 'number', b);
  if (numIsZero(b)) return builtinError('div', 'divide by zero');
  if (needsHost(a) || needsHost(b)) return ASK_HOST;
  return orHost(numDiv(a, b));
}
export function rt_b_rem(a: u32, b: u32): u32 {
  if (!isNum(a)) return typeError('rem', 1, 'number', a);
  if (!isNum(b)) return typeError('rem', 2, 'number', b);
  if (needsHost(a) || needsHost(b)) return ASK_HOST;
  if (!numIsInt(a)) return builtinError('rem', 'modulo on floating-point number');
  const x = asInt;
  if (!numIsInt(b)) return builtinError('rem', 'modulo on floating-point number');
  const y = asInt;
  if (y == 0) return builtinError('rem', 'modulo by zero');
  if (y == -1) return numInt(0);
  return numInt(x % y);
}
export function rt_b_abs(a: u32): u32 {
  if (!isNum(a)) return typeError('abs', 1, 'number', a);
  if (numRepr(a) == N_INT && numI64(a) != i64.MIN_VALUE) {
    const x = numI64(a);
    return x < 0 ? numInt(-x) : a;
  }
  // An integer beyond i64, as its digits: without the sign.
  if (bigInteger(a)) return load<u8>(strPtrOf(a)) == 45 ? numRefRaw(strPtrOf(a) + 1, load<u32>(a, 4) - 1) : a;
  return numF64(Math.abs(numToF64(a)));
}

@inline function bigInteger(v: u32): bool {
  return numRepr(v) == N_REF && isIntegerText(v);
}

@inline function strPtrOf(num: u32): u32 {
  return load<u32>(num, 8);
}
export function rt_b_round(a: u32): u32 {
  if (!isNum(a)) return typeError('round', 1, 'number', a);
  if (numRepr(a) == N_INT || bigInteger(a)) return a;
  // Half away from zero, as Go's math.Round.
  const x = numToF64(a);
  const t = Math.trunc(x);
  return numF64(Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t);
}
export function rt_b_ceil(a: u32): u32 {
  if (!isNum(a)) return typeError('ceil', 1, 'number', a);
  return numRepr(a) == N_INT || bigInteger(a) ? a : numF64(Math.ceil(numToF64(a)));
}
export function rt_b_floor(a: u32): u32 {
  if (!isNum(a)) return typeError('floor', 1, 'number', a);
  return numRepr(a) == N_INT || bigInteger(a) ? a : numF64(Math.floor(numToF64(a)));
}

// ---- aggregates

@inline function isArrayOrSet(v: u32): bool {
  return tag(v) == T_ARR || tag(v) == T_SET;
}

export function rt_b_count(a: u32): u32 {
  const t = tag(a);
  if (t == T_ARR || t == T_OBJ || t == T_SET) return numInt(len(a));
  if (t == T_STR) {
    let c: u32 = 0;
    const p = strPtr(a);
    const n = strLen(a);
    for (let i: u32 = 0; i < n; i++) if ((load<u8>(p + i) & 0xc0) != 0x80) c++;
    return numInt(c);
  }
  return typeError('count', 1, 'one of {array, object, set, string}', a);
}

function fold(name: string, a: u32, product: bool): u32 {
  if (!isArrayOrSet(a)) return typeError(name, 1, 'one of {array, set}', a);
  let acc = numInt(product ? 1 : 0);
  let host = false; // past an i64: the host computes it (number.ts), once the types are checked
  const n = len(a);
  for (let i: u32 = 0; i < n; i++) {
    const x = arrGet(a, i);
    if (!isNum(x)) return typeError(name, 1, 'a collection of numbers', x);
    if (host || needsHost(x)) {
      host = true;
      continue;
    }
    acc = product ? numMul(acc, x) : numAdd(acc, x);
    if (acc == 0) host = true;
  }
  return host ? ASK_HOST : acc;
}
export function rt_b_sum(a: u32): u32 {
  return fold('sum', a, false);
}
export function rt_b_product(a: u32): u32 {
  return fold('product', a, true);
}

function extreme(name: string, a: u32, sign: i32): u32 {
  if (!isArrayOrSet(a)) return typeError(name, 1, 'one of {array, set}', a);
  const n = len(a);
  if (n == 0) return 0;
  let best = arrGet(a, 0);
  for (let i: u32 = 1; i < n; i++) {
    const x = arrGet(a, i);
    if (compare(x, best) * sign > 0) best = x;
  }
  return best;
}
export function rt_b_max(a: u32): u32 {
  return extreme('max', a, 1);
}
export function rt_b_min(a: u32): u32 {
  return extreme('min', a, -1);
}

export function rt_b_sort(a: u32): u32 {
  if (!isArrayOrSet(a)) return typeError('sort', 1, 'one of {array, set}', a);
  const n = len(a);
  const out = arrNew(n);
  memory.copy(items(out), items(a), n << 2);
  store<u32>(out, n, 4);
  if (tag(a) == T_ARR) mergeSort(items(out), n, 4);
  return out;
}

// ---- strings

@inline function isStr(v: u32): bool {
  return tag(v) == T_STR;
}

function bytesAt(hay: u32, hn: u32, needle: u32, nn: u32, at: u32): bool {
  return at + nn <= hn && memory.compare(hay + at, needle, nn) == 0;
}

/** Byte offset of the first occurrence, or -1. */
export function find(hay: u32, hn: u32, needle: u32, nn: u32): i32 {
  if (nn > hn) return -1;
  const last = hn - nn;
  for (let i: u32 = 0; i <= last; i++) if (memory.compare(hay + i, needle, nn) == 0) return <i32>i;
  return -1;
}

export function rt_b_concat(d: u32, coll: u32): u32 {
  if (!isStr(d)) return typeError('concat', 1, 'string', d);
  if (!isArrayOrSet(coll)) return typeError('concat', 2, 'one of {array, set}', coll);
  const n = len(coll);
  let total: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const x = arrGet(coll, i);
    if (!isStr(x)) return typeError('concat', 2, 'a collection of strings', x);
    total += strLen(x);
  }
  if (n > 1) total += strLen(d) * (n - 1);
  const out = alloc(total);
  let o = out;
  for (let i: u32 = 0; i < n; i++) {
    if (i > 0) {
      memory.copy(o, strPtr(d), strLen(d));
      o += strLen(d);
    }
    const x = arrGet(coll, i);
    memory.copy(o, strPtr(x), strLen(x));
    o += strLen(x);
  }
  return str(out, total);
}

export function rt_b_startswith(s: u32, p: u32): u32 {
  if (!isStr(s)) return typeError('startswith', 1, 'string', s);
  if (!isStr(p)) return typeError('startswith', 2, 'string', p);
  return boolV(bytesAt(strPtr(s), strLen(s), strPtr(p), strLen(p), 0));
}
export function rt_b_endswith(s: u32, p: u32): u32 {
  if (!isStr(s)) return typeError('endswith', 1, 'string', s);
  if (!isStr(p)) return typeError('endswith', 2, 'string', p);
  return boolV(strLen(p) <= strLen(s) && bytesAt(strPtr(s), strLen(s), strPtr(p), strLen(p), strLen(s) - strLen(p)));
}
export function rt_b_contains(s: u32, p: u32): u32 {
  if (!isStr(s)) return typeError('contains', 1, 'string', s);
  if (!isStr(p)) return typeError('contains', 2, 'string', p);
  return boolV(find(strPtr(s), strLen(s), strPtr(p), strLen(p)) >= 0);
}

function codePointsIn(p: u32, n: u32): u32 {
  let c: u32 = 0;
  for (let i: u32 = 0; i < n; i++) if ((load<u8>(p + i) & 0xc0) != 0x80) c++;
  return c;
}

/** Byte offset of code point `cp` (clamped to the end). */
function byteOffset(p: u32, n: u32, cp: u32): u32 {
  let seen: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    if ((load<u8>(p + i) & 0xc0) != 0x80) {
      if (seen == cp) return i;
      seen++;
    }
  }
  return n;
}

export function rt_b_indexof(s: u32, sub: u32): u32 {
  if (!isStr(s)) return typeError('indexof', 1, 'string', s);
  if (!isStr(sub)) return typeError('indexof', 2, 'string', sub);
  if (strLen(sub) == 0) return builtinError('indexof', 'empty search character');
  const at = find(strPtr(s), strLen(s), strPtr(sub), strLen(sub));
  return numInt(at < 0 ? -1 : codePointsIn(strPtr(s), <u32>at));
}

export function rt_b_substring(s: u32, start: u32, length: u32): u32 {
  if (!isStr(s)) return typeError('substring', 1, 'string', s);
  if (!isNum(start) || !numIsInt(start)) return typeError('substring', 2, 'integer', start);
  const from = asInt;
  if (!isNum(length) || !numIsInt(length)) return typeError('substring', 3, 'integer', length);
  const count = asInt;
  if (from < 0) return builtinError('substring', 'negative offset');
  const p = strPtr(s);
  const n = strLen(s);
  const total = <i64>codePointsIn(p, n);
  if (from >= total) return str(p, 0);
  const b0 = byteOffset(p, n, <u32>from);
  const b1 = count < 0 || from + count >= total ? n : byteOffset(p, n, <u32>(from + count));
  return str(p + b0, b1 - b0);
}

export function rt_b_trim_prefix(s: u32, pre: u32): u32 {
  if (!isStr(s)) return typeError('trim_prefix', 1, 'string', s);
  if (!isStr(pre)) return typeError('trim_prefix', 2, 'string', pre);
  if (!bytesAt(strPtr(s), strLen(s), strPtr(pre), strLen(pre), 0)) return s;
  return str(strPtr(s) + strLen(pre), strLen(s) - strLen(pre));
}

export function rt_b_trim_suffix(s: u32, suf: u32): u32 {
  if (!isStr(s)) return typeError('trim_suffix', 1, 'string', s);
  if (!isStr(suf)) return typeError('trim_suffix', 2, 'string', suf);
  const n = strLen(s);
  const m = strLen(suf);
  if (m > n || !bytesAt(strPtr(s), n, strPtr(suf), m, n - m)) return s;
  return str(strPtr(s), n - m);
}

export function rt_b_split(s: u32, d: u32): u32 {
  if (!isStr(s)) return typeError('split', 1, 'string', s);
  if (!isStr(d)) return typeError('split', 2, 'string', d);
  const p = strPtr(s);
  const n = strLen(s);
  const out = arrNew(0);
  const dn = strLen(d);
  if (dn == 0) {
    // Into code points.
    let i: u32 = 0;
    while (i < n) {
      let j = i + 1;
      while (j < n && (load<u8>(p + j) & 0xc0) == 0x80) j++;
      arrPush(out, str(p + i, j - i));
      i = j;
    }
    return out;
  }
  let from: u32 = 0;
  while (true) {
    const at = find(p + from, n - from, strPtr(d), dn);
    if (at < 0) break;
    arrPush(out, str(p + from, <u32>at));
    from += <u32>at + dn;
  }
  arrPush(out, str(p + from, n - from));
  return out;
}

// ---- sets

export function rt_b_and(a: u32, b: u32): u32 {
  if (tag(a) != T_SET) return typeError('and', 1, 'set', a);
  if (tag(b) != T_SET) return typeError('and', 2, 'set', b);
  const out = setNew();
  const n = len(a);
  for (let i: u32 = 0; i < n; i++) {
    const x = arrGet(a, i);
    if (setHas(b, x)) setAdd(out, x);
  }
  return out;
}

export function rt_b_or(a: u32, b: u32): u32 {
  if (tag(a) != T_SET) return typeError('or', 1, 'set', a);
  if (tag(b) != T_SET) return typeError('or', 2, 'set', b);
  const na = len(a);
  const nb = len(b);
  const buf = alloc((na + nb) << 2);
  memory.copy(buf, items(a), na << 2);
  memory.copy(buf + (na << 2), items(b), nb << 2);
  return setFromValues(buf, na + nb);
}

export function rt_b_intersection(s: u32): u32 {
  if (tag(s) != T_SET) return typeError('intersection', 1, 'set of sets', s);
  const n = len(s);
  for (let i: u32 = 0; i < n; i++) if (tag(arrGet(s, i)) != T_SET) return typeError('intersection', 1, 'set of sets', arrGet(s, i));
  if (n == 0) return setNew();
  let acc = arrGet(s, 0);
  for (let i: u32 = 1; i < n; i++) acc = rt_b_and(acc, arrGet(s, i));
  return acc;
}

export function rt_b_union(s: u32): u32 {
  if (tag(s) != T_SET) return typeError('union', 1, 'set of sets', s);
  const n = len(s);
  let total: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const x = arrGet(s, i);
    if (tag(x) != T_SET) return typeError('union', 1, 'set of sets', x);
    total += len(x);
  }
  const buf = alloc(total << 2);
  let o = buf;
  for (let i: u32 = 0; i < n; i++) {
    const x = arrGet(s, i);
    memory.copy(o, items(x), len(x) << 2);
    o += len(x) << 2;
  }
  return setFromValues(buf, total);
}

// ---- objects and arrays

export function rt_b_object_get(o: u32, k: u32, dflt: u32): u32 {
  if (tag(o) != T_OBJ) return typeError('object.get', 1, 'object', o);
  if (tag(k) != T_ARR) {
    const v = objGet(o, k);
    return v != 0 ? v : dflt;
  }
  let cur = o;
  const n = len(k);
  for (let i: u32 = 0; i < n && cur != 0; i++) cur = get(cur, arrGet(k, i));
  return cur != 0 ? cur : dflt;
}

export function rt_b_object_keys(o: u32): u32 {
  if (tag(o) != T_OBJ) return typeError('object.keys', 1, 'object', o);
  const n = len(o);
  const out = setNew();
  // The keys are already sorted and distinct.
  const buf = alloc(n << 2);
  for (let i: u32 = 0; i < n; i++) store<u32>(buf + (i << 2), objKey(o, i));
  store<u32>(out, n, 4);
  store<u32>(out, n, 8);
  store<u32>(out, buf, 12);
  return out;
}

export function rt_b_array_concat(a: u32, b: u32): u32 {
  if (tag(a) != T_ARR) return typeError('array.concat', 1, 'array', a);
  if (tag(b) != T_ARR) return typeError('array.concat', 2, 'array', b);
  const na = len(a);
  const nb = len(b);
  const out = arrNew(na + nb);
  memory.copy(items(out), items(a), na << 2);
  memory.copy(items(out) + (na << 2), items(b), nb << 2);
  store<u32>(out, na + nb, 4);
  return out;
}

export function rt_b_array_slice(a: u32, start: u32, stop: u32): u32 {
  if (tag(a) != T_ARR) return typeError('array.slice', 1, 'array', a);
  if (!isNum(start) || !numIsInt(start)) return typeError('array.slice', 2, 'integer', start);
  let from = asInt;
  if (!isNum(stop) || !numIsInt(stop)) return typeError('array.slice', 3, 'integer', stop);
  let to = asInt;
  const n = <i64>len(a);
  // Both ends clamped into [0, len]; start never passes stop.
  to = to < 0 ? 0 : to > n ? n : to;
  from = from < 0 ? 0 : from > to ? to : from;
  const count = <u32>(to - from);
  const out = arrNew(count);
  memory.copy(items(out), items(a) + (<u32>from << 2), count << 2);
  store<u32>(out, count, 4);
  return out;
}

// ---- membership (`in`)

export function rt_b_internal_member_2(x: u32, coll: u32): u32 {
  const t = tag(coll);
  if (t == T_SET) return boolV(setHas(coll, x));
  const n = len(coll);
  if (t == T_ARR) {
    for (let i: u32 = 0; i < n; i++) if (compare(arrGet(coll, i), x) == 0) return TRUE_V;
    return FALSE_V;
  }
  if (t == T_OBJ) {
    for (let i: u32 = 0; i < n; i++) if (compare(objVal(coll, i), x) == 0) return TRUE_V;
  }
  return FALSE_V;
}

export function rt_b_internal_member_3(k: u32, v: u32, coll: u32): u32 {
  const t = tag(coll);
  if (t == T_SET) return boolV(setHas(coll, k) && compare(k, v) == 0);
  if (t == T_OBJ) {
    const got = objGet(coll, k);
    return boolV(got != 0 && compare(got, v) == 0);
  }
  if (t == T_ARR) {
    const i = indexOf(coll, k);
    return boolV(i >= 0 && compare(arrGet(coll, <u32>i), v) == 0);
  }
  return FALSE_V;
}

// ---- types

export function rt_b_is_number(x: u32): u32 {
  return boolV(tag(x) == T_NUM);
}
export function rt_b_is_string(x: u32): u32 {
  return boolV(tag(x) == T_STR);
}
export function rt_b_is_boolean(x: u32): u32 {
  return boolV(tag(x) == T_BOOL);
}
export function rt_b_is_array(x: u32): u32 {
  return boolV(tag(x) == T_ARR);
}
export function rt_b_is_set(x: u32): u32 {
  return boolV(tag(x) == T_SET);
}
export function rt_b_is_object(x: u32): u32 {
  return boolV(tag(x) == T_OBJ);
}
export function rt_b_is_null(x: u32): u32 {
  return boolV(tag(x) == T_NULL);
}

export function rt_b_type_name(x: u32): u32 {
  switch (tag(x)) {
    case T_NULL:
      return strAscii('null');
    case T_BOOL:
      return strAscii('boolean');
    case T_NUM:
      return strAscii('number');
    case T_STR:
      return strAscii('string');
    case T_ARR:
      return strAscii('array');
    case T_OBJ:
      return strAscii('object');
  }
  return strAscii('set');
}

// ---- object.subset (natively: sets nested in an argument would not survive the host's JSON)

function arraySubset(sup: u32, sub: u32): bool {
  const n = len(sub);
  const m = len(sup);
  if (n > m) return false;
  // A contiguous run of `sup` equal to `sub`.
  for (let i: u32 = 0; i + n <= m; i++) {
    let j: u32 = 0;
    while (j < n && compare(arrGet(sup, i + j), arrGet(sub, j)) == 0) j++;
    if (j == n) return true;
  }
  return false;
}

function setSubset(sup: u32, sub: u32): bool {
  const n = len(sub);
  for (let i: u32 = 0; i < n; i++) if (!setHas(sup, arrGet(sub, i))) return false;
  return true;
}

function objectSubset(sup: u32, sub: u32): bool {
  const n = len(sub);
  for (let i: u32 = 0; i < n; i++) {
    const pv = objGet(sup, objKey(sub, i));
    const sv = objVal(sub, i);
    if (pv == 0) return false;
    if (compare(pv, sv) == 0) continue;
    const t = tag(pv);
    if (t != tag(sv)) return false;
    if (t == T_OBJ) {
      if (!objectSubset(pv, sv)) return false;
    } else if (t == T_SET) {
      if (!setSubset(pv, sv)) return false;
    } else if (t == T_ARR) {
      if (!arraySubset(pv, sv)) return false;
    } else return false;
  }
  return true;
}

export function rt_b_object_subset(sup: u32, sub: u32): u32 {
  const a = tag(sup);
  const b = tag(sub);
  if (a == T_OBJ && b == T_OBJ) return boolV(objectSubset(sup, sub));
  if (a == T_SET && b == T_SET) return boolV(setSubset(sup, sub));
  if (a == T_ARR && b == T_ARR) return boolV(arraySubset(sup, sub));
  if (a == T_ARR && b == T_SET) {
    const n = len(sub);
    for (let i: u32 = 0; i < n; i++) if (rt_b_internal_member_2(arrGet(sub, i), sup) != TRUE_V) return FALSE_V;
    return TRUE_V;
  }
  return typeError('object.subset', 1, 'same type as operand 2 (or array and set)', sup);
}

// ---- strings.replace_n: checked here, replaced by the host (ASKS_HOST in ../native.ts): JSON
// would turn a non-string key into a string before the host could refuse it.

export function rt_b_strings_replace_n(patterns: u32, s: u32): u32 {
  if (tag(patterns) != T_OBJ) return typeError('strings.replace_n', 1, 'object', patterns);
  const n = len(patterns);
  for (let i: u32 = 0; i < n; i++) {
    if (tag(objKey(patterns, i)) != T_STR) return operandError('strings.replace_n', 1, 'non-string key found in pattern object');
    if (tag(objVal(patterns, i)) != T_STR) return operandError('strings.replace_n', 1, 'non-string value found in pattern object');
  }
  if (!isStr(s)) return typeError('strings.replace_n', 2, 'string', s);
  return ASK_HOST;
}
