import { errorTable, table, v } from './helpers';

describe('arrays', () => {
  table([
    ['array.concat', [v([1, 2]), v([3, 4])], v([1, 2, 3, 4])],
    ['array.concat', [v([]), v([])], v([])],
    ['array.slice', [v([1, 2, 3]), 0, 0], v([])],
    ['array.slice', [v([1, 2, 3, 4, 5]), 4, 1], v([])],
    ['array.slice', [v([1, 2, 3, 4, 5]), -1, 2], v([1, 2])],
    ['array.slice', [v([1, 2, 3, 4, 5]), 3, 6], v([4, 5])],
    ['array.slice', [v([]), 1000, 2000], v([])],
    ['array.slice', [v([1, 2, 3]), 1000, 2000], v([])],
    ['array.reverse', [v([1, 2, 3])], v([3, 2, 1])],
    ['array.reverse', [v([])], v([])],
  ]);
  errorTable([
    ['array.concat', [v({ v1: 'hello' }), v([3, 4])], 'eval_type_error', 'array.concat: operand 1 must be array but got object'],
    ['array.concat', [v([1, 2]), v({ v1: 'hello' })], 'eval_type_error', 'array.concat: operand 2 must be array but got object'],
    ['array.reverse', [v({ bar: 'baz' })], 'eval_type_error', 'array.reverse: operand 1 must be array but got object'],
    ['array.slice', [v([1]), 0.5, 1], 'eval_type_error', 'array.slice: operand 2 must be integer number but got floating-point number'],
  ]);
});
