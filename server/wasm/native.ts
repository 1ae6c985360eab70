// Builtins the WASM runtime implements natively (server/wasm/runtime), with the runtime export
// each one calls and its arity. Every other builtin is called through `opa_builtinN` and runs in
// the host (server/wasm/host-builtins.ts). Builtins in ASKS_HOST have a native fast path for
// their common cases only: on anything else it answers ASK_HOST and the host runs the call.

const NATIVE: Array<[string, number]> = [
  ['equal', 2], ['neq', 2], ['lt', 2], ['lte', 2], ['gt', 2], ['gte', 2],
  ['abs', 1], ['round', 1], ['ceil', 1], ['floor', 1],
  ['count', 1], ['max', 1], ['min', 1], ['sort', 1],
  ['concat', 2], ['startswith', 2], ['endswith', 2], ['contains', 2],
  ['indexof', 2], ['substring', 3], ['trim_prefix', 2], ['trim_suffix', 2], ['split', 2],
  ['and', 2], ['or', 2], ['intersection', 1], ['union', 1],
  ['trim', 2], ['trim_left', 2], ['trim_right', 2], ['trim_space', 1], ['replace', 3],
  ['object.get', 3], ['object.keys', 1], ['object.union', 2], ['object.union_n', 1],
  ['array.concat', 2], ['array.slice', 3],
  ['internal.member_2', 2], ['internal.member_3', 3], ['object.subset', 2],
  ['is_number', 1], ['is_string', 1], ['is_boolean', 1], ['is_array', 1], ['is_set', 1],
  ['is_object', 1], ['is_null', 1], ['type_name', 1],
];

// sprintf: the common verbs; strings.replace_n: the pattern check only; upper, lower: ASCII;
// arithmetic: within i64 and doubles (beyond, Regent's host computes integers exactly, as the
// interpreter does, once the engine has called regent_set_host_arithmetic; other SDKs never ask).
const ASKS_HOST: Array<[string, number]> = [
  ['sprintf', 2], ['strings.replace_n', 2], ['upper', 1], ['lower', 1],
  ['plus', 2], ['minus', 2], ['mul', 2], ['div', 2], ['rem', 2], ['sum', 1], ['product', 1],
];

export interface NativeBuiltin {
  export: string;
  arity: number;
  asksHost: boolean;
}

const entry = (asksHost: boolean) => ([name, arity]: [string, number]): [string, NativeBuiltin] => [
  name,
  { export: `rt_b_${name.replace(/\./g, '_')}`, arity, asksHost },
];

export const NATIVE_BUILTINS: ReadonlyMap<string, NativeBuiltin> = new Map([...NATIVE.map(entry(false)), ...ASKS_HOST.map(entry(true))]);
