// End to end through runQuery (parse → compile → plan → interpret), one table row per language
// feature. Expected bindings are written as Rego terms (`{1, 3}` is a set, `[1, 3]` an array)
// and compared by value; solutions are compared as a set, as OPA's harness does. Expectations
// follow OPA's documented semantics; rows marked `failing` are known divergences (see each
// row's comment) and run as `it.failing`.
import { runQuery, type QueryResult } from '../../server/engine/query';
import { termToValue } from '../../server/conformance/index';
import { RegoError, RegoErrors } from '../../server/rego/errors';
import { parseTerm } from '../../server/rego/index';
import { fromJS, toRegoText, type Value } from '../../server/value/value';

interface Row {
  name: string;
  modules: string[];
  query: string;
  /** Plain JSON documents. */
  input?: unknown;
  data?: unknown;
  strict?: boolean;
  /** Each solution's bindings, values as Rego term text. `[]` means undefined. */
  want?: Array<Record<string, string>>;
  /** The error thrown: its code, and a substring of its message when given. */
  error?: { code: string; message?: string };
  /** Lines written by print(), in order. */
  printed?: string[];
  /** A known divergence from OPA: the row runs as `it.failing` (explained where it is defined). */
  failing?: boolean;
}

const rules: Row[] = [
  { name: 'complete rule', modules: ['package t\np := 7'], query: 'x = data.t.p', want: [{ x: '7' }] },
  { name: 'complete rule without a value is true', modules: ['package t\np if 1 < 2'], query: 'x = data.t.p', want: [{ x: 'true' }] },
  { name: 'complete rule with a false body is undefined', modules: ['package t\np if 1 > 2'], query: 'x = data.t.p', want: [] },
  { name: 'complete rule defined twice with one value', modules: ['package t\np := 1\np := 1 if true'], query: 'x = data.t.p', want: [{ x: '1' }] },
  { name: 'partial set', modules: ['package t\ns contains x if some x in [3, 1, 3]'], query: 'x = data.t.s', want: [{ x: '{1, 3}' }] },
  { name: 'partial set from several definitions', modules: ['package t\ns contains 1\ns contains x if some x in input.xs'], query: 'x = data.t.s', input: { xs: [2, 1] }, want: [{ x: '{1, 2}' }] },
  { name: 'partial set with no elements is the empty set', modules: ['package t\ns contains x if some x in []'], query: 'x = data.t.s', want: [{ x: 'set()' }] },
  { name: 'partial set lookup by key', modules: ['package t\ns contains "a"'], query: 'x = data.t.s.a; not data.t.s.b', want: [{ x: '"a"' }] },
  { name: 'partial set iteration', modules: ['package t\ns contains x if some x in [2, 1]'], query: 'data.t.s[x]', want: [{ x: '1' }, { x: '2' }] },
  { name: 'partial object', modules: ['package t\no[k] := v if some k, v in {"a": 1, "b": 2}'], query: 'x = data.t.o', want: [{ x: '{"a": 1, "b": 2}' }] },
  { name: 'partial object with no keys is the empty object', modules: ['package t\no[k] := 1 if some k in []'], query: 'x = data.t.o', want: [{ x: '{}' }] },
  { name: 'partial object lookup and iteration', modules: ['package t\no[k] := v if some k, v in {"a": 1, "b": 2}'], query: 'data.t.o.a = a; data.t.o[k] = 2', want: [{ a: '1', k: '"b"' }] },
  { name: 'partial object with non-string keys', modules: ['package t\no[k] := k * 10 if some k in [1, 2]'], query: 'x = data.t.o[2]', want: [{ x: '20' }] },
];

