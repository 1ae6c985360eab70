import { O, S, errorTable, table, v } from './helpers';
import { call } from './helpers';

describe('aggregates', () => {
  table([
    ['count', [v([1, 2, 3, 4])], 4],
    ['count', [v({ v1: 'hello', v2: 'goodbye' })], 2],
    ['count', [S(1, 2, 3, 4)], 4],
    ['count', ['aåäö'], 4],
    ['count', ['\u{1F367}\u{1F368}'], 2],
    ['count', [''], 0],
    ['sum', [v([1, 2, 3, 4])], 10],
    ['sum', [S(1, 2, 3, 4)], 10],
    ['sum', [v([49649733057, 1])], 49649733058],
    ['sum', [v([9007199254740991, 1])], 9007199254740992n],
    ['sum', [v([0.1, 0.2])], 0.3],
    ['sum', [v([])], 0],
    ['product', [v([1, 2, 3, 4])], 24],
    ['product', [S(1, 2, 3, 4)], 24],
    ['product', [v([])], 1],
    ['product', [v([2n ** 40n, 2n ** 40n])], 2n ** 80n],
    ['max', [S(1, 2, 3, 4)], 4],
    ['max', [v([1, 'a', null])], 'a'],
    ['max', [v([])], undefined],
    ['min', [v([1, 2, 1, 3, 4])], 1],
    ['min', [S(1, 2, 3, 4)], 1],
    ['min', [S()], undefined],
    ['sort', [v([4, 3, 2, 1])], v([1, 2, 3, 4])],
    ['sort', [S(1, 2, 3, 4)], v([1, 2, 3, 4])],
    ['sort', [v([O(['b', 1]), 'a', null, [1]])], v([null, 'a', [1], { b: 1 }])],
  ]);
  errorTable([
    ['count', [1], 'eval_type_error', 'count: operand 1 must be one of {array, object, set, string} but got number'],
    ['sum', [v([1, 'a'])], 'eval_type_error', 'sum: operand 1 must be array of numbers but got array containing string'],
    ['sum', [S(1, 'a')], 'eval_type_error', 'sum: operand 1 must be set of numbers but got set containing string'],
    ['sum', ['a'], 'eval_type_error', 'sum: operand 1 must be one of {set, array} but got string'],
    ['max', [1], 'eval_type_error', 'max: operand 1 must be one of {set, array} but got number'],
  ]);

  test('sort does not mutate its argument', () => {
    const a = v([3, 1, 2]);
    call('sort', a);
    expect(a).toEqual([3, 1, 2]);
  });
});
