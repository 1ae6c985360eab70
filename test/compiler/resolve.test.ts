// Name resolution (server/compiler/resolve.ts), on its own: rule refs become absolute `data…`
// refs, imports are expanded, and every local gets a unique name whose scope follows OPA's rules
// (`:=`/`some` declare from their position on; comprehensions and `every` open nested scopes).
// Rules are rendered by ./helpers (locals shown as x#1, x#2, … by first appearance) *before*
// safety ordering, so bodies keep their source order here.
import type { Module } from '../../server/rego/ast';
import { RegoError } from '../../server/rego/errors';
import { parseQuery } from '../../server/rego/index';
import { makeContext, resolveQuery, resolveRule, type CompiledRule } from '../../server/compiler/resolve';
import { NameGen } from '../../server/compiler/scope';
import { errorRow, parseAll, renderRule, ruleLocals, Renderer, type ErrorRow } from './helpers';

/** The first phase of compileModules: package rule names, then each rule resolved in its module. */
function resolveAll(texts: string[]): { rules: CompiledRule[]; errors: ErrorRow[] } {
  const modules: Module[] = parseAll(texts);
  const names = new NameGen();
  const errors: RegoError[] = [];
  const ruleNames = new Map<string, Set<string>>();
  for (const m of modules) {
    const key = m.package.join('.');
    const set = ruleNames.get(key) ?? new Set<string>();
    ruleNames.set(key, set);
    for (const r of m.rules) if (r.head.ref[0].type === 'var') set.add(r.head.ref[0].name);
  }
  const rules: CompiledRule[] = [];
  for (const m of modules) {
    const ctx = makeContext(m, ruleNames.get(m.package.join('.')) ?? new Set(), names, errors);
    for (const r of m.rules) rules.push(resolveRule(r, ctx, m.file));
  }
  return { rules, errors: errors.map(errorRow) };
}

/** The rendered rule at `path` (the only one there, or the one at `index`). */
function resolved(texts: string[], path: string, index = 0): string {
  const { rules, errors } = resolveAll(texts);
  expect(errors).toEqual([]);
  const at = rules.filter((r) => 'data.' + r.path.join('.') === path);
  if (at.length <= index) throw new Error(`no rule #${index} at ${path}; have ${rules.map((r) => r.path.join('.')).join(', ')}`);
  return renderRule(at[index]);
}

interface Row {
  name: string;
  modules: string[];
  /** The data path of the rule to show (the first rule there, unless `index`). */
  rule: string;
  index?: number;
  want: string;
}

const refs: Row[] = [
  { name: 'a rule of the same package', modules: ['package a.b\np := 1\nq := p'], rule: 'data.a.b.q', want: 'data.a.b.q := data.a.b.p' },
  { name: 'a rule with a key', modules: ['package a\ns contains 1\nq if s[1]'], rule: 'data.a.q', want: 'data.a.q := true if { data.a.s[1] }' },
  { name: 'a rule of the same package in another file', modules: ['package a\np := 1', 'package a\nq := p'], rule: 'data.a.q', want: 'data.a.q := data.a.p' },
  { name: 'a function of the same package', modules: ['package a\nf(x) := x\nq := f(1)'], rule: 'data.a.q', want: 'data.a.q := data.a.f(1)' },
  { name: 'a ref-head rule by its first name', modules: ['package a\nb.c := 1\nq := b.c'], rule: 'data.a.q', want: 'data.a.q := data.a.b.c' },
  {
    name: 'another package is not in scope (its name stays a local)',
    modules: ['package a\np := 1', 'package b\nq := p if { p := 2 }'],
    rule: 'data.b.q',
    want: 'data.b.q := p#1 if { p#1 := 2 }',
  },
  { name: 'absolute refs are kept', modules: ['package a\np := 1\nq := data.a.p'], rule: 'data.a.q', want: 'data.a.q := data.a.p' },
  { name: 'builtins are kept by name', modules: ['package a\nq := count([1])'], rule: 'data.a.q', want: 'data.a.q := count([1])' },
];