const refHeads: Row[] = [
  { name: 'constant ref heads build one object', modules: ['package t\na.b.c := 1\na.b.d := 2'], query: 'x = data.t.a', want: [{ x: '{"b": {"c": 1, "d": 2}}' }] },
  { name: 'a constant ref head read in full', modules: ['package t\na.b.c := 1'], query: 'x = data.t.a.b.c', want: [{ x: '1' }] },
  { name: 'a variable key before a constant', modules: ['package t\np[x].y := v if some x, v in {"a": 1, "b": 2}'], query: 'x = data.t.p', want: [{ x: '{"a": {"y": 1}, "b": {"y": 2}}' }] },
  { name: 'two variable keys', modules: ['package t\np[x][y] := 1 if { some x in ["a"]; some y in ["b", "c"] }'], query: 'x = data.t.p', want: [{ x: '{"a": {"b": 1, "c": 1}}' }] },
  { name: 'variable-key rules merging at one key', modules: ['package t\np[x].y := 1 if x := "a"\np[x].z := 2 if x := "a"'], query: 'x = data.t.p', want: [{ x: '{"a": {"y": 1, "z": 2}}' }] },
  { name: 'a multi-value ref head', modules: ['package t\na.b contains 1\na.b contains 2'], query: 'x = data.t.a', want: [{ x: '{"b": {1, 2}}' }] },
  { name: 'ref heads beside a plain rule of the package', modules: ['package t\na.b := 1\nc := 2'], query: 'x = data.t', want: [{ x: '{"a": {"b": 1}, "c": 2}' }] },
];

const functions: Row[] = [
  {
    name: 'a function with several definitions',
    modules: ['package t\nf(1) := "one"\nf(2) := "two"\nf(x) := "many" if x > 2'],
    query: 'x = [data.t.f(1), data.t.f(2), data.t.f(5)]',
    want: [{ x: '["one", "two", "many"]' }],
  },
  { name: 'definitions agreeing on a value', modules: ['package t\nf(x) := 1 if x > 0\nf(x) := 1 if x > 1'], query: 'x = data.t.f(2)', want: [{ x: '1' }] },
  { name: 'no matching definition is undefined', modules: ['package t\nf(1) := "one"'], query: 'x = data.t.f(2)', want: [] },
  { name: 'the output argument form', modules: ['package t\nf(x) := x * 2'], query: 'data.t.f(4, y)', want: [{ y: '8' }] },
  { name: 'a boolean function', modules: ['package t\nf(x) if x > 0'], query: 'data.t.f(1); not data.t.f(0); x = 1', want: [{ x: '1' }] },
  { name: 'argument patterns', modules: ['package t\nf([a, b]) := a + b\nf({"k": v}) := v'], query: 'x = [data.t.f([1, 2]), data.t.f({"k": 3})]', want: [{ x: '[3, 3]' }] },
  { name: 'else inside a function', modules: ['package t\nf(x) := "neg" if x < 0 else := "pos"'], query: 'x = [data.t.f(-1), data.t.f(1)]', want: [{ x: '["neg", "pos"]' }] },
  { name: 'a default function', modules: ['package t\ndefault f(_) := "d"\nf(x) := "one" if x == 1'], query: 'x = [data.t.f(1), data.t.f(2)]', want: [{ x: '["one", "d"]' }] },
  { name: 'a function used in a rule head', modules: ['package t\nf(x) := x * 2\np contains f(x) if some x in [1, 2]'], query: 'x = data.t.p', want: [{ x: '{2, 4}' }] },
];

const conflicts: Row[] = [
  {
    name: 'two values of a complete rule',
    modules: ['package t\np := 1\np := 2'],
    query: 'x = data.t.p',
    error: { code: 'eval_conflict_error', message: 'complete rules must not produce multiple outputs' },
  },
  {
    name: 'a complete rule iterating to two values',
    modules: ['package t\np := x if x := input.xs[_]'],
    query: 'x = data.t.p',
    input: { xs: [1, 2] },
    error: { code: 'eval_conflict_error', message: 'complete rules must not produce multiple outputs' },
  },
  { name: 'a complete rule iterating to one value', modules: ['package t\np := x if x := input.xs[_]'], query: 'x = data.t.p', input: { xs: [1, 1] }, want: [{ x: '1' }] },
  {
    name: 'two values of a constant ref head',
    modules: ['package t\np.a := 1\np.a := 2'],
    query: 'x = data.t.p',
    error: { code: 'eval_conflict_error', message: 'complete rules must not produce multiple outputs' },
  },
  {
    name: 'two definitions of a function for one input',
    modules: ['package t\nf(x) := 1\nf(x) := 2'],
    query: 'x = data.t.f(0)',
    error: { code: 'eval_conflict_error', message: 'functions must not produce multiple outputs for same inputs' },
  },
  {
    name: 'a function iterating to two values',
    modules: ['package t\nf(xs) := y if y := xs[_]'],
    query: 'x = data.t.f([1, 2])',
    error: { code: 'eval_conflict_error', message: 'functions must not produce multiple outputs for same inputs' },
  },
  {
    name: 'a function conflict only for the input that has one',
    modules: ['package t\nf(x) := 1 if x == 1\nf(x) := 2 if x == 1'],
    query: 'x = data.t.f(2)',
    want: [],
  },
  {
    name: 'two values for one key of a partial object',
    modules: ['package t\np[x] := 1 if x := "a"\np[x] := 2 if x := "a"'],
    query: 'x = data.t.p',
    error: { code: 'eval_conflict_error', message: 'object keys must be unique' },
  },
  {
    name: 'two values for one key of an object comprehension',
    modules: ['package t\np := {k: v | some v in [1, 2]; k := "a"}'],
    query: 'x = data.t.p',
    error: { code: 'eval_conflict_error', message: 'object keys must be unique' },
  },
];

