// Just enough arbitrary-precision arithmetic to round decimal text to the nearest double
// exactly, and to write a big double's digits: natural numbers as little-endian u32 limbs on the
// heap, built from digits, multiplied by small numbers and powers of five, shifted left,
// compared, and divided by small numbers.
import { alloc } from './memory';

/** A natural number: 0 u32 limb count, then the limbs (capacity fixed at creation). */
export function bigNew(limbs: u32): u32 {
  const p = alloc(4 + (limbs << 2));
  store<u32>(p, 0);
  return p;
}

@inline function count(b: u32): u32 {
  return load<u32>(b);
}

@inline function limb(b: u32, i: u32): u32 {
  return load<u32>(b + 4 + (i << 2));
}

@inline function setLimb(b: u32, i: u32, v: u32): void {
  store<u32>(b + 4 + (i << 2), v);
}

export function bigSetU64(b: u32, x: u64): void {
  store<u32>(b, 0);
  if (x == 0) return;
  setLimb(b, 0, <u32>x);
  const hi = <u32>(x >> 32);
  if (hi != 0) {
    setLimb(b, 1, hi);
    store<u32>(b, 2);
  } else store<u32>(b, 1);
}

/** b = b × m + add */
export function bigMulAdd(b: u32, m: u32, add: u32): void {
  let carry = <u64>add;
  const n = count(b);
  for (let i: u32 = 0; i < n; i++) {
    const x = <u64>limb(b, i) * m + carry;
    setLimb(b, i, <u32>x);
    carry = x >> 32;
  }
  if (carry != 0) {
    setLimb(b, n, <u32>carry);
    store<u32>(b, n + 1);
  }
}

export function bigMulPow5(b: u32, k: u32): void {
  while (k >= 13) {
    bigMulAdd(b, 1220703125, 0); // 5^13
    k -= 13;
  }
  let m: u32 = 1;
  for (; k > 0; k--) m *= 5;
  if (m != 1) bigMulAdd(b, m, 0);
}

export function bigShiftLeft(b: u32, bits: u32): void {
  const n = count(b);
  if (n == 0 || bits == 0) return;
  const words = bits >> 5;
  const r = bits & 31;
  if (r == 0) {
    for (let i = <i32>n - 1; i >= 0; i--) setLimb(b, <u32>i + words, limb(b, <u32>i));
    store<u32>(b, n + words);
  } else {
    setLimb(b, n + words, limb(b, n - 1) >> (32 - r));
    for (let i = <i32>n - 1; i > 0; i--) setLimb(b, <u32>i + words, (limb(b, <u32>i) << r) | (limb(b, <u32>i - 1) >> (32 - r)));
    setLimb(b, words, limb(b, 0) << r);
    store<u32>(b, limb(b, n + words) != 0 ? n + words + 1 : n + words);
  }
  for (let i: u32 = 0; i < words; i++) setLimb(b, i, 0);
}

export function bigCompare(a: u32, b: u32): i32 {
  const na = count(a);
  const nb = count(b);
  if (na != nb) return na < nb ? -1 : 1;
  for (let i = <i32>na - 1; i >= 0; i--) {
    const x = limb(a, <u32>i);
    const y = limb(b, <u32>i);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

export function bigIsZero(b: u32): bool {
  return count(b) == 0;
}

/** b = b / d (d > 0); returns the remainder. */
export function bigDivSmall(b: u32, d: u32): u32 {
  let rem: u64 = 0;
  let n = count(b);
  for (let i = <i32>n - 1; i >= 0; i--) {
    const cur = (rem << 32) | <u64>limb(b, <u32>i);
    setLimb(b, <u32>i, <u32>(cur / d));
    rem = cur % d;
  }
  while (n > 0 && limb(b, n - 1) == 0) n--;
  store<u32>(b, n);
  return <u32>rem;
}
