import { errorTable, table } from './helpers';

describe('conversions', () => {
  table([
    ['to_number', [null], 0],
    ['to_number', [true], 1],
    ['to_number', [false], 0],
    ['to_number', [-3.5], -3.5],
    ['to_number', ['1'], 1],
    ['to_number', ['-1.5'], -1.5],
    ['to_number', ['+7'], 7],
    ['to_number', ['1e3'], 1000],
    ['to_number', ['.5'], 0.5],
    ['to_number', ['123456789123456789123'], 123456789123456789123n],
  ]);
  errorTable([
    ['to_number', ['abc'], 'eval_builtin_error', 'to_number: strconv.ParseFloat: parsing "abc": invalid syntax'],
    ['to_number', ['1e999'], 'eval_builtin_error', 'value out of range'],
    ['to_number', ['Inf'], 'eval_type_error', 'to_number: operand 1 must be valid number string but got string'],
    ['to_number', ['-nan'], 'eval_type_error', 'must be valid number string'],
    ['to_number', [[1]], 'eval_type_error', 'to_number: operand 1 must be one of {null, boolean, number, string} but got array'],
  ]);
});
