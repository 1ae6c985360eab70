// Numbers: integers that fit in i64 are kept as such, others as f64 or as their decimal text
// (refs, from JSON or Rego literals), converted to f64 only when arithmetic needs it.
import { N_F64, N_INT, N_REF, numF64, numI64, numInt, numRefRaw, numRepr } from './value';
import { alloc } from './memory';
import * as mem from './memory';
import { bigCompare, bigDivSmall, bigIsZero, bigMulAdd, bigMulPow5, bigNew, bigSetU64, bigShiftLeft } from './bigint';

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

/** Integers of at most this many digits cost nothing to expand; longer ones written with an
 *  exponent or a fraction are charged to the document's budget. The rule and the numbers are
 *  server/value/value.ts's (`numberFromText`, MAX_EXPANDED_DIGITS): both engines must agree. */
const FREE_DIGITS: i64 = 16;
export const MAX_EXPANDED_DIGITS: i64 = 100000;

/** What is left of the budget of the document being read; negative: no budget (constants). */
export let expandBudget: i64 = -1;
/** Set when a number passed the budget (the reader then fails). */
export let numberTooBig: bool = false;

/**
 * A number from JSON or Rego literal text, by numberFromText's rule: an integer however written
 * (`1e400`, `2.50e1`) is that integer (an i64, else its digits as text); any other number below
 * 2^53 keeps its text (read as the nearest double when arithmetic needs it), and one above 2^53
 * is the nearest integer, ties to even. 0 when the document's digit budget runs out.
 */
export function numFromText(ptr: u32, n: u32): u32 {
  const i = parseInt64(ptr, n);
  if (intOk) return numInt(i);
  scanDecimal(ptr, n);
  if (first < 0) return numInt(0);
  if (plain) return numRefRaw(ptr, n); // an integer beyond i64, written out
  const nd = last - first; // significant digits
  const k = whole + exp - first; // digits before the point of the value (<= 0: below 1)
  if (k >= nd) {
    if (!charge(k)) return 0;
    return intFromDigits(first, nd, k, false);
  }
  if (k <= 15) return numRefRaw(ptr, n);
  if (k == FREE_DIGITS && digitsU64(first, 16) < 9007199254740992) return numRefRaw(ptr, n);
  if (!charge(k)) return 0;
  const next = mantDigit(first + k);
  const odd = (mantDigit(first + k - 1) & 1) == 1;
  return intFromDigits(first, k, k, next > 5 || (next == 5 && (nd > k + 1 || odd)));
}

function charge(digits: i64): bool {
  if (expandBudget < 0 || digits <= FREE_DIGITS) return true;
  if (digits > expandBudget) {
    numberTooBig = true;
    return false;
  }
  expandBudget -= digits;
  return true;
}

// The decimal text last read by scanDecimal: its sign, where its digits are, and its exponent.
let scanPtr: u32 = 0;
let scanStart: u32 = 0; // first byte of the mantissa (after a sign)
let point: i64 = -1; // where the point is in the text (-1: none)
let whole: i64 = 0; // mantissa digits before the point
let first: i64 = -1; // index of the first nonzero mantissa digit (-1: the number is 0)
let last: i64 = 0; // index after the last nonzero one
let exp: i64 = 0; // the exponent, clamped far beyond any budget
let plain = false; // digits only: no point, no exponent

/** Reads JSON number text (or a Rego literal's) into the globals above. */
function scanDecimal(ptr: u32, n: u32): void {
  scanPtr = ptr;
  negative = n > 0 && load<u8>(ptr) == 45;
  scanStart = negative ? 1 : 0;
  point = -1;
  whole = 0;
  first = -1;
  last = 0;
  exp = 0;
  let count: i64 = 0;
  let p = scanStart;
  for (; p < n; p++) {
    const c = <u32>load<u8>(ptr + p);
    if (c == 46) {
      point = <i64>p;
      continue;
    }
    if (!isDigit(c)) break;
    if (c != 48) {
      if (first < 0) first = count;
      last = count + 1;
    }
    if (point < 0) whole++;
    count++;
  }
  plain = point < 0 && p == n;
  if (p == n) return;
  p++; // e or E
  let eneg = false;
  if (p < n && (load<u8>(ptr + p) == 45 || load<u8>(ptr + p) == 43)) {
    eneg = load<u8>(ptr + p) == 45;
    p++;
  }
  for (; p < n; p++) {
    const c = <u32>load<u8>(ptr + p);
    if (!isDigit(c)) break;
    if (exp < 1000000000000000) exp = exp * 10 + <i64>(c - 48);
  }
  if (eneg) exp = -exp;
}

