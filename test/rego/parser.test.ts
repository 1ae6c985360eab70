// Terms and expressions: operators and precedence, refs and calls, composites, comprehensions,
// wildcards, `some` / `every` / `not` / `with`, and locations.
import { parseQuery, parseTerm } from '../../server/rego/index';
import { arr, b, body, call, n, nul, obj, path, plain, q1, ref, s, set, term, termExpr, v } from './helpers';

describe('scalars', () => {
  it('parses literals', () => {
    expect(q1('null')).toEqual(nul());
    expect(q1('true')).toEqual(b(true));
    expect(q1('false')).toEqual(b(false));
    expect(q1('"a\\tb"')).toEqual(s('a\tb'));
    expect(q1('`a\\tb`')).toEqual(s('a\\tb'));
  });

  it('keeps number source text', () => {
    for (const t of ['0', '1.0', '1e3', '0.5e-3', '28857836529306024611913', '0e5']) expect(q1(t)).toEqual(n(t));
    expect(q1('.5')).toEqual(n('.5'));
  });

  it('folds unary minus into number literals', () => {
    expect(q1('-1.5')).toEqual(n('-1.5'));
    expect(q1('- 2')).toEqual(n('-2'));
    expect(q1('-.5')).toEqual(n('-.5'));
    expect(q1('[1, -2]')).toEqual(arr(n('1'), n('-2')));
  });

  it('turns other unary minus into minus(0, x)', () => {
    expect(q1('-x')).toEqual(call('minus', n('0'), v('x')));
    expect(q1('-x.y * 2')).toEqual(call('mul', call('minus', n('0'), ref(v('x'), s('y'))), n('2')));
    expect(q1('- -1')).toEqual(call('minus', n('0'), n('-1')));
  });

  it('reads `1 -1` as a subtraction', () => {
    expect(q1('1 -1')).toEqual(call('minus', n('1'), n('1')));
    expect(q1('x-1')).toEqual(call('minus', v('x'), n('1')));
  });
});

describe('operators', () => {
  it('uses OPA call names', () => {
    const ops: Array<[string, string]> = [
      ['==', 'equal'], ['!=', 'neq'], ['<', 'lt'], ['<=', 'lte'], ['>', 'gt'], ['>=', 'gte'],
      ['+', 'plus'], ['-', 'minus'], ['*', 'mul'], ['/', 'div'], ['%', 'rem'], ['&', 'and'], ['|', 'or'],
    ];
    for (const [op, name] of ops) expect(q1(`a ${op} b`)).toEqual(call(name, v('a'), v('b')));
    expect(q1('a := b')).toEqual(call('assign', v('a'), v('b')));
    expect(q1('a = b')).toEqual(call('eq', v('a'), v('b')));
  });

  it('follows OPA precedence', () => {
    expect(q1('a + b * c')).toEqual(call('plus', v('a'), call('mul', v('b'), v('c'))));
    expect(q1('a * b + c')).toEqual(call('plus', call('mul', v('a'), v('b')), v('c')));
    expect(q1('a | b & c')).toEqual(call('or', v('a'), call('and', v('b'), v('c'))));
    expect(q1('a & b + c')).toEqual(call('and', v('a'), call('plus', v('b'), v('c'))));
    expect(q1('a == b | c')).toEqual(call('equal', v('a'), call('or', v('b'), v('c'))));
    expect(q1('x in a == b')).toEqual(call('internal.member_2', v('x'), call('equal', v('a'), v('b'))));
    expect(q1('y := x in xs')).toEqual(call('assign', v('y'), call('internal.member_2', v('x'), v('xs'))));
    expect(q1('x = a + 1 < 3')).toEqual(call('eq', v('x'), call('lt', call('plus', v('a'), n('1')), n('3'))));
  });

  it('is left-associative within a level', () => {
    expect(q1('a - b - c')).toEqual(call('minus', call('minus', v('a'), v('b')), v('c')));
    expect(q1('a / b * c')).toEqual(call('mul', call('div', v('a'), v('b')), v('c')));
    expect(q1('a == b != c')).toEqual(call('neq', call('equal', v('a'), v('b')), v('c')));
    expect(q1('a in b in c')).toEqual(call('internal.member_2', call('internal.member_2', v('a'), v('b')), v('c')));
  });

  it('honours parentheses', () => {
    expect(q1('(a + b) * c')).toEqual(call('mul', call('plus', v('a'), v('b')), v('c')));
    expect(q1('(x)[0]')).toEqual(ref(v('x'), n('0')));
    expect(q1('(a.b).c')).toEqual(ref(v('a'), s('b'), s('c')));
  });

  it('parses membership with a key', () => {
    expect(q1('k, v in xs')).toEqual(call('internal.member_3', v('k'), v('v'), v('xs')));
    expect(q1('x := k, v in xs')).toEqual(call('assign', v('x'), call('internal.member_3', v('k'), v('v'), v('xs'))));
    // In lists the comma separates items.
    expect(q1('[a, b in c]')).toEqual(arr(v('a'), call('internal.member_2', v('b'), v('c'))));
    expect(q1('f(a, b in c)')).toEqual(call('f', v('a'), call('internal.member_2', v('b'), v('c'))));
  });

  it('does not chain `:=` or `=`', () => {
    expect(() => parseQuery('a := b := c')).toThrow('unexpected assign token');
  });
});

