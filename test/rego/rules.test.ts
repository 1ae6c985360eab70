// Modules: package, imports, every rule form with its kind, else chains, defaults, v0 syntax,
// the v1 checks, rule texts and locations.
import type { Rule } from '../../server/rego/ast';
import { arr, call, mod, moduleErrors, n, path, plain, ref, rule, rules, s, termExpr, v } from './helpers';

const head = (r: Rule) => r.head;

describe('package and imports', () => {
  it('parses package paths', () => {
    expect(mod('package a.b.c').package).toEqual(['a', 'b', 'c']);
    expect(mod('package a["b-c"].d').package).toEqual(['a', 'b-c', 'd']);
    expect(mod('package x').package).toEqual(['x']);
    expect(mod('package data.x').package).toEqual(['data', 'x']);
    expect(mod('\n\n  package a').packageLoc).toEqual({ file: 'm.rego', row: 3, col: 3 });
  });

  it('parses imports', () => {
    const m = mod('package p\nimport data.a.b\nimport data.a.c as d\nimport input.x\nimport future.keywords.in\nimport future.keywords\nimport rego.v1\nimport data.x["y-z"]');
    expect(plain(m.imports)).toEqual([
      { path: path('data.a.b') },
      { path: path('data.a.c'), alias: 'd' },
      { path: path('input.x') },
      { path: path('future.keywords.in') },
      { path: path('future.keywords') },
      { path: path('rego.v1') },
      { path: ref(v('data'), s('x'), s('y-z')) },
    ]);
    expect(m.imports[1].loc).toEqual({ file: 'm.rego', row: 3, col: 1 });
    expect(plain(mod('package p\nimport data').imports)).toEqual([{ path: ref(v('data')) }]);
  });

  it('rejects bad imports', () => {
    expect(moduleErrors('package p\nimport foo.bar')).toEqual(['2:8: unexpected import path, must begin with one of: {data, future, input, rego}, got: foo']);
    expect(moduleErrors('package p\nimport data.x[y]')).toEqual(['2:15: unexpected var token: expecting string']);
    expect(moduleErrors('package p\nimport future.keywords.foo')).toEqual(['2:8: unexpected keyword, must be one of [contains every if in]']);
    expect(moduleErrors('package p\nimport future.foo')).toEqual(['2:8: invalid import, must be `future.keywords`']);
    expect(moduleErrors('package p\nimport future.keywords as k')).toEqual(['2:8: `future` imports cannot be aliased']);
    expect(moduleErrors('package p\nimport rego.v2')).toEqual(['2:8: invalid import `rego.v2`, must be `rego.v1`']);
    expect(moduleErrors('package p\nimport rego.v1 as r', { regoVersion: 0 })).toEqual(['2:8: `rego` imports cannot be aliased']);
    expect(moduleErrors('package p\nimport data.x.if')).toEqual([
      '2:15: unexpected import path, must not end with a keyword, got: if (hint: import a different path or use an alias)',
    ]);
    expect(mod('package p\nimport data.x.if', { regoVersion: 0 }).imports).toHaveLength(1);
    expect(moduleErrors('package p\nimport data.x as 1')).toEqual(['2:18: unexpected number token: expected var']);
  });

  it('requires a package first', () => {
    expect(moduleErrors('p := 1')).toEqual(['1:1: package expected']);
    expect(moduleErrors('package a\npackage b')).toEqual(['2:1: unexpected package']);
    expect(moduleErrors('# only a comment\n')).toEqual(['1:1: empty module']);
    expect(moduleErrors('')).toEqual(['1:1: empty module']);
  });
});

