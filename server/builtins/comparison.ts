// Comparison operators: OPA's total order over all values (null < boolean < number < string <
// array < object < set), so any two values compare and the result is always a boolean.
import type { Builtin } from './types';
import { ANY, BOOLEAN, fn } from './decl';
import { compare, equal, type Value } from '../value/value';

function comparison(name: string, infix: string, test: (a: Value, b: Value) => boolean): Builtin {
  return { name, infix, decl: fn([ANY, ANY], BOOLEAN), impl: ([a, b]) => test(a, b) };
}

export const COMPARISON: Builtin[] = [
  comparison('equal', '==', (a, b) => equal(a, b)),
  comparison('neq', '!=', (a, b) => !equal(a, b)),
  comparison('lt', '<', (a, b) => compare(a, b) < 0),
  comparison('lte', '<=', (a, b) => compare(a, b) <= 0),
  comparison('gt', '>', (a, b) => compare(a, b) > 0),
  comparison('gte', '>=', (a, b) => compare(a, b) >= 0),
];
