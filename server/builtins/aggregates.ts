// Aggregates over collections. (`any`/`all` are v0-only builtins and are left out.)
import type { Builtin } from './types';
import { ANY, ANY_ARRAY, ANY_OBJECT, ANY_SET, NUMBER, STRING, anyOf, arrayOf, fn, setOf } from './decl';
import { elementError, typeError } from './operands';
import * as N from './numeric';
import { ObjectValue, SetValue, compare, type Value } from '../value/value';
import { codePointCount } from './utf8';

const ANY_ARRAY_OR_SET = anyOf(ANY_ARRAY, ANY_SET);
const NUMBERS = anyOf(arrayOf(NUMBER), setOf(NUMBER));

function items(name: string, args: Value[]): Value[] {
  const v = args[0];
  if (Array.isArray(v)) return v;
  if (v instanceof SetValue) return v.values();
  throw typeError(name, 1, v, 'set', 'array');
}

function fold(name: string, args: Value[], init: N.Num, op: (a: N.Num, b: N.Num) => N.Num): Value {
  let acc = init;
  for (const x of items(name, args)) {
    if (typeof x !== 'number' && typeof x !== 'bigint') throw elementError(name, 1, args[0], x, 'number');
    acc = op(acc, x);
  }
  return acc;
}

function extreme(name: string, args: Value[], better: (c: number) => boolean): Value | undefined {
  const xs = items(name, args);
  if (xs.length === 0) return undefined;
  let best = xs[0];
  for (let i = 1; i < xs.length; i++) if (better(compare(xs[i], best))) best = xs[i];
  return best;
}

export const AGGREGATES: Builtin[] = [
  {
    name: 'count',
    decl: fn([anyOf(ANY_ARRAY, ANY_OBJECT, ANY_SET, STRING)], NUMBER),
    impl: ([x]) => {
      if (Array.isArray(x)) return x.length;
      if (x instanceof ObjectValue || x instanceof SetValue) return x.size;
      if (typeof x === 'string') return codePointCount(x);
      throw typeError('count', 1, x, 'array', 'object', 'set', 'string');
    },
  },
  { name: 'sum', decl: fn([NUMBERS], NUMBER), impl: (args) => fold('sum', args, 0, N.add) },
  { name: 'product', decl: fn([NUMBERS], NUMBER), impl: (args) => fold('product', args, 1, N.mul) },
  { name: 'max', decl: fn([ANY_ARRAY_OR_SET], ANY), impl: (args) => extreme('max', args, (c) => c > 0) },
  { name: 'min', decl: fn([ANY_ARRAY_OR_SET], ANY), impl: (args) => extreme('min', args, (c) => c < 0) },
  {
    name: 'sort',
    decl: fn([ANY_ARRAY_OR_SET], ANY_ARRAY),
    impl: (args) => {
      const v = args[0];
      if (v instanceof SetValue) return [...v.values()];
      return [...items('sort', args)].sort(compare);
    },
  },
];