describe('rule forms (v1)', () => {
  it('complete rules', () => {
    expect(rule('p if { true }')).toMatchObject({ kind: 'complete', head: { ref: [v('p')], assign: false }, body: [termExpr({ type: 'boolean', value: true } as never)], default: false });
    expect(head(rule('p if { true }')).value).toBeUndefined();
    expect(rule('p := 1')).toEqual({ kind: 'complete', head: { ref: [v('p')], value: n('1'), assign: true }, body: [], default: false });
    expect(rule('p = 1')).toMatchObject({ kind: 'complete', head: { value: n('1'), assign: false }, body: [] });
    expect(rule('p = v if { v := 1 }')).toMatchObject({ kind: 'complete', head: { value: v('v'), assign: false }, body: [termExpr(call('assign', v('v'), n('1')))] });
    expect(rule('p := x + 1 if x := 2')).toMatchObject({ kind: 'complete', head: { value: call('plus', v('x'), n('1')), assign: true }, body: [termExpr(call('assign', v('x'), n('2')))] });
  });

  it('single-expression bodies', () => {
    expect(rule('p if input.x > 1').body).toEqual([termExpr(call('gt', path('input.x'), n('1')))]);
    expect(rule('p if not q').body).toEqual([termExpr(v('q'), true)]);
    expect(rule('p if some x in xs').body[0].body).toEqual({ type: 'somein', value: v('x'), collection: v('xs') });
    expect(rule('p if every x in xs { x }').body[0].body.type).toBe('every');
    expect(rule('p if count(x) == 1 with input as 2').body[0].with).toHaveLength(1);
    // A lone set literal after `if` is a braced body (like OPA).
    expect(rule('p if { x }').body).toEqual([termExpr(v('x'))]);
    // An object literal is an expression (always true), as in OPA.
    expect(rule('p if {"a": 1}').body).toEqual([termExpr({ type: 'object', items: [[s('a'), n('1')]] } as never)]);
    expect(rule('p if {}').body).toEqual([termExpr({ type: 'object', items: [] } as never)]);
  });

  it('braced bodies across lines', () => {
    const r = rule('p if {\n  x := 1\n  y := [a | a := x]; z := 2\n}');
    expect(r.body).toHaveLength(3);
  });

  it('ref heads', () => {
    expect(rule('a.b.c := 1')).toMatchObject({ kind: 'complete', head: { ref: [v('a'), s('b'), s('c')], value: n('1'), assign: true } });
    expect(rule('p["a"] := 1')).toMatchObject({ kind: 'complete', head: { ref: [v('p'), s('a')] } });
    expect(rule('a.b.c if true')).toMatchObject({ kind: 'complete', head: { ref: [v('a'), s('b'), s('c')] } });
    expect(rule('p[x] := v if { x := "a"; v := 1 }')).toMatchObject({ kind: 'partial_object', head: { ref: [v('p'), v('x')], value: v('v'), assign: true } });
    expect(rule('p[x] if { x := 1 }')).toMatchObject({ kind: 'partial_object', head: { ref: [v('p'), v('x')] } });
    expect(rule('a.b[x].c := 1 if x := 1')).toMatchObject({ kind: 'partial_object', head: { ref: [v('a'), s('b'), v('x'), s('c')] } });
    expect(rule('p[1] := 2')).toMatchObject({ kind: 'partial_object', head: { ref: [v('p'), n('1')] } });
  });

  it('partial sets', () => {
    expect(rule('p contains x if { x := 1 }')).toMatchObject({ kind: 'partial_set', head: { ref: [v('p')], key: v('x') }, body: [termExpr(call('assign', v('x'), n('1')))] });
    expect(rule('p contains "a"')).toEqual({ kind: 'partial_set', head: { ref: [v('p')], key: s('a'), assign: false }, body: [], default: false });
    expect(rule('a.b contains x if some x in [1]')).toMatchObject({ kind: 'partial_set', head: { ref: [v('a'), s('b')], key: v('x') } });
    expect(rule('deny contains msg if {\n  msg := "no"\n}').head.value).toBeUndefined();
  });

  it('functions', () => {
    expect(rule('f(x) := y if { y := x }')).toMatchObject({ kind: 'function', head: { ref: [v('f')], args: [v('x')], value: v('y'), assign: true } });
    expect(rule('f(x) if { x }')).toMatchObject({ kind: 'function', head: { args: [v('x')] } });
    expect(head(rule('f(x) if { x }')).value).toBeUndefined();
    expect(rule('f(x, y) := x + y')).toEqual({
      kind: 'function',
      head: { ref: [v('f')], args: [v('x'), v('y')], value: call('plus', v('x'), v('y')), assign: true },
      body: [],
      default: false,
    });
    expect(rule('a.b.f(x) = 1')).toMatchObject({ kind: 'function', head: { ref: [v('a'), s('b'), s('f')], args: [v('x')] } });
    expect(rule('f([a, _], "k") := a')).toMatchObject({ head: { args: [arr(v('a'), v('$_0')), s('k')] } });
    expect(rule('f() := 1')).toMatchObject({ kind: 'function', head: { args: [] } });
  });

  it('defaults', () => {
    expect(rule('default p := 1')).toEqual({ kind: 'complete', head: { ref: [v('p')], value: n('1'), assign: true }, body: [], default: true });
    expect(rule('default p = {"a": [1]}')).toMatchObject({ default: true, head: { assign: false } });
    expect(rule('default f(_) := 1')).toMatchObject({ kind: 'function', default: true, head: { args: [v('$_0')] } });
    expect(rule('default a.b.c := false')).toMatchObject({ default: true, head: { ref: [v('a'), s('b'), s('c')] } });
    expect(rule('default p := [x | x := 1]')).toMatchObject({ default: true });
  });

  it('rejects bad defaults', () => {
    expect(moduleErrors('package p\ndefault p')).toEqual(['2:1: illegal default rule (must have a value)']);
    expect(moduleErrors('package p\ndefault p := x')).toEqual(['2:1: illegal default rule (value cannot contain var)']);
    expect(moduleErrors('package p\ndefault p := input.x')).toEqual(['2:1: illegal default rule (value cannot contain ref)']);
    expect(moduleErrors('package p\ndefault p := [count(x)]')).toEqual(['2:1: illegal default rule (value cannot contain call)']);
    expect(moduleErrors('package p\ndefault f(1) := 1')).toEqual(['2:1: illegal default rule (arguments cannot contain number)']);
    expect(moduleErrors('package p\ndefault f(x, x) := 1')).toEqual(['2:1: illegal default rule (arguments cannot be repeated x)']);
    expect(moduleErrors('package p\ndefault p := 1 if true')).toEqual(['2:16: unexpected if keyword']);
  });

  it('else chains', () => {
    const r = rule('p := 1 if { false } else := 2 if { true } else := 3');
    expect(r).toMatchObject({ kind: 'complete', head: { value: n('1') } });
    expect(r.else).toMatchObject({ kind: 'complete', head: { ref: [v('p')], value: n('2'), assign: true }, body: [termExpr({ type: 'boolean', value: true } as never)] });
    expect(r.else?.else).toMatchObject({ head: { value: n('3') }, body: [] });
    expect(r.else?.else?.else).toBeUndefined();

    const e = rule('p if { false } else = false if x else if { true }');
    expect(e.else).toMatchObject({ head: { value: { type: 'boolean', value: false }, assign: false }, body: [termExpr(v('x'))] });
    expect(e.else?.else?.head.value).toBeUndefined();
    expect(e.else?.else?.body).toHaveLength(1);
  });

  it('else on functions regenerates wildcard arguments', () => {
    const r = rule('f(_) := 1 if { false } else := 2');
    expect(r.head.args).toEqual([v('$_0')]);
    expect(r.else?.head.args).toEqual([v('$_1')]);
    expect(r.else?.kind).toBe('function');
  });

  it('rejects else on multi-value rules and variable heads', () => {
    expect(moduleErrors('package p\np contains 1 if { true } else := 2')).toEqual(['2:26: else keyword cannot be used on multi-value rules']);
    expect(moduleErrors('package p\np[x] := 1 if { x := 1 } else := 2')).toEqual(['2:25: else keyword cannot be used on rules with variables in head']);
  });

  it('further braced bodies are further rules', () => {
    const rs = rules('p if { a } { b }');
    expect(rs).toHaveLength(2);
    expect(rs[1]).toMatchObject({ kind: 'complete', head: { ref: [v('p')] }, body: [termExpr(v('b'))] });
  });
});

