// Compile-time checks (server/compiler/checks.ts and the rule tree in ruletree.ts): recursion,
// calls of undefined functions and arity mismatches (`rego_type_error`), rule kinds that cannot
// share a path, and duplicate defaults. Messages follow OPA's wording (ast/compile.go).
import { compileModules } from '../../server/compiler/index';
import { errorsOf, parseAll, type ErrorRow } from './helpers';

function compileErrors(texts: string[]): ErrorRow[] {
  return errorsOf(() => compileModules(parseAll(texts)));
}

interface Row {
  name: string;
  modules: string[];
  /** Exactly one error is expected, with this code and message (and row, when given). */
  code: string;
  message: string;
  row?: number;
  file?: string;
}

const recursion: Row[] = [
  { name: 'direct', modules: ['package p\nq if q'], code: 'rego_recursion_error', message: 'rule data.p.q is recursive: data.p.q -> data.p.q', row: 2 },
  {
    name: 'mutual',
    modules: ['package p\na if b\nb if a'],
    code: 'rego_recursion_error',
    message: 'rule data.p.a is recursive: data.p.a -> data.p.b -> data.p.a',
    row: 2,
  },
  {
    name: 'through three rules',
    modules: ['package p\na := b + 1\nb := c + 1\nc := a + 1'],
    code: 'rego_recursion_error',
    message: 'rule data.p.a is recursive: data.p.a -> data.p.b -> data.p.c -> data.p.a',
  },
  {
    name: 'through functions',
    modules: ['package p\nf(x) := g(x)\ng(x) := f(x)'],
    code: 'rego_recursion_error',
    message: 'rule data.p.f is recursive: data.p.f -> data.p.g -> data.p.f',
  },
  {
    name: 'a function calling itself',
    modules: ['package p\nf(x) := f(x - 1) if x > 0'],
    code: 'rego_recursion_error',
    message: 'rule data.p.f is recursive: data.p.f -> data.p.f',
  },
  {
    name: 'from a rule into a function and back',
    modules: ['package p\nq := f(1)\nf(x) := q + x'],
    code: 'rego_recursion_error',
    message: 'rule data.p.q is recursive: data.p.q -> data.p.f -> data.p.q',
  },
  {
    name: 'through a comprehension',
    modules: ['package p\ns := [x | some x in t]\nt contains y if some y in s'],
    code: 'rego_recursion_error',
    message: 'rule data.p.s is recursive: data.p.s -> data.p.t -> data.p.s',
  },
  {
    name: 'across packages',
    modules: ['package a\np := data.b.q', 'package b\nq := data.a.p'],
    code: 'rego_recursion_error',
    message: 'rule data.a.p is recursive: data.a.p -> data.b.q -> data.a.p',
  },
  {
    name: 'through the whole package document',
    modules: ['package p\nq := count(data.p)'],
    code: 'rego_recursion_error',
    message: 'rule data.p.q is recursive: data.p.q -> data.p.q',
  },
  {
    name: 'through a dynamic key into the package',
    modules: ['package p\nq contains k if data.p[k]'],
    code: 'rego_recursion_error',
    message: 'rule data.p.q is recursive: data.p.q -> data.p.q',
  },
];

const calls: Row[] = [
  { name: 'an undefined function', modules: ['package p\nq if foo(1)'], code: 'rego_type_error', message: 'undefined function foo', row: 2 },
  { name: 'an undefined dotted function', modules: ['package p\nq := foo.bar(1)'], code: 'rego_type_error', message: 'undefined function foo.bar', row: 2 },
  { name: 'an undefined function under data', modules: ['package p\nq := data.nope.f(1)'], code: 'rego_type_error', message: 'undefined function data.nope.f', row: 2 },
  { name: 'an undefined function in a comprehension', modules: ['package p\nq := [x | x := nope(1)]'], code: 'rego_type_error', message: 'undefined function nope', row: 2 },
  { name: 'an undefined function in an every body', modules: ['package p\nq if every x in [1] { nope(x) }'], code: 'rego_type_error', message: 'undefined function nope', row: 2 },
  { name: 'an undefined function in a head', modules: ['package p\nq contains nope(1)'], code: 'rego_type_error', message: 'undefined function nope', row: 2 },
  { name: 'a builtin removed in v1', modules: ['package p\nq if any([true])'], code: 'rego_type_error', message: 'undefined function any', row: 2 },
];

