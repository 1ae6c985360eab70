// Arithmetic: the infix operators, rounding, and number ranges. Integers stay exact (bigint
// beyond the safe range); non-integers are computed as exact decimals (see numeric.ts).
import type { Builtin } from './types';
import { ANY_SET, NUMBER, anyOf, arrayOf, fn } from './decl';
import { bigInt, builtinError, num, typeError } from './operands';
import * as N from './numeric';
import { SetValue, normalizeInt, type Value } from '../value/value';

const BINARY = fn([NUMBER, NUMBER], NUMBER);
const UNARY = fn([NUMBER], NUMBER);

/** Ranges longer than this are refused: a hostile `numbers.range(0, 1e12)` must not eat memory. */
export const MAX_RANGE = 10_000_000;

function binary(name: string, infix: string, op: (a: N.Num, b: N.Num) => N.Num): Builtin {
  return { name, infix, decl: BINARY, impl: (args) => op(num(name, args, 0), num(name, args, 1)) };
}

function unary(name: string, op: (a: N.Num) => N.Num): Builtin {
  return { name, decl: UNARY, impl: (args) => op(num(name, args, 0)) };
}

function minus(args: Value[]): Value {
  const [a, b] = args;
  const an = typeof a === 'number' || typeof a === 'bigint';
  const bn = typeof b === 'number' || typeof b === 'bigint';
  if (an && bn) return N.sub(a, b);
  if (a instanceof SetValue && b instanceof SetValue) {
    const out = new SetValue();
    for (const x of a.values()) if (!b.has(x)) out.add(x);
    return out;
  }
  // OPA's order of complaints: first operand, then the second against the first's kind.
  if (!an && !(a instanceof SetValue)) throw typeError('minus', 1, a, 'number', 'set');
  if (bn) throw typeError('minus', 2, b, 'set');
  throw typeError('minus', 2, b, 'number');
}

function divide(args: Value[]): Value {
  const a = num('div', args, 0);
  const b = num('div', args, 1);
  if (N.isZero(b)) throw builtinError('div', 'divide by zero');
  return N.div(a, b);
}

function remainder(args: Value[]): Value {
  const a = num('rem', args, 0);
  const b = num('rem', args, 1);
  if (!N.isInt(a) || !N.isInt(b)) throw builtinError('rem', 'modulo on floating-point number');
  if (N.isZero(b)) throw builtinError('rem', 'modulo by zero');
  return N.rem(BigInt(a), BigInt(b));
}

function range(name: string, from: bigint, to: bigint, step: bigint): Value[] {
  const span = from <= to ? to - from : from - to;
  if (span / step >= BigInt(MAX_RANGE)) {
    throw builtinError(name, `range of more than ${MAX_RANGE} numbers refused`);
  }
  const out: Value[] = [];
  const safe = (x: bigint): boolean => x === BigInt(Number(x)) && Number.isSafeInteger(Number(x));
  if (safe(from) && safe(to) && safe(to + step) && safe(to - step)) {
    // Plain numbers are much faster than bigints, and exact within the safe range.
    const [a, b, s] = [Number(from), Number(to), Number(step)];
    if (a <= b) for (let i = a; i <= b; i += s) out.push(i);
    else for (let i = a; i >= b; i -= s) out.push(i);
    return out;
  }
  if (from <= to) for (let i = from; i <= to; i += step) out.push(normalizeInt(i));
  else for (let i = from; i >= to; i -= step) out.push(normalizeInt(i));
  return out;
}

export const ARITHMETIC: Builtin[] = [
  binary('plus', '+', N.add),
  {
    name: 'minus',
    infix: '-',
    decl: fn([anyOf(NUMBER, ANY_SET), anyOf(NUMBER, ANY_SET)], anyOf(NUMBER, ANY_SET)),
    impl: minus,
  },
  binary('mul', '*', N.mul),
  { name: 'div', infix: '/', decl: BINARY, impl: divide },
  { name: 'rem', infix: '%', decl: BINARY, impl: remainder },
  unary('abs', N.abs),
  unary('round', N.round),
  unary('ceil', N.ceil),
  unary('floor', N.floor),
  {
    name: 'numbers.range',
    decl: fn([NUMBER, NUMBER], arrayOf(NUMBER)),
    impl: (args) => range('numbers.range', bigInt('numbers.range', args, 0), bigInt('numbers.range', args, 1), 1n),
  },
  {
    name: 'numbers.range_step',
    decl: fn([NUMBER, NUMBER, NUMBER], arrayOf(NUMBER)),
    impl: (args) => {
      const name = 'numbers.range_step';
      const from = bigInt(name, args, 0);
      const to = bigInt(name, args, 1);
      const step = bigInt(name, args, 2);
      if (step <= 0n) throw builtinError(name, 'step must be a positive number above zero');
      return range(name, from, to, step);
    },
  },
];
