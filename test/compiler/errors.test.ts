// Compile errors carry OPA's kind, the file, row and col of the offending term.
import { runQuery } from '../../server/engine/query';
import { RegoErrors } from '../../server/rego/errors';

function compileErrors(text: string, query = 'true'): Array<{ code: string; message: string; row?: number; col?: number }> {
  try {
    runQuery({ modules: [{ file: 'p.rego', text }], query });
  } catch (e) {
    if (e instanceof RegoErrors) return e.errors.map((x) => ({ code: x.code, message: x.message, row: x.location?.row, col: x.location?.col }));
    throw e;
  }
  return [];
}

describe('compile errors', () => {
  it.each([
    ['a var only in a call argument', 'package p\nq if { count(x) > 0 }', 'var x is unsafe', 2, 14],
    ['a head var the body never binds', 'package p\nq[x] := 1 if { true }', 'var x is unsafe', 2, 3],
    ['a var only in a negation', 'package p\nq if { not x }', 'var x is unsafe', 2, 12],
    ['a comprehension closing over an unbound var', 'package p\nq := [y | y := z]', 'var z is unsafe', 2, 16],
  ])('%s is rego_unsafe_var_error at its location', (_t, text, message, row, col) => {
    expect(compileErrors(text)).toContainEqual({ code: 'rego_unsafe_var_error', message, row, col });
  });

  it('orders a consumer after its producer instead of failing', () => {
    expect(runQuery({ modules: [{ file: 'p.rego', text: 'package p\nq := y if { y = x + 1; x = 2 }' }], query: 'data.p.q = v' })).toEqual([
      { bindings: { v: 3 }, expressions: [true] },
    ]);
  });

  it('a variable used before its := declaration is rego_compile_error', () => {
    expect(compileErrors('package p\nq := y if { y := x + 1; x := 2 }')).toEqual([{ code: 'rego_compile_error', message: 'var x referenced above', row: 2, col: 18 }]);
  });

  it.each([
    ['direct', 'package p\nq if q', 'rule data.p.q is recursive: data.p.q -> data.p.q'],
    ['mutual', 'package p\na if b\nb if a', 'rule data.p.a is recursive: data.p.a -> data.p.b -> data.p.a'],
    ['through a function', 'package p\nf(x) := g(x)\ng(x) := f(x)', 'is recursive'],
  ])('%s recursion is rego_recursion_error', (_t, text, message) => {
    const errs = compileErrors(text);
    expect(errs.map((e) => e.code)).toContain('rego_recursion_error');
    expect(errs.find((e) => e.code === 'rego_recursion_error')?.message).toContain(message);
  });

  it('an unknown function is rego_type_error naming it', () => {
    expect(compileErrors('package p\nq := foo.bar(1)')).toContainEqual({ code: 'rego_type_error', message: 'undefined function foo.bar', row: 2, col: 6 });
  });

  it('a wrong number of arguments is rego_type_error', () => {
    const errs = compileErrors('package p\nq := count(1, 2, 3)');
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ code: 'rego_type_error', row: 2 });
    expect(errs[0].message).toContain('count');
  });

  it('rules of different kinds at one path conflict', () => {
    expect(compileErrors('package p\nq := 1\nq contains 2').map((e) => e.code)).toContain('rego_type_error');
  });

  it('two defaults for one rule conflict', () => {
    expect(compileErrors('package p\ndefault q := 1\ndefault q := 2').map((e) => e.message)).toContain('multiple default rules data.p.q found');
  });

  it('deprecated builtins exist only for v0 modules', () => {
    expect(compileErrors('package p\nq if any([true])')).toContainEqual(expect.objectContaining({ code: 'rego_type_error', message: 'undefined function any' }));
  });

  it('parse errors are rego_parse_error with file, row and col', () => {
    expect(compileErrors('package p\n\nq := [1, 2')).toEqual([expect.objectContaining({ code: 'rego_parse_error', row: 3 })]);
  });
});
