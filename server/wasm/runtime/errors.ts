// Evaluation errors leave through the host's opa_abort with OPA's error codes in the text, as
// `file:row:col: code: message` (the engine parses that form back into a Rego error).
import { bufAdvance, bufAscii, bufByte, bufBytes, bufFinish, bufReserve, bufStart } from './buffer';
import { writeInt } from './number';
import { T_ARR, T_BOOL, T_NULL, T_NUM, T_OBJ, T_STR, strLen, strPtr, tag } from './value';

@external('env', 'opa_abort')
export declare function opa_abort(msg: u32): void;

/** Set by the host (`regent_set_strict`): builtin errors abort instead of being undefined. */
export let strict: bool = false;

export function setStrict(on: bool): void {
  strict = on;
}

export function conflict(kind: i32, file: u32, row: i32, col: i32): void {
  bufStart();
  if (file != 0) {
    bufBytes(strPtr(file), strLen(file));
    bufByte(58);
    bufAdvance(writeInt(bufReserve(20), row));
    bufByte(58);
    bufAdvance(writeInt(bufReserve(20), col));
    bufAscii(': ');
  }
  bufAscii('eval_conflict_error: ');
  if (kind == 0) bufAscii('complete rules must not produce multiple outputs');
  else if (kind == 1) bufAscii('functions must not produce multiple outputs for same inputs');
  else bufAscii('object keys must be unique');
  opa_abort(bufFinish());
  unreachable();
}

/** A builtin's failure: undefined (0) normally, an `eval_builtin_error` in strict mode. */
export function builtinError(name: string, message: string): u32 {
  if (strict) fail('eval_builtin_error', name, message);
  return 0;
}

/** The Rego type name of a value's tag. */
export function typeName(v: u32): string {
  switch (tag(v)) {
    case T_NULL:
      return 'null';
    case T_BOOL:
      return 'boolean';
    case T_NUM:
      return 'number';
    case T_STR:
      return 'string';
    case T_ARR:
      return 'array';
    case T_OBJ:
      return 'object';
  }
  return 'set';
}

/** An operand of the wrong type: undefined normally, an `eval_type_error` in strict mode
 *  (`name: operand N must be WANT but got TYPE`, as OPA words it). */
export function typeError(name: string, operand: i32, want: string, got: u32): u32 {
  if (strict) {
    startOperandError(name, operand);
    bufAscii(' must be ');
    bufAscii(want);
    bufAscii(' but got ');
    bufAscii(typeName(got));
    opa_abort(bufFinish());
    unreachable();
  }
  return 0;
}

/** An element of a collection operand has the wrong type: undefined normally, in strict mode
 *  `name: operand N must be array of WANTs but got array containing TYPE` (OPA's
 *  NewOperandElementErr). */
export function elementError(name: string, operand: i32, collection: u32, want: string, got: u32): u32 {
  if (strict) {
    const t = typeName(collection);
    startOperandError(name, operand);
    bufAscii(' must be ');
    bufAscii(t);
    bufAscii(' of ');
    bufAscii(want);
    bufAscii('s but got ');
    bufAscii(t);
    bufAscii(' containing ');
    bufAscii(typeName(got));
    opa_abort(bufFinish());
    unreachable();
  }
  return 0;
}

export function fail(code: string, name: string, message: string): void {
  bufStart();
  bufAscii(code);
  bufAscii(': ');
  if (name.length > 0) {
    bufAscii(name);
    bufAscii(': ');
  }
  bufAscii(message);
  opa_abort(bufFinish());
  unreachable();
}

/** An operand refused for a reason of its own: undefined normally, an `eval_type_error`
 *  (`name: operand N message`) in strict mode. */
export function operandError(name: string, operand: i32, message: string): u32 {
  if (strict) {
    startOperandError(name, operand);
    bufAscii(' ');
    bufAscii(message);
    opa_abort(bufFinish());
    unreachable();
  }
  return 0;
}

/** Starts the message `eval_type_error: name: operand N` of an operand error. */
function startOperandError(name: string, operand: i32): void {
  bufStart();
  bufAscii('eval_type_error: ');
  bufAscii(name);
  bufAscii(': operand ');
  bufAdvance(writeInt(bufReserve(20), operand));
}