const defaults: Row[] = [
  { name: 'default when undefined', modules: ['package t\ndefault p := "none"\np := "a" if input.x == 1'], query: 'x = data.t.p', input: { x: 9 }, want: [{ x: '"none"' }] },
  { name: 'default unused when defined', modules: ['package t\ndefault p := "none"\np := "a" if input.x == 1'], query: 'x = data.t.p', input: { x: 1 }, want: [{ x: '"a"' }] },
  { name: 'default without input', modules: ['package t\ndefault allow := false\nallow if input.admin'], query: 'x = data.t.allow', want: [{ x: 'false' }] },
  { name: 'else picks the first defined alternative', modules: ['package t\np := 1 if input.a else := 2 if input.b else := 3'], query: 'x = data.t.p', input: { b: true }, want: [{ x: '2' }] },
  { name: 'an unconditional else ends the chain', modules: ['package t\np := 1 if input.a else := 2 if input.b else := 3'], query: 'x = data.t.p', input: {}, want: [{ x: '3' }] },
  { name: 'an else chain can be undefined', modules: ['package t\np := 1 if input.a else := 2 if input.b'], query: 'x = data.t.p', input: {}, want: [] },
  { name: 'default below an undefined else chain', modules: ['package t\ndefault p := 0\np := 1 if input.a else := 2 if input.b'], query: 'x = data.t.p', input: {}, want: [{ x: '0' }] },
  { name: 'an else value with its own locals', modules: ['package t\np := y if { y := input.x } else := z if { z := 5 }'], query: 'x = data.t.p', want: [{ x: '5' }] },
  {
    name: 'an else chain conflicting with another definition',
    modules: ['package t\np := 1 if input.a else := 2\np := 3 if input.b'],
    query: 'x = data.t.p',
    input: { b: true },
    error: { code: 'eval_conflict_error', message: 'complete rules must not produce multiple outputs' },
  },
];

