// Numbers: integers that fit in i64 are kept as such, others as f64 or as their decimal text
// (refs, from JSON or Rego literals), converted to f64 only when arithmetic needs it.
import { N_F64, N_INT, N_REF, numF64, numI64, numInt, numRefRaw, numRepr } from './value';
import { alloc } from './memory';

const POW10: StaticArray<f64> = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];

function pow10(e: i32): f64 {
  if (e >= 0 && e <= 22) return unchecked(POW10[e]);
  return Math.pow(10.0, <f64>e);
}

@inline function isDigit(c: u32): bool {
  return c - 48 < 10;
}

/** An integer value if the text is a plain integer within i64, else a number keeping the text. */
export function numFromText(ptr: u32, n: u32): u32 {
  const i = parseInt64(ptr, n);
  if (intOk) return numInt(i);
  return numRefRaw(ptr, n);
}

/** Set by parseInt64: whether the text was a plain integer that fits. */
export let intOk: bool = false;

export function parseInt64(ptr: u32, n: u32): i64 {
  intOk = false;
  let i: u32 = 0;
  let neg = false;
  if (n > 0 && load<u8>(ptr) == 45) {
    neg = true;
    i = 1;
  }
  if (i == n || n - i > 19) return 0;
  let acc: u64 = 0;
  for (; i < n; i++) {
    const c = <u32>load<u8>(ptr + i);
    if (!isDigit(c)) return 0;
    acc = acc * 10 + (c - 48);
  }
  // 19 digits may exceed i64; u64 holds them all.
  if (neg ? acc > 9223372036854775808 : acc > 9223372036854775807) return 0;
  intOk = true;
  return neg ? -(<i64>acc) : <i64>acc;
}

/** Decimal text (JSON number grammar) to the nearest f64: exact on the fast path, close otherwise. */
export function decimalToF64(ptr: u32, n: u32): f64 {
  let i: u32 = 0;
  let neg = false;
  if (i < n && load<u8>(ptr) == 45) {
    neg = true;
    i++;
  }
  let mant: u64 = 0;
  let digits: i32 = 0;
  let exp: i32 = 0;
  let c: u32 = 0;
  for (; i < n; i++) {
    c = load<u8>(ptr + i);
    if (!isDigit(c)) break;
    if (digits < 19) {
      mant = mant * 10 + (c - 48);
      if (mant != 0) digits++;
    } else exp++;
  }
  if (i < n && load<u8>(ptr + i) == 46) {
    i++;
    for (; i < n; i++) {
      c = load<u8>(ptr + i);
      if (!isDigit(c)) break;
      if (digits < 19) {
        mant = mant * 10 + (c - 48);
        if (mant != 0) digits++;
        exp--;
      }
    }
  }
  if (i < n && (load<u8>(ptr + i) | 32) == 101) {
    i++;
    let eneg = false;
    if (i < n && (load<u8>(ptr + i) == 45 || load<u8>(ptr + i) == 43)) {
      eneg = load<u8>(ptr + i) == 45;
      i++;
    }
    let e: i32 = 0;
    for (; i < n; i++) {
      c = load<u8>(ptr + i);
      if (!isDigit(c)) break;
      if (e < 100000) e = e * 10 + <i32>(c - 48);
    }
    exp += eneg ? -e : e;
  }
  let x: f64;
  if (mant == 0) x = 0;
  else if (mant < 9007199254740992 && exp >= -22 && exp <= 22) {
    x = exp >= 0 ? <f64>mant * pow10(exp) : <f64>mant / pow10(-exp);
  } else if (exp < -300) {
    x = (<f64>mant / pow10(-exp - 300)) / 1e300;
  } else if (exp > 300) {
    x = <f64>mant * pow10(exp - 300) * 1e300;
  } else {
    x = exp >= 0 ? <f64>mant * pow10(exp) : <f64>mant / pow10(-exp);
  }
  return neg ? -x : x;
}