/** The i-th digit of the mantissa scanned last (the point skipped). */
function mantDigit(i: i64): u32 {
  let at = <i64>scanStart + i;
  if (point >= 0 && at >= point) at++;
  return <u32>load<u8>(scanPtr + <u32>at) - 48;
}

function digitsU64(from: i64, n: i64): u64 {
  let acc: u64 = 0;
  for (let i: i64 = 0; i < n; i++) acc = acc * 10 + mantDigit(from + i);
  return acc;
}

/** The integer made of `n` mantissa digits from `from`, then zeros up to `k` digits, plus one
 *  when `up`, signed as the text scanned: an i64 when it fits, else its decimal text. */
function intFromDigits(from: i64, n: i64, k: i64, up: bool): u32 {
  if (k <= 18) {
    let acc = digitsU64(from, n);
    for (let i = n; i < k; i++) acc *= 10;
    if (up) acc++;
    return numInt(negative ? -(<i64>acc) : <i64>acc);
  }
  // Room for the sign and a carry into a new leading digit.
  const size = <u32>k + 2;
  const out = alloc(size);
  const digits = out + 2;
  for (let i: i64 = 0; i < k; i++) store<u8>(digits + <u32>i, <u8>(48 + (i < n ? mantDigit(from + i) : 0)));
  let lead = digits;
  if (up) {
    let q = digits + <u32>k - 1;
    while (q >= digits && load<u8>(q) == 57) store<u8>(q--, 48);
    if (q >= digits) store<u8>(q, load<u8>(q) + 1);
    else store<u8>(--lead, 49);
  }
  if (negative) store<u8>(--lead, 45);
  const len = digits + <u32>k - lead;
  const i = parseInt64(lead, len);
  return intOk ? numInt(i) : numRefRaw(lead, len);
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

/** The digits of decimal text, read by `readDecimal`: significant digits without leading
 *  zeros (at most MAX_DIGITS; `truncated` if nonzero ones were dropped) and the exponent such
 *  that value = 0.d1d2…dn × 10^(decExp)… written here as digits × 10^`decExp`. */
const MAX_DIGITS: u32 = 800;
const digitBuf: u32 = <u32>memory.data(800, 8);
let nDigits: u32 = 0;
let decExp: i32 = 0;
let truncated: bool = false;
let negative: bool = false;

/** Parses JSON number text into digitBuf/nDigits/decExp/negative. */
function readDecimal(ptr: u32, n: u32): void {
  scanDecimal(ptr, n);
  nDigits = 0;
  decExp = 0;
  truncated = false;
  if (first < 0) return;
  const nd = last - first; // no leading or trailing zeros: those carry no information
  const keep = nd < <i64>MAX_DIGITS ? nd : <i64>MAX_DIGITS;
  for (let i: i64 = 0; i < keep; i++) store<u8>(digitBuf + <u32>i, <u8>mantDigit(first + i));
  nDigits = <u32>keep;
  truncated = nd > keep; // the last digit dropped is nonzero
  const e = whole + exp - first - keep;
  // Far enough for digitsToF64's own range checks (0 or infinite beyond ±330).
  decExp = <i32>(e > 1000000 ? 1000000 : e < -1000000 ? -1000000 : e);
}

/** Decimal text (JSON number grammar) to the nearest f64 (ties to even), as Go's ParseFloat. */
export function decimalToF64(ptr: u32, n: u32): f64 {
  readDecimal(ptr, n);
  const x = digitsToF64();
  return negative ? -x : x;
}

/** The double nearest to digitBuf × 10^decExp. */
function digitsToF64(): f64 {
  if (nDigits == 0) return 0;
  // Beyond these the value is 0 or infinite whatever the digits.
  if (<i32>nDigits + decExp > 310) return Infinity;
  if (<i32>nDigits + decExp < -330) return 0;
  let mant: u64 = 0;
  const lead = nDigits < 19 ? nDigits : 19;
  for (let i: u32 = 0; i < lead; i++) mant = mant * 10 + load<u8>(digitBuf + i);
  const exp = decExp + <i32>(nDigits - lead);
  // Clinger's fast path: both factors exact, one correctly rounded operation.
  if (nDigits == lead && !truncated && mant < 9007199254740992 && exp >= -22 && exp <= 22) {
    return exp >= 0 ? <f64>mant * pow10(exp) : <f64>mant / pow10(-exp);
  }
  let x: f64;
  if (exp < -300) x = (<f64>mant / pow10(-exp - 300)) / 1e300;
  else if (exp > 300) x = <f64>mant * pow10(exp - 300) * 1e300;
  else x = exp >= 0 ? <f64>mant * pow10(exp) : <f64>mant / pow10(-exp);
  return refine(x);
}

/** Moves an estimate within a few ulps to the correctly rounded double, comparing the exact
 *  decimal with the midpoints to its neighbours in big-integer arithmetic. */
function refine(x: f64): f64 {
  if (x == Infinity) {
    x = f64.MAX_VALUE;
  }
  for (let round = 0; round < 8; round++) {
    if (x == 0) x = f64.MIN_VALUE;
    const bits = reinterpret<u64>(x);
    const be = <i32>((bits >> 52) & 0x7ff);
    const frac = bits & 0xfffffffffffff;
    const m: u64 = be == 0 ? frac : frac | 0x10000000000000;
    const e: i32 = be == 0 ? -1074 : be - 1075;
    // Upper midpoint (2m+1)·2^(e-1); lower one (2m-1)·2^(e-1), or (4m-1)·2^(e-2) below a power of two.
    const up = compareWith((m << 1) + 1, e - 1);
    if (up > 0 || (up == 0 && (m & 1) == 1)) {
      if (bits == 0x7fefffffffffffff) return Infinity;
      x = reinterpret<f64>(bits + 1);
      continue;
    }
    const low = frac == 0 && be > 1 ? compareWith((m << 2) - 1, e - 2) : compareWith((m << 1) - 1, e - 1);
    if (low < 0 || (low == 0 && (m & 1) == 1)) {
      if (bits == 1) return low < 0 ? 0 : x;
      x = reinterpret<f64>(bits - 1);
      continue;
    }
    return x;
  }
  return x;
}

/** Sign of digitBuf × 10^decExp − h × 2^f, exactly. */
function compareWith(h: u64, f: i32): i32 {
  const saved = mem.heapTop; // the big numbers are scratch: give their memory back
  const limbs: u32 = 420;
  const a = bigNew(limbs);
  for (let i: u32 = 0; i < nDigits; i++) bigMulAdd(a, 10, load<u8>(digitBuf + i));
  const b = bigNew(limbs);
  bigSetU64(b, h);
  // a·5^E+·2^E+ against b·5^E-·2^(f+E-)
  const ePlus = decExp > 0 ? decExp : 0;
  const eMinus = decExp < 0 ? -decExp : 0;
  bigMulPow5(a, <u32>ePlus);
  bigMulPow5(b, <u32>eMinus);
  const shift = ePlus - (f + eMinus);
  if (shift > 0) bigShiftLeft(a, <u32>shift);
  else bigShiftLeft(b, <u32>-shift);
  const c = bigCompare(a, b);
  mem.heapTop = saved;
  // Dropped nonzero digits make the decimal a little larger than its kept digits.
  return c == 0 && truncated ? 1 : c;
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

/** Exact order of two numbers, as big.Rat orders OPA's. Each is an integer (an i64, or the
 *  digits of a bigger one) or a double (an f64, or decimal text read as its nearest double). */
export function numCompare(a: u32, b: u32): i32 {
  const ra = numRepr(a);
  const rb = numRepr(b);
  if (ra == N_INT && rb == N_INT) {
    const x = numI64(a);
    const y = numI64(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const ia = ra != N_F64 && isIntegerText(a);
  const ib = rb != N_F64 && isIntegerText(b);
  if (ia && ib) return intTextCompare(a, b);
  if (!ia && !ib) return f64Compare(numToF64(a), numToF64(b));
  return ia ? intVsF64(a, numToF64(b)) : -intVsF64(b, numToF64(a));
}

@inline function f64Compare(x: f64, y: f64): i32 {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Exact order of an integer and a double. */
function intVsF64(v: u32, x: f64): i32 {
  if (x != x) return 0; // NaN: unordered, as JavaScript's < and > have it
  if (numRepr(v) == N_INT) {
    const i = numI64(v);
    // Exact as doubles; beyond 2^53 any non-integral double is smaller in magnitude.
    if ((i >= -9007199254740992 && i <= 9007199254740992) || Math.floor(x) != x) return f64Compare(<f64>i, x);
    if (x >= 9223372036854775808.0) return -1;
    if (x < -9223372036854775808.0) return 1;
    const y = <i64>x;
    return i < y ? -1 : i > y ? 1 : 0;
  }
  // Digits of an integer beyond i64, so at least 2^63 in magnitude.
  const p = load<u32>(v, 8);
  const n = load<u32>(v, 4);
  const neg = load<u8>(p) == 45;
  if (x - x != 0) return x > 0 ? -1 : 1; // infinite
  if (neg != x < 0 || Math.abs(x) < 9223372036854775808.0) return neg ? -1 : 1;
  // Same sign, both at least 2^63: more than 309 digits is beyond every double.
  if (n - (neg ? 1 : 0) > 309) return neg ? -1 : 1;
  readDecimal(p, n);
  const bits = reinterpret<u64>(x);
  const c = compareWith((bits & 0xfffffffffffff) | 0x10000000000000, <i32>((bits >> 52) & 0x7ff) - 1075);
  return neg ? -c : c;
}

// ---- arithmetic; integers overflow into floats

/** Set by Regent's engine (`regent_set_host_arithmetic`): integer arithmetic that needs more
 *  than an i64 (an overflow, or an operand held as digits) is left to the host, which computes
 *  it exactly as the interpreter does; numAdd, numSub, numMul and numDiv then answer 0 on an
 *  overflow. Other SDKs get the double, as before. */
export let hostArithmetic: bool = false;

export function setHostArithmetic(on: bool): void {
  hostArithmetic = on;
}

/** Whether arithmetic on `v` needs the host: an integer beyond i64, held as its digits. */
export function needsHost(v: u32): bool {
  return hostArithmetic && numRepr(v) == N_REF && isIntegerText(v);
}

export function numAdd(a: u32, b: u32): u32 {
  if (numRepr(a) == N_INT && numRepr(b) == N_INT) {
    const x = numI64(a);
    const y = numI64(b);
    const r = x + y;
    if (((x ^ r) & (y ^ r)) >= 0) return numInt(r);
    if (hostArithmetic) return 0;
  }
  return numF64(numToF64(a) + numToF64(b));
}

export function numSub(a: u32, b: u32): u32 {
  if (numRepr(a) == N_INT && numRepr(b) == N_INT) {
    const x = numI64(a);
    const y = numI64(b);
    const r = x - y;
    if (((x ^ y) & (x ^ r)) >= 0) return numInt(r);
    if (hostArithmetic) return 0;
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
    if (hostArithmetic) return 0;
  }
  return numF64(numToF64(a) * numToF64(b));
}

/** a / b; the caller has rejected b == 0. */
export function numDiv(a: u32, b: u32): u32 {
  if (numRepr(a) == N_INT && numRepr(b) == N_INT) {
    const x = numI64(a);
    const y = numI64(b);
    if (!(x == i64.MIN_VALUE && y == -1) && x % y == 0) return numInt(x / y);
    if (x == i64.MIN_VALUE && y == -1 && hostArithmetic) return 0;
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

/** Shortest decimal text that reads back as `x` (exact where powers of ten are), or, for an
 *  integer of 2^53 or more, its exact digits (as the TypeScript side prints it, and reads it
 *  back); returns the byte count written at `out`, which needs F64_TEXT_MAX bytes. */
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
  if (x >= 9007199254740992.0 && Math.floor(x) == x) {
    p += x < 9223372036854775808.0 ? writeInt(p, <i64>x) : writeBigIntegral(p, x);
    return p - out;
  }
  const e10 = <i32>Math.floor(Math.log10(x));
  let digits: u64 = 0;
  let k: i32 = 0;
  for (let prec: i32 = 1; prec <= 17; prec++) {
    k = prec - 1 - e10;
    // x·10^k in two steps where 10^k alone would overflow (subnormals need k up to 340).
    const scaled = k > 300 ? x * 1e300 * pow10(k - 300) : k >= 0 ? x * pow10(k) : x / pow10(-k);
    const d = nearestDigits(x, k, <u64>Math.round(scaled));
    if (readsBackAs(d, -k, x)) {
      digits = d;
      break;
    }
    if (prec == 17) digits = d; // 17 digits always read back; this is for safety only
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

/** Room writeF64 needs: a sign and the 309 digits of the largest double. */
export const F64_TEXT_MAX: u32 = 320;

/** The digits of an integral double of 2^63 or more (m·2^e, exactly); returns the count. */
function writeBigIntegral(out: u32, x: f64): u32 {
  const saved = mem.heapTop; // scratch, given back below
  const bits = reinterpret<u64>(x);
  const b = bigNew(40); // below 2^1024: 32 limbs
  bigSetU64(b, (bits & 0xfffffffffffff) | 0x10000000000000);
  bigShiftLeft(b, <u32>(<i32>((bits >> 52) & 0x7ff) - 1075));
  // Nine digits at a time, least significant first.
  const tmp = alloc(F64_TEXT_MAX);
  let n: u32 = 0;
  while (!bigIsZero(b)) {
    let r = bigDivSmall(b, 1000000000);
    for (let i = 0; i < 9; i++) {
      store<u8>(tmp + n++, <u8>(48 + r % 10));
      r /= 10;
    }
  }
  while (n > 1 && load<u8>(tmp + n - 1) == 48) n--;
  for (let i: u32 = 0; i < n; i++) store<u8>(out + i, load<u8>(tmp + n - 1 - i));
  mem.heapTop = saved;
  return n;
}

/** Puts digits × 10^exp into digitBuf/nDigits/decExp. */
function setDecimal(digits: u64, exp: i32): void {
  const tmp = alloc32();
  const n = writeInt(tmp, <i64>digits);
  for (let i: u32 = 0; i < n; i++) store<u8>(digitBuf + i, load<u8>(tmp + i) - 48);
  nDigits = n;
  decExp = exp;
  truncated = false;
  while (nDigits > 0 && load<u8>(digitBuf + nDigits - 1) == 0) {
    nDigits--;
    decExp++;
  }
}

/** Whether digits × 10^exp reads back (correctly rounded) as x. */
function readsBackAs(digits: u64, exp: i32, x: f64): bool {
  setDecimal(digits, exp);
  return digitsToF64() == x;
}

/** The integer nearest to x·10^k, found from an estimate by exact comparisons. */
function nearestDigits(x: f64, k: i32, estimate: u64): u64 {
  const bits = reinterpret<u64>(x);
  const be = <i32>((bits >> 52) & 0x7ff);
  const m: u64 = be == 0 ? bits & 0xfffffffffffff : (bits & 0xfffffffffffff) | 0x10000000000000;
  const e: i32 = be == 0 ? -1074 : be - 1075;
  let d = estimate;
  for (let i = 0; i < 64; i++) {
    // d too small: (d + 1/2)·10^-k < x, i.e. (2d+1)·10^-k < m·2^(e+1)
    setDecimal((d << 1) + 1, -k);
    const up = compareWith(m, e + 1);
    if (up < 0) {
      d++;
      continue;
    }
    // Exactly halfway between two: the even one, as JavaScript chooses.
    if (up == 0) return (d & 1) == 1 ? d + 1 : d;
    if (d == 0) break;
    setDecimal((d << 1) - 1, -k);
    const low = compareWith(m, e + 1);
    if (low > 0) {
      d--;
      continue;
    }
    if (low == 0) return (d & 1) == 1 ? d - 1 : d;
    break;
  }
  return d;
}

const scratch32: u32 = <u32>memory.data(32, 8);

@inline function alloc32(): u32 {
  return scratch32;
}

/** Whether a number is an integer held as text (or an i64). */
export function isIntegerText(v: u32): bool {
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
