import { O, S, table, v } from './helpers';

describe('types', () => {
  table([
    ['is_number', [-42.0], true],
    ['is_number', [0], true],
    ['is_number', [2n ** 64n], true],
    ['is_number', [null], false],
    ['is_number', [false], false],
    ['is_string', ['Hello'], true],
    ['is_string', [null], false],
    ['is_boolean', [true], true],
    ['is_boolean', ['Hello'], false],
    ['is_array', [v([1, 2, 3])], true],
    ['is_array', [S(1, 2, 3)], false],
    ['is_set', [v([1, 2, 3])], false],
    ['is_set', [S()], true],
    ['is_object', [O(['foo', 1])], true],
    ['is_object', ['foo'], false],
    ['is_null', [true], false],
    ['is_null', [null], true],
    ['type_name', [null], 'null'],
    ['type_name', [true], 'boolean'],
    ['type_name', [100], 'number'],
    ['type_name', ['s'], 'string'],
    ['type_name', [v([1, 2, 3])], 'array'],
    ['type_name', [S(1, 2, 3)], 'set'],
    ['type_name', [v({ foo: 1 })], 'object'],
  ]);
});
