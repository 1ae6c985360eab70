// Bitwise operations on integers of any size (two's-complement semantics, as Go's big.Int).
import type { Builtin } from './types';
import { NUMBER, fn } from './decl';
import { bigInt, builtinError, operandError } from './operands';
import { normalizeInt, type Value } from '../value/value';

/** Shifting left by more bits than this is refused: the result would be megabytes of digits. */
const MAX_SHIFT = 1 << 20;

function binary(name: string, op: (a: bigint, b: bigint) => bigint): Builtin {
  return {
    name,
    decl: fn([NUMBER, NUMBER], NUMBER),
    impl: (args) => normalizeInt(op(bigInt(name, args, 0), bigInt(name, args, 1))),
  };
}

function shift(name: string, left: boolean): Builtin {
  return {
    name,
    decl: fn([NUMBER, NUMBER], NUMBER),
    impl: (args: Value[]) => {
      const x = bigInt(name, args, 0);
      const n = bigInt(name, args, 1);
      if (n < 0n) throw operandError(name, 2, 'must be an unsigned integer number but got a negative integer');
      if (left) {
        if (n > BigInt(MAX_SHIFT)) throw builtinError(name, `shift by more than ${MAX_SHIFT} bits refused`);
        return normalizeInt(x << n);
      }
      // Arithmetic shift right rounds towards minus infinity, as big.Int.Rsh does.
      return normalizeInt(x >> n);
    },
  };
}

export const BITS: Builtin[] = [
  binary('bits.and', (a, b) => a & b),
  binary('bits.or', (a, b) => a | b),
  binary('bits.xor', (a, b) => a ^ b),
  { name: 'bits.negate', decl: fn([NUMBER], NUMBER), impl: (args) => normalizeInt(~bigInt('bits.negate', args, 0)) },
  shift('bits.lsh', true),
  shift('bits.rsh', false),
];
