// Exact number arithmetic shared by the arithmetic and aggregate families.
//
// OPA keeps numbers as decimal text and computes on big.Int (integers) or big.Float; a JS float
// sum such as 0.1 + 0.2 would print 0.30000000000000004 where OPA prints 0.3. So integers are
// combined as bigints and non-integers as exact decimals (mantissa × 10^exp, the mantissa read
// from the shortest text of the double), converting back to a double only at the end.
import { normalizeInt } from '../value/value';

export type Num = number | bigint;

/** A decimal m × 10^e. */
interface Dec {
  m: bigint;
  e: number;
}

const DEC_TEXT = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/;

function toDec(n: Num): Dec {
  if (typeof n === 'bigint') return { m: n, e: 0 };
  const match = DEC_TEXT.exec(String(n));
  if (match === null) throw new RangeError(`not a finite number: ${n}`);
  const frac = match[3] ?? '';
  const m = BigInt(match[1] + match[2] + frac);
  return { m, e: Number(match[4] ?? 0) - frac.length };
}

const TEN = 10n;

function pow10(k: number): bigint {
  return TEN ** BigInt(k);
}

/** Back to a value: integers exactly (bigint beyond the safe range), others as the nearest double. */
function fromDec(d: Dec): Num {
  let { m, e } = d;
  if (m === 0n) return 0;
  if (e >= 0) return normalizeInt(m * pow10(e));
  while (e < 0 && m % TEN === 0n) {
    m /= TEN;
    e++;
  }
  if (e === 0) return normalizeInt(m);
  return Number(`${m}e${e}`);
}

/** Integral floats beyond the safe range become the equal bigint, as the value model keys them. */
export function normFloat(x: number): Num {
  if (Number.isInteger(x) && !Number.isSafeInteger(x) && Number.isFinite(x)) return BigInt(x);
  return x;
}

export function isInt(n: Num): boolean {
  return typeof n === 'bigint' || Number.isInteger(n);
}

function toBig(n: Num): bigint {
  return typeof n === 'bigint' ? n : BigInt(n);
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e);
  return [a.m * pow10(a.e - e), b.m * pow10(b.e - e), e];
}

export function add(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(a) && Number.isSafeInteger(b) && Number.isSafeInteger(r)) return r;
  }
  if (isInt(a) && isInt(b)) return normalizeInt(toBig(a) + toBig(b));
  const [x, y, e] = align(toDec(a), toDec(b));
  return fromDec({ m: x + y, e });
}

export function neg(a: Num): Num {
  return typeof a === 'bigint' ? normalizeInt(-a) : a === 0 ? 0 : -a;
}

export function sub(a: Num, b: Num): Num {
  return add(a, neg(b));
}

export function mul(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (Number.isSafeInteger(a) && Number.isSafeInteger(b) && Number.isSafeInteger(r)) return r === 0 ? 0 : r;
  }
  if (isInt(a) && isInt(b)) return normalizeInt(toBig(a) * toBig(b));
  const x = toDec(a);
  const y = toDec(b);
  return fromDec({ m: x.m * y.m, e: x.e + y.e });
}

export function isZero(a: Num): boolean {
  return typeof a === 'bigint' ? a === 0n : a === 0;
}

/** a / b for b ≠ 0: exact when the quotient is an integer, else the nearest double. */
export function div(a: Num, b: Num): Num {
  const x = toDec(a);
  const y = toDec(b);
  // a/b = (x.m / y.m) × 10^(x.e - y.e): make it one fraction n/d of integers.
  let n = x.m;
  let d = y.m;
  const e = x.e - y.e;
  if (e >= 0) n *= pow10(e);
  else d *= pow10(-e);
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  if (n % d === 0n) return normalizeInt(n / d);
  // Scale so the integer quotient carries at least ~20 significant digits before rounding.
  const k = 20 + Math.max(0, d.toString().length - (n < 0n ? -n : n).toString().length);
  const q = (n * pow10(k)) / d;
  return Number(`${q}e-${k}`);
}

/** Truncated remainder of integers (Go's and JS's %). */
export function rem(a: bigint, b: bigint): Num {
  return normalizeInt(a % b);
}

export function abs(a: Num): Num {
  if (typeof a === 'bigint') return a < 0n ? normalizeInt(-a) : a;
  return normFloat(Math.abs(a));
}

/** The integer part (towards zero) of a number, exactly. */
export function trunc(a: Num): bigint {
  return typeof a === 'bigint' ? a : BigInt(Math.trunc(a));
}

export function round(a: Num): Num {
  if (typeof a === 'bigint') return a;
  // Half away from zero, like OPA's round. x - floor(x) is exact for doubles, unlike x + 0.5.
  const m = Math.abs(a);
  let r = Math.floor(m);
  if (m - r >= 0.5) r += 1;
  return normFloat(a < 0 && r !== 0 ? -r : r);
}

export function ceil(a: Num): Num {
  if (typeof a === 'bigint') return a;
  const r = Math.ceil(a);
  return normFloat(r === 0 ? 0 : r);
}

export function floor(a: Num): Num {
  if (typeof a === 'bigint') return a;
  const r = Math.floor(a);
  return normFloat(r === 0 ? 0 : r);
}