describe('refs and calls', () => {
  it('builds refs', () => {
    expect(q1('a.b[c]["d"]')).toEqual(ref(v('a'), s('b'), v('c'), s('d')));
    expect(q1('data.x.y')).toEqual(path('data.x.y'));
    expect(q1('input')).toEqual(ref(v('input')));
    expect(q1('data')).toEqual(ref(v('data')));
    expect(q1('x')).toEqual(v('x'));
    expect(q1('a[b[c]]')).toEqual(ref(v('a'), ref(v('b'), v('c'))));
    expect(q1('a[x + 1]')).toEqual(ref(v('a'), call('plus', v('x'), n('1'))));
  });

  it('allows keywords after a dot and as ref heads', () => {
    expect(q1('input.if.in.every.contains.not')).toEqual(path('input.if.in.every.contains.not'));
    expect(q1('not.x')).toEqual(ref(v('not'), s('x')));
    expect(q1('contains')).toEqual(v('contains'));
  });

  it('accepts composite, call and string heads', () => {
    expect(q1('[1, 2][0]')).toEqual(ref(arr(n('1'), n('2')), n('0')));
    expect(q1('{"a": 1}.a')).toEqual(ref(obj([s('a'), n('1')]), s('a')));
    expect(q1('f(x).y')).toEqual(ref(call('f', v('x')), s('y')));
    expect(q1('f(x)[0].z')).toEqual(ref(call('f', v('x')), n('0'), s('z')));
    expect(q1('"abc"[0]')).toEqual(ref(s('abc'), n('0')));
    expect(q1('[x | x := 1][0]')).toMatchObject({ type: 'ref', terms: [{ type: 'arraycomp' }, n('0')] });
  });

  it('builds calls with ref operators', () => {
    expect(q1('count(x)')).toEqual(call('count', v('x')));
    expect(q1('foo.bar(x, 1)')).toEqual(call('foo.bar', v('x'), n('1')));
    expect(q1('data.x.y(1)')).toEqual(call('data.x.y', n('1')));
    expect(q1('f()')).toEqual(call('f'));
    expect(q1('f(1,)')).toEqual(call('f', n('1')));
    expect(q1('a[0].f(x)')).toEqual({ type: 'call', op: ref(v('a'), n('0'), s('f')), args: [v('x')] });
  });

  it('needs the ref operator right after the term', () => {
    // `f (x)` is two expressions on one line, which a body does not allow.
    expect(() => parseQuery('x := [f (1)]')).toThrow('unexpected ( token');
    expect(body('a\n[1]')).toEqual([termExpr(v('a')), termExpr(arr(n('1')))]);
    expect(() => parseQuery('a. b')).toThrow('unexpected whitespace token: expected identifier');
  });

  it('parses set() as the empty set', () => {
    expect(q1('set()')).toEqual(set());
    expect(q1('x := set()')).toEqual(call('assign', v('x'), set()));
  });

  it('rejects scalar ref heads', () => {
    expect(() => parseQuery('1[0]')).toThrow('illegal ref (head cannot be number)');
    expect(() => parseQuery('true.x')).toThrow('illegal ref (head cannot be boolean)');
  });
});

