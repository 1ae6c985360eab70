import { O, S, errorTable, table, v } from './helpers';

const row = (format: string, args: unknown[], want: string): [string, ReturnType<typeof v>[], string] => [
  'sprintf',
  [format, v(args)],
  want,
];

describe('sprintf (Go fmt verbs)', () => {
  table([
    row('hi', [], 'hi'),
    row('hi %02d', [5], 'hi 05'),
    row('hi %02X.%02X', [127, 1], 'hi 7F.01'),
    row('hi %.2f', [3.1415], 'hi 3.14'),
    row('hi %s', [true], 'hi true'),
    row('hi %v', [['there', 5, 3.14]], 'hi ["there", 5, 3.14]'),
    row('%s', [123456789123456789123n], '123456789123456789123'),
    row('%s', [1208925819614629174706175n], '1208925819614629174706175'),
    row('%d', [-42], '-42'),
    row('%5d|%-5d|%05d', [42, 42, -42], '   42|42   |-0042'),
    row('%+d % d', [5, 5], '+5  5'),
    row('%x %X %o %b', [255, 255, 8, 5], 'ff FF 10 101'),
    row('%#x %#o', [255, 8], '0xff 010'),
    row('%c %q %U', [65, 65, 0x1f600], "A 'A' U+1F600"),
    row('%v', [1.5], '1.5'),
    row('%v %v', [1e-7, 123456789.5], '1e-07 1.234567895e+08'),
    row('%f', [1.5], '1.500000'),
    row('%.0f %.0f %.1f', [0.5, 1.5, 0.25], '0 2 0.2'),
    row('%e', [1234.5678], '1.234568e+03'),
    row('%g %g', [100000.5, 0.00001], '100000.5 1e-05'),
    row('%.3g', [1234.5678], '1.23e+03'),
    row('%8.3f|%-8.3f|', [3.14159, 3.14159], '   3.142|3.142   |'),
    row('%s %v', ['a', 'b'], 'a b'),
    row('%q', ['a"b\n'], '"a\\"b\\n"'),
    row('%5s|%-5s|%.2s', ['ab', 'ab', 'abc'], '   ab|ab   |ab'),
    row('%x %X', ['hi', 'hi'], '6869 6869'),
    row('%v', [{ a: 1 }], '{"a": 1}'),
    row('%v %v', [null, [1, 'a']], 'null [1, "a"]'),
    row('%d', ['x'], '%!d(string=x)'),
    row('%s', [5], '%!s(int=5)'),
    row('%d', [1.5], '%!d(float64=1.5)'),
    row('%t', [true], '%!t(string=true)'),
    row('%d %d', [1], '1 %!d(MISSING)'),
    row('%d', [1, 'x'], '1%!(EXTRA string=x)'),
    row('100%%', [], '100%'),
    row('%[2]d %[1]d', [1, 2], '2 1'),
    row('%*d', [5, 42], '   42'),
    row('%', [], '%!(NOVERB)'),
    row('%d', [2n ** 70n], '1180591620717411303424'),
    row('%x', [2n ** 70n], '400000000000000000'),
  ]);
  table([
    ['sprintf', ['%v', v([S(1, 2)])], '{1, 2}'],
    ['sprintf', ['%v %d', [1e21, 1e21]], '1e+21 %!d(float64=1e+21)'],
    ['sprintf', ['%v', v([S()])], 'set()'],
    ['sprintf', ['%v', v([O([1, 'x'])])], '{1: "x"}'],
  ]);
  errorTable([
    ['sprintf', ['%d', 1], 'eval_type_error', 'sprintf: operand 2 must be array but got number'],
    ['sprintf', [1, v([])], 'eval_type_error', 'sprintf: operand 1 must be string but got number'],
  ]);
});