const withs: Row[] = [
  { name: 'with input', modules: ['package t\np := input.x * 2'], query: 'x = data.t.p with input as {"x": 21}', want: [{ x: '42' }] },
  { name: 'with an input path', modules: ['package t\np := input.x * 2'], query: 'x = data.t.p with input.x as 4', input: { x: 1, y: 2 }, want: [{ x: '8' }] },
  { name: 'with an input path when there is no input', modules: ['package t\np := input'], query: 'x = data.t.p with input.a.b as 1', want: [{ x: '{"a": {"b": 1}}' }] },
  { name: 'with a base data path', modules: ['package t\np := data.cfg.n'], query: 'x = data.t.p with data.cfg.n as 5', data: { cfg: { n: 1 } }, want: [{ x: '5' }] },
  { name: 'with a rule as a value reaches its dependents', modules: ['package t\np := 1\nq := p + 1'], query: 'x = data.t.q with data.t.p as 10', want: [{ x: '11' }] },
  { name: 'with a partial set as a value', modules: ['package t\ns contains 1\ns contains 2\nn := count(s)'], query: 'x = data.t.n with data.t.s as {9}', want: [{ x: '1' }] },
  { name: 'with a function as a value', modules: ['package t\nf(x) := x + 1\np := f(1)'], query: 'x = data.t.p with data.t.f as 100', want: [{ x: '100' }] },
  { name: 'with a function replaced by a function', modules: ['package t\nf(x) := x + 1\ng(x) := x * 10\np := f(2)'], query: 'x = data.t.p with data.t.f as data.t.g', want: [{ x: '20' }] },
  { name: 'with a builtin as a value', modules: ['package t\np := count([1, 2])'], query: 'x = data.t.p with count as 5', want: [{ x: '5' }] },
  { name: 'with a builtin replaced by a user function', modules: ['package t\nmy_count(_) := 42\np := count([1, 2])'], query: 'x = data.t.p with count as data.t.my_count', want: [{ x: '42' }] },
  { name: 'with a builtin replaced by another builtin', modules: ['package t\np := upper("a")'], query: 'x = data.t.p with upper as lower', want: [{ x: '"a"' }] },
  { name: 'with a non-deterministic builtin', modules: ['package t\np := time.now_ns()'], query: 'x = data.t.p with time.now_ns as 1', want: [{ x: '1' }] },
  {
    name: 'with inside a rule body, undone for the next expression',
    modules: ['package t\np := [a, b] if { a := input.x with input.x as 1; b := input.x }'],
    query: 'x = data.t.p',
    input: { x: 2 },
    want: [{ x: '[1, 2]' }],
  },
  { name: 'with on every', modules: ['package t\np if every x in input.xs { x > 0 }'], query: 'x = data.t.p with input.xs as [1, 2]', input: { xs: [0] }, want: [{ x: 'true' }] },
  { name: 'with on not', modules: ['package t\nq if input.v\np if not q with input.v as false'], query: 'x = data.t.p', input: { v: true }, want: [{ x: 'true' }] },
  { name: 'the later of two withs on one path wins', modules: ['package t\np := input.a'], query: 'x = data.t.p with input.a as 1 with input.a as 2', want: [{ x: '2' }] },
  {
    // OPA (validateWith in ast/compile.go): "with keyword cannot partially replace virtual
    // document(s)". Smallest Rego: `package t` / `p := 1`, query `x = data.t.p with data.t.p.x as 1`.
    name: 'with below a rule is rego_compile_error',
    modules: ['package t\np := 1'],
    query: 'x = data.t.p with data.t.p.x as 1',
    error: { code: 'rego_compile_error', message: 'with keyword cannot partially replace virtual document(s)' },
  },
];