describe('composites', () => {
  it('parses arrays, objects and sets', () => {
    expect(q1('[]')).toEqual(arr());
    expect(q1('[1, "a", [true]]')).toEqual(arr(n('1'), s('a'), arr(b(true))));
    expect(q1('{}')).toEqual(obj());
    expect(q1('{"a": 1, 2: [3], x: y}')).toEqual(obj([s('a'), n('1')], [n('2'), arr(n('3'))], [v('x'), v('y')]));
    expect(q1('{1, 2}')).toEqual(set(n('1'), n('2')));
    expect(q1('{1}')).toEqual(set(n('1')));
    expect(q1('{[1]: {2}}')).toEqual(obj([arr(n('1')), set(n('2'))]));
  });

  it('allows trailing and (like OPA) leading commas', () => {
    expect(q1('[1, 2,]')).toEqual(arr(n('1'), n('2')));
    expect(q1('{1, 2,}')).toEqual(set(n('1'), n('2')));
    expect(q1('{"a": 1,}')).toEqual(obj([s('a'), n('1')]));
    expect(q1('[, 1]')).toEqual(arr(n('1')));
  });

  it('parses multi-line composites', () => {
    expect(q1('{\n  "a": 1,\n  "b": [\n    2,\n  ],\n}')).toEqual(obj([s('a'), n('1')], [s('b'), arr(n('2'))]));
  });

  it('parses infix items', () => {
    expect(q1('[a + 1, b | c]')).toEqual(arr(call('plus', v('a'), n('1')), call('or', v('b'), v('c'))));
    expect(q1('{a + 1: b * 2}')).toEqual(obj([call('plus', v('a'), n('1')), call('mul', v('b'), n('2'))]));
    expect(q1('{a - 1}')).toEqual(set(call('minus', v('a'), n('1'))));
  });

  it('parses comprehensions', () => {
    const eqxy = termExpr(call('eq', v('x'), v('y')));
    expect(q1('[x | x = y]')).toEqual({ type: 'arraycomp', term: v('x'), body: [eqxy] });
    expect(q1('{x | x = y}')).toEqual({ type: 'setcomp', term: v('x'), body: [eqxy] });
    expect(q1('{x: y | x = y}')).toEqual({ type: 'objectcomp', key: v('x'), value: v('y'), body: [eqxy] });
    expect(q1('[x | x = y; y = 1]')).toMatchObject({ type: 'arraycomp', body: [eqxy, termExpr(call('eq', v('y'), n('1')))] });
    expect(q1('[x |\n  x = y\n  y = 1\n]')).toMatchObject({ type: 'arraycomp', body: [eqxy, termExpr(call('eq', v('y'), n('1')))] });
    expect(q1('{a + 1: b | a = b}')).toMatchObject({ type: 'objectcomp', key: call('plus', v('a'), n('1')), value: v('b') });
    expect(q1('[-1 | true]')).toMatchObject({ type: 'arraycomp', term: n('-1') });
  });

  it('prefers a comprehension over an `|` call, like OPA', () => {
    expect(q1('{a | b}')).toEqual({ type: 'setcomp', term: v('a'), body: [termExpr(v('b'))] });
    // A body failing at a comma falls back to a list with an `or` call.
    expect(q1('[a | b, c]')).toEqual(arr(call('or', v('a'), v('b')), v('c')));
    expect(q1('{a | b, c}')).toEqual(set(call('or', v('a'), v('b')), v('c')));
    // Not a plain term before `|`: no comprehension.
    expect(q1('[a + 1 | b]')).toEqual(arr(call('or', call('plus', v('a'), n('1')), v('b'))));
    // After a leading comma: never a comprehension.
    expect(q1('[, a | b]')).toEqual(arr(call('or', v('a'), v('b'))));
  });
});

describe('wildcards', () => {
  it('gives each `_` a unique name', () => {
    expect(q1('x[_][_]')).toEqual(ref(v('x'), v('$_0'), v('$_1')));
    expect(body('a[_]; b[_]')).toEqual([termExpr(ref(v('a'), v('$_0'))), termExpr(ref(v('b'), v('$_1')))]);
  });

  it('is stable under backtracking', () => {
    // The comprehension attempt fails at the comma and the list is re-parsed.
    expect(q1('[_ | _, _]')).toEqual(arr(call('or', v('$_0'), v('$_1')), v('$_2')));
  });
});

