import { O, S, errorTable, table, v } from './helpers';
import { call } from './helpers';

describe('objects', () => {
  table([
    ['object.get', [v({ a: 'b' }), 'a', 'c'], 'b'],
    ['object.get', [O([1, 2]), 1, 3], 2],
    ['object.get', [O([1, 2]), 2, 3], 3],
    ['object.get', [v({ a: { b: 'c' } }), 'a', true], v({ b: 'c' })],
    ['object.get', [v({ a: { b: 'c' } }), 'b', true], true],
    ['object.get', [v({ a: 1 }), v([]), 2], v({ a: 1 })],
    ['object.get', [v({ a: 1 }), v(['a']), 2], 1],
    ['object.get', [v({ a: { b: { c: 1 } } }), v(['a', 'b', 'c']), 2], 1],
    ['object.get', [v({ a: { b: 1 } }), v(['b', 'a']), 2], 2],
    ['object.get', [O([1, O(['b', O([v([1, 2, 3]), 1])])]), v([1, 'b', [1, 2, 3]]), 2], 1],
    ['object.get', [v({ a: { b: [1, 2, 3] } }), v(['a', 'b', 'a']), 2], 2],
    ['object.get', [v({ a: { b: [{ c: 1 }] } }), v(['a', 'b', 0, 'c']), 2], 1],
    ['object.get', [v({ a: { b: S('x') } }), v(['a', 'b', 'x']), 2], 'x'],
    ['object.keys', [v({ a: 1, b: 2 })], S('a', 'b')],
    ['object.keys', [O([1, 1], [2, 2])], S(1, 2)],
    ['object.keys', [v({})], S()],
    ['object.remove', [v({ a: 1, b: { c: 3 } }), S('a')], v({ b: { c: 3 } })],
    ['object.remove', [v({ a: 1, b: { c: 3 }, d: 4 }), v(['d', 'b'])], v({ a: 1 })],
    ['object.remove', [v({ a: 1, b: { c: 3 }, d: 4 }), v({ b: 1, d: '' })], v({ a: 1 })],
    ['object.remove', [v({ a: { b: { c: 2 } }, x: 123 }), v({ a: { b: { foo: 'bar' } } })], v({ x: 123 })],
    ['object.remove', [v({}), S('a', 'b')], v({})],
    ['object.remove', [v({ a: 1 }), S()], v({ a: 1 })],
    ['object.remove', [v({ a: 1 }), S('z')], v({ a: 1 })],
    ['object.filter', [v({ a: 1, b: 2, c: 3 }), v(['a', 'c', 'z'])], v({ a: 1, c: 3 })],
    ['object.filter', [v({ a: 1, b: 2 }), v({ b: null })], v({ b: 2 })],
    ['object.union', [v({}), v({})], v({})],
    ['object.union', [v({}), v({ a: 1 })], v({ a: 1 })],
    ['object.union', [v({ a: { b: { c: 1 } } }), v({ b: 2 })], v({ a: { b: { c: 1 } }, b: 2 })],
    ['object.union', [v({ a: 1 }), v({ a: 2 })], v({ a: 2 })],
    ['object.union', [v({ a: 1 }), v({ a: { b: { c: 1 } }, d: 7 })], v({ a: { b: { c: 1 } }, d: 7 })],
    [
      'object.union',
      [v({ a: { b: { c: 1 } }, e: 1 }), v({ a: { b: 'foo', b1: 'bar' }, d: 7, e: 17 })],
      v({ a: { b: 'foo', b1: 'bar' }, d: 7, e: 17 }),
    ],
    ['object.union_n', [v([{}])], v({})],
    ['object.union_n', [v([{ foo: 'bar' }, { x: 'y' }])], v({ foo: 'bar', x: 'y' })],
    ['object.union_n', [v([{ foo: 'bar' }, { foo: 'baz' }])], v({ foo: 'baz' })],
    ['object.union_n', [v([{ a: { b: 2 } }, { a: 4 }, { a: { c: 3 } }])], v({ a: { c: 3 } })],
    [
      'object.union_n',
      [v([{ a: 1, b: 2, c: 3 }, { foo: 'baz', a: 'a', b: 2, d: 4 }, { a: 'final A!', e: 5.0 }])],
      v({ a: 'final A!', b: 2, c: 3, d: 4, e: 5, foo: 'baz' }),
    ],
    ['object.subset', [v({ a: 5, b: 7, c: 15 }), v({ a: 5 })], true],
    ['object.subset', [v({ a: 5 }), v({ a: 5, b: 7 })], false],
    ['object.subset', [v({ a: 5, b: 7 }), v({ a: 5, b: 10 })], false],
    ['object.subset', [v({ a: 5, n: { x: 10, y: 15, z: 20 } }), v({ n: { x: 10, y: 15 } })], true],
    [
      'object.subset',
      [O(['n', O(['s', S(1, 2, 3, 4)], ['a', v([6, 7, 8, 9])])]), O(['n', O(['s', S(4, 1)], ['a', v([6, 7])])])],
      true,
    ],
    ['object.subset', [S(1, 2, 3), S(3, 2)], true],
    ['object.subset', [S(1, 2, 3, S('a', 'b', 'c')), S(3, 2, S('a', 'b'))], false],
    ['object.subset', [v([1, 2, 3, 4, 5, 6]), v([3, 4, 5])], true],
    ['object.subset', [v([1, 2, 3, 4, 5, 6]), v([4, 5, 6, 8])], false],
    ['object.subset', [v([1, 2, 3, 4, 5, 6]), v([1, 3])], false],
    ['object.subset', [v([1, 2, 3, 4, 5, 6]), S(4, 3, 2)], true],
    ['object.subset', [v([1, 2, 3, 4, 5, 6]), S(9, 8, 7)], false],
  ]);
  errorTable([
    ['object.get', ['object', v(['a']), 2], 'eval_type_error', 'object.get: operand 1 must be object but got string'],
    ['object.keys', ['object'], 'eval_type_error', 'object.keys: operand 1 must be object but got string'],
    ['object.remove', [v(['a']), S('a')], 'eval_type_error', 'object.remove: operand 1 must be object but got array'],
    ['object.remove', [false, S('a')], 'eval_type_error', 'object.remove: operand 1 must be object but got boolean'],
    ['object.remove', [v({ a: 1 }), 'foo'], 'eval_type_error', 'object.remove: operand 2 must be one of {object, set, array} but got string'],
    ['object.remove', [v({ a: 1 }), null], 'eval_type_error', 'object.remove: operand 2 must be one of {object, set, array} but got null'],
    ['object.union', [v([1, 2, 3]), v({ b: 2 })], 'eval_type_error', 'object.union: operand 1 must be object but got array'],
    ['object.union', [v({ a: 1 }), v([1])], 'eval_type_error', 'object.union: operand 2 must be object but got array'],
    ['object.union_n', [v([{ foo: 1 }, { bar: 2 }, 'baz'])], 'eval_type_error', 'object.union_n: operand 1 must be array of objects but got array containing string'],
    ['object.subset', [S(1), v([1])], 'eval_type_error', 'object.subset: both arguments object.subset must be of the same type or array and set'],
  ]);

  test('object.union does not mutate its arguments', () => {
    const a = v({ a: { b: 1 } });
    const b = v({ a: { c: 2 } });
    call('object.union', a, b);
    expect(call('object.keys', call('object.get', a, 'a', null) ?? null)).toEqual(S('b'));
  });
});