const bodies: Row[] = [
  { name: 'every over an array', modules: ['package t\np if every x in [2, 4] { x % 2 == 0 }'], query: 'x = data.t.p', want: [{ x: 'true' }] },
  { name: 'every failing for one element', modules: ['package t\np if every x in [2, 3] { x % 2 == 0 }'], query: 'x = data.t.p', want: [] },
  { name: 'every with key and value', modules: ['package t\np if every k, v in {"a": 1, "b": 2} { is_string(k); v > 0 }'], query: 'x = data.t.p', want: [{ x: 'true' }] },
  { name: 'every over an empty domain', modules: ['package t\np if every x in [] { false }'], query: 'x = data.t.p', want: [{ x: 'true' }] },
  { name: 'every over an undefined domain', modules: ['package t\np if every x in input.nope { false }'], query: 'x = data.t.p', input: {}, want: [] },
  { name: 'every over a non-collection', modules: ['package t\ndefault p := 1\np := 2 if every v in 42 { v > 1 }'], query: 'x = data.t.p', want: [{ x: '1' }] },
  { name: 'every reading outer bindings', modules: ['package t\np if { m := 1; every x in [2, 3] { x > m } }'], query: 'x = data.t.p', want: [{ x: 'true' }] },
  { name: 'not of undefined', modules: ['package t\np if not input.admin'], query: 'x = data.t.p', input: {}, want: [{ x: 'true' }] },
  { name: 'not of false', modules: ['package t\np if not input.admin'], query: 'x = data.t.p', input: { admin: false }, want: [{ x: 'true' }] },
  { name: 'not of true', modules: ['package t\np if not input.admin'], query: 'x = data.t.p', input: { admin: true }, want: [] },
  { name: 'not of a function call', modules: ['package t\nf(x) if x > 5\np if not f(1)'], query: 'x = data.t.p', want: [{ x: 'true' }] },
  { name: 'not with a bound ref key', modules: ['package t\ns contains 2\np if { x := 1; not s[x] }'], query: 'x = data.t.p', want: [{ x: 'true' }] },
  {
    // `not s[x]; x = 1`: as OPA, `x = 1` runs first (a negation binds nothing), so the
    // negation asks about s[1], which is absent: p is true.
    name: 'not waits for a ref key bound later in the body',
    modules: ['package t\ns contains 2\np if { not s[x]; x = 1 }'],
    query: 'x = data.t.p',
    want: [{ x: 'true' }],
  },
  {
    name: 'a ref in the head binds its key vars (moved into the body, as OPA does)',
    modules: ['package t\nm[k] := input.m[k]\ns contains input.xs[i]'],
    query: 'x = data.t.m; y = data.t.s',
    input: { m: { a: 1, b: 2 }, xs: ['p', 'q'] },
    want: [{ x: '{"a": 1, "b": 2}', y: '{"p", "q"}' }],
  },
  { name: 'array comprehension', modules: ['package t\np := [x | some x in [3, 1, 2]; x > 1]'], query: 'x = data.t.p', want: [{ x: '[3, 2]' }] },
  { name: 'set comprehension', modules: ['package t\np := {x | some x in [3, 1, 3]}'], query: 'x = data.t.p', want: [{ x: '{1, 3}' }] },
  { name: 'object comprehension', modules: ['package t\np := {k: count(v) | some k, v in {"a": [1], "b": [1, 2]}}'], query: 'x = data.t.p', want: [{ x: '{"a": 1, "b": 2}' }] },
  { name: 'a comprehension with an empty result', modules: ['package t\np := [x | some x in [1]; x > 5]'], query: 'x = data.t.p', want: [{ x: '[]' }] },
  { name: 'a comprehension closing over the body', modules: ['package t\np := {x: ys | some x in [1, 2]; ys := [y | some y in [1, 2, 3]; y > x]}'], query: 'x = data.t.p', want: [{ x: '{1: [2, 3], 2: [3]}' }] },
  { name: 'a comprehension over input', modules: ['package t\np := [y | some y in input.xs; not y]'], query: 'x = data.t.p', input: { xs: [true, false] }, want: [{ x: '[false]' }] },
  { name: 'some … in an array', modules: [], query: 'some x in [1, 2]', want: [{ x: '1' }, { x: '2' }] },
  { name: 'some k, v in an object', modules: [], query: 'some k, v in {"a": 1, "b": 2}', want: [{ k: '"a"', v: '1' }, { k: '"b"', v: '2' }] },
  { name: 'some … in a set', modules: [], query: 'some x in {"a", "b"}', want: [{ x: '"a"' }, { x: '"b"' }] },
  { name: 'some … in with a pattern', modules: [], query: 'some [a, b] in [[1, 2], [3, 4]]', want: [{ a: '1', b: '2' }, { a: '3', b: '4' }] },
  { name: 'some k, constant in', modules: [], query: 'some k, 2 in [1, 2, 2]', want: [{ k: '1' }, { k: '2' }] },
  { name: 'some … in an undefined collection', modules: [], query: 'some x in input.xs', input: {}, want: [] },
  { name: 'membership tests', modules: [], query: 'x = [1 in [1, 2], 3 in [1], 1 in {"a": 1}]', want: [{ x: '[true, false, true]' }] },
  { name: 'key-value membership', modules: [], query: '"a", 1 in {"a": 1}; x = 1', want: [{ x: '1' }] },
];