describe('expressions', () => {
  it('separates expressions by ; and newlines', () => {
    expect(body('a; b\nc')).toEqual([termExpr(v('a')), termExpr(v('b')), termExpr(v('c'))]);
  });

  it('parses not', () => {
    expect(body('not a')).toEqual([termExpr(v('a'), true)]);
    expect(body('not f(x) == 1')).toEqual([termExpr(call('equal', call('f', v('x')), n('1')), true)]);
  });

  it('parses with modifiers', () => {
    const [e] = body('f(x) with input.a as 1 with data.b.c as {"x": y} with count as mock');
    expect(e.body).toEqual({ type: 'term', term: call('f', v('x')) });
    expect(e.with).toEqual([
      { target: path('input.a'), value: n('1') },
      { target: path('data.b.c'), value: obj([s('x'), v('y')]) },
      { target: v('count'), value: v('mock') },
    ]);
    expect(body('not p with input as 1')[0]).toMatchObject({ negated: true, with: [{ target: ref(v('input')), value: n('1') }] });
  });

  it('parses some declarations', () => {
    expect(body('some x')[0].body).toEqual({ type: 'some', vars: [v('x')] });
    expect(body('some x, y, _')[0].body).toEqual({ type: 'some', vars: [v('x'), v('y'), v('$_0')] });
    expect(body('some x in xs')[0].body).toEqual({ type: 'somein', value: v('x'), collection: v('xs') });
    expect(body('some k, v in input.xs')[0].body).toEqual({ type: 'somein', key: v('k'), value: v('v'), collection: path('input.xs') });
    expect(body('some [a, b] in xs')[0].body).toEqual({ type: 'somein', value: arr(v('a'), v('b')), collection: v('xs') });
    expect(body('some x in xs with input as 1')[0].with).toHaveLength(1);
    expect(body('some x\nx = 1')).toHaveLength(2);
  });

  it('parses every', () => {
    expect(body('every x in xs { x > 0 }')[0].body).toEqual({
      type: 'every',
      value: v('x'),
      domain: v('xs'),
      body: [termExpr(call('gt', v('x'), n('0')))],
    });
    expect(body('every k, v in {"a": 1} {\n  k == "a"\n  v == 1\n}')[0].body).toMatchObject({
      type: 'every',
      key: v('k'),
      value: v('v'),
      domain: obj([s('a'), n('1')]),
    });
    expect(body('every _, v in xs { v }')[0].body).toMatchObject({ key: v('$_0') });
  });

  it('parses a bare `k, v in xs` expression', () => {
    expect(body('k, v in xs')).toEqual([termExpr(call('internal.member_3', v('k'), v('v'), v('xs')))]);
  });
});

describe('locations', () => {
  it('locates every node', () => {
    const [e] = parseQuery('x := [1, y.z]\n', 'q.rego');
    expect(e.loc).toEqual({ file: 'q.rego', row: 1, col: 1 });
    const t = e.body.type === 'term' ? e.body.term : undefined;
    if (t?.type !== 'call') throw new Error('call expected');
    expect(t.loc).toEqual({ file: 'q.rego', row: 1, col: 1 });
    expect(t.op.loc).toEqual({ file: 'q.rego', row: 1, col: 3 });
    const a = t.args[1];
    if (a.type !== 'array') throw new Error('array expected');
    expect(a.loc.col).toBe(6);
    expect(a.items[0].loc.col).toBe(7);
    const r = a.items[1];
    if (r.type !== 'ref') throw new Error('ref expected');
    expect(r.loc.col).toBe(10);
    expect(r.terms[1].loc.col).toBe(12);
  });

  it('locates not, some, every and with at their keywords', () => {
    const es = parseQuery('a\n  not b\n  some x\n  every y in z { y }\n  c with input as 1', 'f');
    expect(es.map((e) => [e.loc.row, e.loc.col])).toEqual([[1, 1], [2, 3], [3, 3], [4, 3], [5, 3]]);
    expect(es[4].with[0].loc).toEqual({ file: 'f', row: 5, col: 5 });
  });

  it('locates infix operators and negative numbers', () => {
    const [e] = parseQuery('a in b', 'f');
    const t = e.body.type === 'term' ? e.body.term : undefined;
    expect(t?.type === 'call' && t.op.loc.col).toBe(3);
    const [m] = parseQuery('x = -1', 'f');
    const u = m.body.type === 'term' && m.body.term.type === 'call' ? m.body.term.args[1] : undefined;
    expect(u).toEqual({ type: 'number', value: '-1', loc: { file: 'f', row: 1, col: 5 } });
  });
});

describe('parseTerm', () => {
  it('parses single terms', () => {
    expect(term('{}')).toEqual(obj());
    expect(term('{"a": {1,2}}')).toEqual(obj([s('a'), set(n('1'), n('2'))]));
    expect(term('[1, null, "x"]')).toEqual(arr(n('1'), nul(), s('x')));
    expect(term('  -3 ')).toEqual(n('-3'));
  });

  it('rejects anything but one term', () => {
    expect(() => parseTerm('')).toThrow('expected exactly one term');
    expect(() => parseTerm('1; 2')).toThrow('expected exactly one term');
    expect(() => parseTerm('x := 1')).toThrow('expected term');
    expect(() => parseTerm('not x')).toThrow('expected term');
  });

  it('returns plain data', () => {
    expect(plain(parseTerm('1'))).toEqual(n('1'));
  });
});