export function numToF64(v: u32): f64 {
  const r = numRepr(v);
  if (r == N_INT) return <f64>numI64(v);
  if (r == N_F64) return load<f64>(v, 8);
  return decimalToF64(load<u32>(v, 8), load<u32>(v, 4));
}

/** Whether the number is integral; `asInt` then holds it (when it fits in i64). */
export let asInt: i64 = 0;

export function numIsInt(v: u32): bool {
  if (numRepr(v) == N_INT) {
    asInt = numI64(v);
    return true;
  }
  const x = numToF64(v);
  if (Math.floor(x) != x || Math.abs(x) >= 9223372036854775808.0) return false;
  asInt = <i64>x;
  return true;
}

export function numCompare(a: u32, b: u32): i32 {
  const ra = numRepr(a);
  const rb = numRepr(b);
  if (ra == N_INT && rb == N_INT) {
    const x = numI64(a);
    const y = numI64(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  // Integers beyond i64 are kept as text: compare them exactly, not through floats.
  if ((ra == N_REF || rb == N_REF) && ra != N_F64 && rb != N_F64 && isIntText(a) && isIntText(b)) return intTextCompare(a, b);
  const x = numToF64(a);
  const y = numToF64(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

// ---- arithmetic; integers overflow into floats

export function numAdd(a: u32, b: u32): u32 {
  if (numRepr(a) == N_INT && numRepr(b) == N_INT) {
    const x = numI64(a);
    const y = numI64(b);
    const r = x + y;
    if (((x ^ r) & (y ^ r)) >= 0) return numInt(r);
  }
  return numF64(numToF64(a) + numToF64(b));
}

export function numSub(a: u32, b: u32): u32 {
  if (numRepr(a) == N_INT && numRepr(b) == N_INT) {
    const x = numI64(a);
    const y = numI64(b);
    const r = x - y;
    if (((x ^ y) & (x ^ r)) >= 0) return numInt(r);
  }
  return numF64(numToF64(a) - numToF64(b));
}

export function numMul(a: u32, b: u32): u32 {
  if (numRepr(a) == N_INT && numRepr(b) == N_INT) {
    const x = numI64(a);
    const y = numI64(b);
    if (x == 0 || y == 0) return numInt(0);
    const r = x * y;
    if (r / y == x && !(x == -1 && y == i64.MIN_VALUE) && !(y == -1 && x == i64.MIN_VALUE)) return numInt(r);
  }
  return numF64(numToF64(a) * numToF64(b));
}

/** a / b; the caller has rejected b == 0. */
export function numDiv(a: u32, b: u32): u32 {
  if (numRepr(a) == N_INT && numRepr(b) == N_INT) {
    const x = numI64(a);
    const y = numI64(b);
    if (!(x == i64.MIN_VALUE && y == -1) && x % y == 0) return numInt(x / y);
  }
  return numF64(numToF64(a) / numToF64(b));
}

export function numIsZero(v: u32): bool {
  return numRepr(v) == N_INT ? numI64(v) == 0 : numToF64(v) == 0;
}

// ---- text

/** Writes the decimal digits of `x` at `out` (which has room for 20 bytes); returns the count. */
export function writeInt(out: u32, x: i64): u32 {
  let u: u64 = x < 0 ? <u64>(-x) : <u64>x; // -MIN wraps to itself, which is right as a u64
  let tmp: u32 = out + 20;
  let n: u32 = 0;
  do {
    tmp--;
    store<u8>(tmp, <u8>(48 + <u32>(u % 10)));
    u /= 10;
    n++;
  } while (u != 0);
  if (x < 0) {
    tmp--;
    store<u8>(tmp, 45);
    n++;
  }
  memory.copy(out, tmp, n);
  return n;
}

/** Shortest decimal text that reads back as `x` (exact where powers of ten are); returns the
 *  byte count written at `out`, which needs 32 bytes. */
export function writeF64(out: u32, x: f64): u32 {
  if (x != x || x - x != 0) {
    // NaN and infinities have no JSON form; Rego arithmetic never produces them from numbers.
    store<u32>(out, 0x6c6c756e); // "null"
    return 4;
  }
  let p = out;
  if (x < 0) {
    store<u8>(p++, 45);
    x = -x;
  }
  if (x == 0) {
    store<u8>(p++, 48);
    return p - out;
  }
  const e10 = <i32>Math.floor(Math.log10(x));
  let digits: u64 = 0;
  let k: i32 = 0;
  for (let prec: i32 = 1; prec <= 17; prec++) {
    k = prec - 1 - e10;
    const scaled = k >= 0 ? x * pow10(k) : x / pow10(-k);
    const d = Math.round(scaled);
    let found = false;
    for (let delta: i32 = -1; delta <= 1; delta++) {
      const cand = d + <f64>delta;
      if (cand <= 0) continue;
      const back = k >= 0 ? cand / pow10(k) : cand * pow10(-k);
      if (back == x) {
        digits = <u64>cand;
        found = true;
        break;
      }
    }
    if (found) break;
    if (prec == 17) digits = <u64>d;
  }
  // Drop trailing zeros from the digits, moving the decimal point.
  while (digits != 0 && digits % 10 == 0) {
    digits /= 10;
    k--;
  }
  const buf = alloc32();
  const nd = <i32>writeInt(buf, <i64>digits);
  const point = nd - k; // digits × 10^-k: the decimal point sits after `point` digits
  if (point > 0 && point <= 21) {
    if (k <= 0) {
      memory.copy(p, buf, nd);
      p += nd;
      for (let i = 0; i < -k; i++) store<u8>(p++, 48);
    } else {
      memory.copy(p, buf, point);
      p += point;
      store<u8>(p++, 46);
      memory.copy(p, buf + point, nd - point);
      p += nd - point;
    }
  } else if (point <= 0 && point > -6) {
    store<u8>(p++, 48);
    store<u8>(p++, 46);
    for (let i = 0; i < -point; i++) store<u8>(p++, 48);
    memory.copy(p, buf, nd);
    p += nd;
  } else {
    store<u8>(p++, load<u8>(buf));
    if (nd > 1) {
      store<u8>(p++, 46);
      memory.copy(p, buf + 1, nd - 1);
      p += nd - 1;
    }
    store<u8>(p++, 101);
    const e = point - 1;
    store<u8>(p++, e < 0 ? 45 : 43);
    p += writeInt(p, <i64>(e < 0 ? -e : e));
  }
  return p - out;
}

const scratch32: u32 = <u32>memory.data(32, 8);

@inline function alloc32(): u32 {
  return scratch32;
}

/** Whether a number is an integer held as text (or an i64). */
function isIntText(v: u32): bool {
  if (numRepr(v) == N_INT) return true;
  const p = load<u32>(v, 8);
  const n = load<u32>(v, 4);
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if (!isDigit(c) && !(i == 0 && c == 45)) return false;
  }
  return true;
}

/** Exact order of two integers, at least one of them beyond i64 (so held as text). */
function intTextCompare(a: u32, b: u32): i32 {
  const ta = intText(a);
  const pa = intTextPtr;
  const tb = intText(b);
  const pb = intTextPtr;
  const na = load<u8>(pa) == 45;
  const nb = load<u8>(pb) == 45;
  if (na != nb) return na ? -1 : 1;
  const sa = na ? 1 : 0;
  // Same sign; no leading zeros in JSON integers, so more digits is bigger in magnitude.
  let c: i32 = ta - sa < tb - sa ? -1 : ta > tb ? 1 : memory.compare(pa + sa, pb + sa, ta - sa);
  if (c != 0) c = c < 0 ? -1 : 1;
  return na ? -c : c;
}

let intTextPtr: u32 = 0;

/** The decimal text of an integer number (written for an i64); its length, `intTextPtr` its address. */
function intText(v: u32): u32 {
  if (numRepr(v) != N_INT) {
    intTextPtr = load<u32>(v, 8);
    return load<u32>(v, 4);
  }
  intTextPtr = alloc(20);
  return writeInt(intTextPtr, numI64(v));
}
