// Set operations: the infix `&` and `|`, and n-ary intersection/union over a set of sets.
import type { Builtin } from './types';
import { ANY_SET, fn, setOf } from './decl';
import { set, typeError } from './operands';
import { SetValue, type Value } from '../value/value';

function intersect(a: SetValue, b: SetValue): SetValue {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  const out = new SetValue();
  for (const x of small.values()) if (big.has(x)) out.add(x);
  return out;
}

function unite(sets: SetValue[]): SetValue {
  const out = new SetValue();
  for (const s of sets) for (const x of s.values()) out.add(x);
  return out;
}

/** The elements of a set of sets; OPA reports a non-set element as operand 1 itself. */
function setOfSets(name: string, args: Value[]): SetValue[] {
  const outer = set(name, args, 0);
  return outer.values().map((x) => {
    if (!(x instanceof SetValue)) throw typeError(name, 1, x, 'set');
    return x;
  });
}

export const SETS: Builtin[] = [
  {
    name: 'and',
    infix: '&',
    decl: fn([ANY_SET, ANY_SET], ANY_SET),
    impl: (args) => intersect(set('and', args, 0), set('and', args, 1)),
  },
  {
    name: 'or',
    infix: '|',
    decl: fn([ANY_SET, ANY_SET], ANY_SET),
    impl: (args) => unite([set('or', args, 0), set('or', args, 1)]),
  },
  {
    name: 'intersection',
    decl: fn([setOf(ANY_SET)], ANY_SET),
    impl: (args) => {
      const sets = setOfSets('intersection', args);
      if (sets.length === 0) return new SetValue();
      return sets.slice(1).reduce(intersect, sets[0]);
    },
  },
  {
    name: 'union',
    decl: fn([setOf(ANY_SET)], ANY_SET),
    impl: (args) => unite(setOfSets('union', args)),
  },
];
