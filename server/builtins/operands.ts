// Operand checks with OPA's error wording (topdown/builtins): every family uses these so the
// messages stay identical to OPA's, which the conformance suite compares as substrings.
import { BuiltinError } from './types';
import { ObjectValue, SetValue, isInteger, typeOf, type Value } from '../value/value';

/** `<name>: operand <pos> must be <expected> but got <type>` (or `one of {…}`). */
export function typeError(name: string, pos: number, got: Value, ...expected: string[]): BuiltinError {
  const want = expected.length === 1 ? expected[0] : `one of {${expected.join(', ')}}`;
  return new BuiltinError('eval_type_error', `${name}: operand ${pos} must be ${want} but got ${typeOf(got)}`);
}

/** `<name>: operand <pos> <message>`: the free-form operand error. */
export function operandError(name: string, pos: number, message: string): BuiltinError {
  return new BuiltinError('eval_type_error', `${name}: operand ${pos} ${message}`);
}

/** An element of a composite operand has the wrong type. */
export function elementError(name: string, pos: number, composite: Value, got: Value, expected: string): BuiltinError {
  const t = typeOf(composite);
  return operandError(name, pos, `must be ${t} of ${expected}s but got ${t} containing ${typeOf(got)}`);
}

/** Any other failure of the builtin: `<name>: <reason>`. */
export function builtinError(name: string, reason: string): BuiltinError {
  return new BuiltinError('eval_builtin_error', `${name}: ${reason}`);
}

export function str(name: string, args: Value[], i: number): string {
  const v = args[i];
  if (typeof v !== 'string') throw typeError(name, i + 1, v, 'string');
  return v;
}

export function num(name: string, args: Value[], i: number): number | bigint {
  const v = args[i];
  if (typeof v !== 'number' && typeof v !== 'bigint') throw typeError(name, i + 1, v, 'number');
  return v;
}

const NOT_INTEGER = 'must be integer number but got floating-point number';

/** An integer operand of any size (OPA's BigIntOperand). */
export function bigInt(name: string, args: Value[], i: number): bigint {
  const v = args[i];
  if (typeof v === 'bigint') return v;
  if (typeof v !== 'number') throw typeError(name, i + 1, v, 'integer');
  if (!Number.isInteger(v)) throw operandError(name, i + 1, NOT_INTEGER);
  return BigInt(v);
}

/**
 * An integer operand that must fit Go's int (OPA's IntOperand). Integers outside the JS safe
 * range are refused like OPA refuses those outside int64: the message is OPA's for both.
 */
export function int(name: string, args: Value[], i: number): number {
  const v = args[i];
  if (typeof v === 'bigint') throw operandError(name, i + 1, NOT_INTEGER);
  if (typeof v !== 'number') throw typeError(name, i + 1, v, 'number');
  if (!Number.isSafeInteger(v)) throw operandError(name, i + 1, NOT_INTEGER);
  return v;
}

export function arr(name: string, args: Value[], i: number): Value[] {
  const v = args[i];
  if (!Array.isArray(v)) throw typeError(name, i + 1, v, 'array');
  return v;
}

export function obj(name: string, args: Value[], i: number): ObjectValue {
  const v = args[i];
  if (!(v instanceof ObjectValue)) throw typeError(name, i + 1, v, 'object');
  return v;
}

export function set(name: string, args: Value[], i: number): SetValue {
  const v = args[i];
  if (!(v instanceof SetValue)) throw typeError(name, i + 1, v, 'set');
  return v;
}

/** Strings of an array or set operand (OPA's StringSliceOperand). */
export function strings(name: string, args: Value[], i: number): string[] {
  const v = args[i];
  let items: Value[];
  if (Array.isArray(v)) items = v;
  else if (v instanceof SetValue) items = v.values();
  else throw typeError(name, i + 1, v, 'array', 'set');
  for (const x of items) if (typeof x !== 'string') throw elementError(name, i + 1, v, x, 'string');
  return items as string[];
}

export function isIntegral(v: Value): v is number | bigint {
  return (typeof v === 'number' || typeof v === 'bigint') && isInteger(v);
}