const documents: Row[] = [
  {
    name: 'dynamic dispatch over packages',
    modules: ['package pkg.a\np := 1', 'package pkg.b\np := 2', 'package q\ns := [x | data.pkg[x].p == 2]\nr[x] := v if v := data.pkg[x].p'],
    query: 'x = data.q',
    want: [{ x: '{"r": {"a": 1, "b": 2}, "s": ["b"]}' }],
  },
  { name: 'iterating a package’s rules', modules: ['package pkg\na := 1\nb := 2'], query: 'data.pkg[k] = v', want: [{ k: '"a"', v: '1' }, { k: '"b"', v: '2' }] },
  { name: 'a rule chosen by a key from input', modules: ['package t\np := 1\nq := 2'], query: 'x = data.t[input.k]', input: { k: 'q' }, want: [{ x: '2' }] },
  { name: 'a package document leaves functions out', modules: ['package t\nf(x) := x\np := 1'], query: 'x = data.t', want: [{ x: '{"p": 1}' }] },
  { name: 'packages below a package', modules: ['package pkg.a\np := 1\nf(x) := x', 'package pkg.b\np := 2'], query: 'x = data.pkg', want: [{ x: '{"a": {"p": 1}, "b": {"p": 2}}' }] },
  { name: 'base and virtual documents merge', modules: ['package t\nv := 1\ns contains 2'], query: 'x = data.t', data: { t: { base: 2 } }, want: [{ x: '{"base": 2, "s": {2}, "v": 1}' }] },
  { name: 'a package nested in base data', modules: ['package t.u\np := 1'], query: 'x = data.t', data: { t: { base: 2, u: { z: 3 } } }, want: [{ x: '{"base": 2, "u": {"p": 1, "z": 3}}' }] },
  { name: 'the data root', modules: ['package t\np := 1'], query: 'x = data', data: { u: 1 }, want: [{ x: '{"t": {"p": 1}, "u": 1}' }] },
  { name: 'iterating base and virtual keys together', modules: ['package t\ns contains 1'], query: 'data.t[k] = v', data: { t: { b: 2 } }, want: [{ k: '"b"', v: '2' }, { k: '"s"', v: '{1}' }] },
  { name: 'a rule reading base data', modules: ['package t\np := count(data.users)'], query: 'x = data.t.p', data: { users: ['a', 'b'] }, want: [{ x: '2' }] },
  { name: 'an empty package is an empty object', modules: ['package t'], query: 'x = data.t', want: [{ x: '{}' }] },
];

const queries: Row[] = [
  { name: 'several solutions', modules: [], query: 'x := [1, 2, 3][_]; x > 1', want: [{ x: '2' }, { x: '3' }] },
  { name: 'no solutions', modules: [], query: 'x := [1, 2][_]; x > 5', want: [] },
  { name: 'a query reading input', modules: [], query: 'x := input.a', input: { a: [1] }, want: [{ x: '[1]' }] },
  { name: 'a ground query', modules: ['package t\np := 1'], query: 'data.t.p == 1', want: [{}] },
  { name: 'an unsafe query var', modules: [], query: 'x > 1', error: { code: 'rego_unsafe_var_error', message: 'var x is unsafe' } },
  { name: 'a query that does not parse', modules: [], query: 'x = ', error: { code: 'rego_parse_error' } },
  { name: 'a module that does not compile', modules: ['package t\np := nope(1)'], query: 'x = 1', error: { code: 'rego_type_error', message: 'undefined function nope' } },
];

const builtinErrors: Row[] = [
  { name: 'a builtin error is undefined', modules: ['package t\np := to_number(input.s)'], query: 'x = data.t.p', input: { s: 'abc' }, want: [] },
  {
    name: 'a builtin error with strict errors',
    modules: ['package t\np := to_number(input.s)'],
    query: 'x = data.t.p',
    input: { s: 'abc' },
    strict: true,
    error: { code: 'eval_builtin_error', message: 'to_number' },
  },
  { name: 'an operand type error is undefined', modules: ['package t\np := input.a + 1'], query: 'x = data.t.p', input: { a: 's' }, want: [] },
  {
    name: 'an operand type error with strict errors',
    modules: ['package t\np := input.a + 1'],
    query: 'x = data.t.p',
    input: { a: 's' },
    strict: true,
    error: { code: 'eval_type_error', message: 'plus: operand 1 must be number but got string' },
  },
  { name: 'division by zero is undefined', modules: ['package t\np := input.n / 0'], query: 'x = data.t.p', input: { n: 1 }, want: [] },
  { name: 'division by zero with strict errors', modules: ['package t\np := input.n / 0'], query: 'x = data.t.p', input: { n: 1 }, strict: true, error: { code: 'eval_builtin_error', message: 'div: divide by zero' } },
  { name: 'a builtin error under not makes not true', modules: ['package t\np if not to_number(input.s)'], query: 'x = data.t.p', input: { s: 'abc' }, want: [{ x: 'true' }] },
  { name: 'strict errors leave successful calls alone', modules: ['package t\np := to_number(input.s)'], query: 'x = data.t.p', input: { s: '12' }, strict: true, want: [{ x: '12' }] },
];