describe('v1 checks', () => {
  it('requires if before bodies', () => {
    expect(moduleErrors('package p\np { true }')).toEqual(['2:1: `if` keyword is required before rule body']);
    expect(moduleErrors('package p\nf(x) { true }')).toEqual(['2:1: `if` keyword is required before function body']);
    expect(moduleErrors('package p\np := 1 if { false } else := 2 { true }')).toEqual(['2:21: `if` keyword is required before rule body']);
  });

  it('requires contains for partial sets', () => {
    expect(moduleErrors('package p\np[x] { x := 1 }')).toEqual([
      '2:1: `if` keyword is required before rule body',
      '2:1: `contains` keyword is required for partial set rules',
    ]);
    expect(moduleErrors('package p\np[x]')).toEqual(['2:1: `contains` keyword is required for partial set rules']);
  });

  it('requires a value or a body', () => {
    expect(moduleErrors('package p\na.b.c')).toEqual(['2:1: rule must have value assignment and/or body declaration']);
  });

  it('rejects keywords as rule names', () => {
    expect(moduleErrors('package p\ncontains := 1')).toEqual(['2:1: contains keyword cannot be used for rule name']);
  });

  it('collects all rule errors of a module', () => {
    expect(moduleErrors('p { true }\nq { true }')).toEqual([
      '1:1: package expected',
      '2:1: `if` keyword is required before rule body',
    ]);
  });
});

