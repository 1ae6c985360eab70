// Conversions: to_number.
import type { Builtin } from './types';
import { BOOLEAN, NULL, NUMBER, STRING, anyOf, fn } from './decl';
import { builtinError, typeError } from './operands';
import { numberFromText, type Value } from '../value/value';

/** Go's strconv.ParseFloat decimal syntax (hex floats and underscores are not accepted here). */
const GO_FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function toNumber([x]: Value[]): Value {
  if (x === null) return 0;
  if (typeof x === 'boolean') return x ? 1 : 0;
  if (typeof x === 'number' || typeof x === 'bigint') return x;
  if (typeof x !== 'string') throw typeError('to_number', 1, x, 'null', 'boolean', 'number', 'string');
  const bare = x.replace(/^[+-]+/, '').toLowerCase();
  if (bare === 'inf' || bare === 'infinity' || bare === 'nan') throw typeError('to_number', 1, x, 'valid number string');
  if (!GO_FLOAT.test(x)) throw builtinError('to_number', `strconv.ParseFloat: parsing ${JSON.stringify(x)}: invalid syntax`);
  const text = x.startsWith('+') ? x.slice(1) : x;
  // OPA checks the text with ParseFloat (float64 range) and keeps it; the value is exact here.
  if (!Number.isFinite(Number(text))) {
    throw builtinError('to_number', `strconv.ParseFloat: parsing ${JSON.stringify(x)}: value out of range`);
  }
  return numberFromText(text);
}

export const CONVERSIONS: Builtin[] = [
  { name: 'to_number', decl: fn([anyOf(NULL, BOOLEAN, NUMBER, STRING)], NUMBER), impl: toNumber },
];