const imports: Row[] = [
  { name: 'import data.x.y', modules: ['package a\nimport data.x.y\nq := y.z'], rule: 'data.a.q', want: 'data.a.q := data.x.y.z' },
  { name: 'import … as alias', modules: ['package a\nimport data.x.y as yy\nq := yy[0]'], rule: 'data.a.q', want: 'data.a.q := data.x.y[0]' },
  { name: 'import input.a', modules: ['package a\nimport input.user\nq := user.name'], rule: 'data.a.q', want: 'data.a.q := input.user.name' },
  { name: 'import input', modules: ['package a\nimport input\nq := input.x'], rule: 'data.a.q', want: 'data.a.q := input.x' },
  {
    name: 'a function called through an imported package',
    modules: ['package a\nimport data.lib\nq := lib.f(1)', 'package lib\nf(x) := x'],
    rule: 'data.a.q',
    want: 'data.a.q := data.lib.f(1)',
  },
  {
    name: 'a function imported under an alias',
    modules: ['package a\nimport data.lib.f as g\nq := g(1)', 'package lib\nf(x) := x'],
    rule: 'data.a.q',
    want: 'data.a.q := data.lib.f(1)',
  },
  {
    name: 'keyword imports are not names',
    modules: ['package a\nimport rego.v1\nimport future.keywords.in\nq if 1 in [1]'],
    rule: 'data.a.q',
    want: 'data.a.q := true if { 1 in [1] }',
  },
  {
    name: 'a local declared with := shadows an import',
    modules: ['package a\nimport data.x.y\nq := z if { y := 1; z := y }'],
    rule: 'data.a.q',
    want: 'data.a.q := z#1 if { y#1 := 1; z#1 := y#1 }',
  },
  {
    name: 'a local declared with := shadows a rule of the package',
    modules: ['package a\np := 1\nq := x if { p := 2; x := p }'],
    rule: 'data.a.q',
    want: 'data.a.q := x#1 if { p#1 := 2; x#1 := p#1 }',
  },
];

