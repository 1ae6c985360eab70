import { errorTable, table } from './helpers';

describe('bits', () => {
  table([
    ['bits.and', [7, 9], 1],
    ['bits.and', [50, 0], 0],
    ['bits.or', [4, 1], 5],
    ['bits.xor', [7, 2], 5],
    ['bits.negate', [42], -43],
    ['bits.negate', [-1], 0],
    ['bits.lsh', [1, 3], 8],
    ['bits.lsh', [1, 64], 2n ** 64n],
    ['bits.rsh', [16, 2], 4],
    ['bits.rsh', [-5, 1], -3],
    ['bits.and', [2n ** 70n + 3n, 2], 2],
  ]);
  errorTable([
    ['bits.and', [7.2, 42], 'eval_type_error', 'bits.and: operand 1 must be integer number but got floating-point number'],
    ['bits.negate', [7.2], 'eval_type_error', 'bits.negate: operand 1 must be integer number but got floating-point number'],
    ['bits.or', [1, 'a'], 'eval_type_error', 'bits.or: operand 2 must be integer but got string'],
    ['bits.lsh', [1, -1], 'eval_type_error', 'bits.lsh: operand 2 must be an unsigned integer number but got a negative integer'],
    ['bits.lsh', [1, 2 ** 30], 'eval_builtin_error', 'bits.lsh: shift by more than'],
  ]);
});
