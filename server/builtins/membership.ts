// Membership: `x in xs` (internal.member_2) and `k, v in xs` (internal.member_3). A
// non-collection right-hand side is simply not a member (false), as in OPA.
import type { Builtin } from './types';
import { ANY, BOOLEAN, fn } from './decl';
import { ObjectValue, SetValue, equal, type Value } from '../value/value';

function member2([x, xs]: Value[]): boolean {
  if (xs instanceof SetValue) return xs.has(x);
  if (Array.isArray(xs)) return xs.some((y) => equal(x, y));
  if (xs instanceof ObjectValue) return xs.values().some((y) => equal(x, y));
  return false;
}

function member3([k, v, xs]: Value[]): boolean {
  if (xs instanceof SetValue) return xs.has(k) && equal(k, v);
  if (xs instanceof ObjectValue) {
    const got = xs.get(k);
    return got !== undefined && equal(got, v);
  }
  if (Array.isArray(xs)) {
    if (typeof k !== 'number' && typeof k !== 'bigint') return false;
    const i = Number(k);
    return Number.isInteger(i) && i >= 0 && i < xs.length && equal(xs[i], v);
  }
  return false;
}

export const MEMBERSHIP: Builtin[] = [
  { name: 'internal.member_2', decl: fn([ANY, ANY], BOOLEAN), impl: member2 },
  { name: 'internal.member_3', decl: fn([ANY, ANY, ANY], BOOLEAN), impl: member3 },
];