const locals: Row[] = [
  {
    name: 'a free variable is one local for the whole body',
    modules: ['package a\nq := x if { x = y; y = 1 }'],
    rule: 'data.a.q',
    want: 'data.a.q := x#1 if { x#1 = y#1; y#1 = 1 }',
  },
  { name: 'each wildcard is its own local', modules: ['package a\nq if input.a[_][_]'], rule: 'data.a.q', want: 'data.a.q := true if { input.a[_#1][_#2] }' },
  {
    name: 'some x in … declares x',
    modules: ['package a\nq contains x if { some x in [1]; x > 0 }'],
    rule: 'data.a.q',
    want: 'data.a.q contains x#1 if { some x#1 in [1]; x#1 > 0 }',
  },
  {
    name: 'some k, v in … declares both',
    modules: ['package a\nq[k] := v if { some k, v in {"a": 1} }'],
    rule: 'data.a.q',
    want: 'data.a.q[k#1] := v#1 if { some k#1, v#1 in {"a": 1} }',
  },
  {
    name: 'a comprehension before x := … has its own x',
    modules: ['package a\nq := y if { y := [x | x := 1]; x := 2 }'],
    rule: 'data.a.q',
    want: 'data.a.q := y#1 if { y#1 := [x#1 | x#1 := 1]; x#2 := 2 }',
  },
  {
    name: 'a comprehension before x = … (unification) closes over the body’s x',
    modules: ['package a\nq := y if { y := [x | x = 1]; x = 2 }'],
    rule: 'data.a.q',
    want: 'data.a.q := y#1 if { y#1 := [x#1 | x#1 = 1]; x#1 = 2 }',
  },
  {
    name: 'a comprehension before some x has its own x',
    modules: ['package a\nq := y if { y := [x | x = 1]; some x; x = 2 }'],
    rule: 'data.a.q',
    want: 'data.a.q := y#1 if { y#1 := [x#1 | x#1 = 1]; some x#2; x#2 = 2 }',
  },
  {
    name: 'a comprehension after x := … reads that x',
    modules: ['package a\nq := y if { x := 1; y := [x | true] }'],
    rule: 'data.a.q',
    want: 'data.a.q := y#1 if { x#1 := 1; y#1 := [x#1 | true] }',
  },
  {
    name: ':= inside a comprehension shadows the body’s x',
    modules: ['package a\nq := [x, y] if { x := 1; y := [x | x := 2] }'],
    rule: 'data.a.q',
    want: 'data.a.q := [x#1, y#1] if { x#1 := 1; y#1 := [x#2 | x#2 := 2] }',
  },
  {
    name: 'some … in inside a comprehension shadows the body’s x',
    modules: ['package a\nq := y if { x := 1; y := {x | some x in [5]} }'],
    rule: 'data.a.q',
    want: 'data.a.q := y#1 if { x#1 := 1; y#1 := {x#2 | some x#2 in [5]} }',
  },
  {
    name: 'unification inside a comprehension refers to the body’s x',
    modules: ['package a\nq := y if { x := 1; y := [x | x = 5] }'],
    rule: 'data.a.q',
    want: 'data.a.q := y#1 if { x#1 := 1; y#1 := [x#1 | x#1 = 5] }',
  },
  {
    name: 'object comprehension key and value share the comprehension scope',
    modules: ['package a\nq := {k: v | some k, v in input}'],
    rule: 'data.a.q',
    want: 'data.a.q := {k#1: v#1 | some k#1, v#1 in input}',
  },
  {
    name: 'every declares its key and value in a scope of its own',
    modules: ['package a\nq if { x := 1; every x in [2] { x == 2 } }'],
    rule: 'data.a.q',
    want: 'data.a.q := true if { x#1 := 1; every x#2 in [2] { x#2 == 2 } }',
  },
  {
    name: 'every with key and value',
    modules: ['package a\nq if every k, v in {"a": 1} { k != v }'],
    rule: 'data.a.q',
    want: 'data.a.q := true if { every k#1, v#1 in {"a": 1} { k#1 != v#1 } }',
  },
  {
    name: 'an every body reads the enclosing body’s locals',
    modules: ['package a\nq if { z := 1; every v in [1] { v == z } }'],
    rule: 'data.a.q',
    want: 'data.a.q := true if { z#1 := 1; every v#1 in [1] { v#1 == z#1 } }',
  },
  {
    name: ':= inside every shadows the enclosing x',
    modules: ['package a\nq := x if { x := 1; every y in [1] { x := 2; x > y } }'],
    rule: 'data.a.q',
    want: 'data.a.q := x#1 if { x#1 := 1; every y#1 in [1] { x#2 := 2; x#2 > y#1 } }',
  },
  {
    name: 'head terms use the body’s locals',
    modules: ['package a\nq[k] := [k, v] if { some k, v in input }'],
    rule: 'data.a.q',
    want: 'data.a.q[k#1] := [k#1, v#1] if { some k#1, v#1 in input }',
  },
  {
    name: 'each else alternative has its own locals',
    modules: ['package a\nq := x if { x := input.a } else := x if { x := 2 }'],
    rule: 'data.a.q',
    want: 'data.a.q := x#1 if { x#1 := input.a } else := x#2 if { x#2 := 2 }',
  },
  {
    name: 'with targets and values are resolved',
    modules: ['package a\nf(x) := x\ng(x) := x\nq := y if { y := f(1) with f as g with input.k as 1 }'],
    rule: 'data.a.q',
    want: 'data.a.q := y#1 if { y#1 := data.a.f(1) with data.a.f as data.a.g with input.k as 1 }',
  },
  {
    name: 'a with value naming a builtin is kept as that builtin',
    modules: ['package a\nq := y if { y := count([]) with count as object.union_n }'],
    rule: 'data.a.q',
    want: 'data.a.q := y#1 if { y#1 := count([]) with count as object.union_n }',
  },
];

const functions: Row[] = [
  {
    name: 'arguments are locals shared by head and body',
    modules: ['package a\nf(x, y) := z if { z := x + y }'],
    rule: 'data.a.f',
    want: 'data.a.f(x#1, y#1) := z#1 if { z#1 := x#1 + y#1 }',
  },
  { name: 'argument patterns', modules: ['package a\nf([a, {"k": b}]) := a + b'], rule: 'data.a.f', want: 'data.a.f([a#1, {"k": b#1}]) := a#1 + b#1' },
  { name: 'a repeated argument is one local', modules: ['package a\nf(x, x) := x'], rule: 'data.a.f', want: 'data.a.f(x#1, x#1) := x#1' },
  {
    name: 'else alternatives share the arguments',
    modules: ['package a\nf(x) := 1 if x > 0 else := 2 if x < 0'],
    rule: 'data.a.f',
    want: 'data.a.f(x#1) := 1 if { x#1 > 0 } else := 2 if { x#1 < 0 }',
  },
  {
    name: 'a comprehension in a function body reads the arguments',
    modules: ['package a\nf(xs) := [y | some y in xs]'],
    rule: 'data.a.f',
    want: 'data.a.f(xs#1) := [y#1 | some y#1 in xs#1]',
  },
];