const prints: Row[] = [
  {
    name: 'print writes its arguments separated by spaces',
    modules: ['package t\np if print("x is", input.x, {"a": "b"}, {1, 2})'],
    query: 'data.t.p',
    input: { x: [1] },
    want: [{}],
    printed: ['x is [1] {"a": "b"} {1, 2}'],
  },
  { name: 'print shows undefined arguments', modules: ['package t\np if print("v:", input.missing)'], query: 'data.t.p', input: {}, want: [{}], printed: ['v: <undefined>'] },
  { name: 'print runs once per solution', modules: ['package t\np if { x := [1, 2][_]; print("x =", x) }'], query: 'data.t.p', want: [{}], printed: ['x = 1', 'x = 2'] },
  { name: 'print before a failing expression still prints', modules: ['package t\np if { print("here"); false }'], query: 'not data.t.p', want: [{}], printed: ['here'] },
  { name: 'print in a query', modules: [], query: 'x := 1; print(x)', want: [{ x: '1' }], printed: ['1'] },
];

/** A value's canonical Rego text (sets sorted, object keys sorted). */
function show(v: Value): string {
  return toRegoText(v);
}

function expected(b: Record<string, string>): string {
  const entries = Object.entries(b).map(([k, text]) => [k, show(termToValue(parseTerm(text, 'expected')))] as const);
  return JSON.stringify(Object.fromEntries([...entries].sort(([a], [c]) => (a < c ? -1 : a > c ? 1 : 0))));
}

function actual(r: QueryResult): string {
  const entries = Object.entries(r.bindings).map(([k, v]) => [k, show(v)] as const);
  return JSON.stringify(Object.fromEntries([...entries].sort(([a], [c]) => (a < c ? -1 : a > c ? 1 : 0))));
}

function check(r: Row): void {
  const printed: string[] = [];
  const run = (): QueryResult[] =>
    runQuery({
      modules: r.modules.map((text, i) => ({ file: `m${i}.rego`, text })),
      query: r.query,
      input: r.input === undefined ? undefined : fromJS(r.input),
      data: r.data === undefined ? undefined : fromJS(r.data),
      strictBuiltinErrors: r.strict,
      print: (m) => printed.push(m),
    });
  if (r.error) {
    let thrown: unknown;
    try {
      run();
    } catch (e) {
      thrown = e;
    }
    const errors = thrown instanceof RegoErrors ? thrown.errors : thrown instanceof RegoError ? [thrown] : undefined;
    if (!errors) throw thrown ?? new Error(`expected ${r.error.code}, got a result`);
    expect(errors.map((e) => e.code)).toContain(r.error.code);
    if (r.error.message) expect(errors.map((e) => e.message).join('\n')).toContain(r.error.message);
  } else {
    expect(run().map(actual).sort()).toEqual((r.want ?? []).map(expected).sort());
  }
  if (r.printed) expect(printed).toEqual(r.printed);
}

describe('queries end to end', () => {
  describe.each([
    ['rules', rules],
    ['ref heads', refHeads],
    ['functions', functions],
    ['conflicts', conflicts],
    ['default and else', defaults],
    ['with', withs],
    ['every, not, comprehensions, some … in', bodies],
    ['documents and dynamic dispatch', documents],
    ['queries', queries],
    ['strict builtin errors', builtinErrors],
    ['print', prints],
  ])('%s', (_group, rows) => {
    for (const r of rows) (r.failing ? it.failing : it)(r.name, () => check(r));
  });
});