describe('top-level expressions that are not rules', () => {
  it('reports them as OPA does', () => {
    expect(moduleErrors('package p\np')).toEqual(['2:1: var cannot be used for rule name']);
    expect(moduleErrors('package p\n1 = 2')).toEqual(['2:1: number cannot be used for rule name']);
    expect(moduleErrors('package p\n"a" := 1')).toEqual(['2:1: string cannot be used for rule name']);
    expect(moduleErrors('package p\np == 1')).toEqual(['2:1: rule name conflicts with built-in function']);
    expect(moduleErrors('package p\nnot p')).toEqual(['2:1: negated expressions cannot be used for rule head']);
    expect(moduleErrors('package p\np := 1; q := 2')).toEqual(['2:1: multiple expressions cannot be used for rule head']);
    expect(moduleErrors('package p\np := 1 with input as 2')).toEqual(['2:1: expressions using with keyword cannot be used for rule head']);
    expect(moduleErrors('package p\nsome x')).toEqual(["2:1: 'some' declarations cannot be used for rule head"]);
    expect(moduleErrors('package p\ninput')).toEqual(['2:1: refs cannot be used for rule head']);
    expect(moduleErrors('package p\np+1')).toEqual(['2:2: unexpected plus token']);
  });
});

describe('v0 syntax', () => {
  const v0 = { regoVersion: 0 as const };

  it('parses bodies without if', () => {
    expect(rule('p { true }', v0)).toMatchObject({ kind: 'complete', head: { ref: [v('p')] } });
    expect(rule('p = 1 { true }', v0)).toMatchObject({ kind: 'complete', head: { value: n('1') } });
    expect(rule('f(x) = y { y := x }', v0)).toMatchObject({ kind: 'function', head: { args: [v('x')], value: v('y') } });
    expect(rule('p { a } else = 2 { b }', v0).else).toMatchObject({ head: { value: n('2') } });
  });

  it('reads p[x] { } as a partial set and p[k] = v { } as a partial object', () => {
    expect(rule('p[x] { x := 1 }', v0)).toMatchObject({ kind: 'partial_set', head: { ref: [v('p')], key: v('x') } });
    expect(rule('p["a"] { true }', v0)).toMatchObject({ kind: 'partial_set', head: { ref: [v('p')], key: s('a') } });
    expect(rule('p[k] = v { k := 1; v := 2 }', v0)).toMatchObject({ kind: 'partial_object', head: { ref: [v('p'), v('k')], value: v('v') } });
    expect(rule('p[x]', v0)).toMatchObject({ kind: 'partial_set', head: { ref: [v('p')], key: v('x') }, body: [] });
  });

  it('treats future keywords as names until imported', () => {
    expect(rule('in := 1', v0)).toMatchObject({ head: { ref: [v('in')] } });
    expect(rule('p { every := 1; contains := 2 }', v0).body).toHaveLength(2);
    // As in OPA, `p`, `contains` and `x` are each a statement, and `if { … }` a rule named `if`.
    expect(moduleErrors('package p\np contains x if { x := 1 }', v0)).toEqual([
      '2:1: var cannot be used for rule name',
      '2:3: var cannot be used for rule name',
      '2:12: var cannot be used for rule name',
    ]);
  });

  it('enables keywords with future imports', () => {
    expect(rules('import future.keywords.if\np if { true }', v0)).toHaveLength(1);
    expect(rules('import future.keywords.in\np { x in [1] }', v0)[0].body[0].body).toEqual({ type: 'term', term: call('internal.member_2', v('x'), arr(n('1'))) });
    expect(rules('import future.keywords.every\np { every x in [1] { x } }', v0)[0].body[0].body.type).toBe('every');
    expect(rules('import future.keywords\np contains x if { some x in [1] }', v0)[0].kind).toBe('partial_set');
  });

  it('applies the v1 checks after import rego.v1', () => {
    expect(rules('import rego.v1\np contains x if { some x in [1] }', v0)[0].kind).toBe('partial_set');
    expect(moduleErrors('package p\nimport rego.v1\np { true }', v0)).toEqual(['3:1: `if` keyword is required before rule body']);
    expect(mod('package p\nimport rego.v1\np if true', v0).regoVersion).toBe(0);
  });
});