describe('compile checks', () => {
  describe.each([
    ['rego_recursion_error', recursion],
    ['undefined functions', calls],
  ])('%s', (_group, rows) => {
    it.each(rows.map((r) => [r.name, r] as const))('%s', (_name, r) => {
      const errs = compileErrors(r.modules);
      expect(errs).toEqual([expect.objectContaining({ code: r.code, message: r.message })]);
      if (r.row !== undefined) expect(errs[0]).toMatchObject({ row: r.row, file: r.file ?? 'm0.rego' });
    });
  });

  it.each([
    ['a rule referring to an earlier one', ['package p\na := 1\nb := a + 1\nc := [a, b]']],
    ['functions calling each other without a cycle', ['package p\nf(x) := g(x) + 1\ng(x) := x * 2\nq := f(1)']],
    ['a rule reading a sibling package', ['package a\np := count(data.b)', 'package b\nq := 1']],
    ['a rule reading base data under its own package path', ['package p\nq := data.p.base']],
  ])('no recursion error for %s', (_name, modules) => {
    expect(compileErrors(modules)).toEqual([]);
  });

  describe('arity', () => {
    it.each([
      ['too many arguments to a builtin', 'package p\nq := count([1], 2, 3)', 'count'],
      ['too few arguments to a builtin', 'package p\nq := concat(",")', 'concat'],
      ['too many arguments to a user function', 'package p\nf(x) := x\nq := f(1, 2, 3)', 'data.p.f'],
      ['too few arguments to a user function', 'package p\nf(x, y) := x\nq := f(1)', 'data.p.f'],
    ])('%s is rego_type_error naming the function', (_name, text, fn) => {
      const errs = compileErrors([text]);
      expect(errs).toHaveLength(1);
      expect(errs[0]).toMatchObject({ code: 'rego_type_error', file: 'm0.rego' });
      expect(errs[0].message).toMatch(new RegExp(`^${fn.replace(/\./g, '\\.')}: arity mismatch`));
    });

    it.each([
      ['a builtin', 'package p\nq := n if count([1, 2], n)'],
      ['a user function', 'package p\nf(x) := x + 1\nq := y if f(1, y)'],
    ])('one extra argument is the output of %s', (_name, text) => {
      expect(compileErrors([text])).toEqual([]);
    });

    it('print takes any number of arguments', () => {
      expect(compileErrors(['package p\nq if print(1, 2, 3, 4, 5, 6)'])).toEqual([]);
    });
  });

  describe('conflicting rules', () => {
    it.each([
      ['complete and partial set', ['package p\nq := 1\nq contains 1'], 'data.p.q'],
      ['partial set and complete', ['package p\nq contains 1\nq := 1'], 'data.p.q'],
      ['complete and partial object', ['package p\nq := 1\nq[k] := 1 if some k in ["a"]'], 'data.p.q'],
      ['function and complete', ['package p\nf(x) := 1\nf := 2'], 'data.p.f'],
      ['functions of different arities', ['package p\nf(x) := 1\nf(x, y) := 2'], 'data.p.f'],
      ['kinds in two files of one package', ['package p\nq := 1', 'package p\nq contains 1'], 'data.p.q'],
    ])('%s is rego_type_error', (_name, modules, path) => {
      expect(compileErrors(modules)).toEqual([expect.objectContaining({ code: 'rego_type_error', message: `conflicting rules ${path} found` })]);
    });

    it('a rule below a complete rule is rego_type_error', () => {
      expect(compileErrors(['package p\na := 1\na.b := 2'])).toEqual([expect.objectContaining({ code: 'rego_type_error', row: 3 })]);
    });

    it('ref-head rules building one object do not conflict', () => {
      expect(compileErrors(['package p\na.b.c := 1\na.b.d := 2\na[k] := 3 if some k in ["x"]'])).toEqual([]);
    });

    it('several definitions of one kind do not conflict', () => {
      expect(compileErrors(['package p\nq := 1 if input.a\nq := 2 if input.b\ns contains 1\ns contains 2\nf(1) := 1\nf(x) := 2 if x > 1'])).toEqual([]);
    });
  });

  describe('defaults', () => {
    it('two defaults for one rule are rego_type_error', () => {
      expect(compileErrors(['package p\ndefault q := 1\ndefault q := 2'])).toEqual([
        expect.objectContaining({ code: 'rego_type_error', message: 'multiple default rules data.p.q found', row: 3 }),
      ]);
    });

    it('two defaults in two files are rego_type_error', () => {
      expect(compileErrors(['package p\ndefault q := 1', 'package p\ndefault q := 2'])).toEqual([
        expect.objectContaining({ code: 'rego_type_error', message: 'multiple default rules data.p.q found', file: 'm1.rego' }),
      ]);
    });

    it('one default beside other definitions is fine', () => {
      expect(compileErrors(['package p\ndefault q := 0\nq := 1 if input.a\nq := 2 if input.b'])).toEqual([]);
    });

    it('a default function beside its definitions is fine', () => {
      expect(compileErrors(['package p\ndefault f(_) := 0\nf(x) := 1 if x > 0'])).toEqual([]);
    });
  });

  it('reports every problem of a module set at once', () => {
    const errs = compileErrors(['package p\nq := nope(1)\nr := count(1, 2, 3)\ndefault s := 1\ndefault s := 2']);
    expect(errs.map((e) => e.code).sort()).toEqual(['rego_type_error', 'rego_type_error', 'rego_type_error']);
  });

  // OPA type-checks builtin calls against their declarations (ast/check.go): a constant of the
  // wrong type is a compile error, not a run-time undefined. Smallest Rego:
  //   package p
  //   q := 1 + "a"
  // OPA and Regent: rego_type_error "plus: invalid argument(s)" with have/want lines.
  it('a constant argument of the wrong type is rego_type_error', () => {
    expect(compileErrors(['package p\nq := 1 + "a"'])).toEqual([expect.objectContaining({ code: 'rego_type_error', row: 2 })]);
    const [err] = compileErrors(['package p\nq := count(5)']);
    expect(err.message).toBe('count: invalid argument(s)\n\thave: (number)\n\twant: (any<array[any], object[any: any], set[any], string>)');
  });

  it('accepts literals the declarations allow', () => {
    const ok = [
      'q := count([1, "a"])',
      'q := concat(",", {"a", "b"})',
      'q := object.get({"a": 1}, "a", 0)',
      'q := sum({1, 2})',
      'q := startswith("abc", "a")',
      'q := json.filter({"a": {"b": 1}}, ["a/b"])',
      'q := sprintf("%v", [1, "x", null])',
      'q := numbers.range(1, 3)',
    ];
    for (const rule of ok) expect(compileErrors([`package p\n${rule}`])).toEqual([]);
  });
});
