// The runtime's exports: OPA's Wasm ABI 1.2 (what SDKs call) and the `opa_*`/`rt_*` functions
// generated code calls (../README.md). Built by `npm run build` into dist/wasm/runtime.wasm.
import { alloc, heapInit, heapTop } from './memory';
import * as mem from './memory';
import {
  NULL_V, T_ARR, T_OBJ, T_SET, arrNew, arrPush, boolV, objNew, objPut, setAdd, setNew, str, tag, numInt, numF64,
} from './value';
import { numFromText, numberTooBig, setHostArithmetic } from './number';
import { compare } from './compare';
import { dump, parse } from './json';
import { conflict, fail, setStrict } from './errors';
import * as ops from './ops';

export * from './builtins';
export * from './objects';
export * from './strings';
export * from './sprintf';

heapInit();

export const opa_wasm_abi_version: i32 = 1;
export const opa_wasm_abi_minor_version: i32 = 2;

/** The heap top, a mutable global the code generator moves past the policy's constants. */
export { heapTop as regent_heap_base };

/** Set by generated code before each host builtin call: which call site (see codegen.ts). */
export let regent_location: u32 = 0;

/** The arguments of the latest host builtin call (set by generated code; see codegen.ts). */
export let regent_arg0: u32 = 0;
export let regent_arg1: u32 = 0;
export let regent_arg2: u32 = 0;
export let regent_arg3: u32 = 0;

/** Loop iterations left before generated code asks the host whether time is up (modules built
 *  for Regent's engine only; see codegen.ts `deadlineCheck`). */
export let regent_steps: i32 = 0;

// ---- memory

export function opa_malloc(size: u32): u32 {
  return alloc(size);
}

export function opa_free(_p: u32): void {}

export function opa_heap_ptr_get(): u32 {
  return mem.heapTop;
}

export function opa_heap_ptr_set(p: u32): void {
  mem.heapTop = p;
}

// ---- values

export function opa_null(): u32 {
  return NULL_V;
}

export function opa_boolean(b: i32): u32 {
  return boolV(b != 0);
}

export function opa_number_int(x: i64): u32 {
  return numInt(x);
}

export function opa_number_float(x: f64): u32 {
  return numF64(x);
}

export function opa_number_ref(p: u32, n: u32): u32 {
  return numFromText(p, n);
}

export function opa_string(p: u32, n: u32): u32 {
  return str(p, n);
}

export function opa_array_with_cap(n: u32): u32 {
  return arrNew(n);
}

export function opa_object(): u32 {
  return objNew();
}

export function opa_set(): u32 {
  return setNew();
}

export function opa_array_append(a: u32, v: u32): void {
  arrPush(a, v);
}

export function opa_set_add(s: u32, v: u32): void {
  setAdd(s, v);
}

export function opa_object_insert(o: u32, k: u32, v: u32): void {
  objPut(o, k, v);
}

export function rt_object_insert_once(o: u32, k: u32, v: u32): i32 {
  return ops.insertOnce(o, k, v);
}

export function opa_value_type(v: u32): i32 {
  return tag(v);
}

export function opa_value_get(v: u32, k: u32): u32 {
  return ops.get(v, k);
}

export function opa_value_compare(a: u32, b: u32): i32 {
  return compare(a, b);
}

export function opa_value_length(v: u32): i32 {
  return ops.length(v);
}

export function rt_iter_len(v: u32): u32 {
  return ops.iterLen(v);
}

export function rt_iter_key(v: u32, i: u32): u32 {
  return ops.iterKey(v, i);
}

export function rt_iter_value(v: u32, i: u32): u32 {
  return ops.iterValue(v, i);
}

export function opa_value_merge(a: u32, b: u32): u32 {
  return ops.merge(a, b);
}

export function rt_upsert(doc: u32, path: u32, v: u32): u32 {
  return ops.upsert(doc, path, v);
}

export function rt_to_set(v: u32): u32 {
  return ops.toSet(v);
}

export function rt_conflict(kind: i32, file: u32, row: i32, col: i32): void {
  conflict(kind, file, row, col);
}

export function opa_value_add_path(base: u32, path: u32, v: u32): i32 {
  return ops.addPath(base, path, v);
}

export function opa_value_remove_path(base: u32, path: u32): i32 {
  return ops.removePath(base, path);
}

// ---- JSON and Rego text

export function opa_json_parse(p: u32, n: u32): u32 {
  return parse(p, n, false);
}

export function opa_value_parse(p: u32, n: u32): u32 {
  return parse(p, n, true);
}

export function opa_json_dump(v: u32): u32 {
  return dump(v, false);
}

export function opa_value_dump(v: u32): u32 {
  return dump(v, true);
}

// ---- evaluation

@external('env', 'regent_eval_plan')
declare function regent_eval_plan(entrypoint: i32, input: u32, data: u32): void;

let results: u32 = 0;

/** Changes with every evaluation: generated code keys its per-evaluation memos on it. */
export let regent_epoch: i32 = 0;

export function rt_result_add(v: u32): void {
  setAdd(results, v);
}

/** Strict builtin errors on (1) or off (0) for the following evaluations (Regent's engine). */
export function regent_set_strict(on: i32): void {
  setStrict(on != 0);
}

/** Integer arithmetic beyond i64 on the host (1), exactly, or in doubles (0, the default for
 *  other SDKs, which have no host `plus`): Regent's engine turns it on once loaded. */
export function regent_set_host_arithmetic(on: i32): void {
  setHostArithmetic(on != 0);
}

// An evaluation context: 0 input, 4 data, 8 entrypoint, 12 result.
export function opa_eval_ctx_new(): u32 {
  const c = alloc(16);
  memory.fill(c, 0, 16);
  return c;
}

export function opa_eval_ctx_set_input(c: u32, v: u32): void {
  store<u32>(c, v);
}

export function opa_eval_ctx_set_data(c: u32, v: u32): void {
  store<u32>(c, v, 4);
}

export function opa_eval_ctx_set_entrypoint(c: u32, e: i32): void {
  store<i32>(c, e, 8);
}

export function opa_eval_ctx_get_result(c: u32): u32 {
  return load<u32>(c, 12);
}

function run(entrypoint: i32, input: u32, data: u32): u32 {
  regent_epoch++;
  results = setNew();
  regent_eval_plan(entrypoint, input, data);
  return results;
}

function evalCtx(c: u32): i32 {
  store<u32>(c, run(load<i32>(c, 8), load<u32>(c), load<u32>(c, 4)), 12);
  return 0;
}
export { evalCtx as eval };

/** ABI 1.2's one-call evaluation: input as JSON text at `input`, heap from `heap`; returns the
 *  result set as NUL-terminated JSON (format 0) or Rego value text (1). */
export function opa_eval(_reserved: u32, entrypoint: i32, data: u32, input: u32, inputLen: u32, heap: u32, format: i32): u32 {
  mem.heapTop = heap;
  let inputValue: u32 = 0;
  if (inputLen > 0) {
    inputValue = parse(input, inputLen, false);
    if (inputValue == 0) {
      // The same texts as the interpreter's reader (server/engine/evaluator.ts, server/value/value.ts).
      if (numberTooBig) fail('eval_internal_error', '', 'input: number too big: integers written with exponents may expand to 100000 digits per document');
      fail('eval_internal_error', '', 'input is not valid JSON');
    }
  }
  return dump(run(entrypoint, inputValue, data), format == 1);
}