describe('rule text and locations', () => {
  it('keeps the exact source text of each rule', () => {
    const m = mod('package p\n\np := 1 # c\ndefault q := 2\nr if {\n  true\n}\n\nf(x) := 1 if x else := 2\ns contains 1');
    expect(m.rules.map((r) => r.text)).toEqual(['p := 1', 'default q := 2', 'r if {\n  true\n}', 'f(x) := 1 if x else := 2', 's contains 1']);
    expect(m.rules[3].else?.text).toBe('else := 2');
    expect(m.rules.map((r) => [r.loc.row, r.loc.col])).toEqual([[3, 1], [4, 1], [5, 1], [9, 1], [10, 1]]);
    expect(m.rules[1].head.loc).toEqual({ file: 'm.rego', row: 4, col: 9 });
    expect(m.rules[3].else?.loc).toEqual({ file: 'm.rego', row: 9, col: 16 });
  });

  it('collects comments', () => {
    const m = mod('# head\npackage p # pkg\n\np := 1 # one\n');
    expect(m.comments).toEqual([
      { text: ' head', loc: { file: 'm.rego', row: 1, col: 1 } },
      { text: ' pkg', loc: { file: 'm.rego', row: 2, col: 11 } },
      { text: ' one', loc: { file: 'm.rego', row: 4, col: 8 } },
    ]);
  });

  it('records the module metadata', () => {
    const m = mod('package a.b\nimport rego.v1\np := 1');
    expect(m.file).toBe('m.rego');
    expect(m.regoVersion).toBe(1);
    expect(plain(m.rules[0].head.ref)).toEqual([v('p')]);
  });
});
