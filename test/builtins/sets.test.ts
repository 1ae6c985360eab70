import { S, errorTable, table } from './helpers';

describe('sets', () => {
  table([
    ['and', [S(3, 2, 3), S(3, 4)], S(3)],
    ['or', [S(3, 2), S(3, 4)], S(2, 3, 4)],
    ['intersection', [S(S(), S(1, 2))], S()],
    ['intersection', [S(S(1, 2, 3), S(2))], S(2)],
    ['intersection', [S(S(1, 2, 3), S(2, 3, 4), S(4, 5, 6))], S()],
    ['intersection', [S(S('a', 'b', 'c', 'd'), S('b', 'c', 'd'), S('c', 'd'), S('d'))], S('d')],
    ['intersection', [S()], S()],
    ['union', [S()], S()],
    ['union', [S(S(), S(1, 2))], S(1, 2)],
    ['union', [S(S(1, 2, 3), S(2, 3, 4), S(4, 5, 6))], S(1, 2, 3, 4, 5, 6)],
  ]);
  errorTable([
    ['and', [S(1), [1]], 'eval_type_error', 'and: operand 2 must be set but got array'],
    ['or', [1, S()], 'eval_type_error', 'or: operand 1 must be set but got number'],
    ['union', [S(1)], 'eval_type_error', 'union: operand 1 must be set but got number'],
    ['intersection', [[S()]], 'eval_type_error', 'intersection: operand 1 must be set but got array'],
  ]);
});
