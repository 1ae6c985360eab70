// Array builtins.
import type { Builtin } from './types';
import { ANY_ARRAY, NUMBER, fn } from './decl';
import { arr, int } from './operands';

export const ARRAYS: Builtin[] = [
  {
    name: 'array.concat',
    decl: fn([ANY_ARRAY, ANY_ARRAY], ANY_ARRAY),
    impl: (args) => [...arr('array.concat', args, 0), ...arr('array.concat', args, 1)],
  },
  {
    name: 'array.slice',
    decl: fn([ANY_ARRAY, NUMBER, NUMBER], ANY_ARRAY),
    impl: (args) => {
      const a = arr('array.slice', args, 0);
      let start = int('array.slice', args, 1);
      let stop = int('array.slice', args, 2);
      // Clamp both ends into [0, len] and never let start pass stop (OPA returns [] then).
      stop = Math.min(Math.max(stop, 0), a.length);
      start = Math.min(Math.max(start, 0), stop);
      return a.slice(start, stop);
    },
  },
  {
    name: 'array.reverse',
    decl: fn([ANY_ARRAY], ANY_ARRAY),
    impl: (args) => [...arr('array.reverse', args, 0)].reverse(),
  },
];
