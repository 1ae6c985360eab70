// The "types" family (is_number, type_name, …); the file name avoids clashing with types.ts.
import type { Builtin } from './types';
import { ANY, BOOLEAN, STRING, fn } from './decl';
import { typeOf, type TypeName } from '../value/value';

function is(name: string, t: TypeName): Builtin {
  return { name, decl: fn([ANY], BOOLEAN), impl: ([x]) => typeOf(x) === t };
}

export const TYPE_NAMES: Builtin[] = [
  is('is_number', 'number'),
  is('is_string', 'string'),
  is('is_boolean', 'boolean'),
  is('is_array', 'array'),
  is('is_set', 'set'),
  is('is_object', 'object'),
  is('is_null', 'null'),
  { name: 'type_name', decl: fn([ANY], STRING), impl: ([x]) => typeOf(x) },
];
