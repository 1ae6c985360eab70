import { BUILTINS, lookupBuiltin } from '../../server/builtins/catalog';
import type { Type } from '../../server/builtins/types';

function validType(t: Type): boolean {
  switch (t.type) {
    case 'any':
      return (t.of ?? []).every(validType);
    case 'array':
      return (t.static ?? []).every(validType) && (t.dynamic === undefined || validType(t.dynamic));
    case 'object':
      return (
        (t.static ?? []).every((e) => validType(e.value)) &&
        (t.dynamic === undefined || (validType(t.dynamic.key) && validType(t.dynamic.value)))
      );
    case 'set':
      return validType(t.of);
    case 'function':
      return t.args.every(validType) && (t.result === undefined || validType(t.result));
    default:
      return ['null', 'boolean', 'number', 'string'].includes(t.type);
  }
}

describe('catalog', () => {
  test('every builtin is listed under its own name with a well-formed declaration', () => {
    expect(BUILTINS.size).toBeGreaterThan(120);
    for (const [name, b] of BUILTINS) {
      expect(b.name).toBe(name);
      expect(b.decl.type).toBe('function');
      expect(validType(b.decl)).toBe(true);
      expect(typeof b.impl).toBe('function');
    }
  });

  test('infix operators are the OPA ones', () => {
    const infix = Object.fromEntries([...BUILTINS.values()].filter((b) => b.infix).map((b) => [b.infix, b.name]));
    expect(infix).toEqual({
      '==': 'equal',
      '!=': 'neq',
      '<': 'lt',
      '<=': 'lte',
      '>': 'gt',
      '>=': 'gte',
      '+': 'plus',
      '-': 'minus',
      '*': 'mul',
      '/': 'div',
      '%': 'rem',
      '&': 'and',
      '|': 'or',
    });
  });

  test('lookup', () => {
    expect(lookupBuiltin('sprintf')?.name).toBe('sprintf');
    expect(lookupBuiltin('no.such.builtin')).toBeUndefined();
    expect(lookupBuiltin('time.now_ns')?.nondeterministic).toBe(true);
  });

  test('the capabilities JSON shape serialises', () => {
    const caps = [...BUILTINS.values()].map((b) => ({ name: b.name, decl: b.decl, ...(b.infix ? { infix: b.infix } : {}) }));
    expect(() => JSON.stringify(caps)).not.toThrow();
  });
});
