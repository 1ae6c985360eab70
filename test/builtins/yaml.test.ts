import { S, errorTable, table, v } from './helpers';

describe('yaml', () => {
  table([
    ['yaml.marshal', [v({ b: [1, 2], a: 'x: y', c: 'yes' })], "a: 'x: y'\nb:\n- 1\n- 2\nc: 'yes'\n"],
    ['yaml.marshal', [S(2, 1)], '- 1\n- 2\n'],
    ['yaml.marshal', [null], 'null\n'],
    ['yaml.marshal', [v({ num: 123456789123456789123n, f: 1.5 })], 'f: 1.5\nnum: 123456789123456789123\n'],
    ['yaml.unmarshal', ['a: 1\nb: [x, "y"]\nc: yes\n'], v({ a: 1, b: ['x', 'y'], c: true })],
    ['yaml.unmarshal', ['num: 123456789123456789123'], v({ num: 123456789123456789123n })],
    ['yaml.unmarshal', ['n: 1'], v({ false: 1 })],
    ['yaml.unmarshal', ['d: 2001-12-14'], v({ d: '2001-12-14' })],
    ['yaml.unmarshal', ['1: a'], v({ '1': 'a' })],
    ['yaml.unmarshal', [''], null],
    ['yaml.unmarshal', ['a: 1\n---\nb: 2\n'], v({ a: 1 })],
    ['yaml.is_valid', ['a: [1, 2]'], true],
    ['yaml.is_valid', ['a: ['], false],
    ['yaml.is_valid', [1], false],
  ]);
  errorTable([['yaml.unmarshal', ['a: ['], 'eval_builtin_error', 'yaml.unmarshal: ']]);
});
