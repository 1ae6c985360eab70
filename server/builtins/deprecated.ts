// Builtins OPA deprecated and Rego v1 removed. They exist only for modules parsed with v0
// syntax; the compiler reports them as undefined functions in v1 modules, as OPA does.
import type { Builtin } from './types';
import { ANY, BOOLEAN, STRING, anyOf, arrayOf, fn, setOf } from './decl';
import { compile } from './regex';
import { str } from './operands';
import { SetValue, type Value } from '../value/value';

function elements(v: Value): Value[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof SetValue) return v.values();
  return undefined;
}

export const DEPRECATED: readonly Builtin[] = [
  {
    name: 'all',
    decl: fn([anyOf(setOf(ANY), arrayOf(ANY))], BOOLEAN),
    impl: (args) => elements(args[0])?.every((x) => x === true),
    deprecated: true,
  },
  {
    name: 'any',
    decl: fn([anyOf(setOf(ANY), arrayOf(ANY))], BOOLEAN),
    impl: (args) => elements(args[0])?.some((x) => x === true),
    deprecated: true,
  },
  {
    name: 're_match',
    decl: fn([STRING, STRING], BOOLEAN),
    impl: (args) => compile('re_match', str('re_match', args, 0)).test(str('re_match', args, 1)),
    deprecated: true,
  },
];