describe('name resolution', () => {
  describe.each([
    ['rule references', refs],
    ['imports', imports],
    ['locals and scopes', locals],
    ['function arguments', functions],
  ])('%s', (_group, rows) => {
    it.each(rows.map((r) => [r.name, r] as const))('%s', (_name, r) => {
      expect(resolved(r.modules, r.rule, r.index)).toBe(r.want);
    });
  });

  it('gives distinct unique names to same-named locals of different rules', () => {
    const { rules } = resolveAll(['package a\np := x if x := 1\nq := x if x := 2\nf(x) := x']);
    const [p, q, f] = rules.map(ruleLocals);
    expect(p.size).toBe(1);
    expect([...p].some((n) => q.has(n) || f.has(n))).toBe(false);
    expect([...q].some((n) => f.has(n))).toBe(false);
  });

  it('places rules at their ground path and keeps variable head terms as the suffix', () => {
    const { rules } = resolveAll(['package a.b\nc.d[x].e := 1 if some x in ["k"]\nf(x) := x\ns contains 1']);
    expect(rules.map((r) => ({ path: r.path.join('.'), suffix: r.suffix.length, kind: r.kind }))).toEqual([
      { path: 'a.b.c.d', suffix: 2, kind: 'partial_object' },
      { path: 'a.b.f', suffix: 0, kind: 'function' },
      { path: 'a.b.s', suffix: 0, kind: 'partial_set' },
    ]);
  });

  it('maps a query’s top-level locals back to their names (not nested ones, not wildcards)', () => {
    const errors: RegoError[] = [];
    const { body, bindings } = resolveQuery(parseQuery('x := 1; y = [z | z := x]; input[_]'), new NameGen(), errors);
    expect(errors).toEqual([]);
    expect([...bindings.values()].sort()).toEqual(['x', 'y']);
    expect(new Renderer().body(body)).toBe('x#1 := 1; y#1 = [z#1 | z#1 := x#1]; input[_#1]');
  });

  describe('errors', () => {
    it('a variable used before its := declaration is rego_compile_error at the use', () => {
      expect(resolveAll(['package a\nq := y if { y := x + 1; x := 2 }']).errors).toEqual([
        { code: 'rego_compile_error', message: 'var x referenced above', file: 'm0.rego', row: 2, col: 18 },
      ]);
    });

    it('a variable used before its some declaration is rego_compile_error', () => {
      expect(resolveAll(['package a\nq if { x > 1; some x in [2] }']).errors).toEqual([
        { code: 'rego_compile_error', message: 'var x referenced above', file: 'm0.rego', row: 2, col: 8 },
      ]);
    });

    // OPA (ast/compile.go, rewriteDeclaredVar) rejects a second declaration of a name in the
    // same scope, and so does Regent. Smallest Rego:
    //   package a
    //   q if { x := 1; x := 2 }
    // OPA: rego_compile_error "var x assigned above".
    it('a second := of the same name in one scope is rego_compile_error (var x assigned above)', () => {
      expect(resolveAll(['package a\nq if { x := 1; x := 2 }']).errors).toEqual([
        expect.objectContaining({ code: 'rego_compile_error', message: 'var x assigned above', row: 2 }),
      ]);
    });

    // Same check after `some x` / `some x in …`. OPA: "var x declared above".
    it(':= of a name declared with some is rego_compile_error (var x declared above)', () => {
      expect(resolveAll(['package a\nq if { some x in [1]; x := 1 }']).errors).toEqual([
        expect.objectContaining({ code: 'rego_compile_error', message: 'var x declared above', row: 2 }),
      ]);
    });

    // Function arguments live in the body's scope in OPA (rewriteLocalArgVars inserts them as
    // argVar): `f(x) := 1 if { x := 2 }` is "arg x redeclared".
    it(':= of a function argument is rego_compile_error (arg x redeclared)', () => {
      expect(resolveAll(['package a\nf(x) := 1 if { x := 2 }']).errors).toEqual([
        expect.objectContaining({ code: 'rego_compile_error', message: 'arg x redeclared', row: 2 }),
      ]);
    });

    // OPA (rewriteDeclaredAssignment): "cannot assign vars inside negated expression".
    it('not x := … is rego_compile_error', () => {
      expect(resolveAll(['package a\nq if { not x := 1 }']).errors).toEqual([
        expect.objectContaining({ code: 'rego_compile_error', message: 'cannot assign vars inside negated expression', row: 2 }),
      ]);
    });
  });
});
