import { S, errorTable, table, v } from './helpers';
import { call } from './helpers';

describe('encoding', () => {
  table([
    ['base64.encode', ['hello'], 'aGVsbG8='],
    ['base64.encode', ['subjects?_d'], 'c3ViamVjdHM/X2Q='],
    ['base64.decode', ['aGVsbG8='], 'hello'],
    ['base64.decode', ['c3ViamVjdHM/X2Q='], 'subjects?_d'],
    ['base64.decode', ['aGVs\nbG8='], 'hello'],
    ['base64.decode', [''], ''],
    ['base64.is_valid', ['aGVsbG8='], true],
    ['base64.is_valid', ['aGVsbG8'], false],
    ['base64.is_valid', ['aGVs_G8='], false],
    ['base64.is_valid', [1], false],
    ['base64url.encode', ['hello'], 'aGVsbG8='],
    ['base64url.encode', ['subjects?_d'], 'c3ViamVjdHM_X2Q='],
    ['base64url.encode_no_pad', ['hello'], 'aGVsbG8'],
    ['base64url.decode', ['aGVsbG8='], 'hello'],
    ['base64url.decode', ['aGVsbG8'], 'hello'],
    ['base64url.decode', ['c3ViamVjdHM_X2Q'], 'subjects?_d'],
    ['hex.encode', ['lorem ipsum'], '6c6f72656d20697073756d'],
    ['hex.decode', ['6c6f72656d20697073756d'], 'lorem ipsum'],
    ['hex.decode', ['4A4b'], 'JK'],
    ['urlquery.encode', ['a=b+1'], 'a%3Db%2B1'],
    ['urlquery.encode', [''], ''],
    ['urlquery.encode', ['a b~é'], 'a+b~%C3%A9'],
    ['urlquery.decode', ['a%3Db%2B1'], 'a=b+1'],
    ['urlquery.decode', ['a+b%C3%A9'], 'a bé'],
    ['urlquery.encode_object', [v({ a: 'b', c: 'd' })], 'a=b&c=d'],
    ['urlquery.encode_object', [v({ a: 'c=b+1' })], 'a=c%3Db%2B1'],
    ['urlquery.encode_object', [v({ a: ['b+1', 'c+2'] })], 'a=b%2B1&a=c%2B2'],
    ['urlquery.encode_object', [v({ a: S('b+1') })], 'a=b%2B1'],
    ['urlquery.decode_object', ['a=value_a1&b=value_b&a=value_a2'], v({ a: ['value_a1', 'value_a2'], b: ['value_b'] })],
    ['urlquery.decode_object', ['a=value_a1&b'], v({ a: ['value_a1'], b: [''] })],
    ['urlquery.decode_object', [''], v({})],
  ]);
  errorTable([
    ['base64.decode', ['aGVsbG8'], 'eval_builtin_error', 'base64.decode: illegal base64 data at input byte'],
    ['base64.decode', ['a$=='], 'eval_builtin_error', 'illegal base64 data at input byte 1'],
    ['base64url.decode', ['a'], 'eval_builtin_error', 'base64url.decode: illegal base64url string: a'],
    ['hex.decode', ['fghijkl'], 'eval_builtin_error', "hex.decode: encoding/hex: invalid byte: U+0067 'g'"],
    ['hex.decode', ['abc'], 'eval_builtin_error', 'encoding/hex: odd length hex string'],
    ['urlquery.decode', ['%zz'], 'eval_builtin_error', 'urlquery.decode: invalid URL escape "%zz"'],
    ['urlquery.decode_object', ['a=%zz'], 'eval_builtin_error', 'invalid URL escape'],
    ['urlquery.encode_object', [v({ a: 1 })], 'eval_type_error', 'urlquery.encode_object: operand 1 values must be string, array[string], or set[string]'],
    ['base64.encode', [1], 'eval_type_error', 'base64.encode: operand 1 must be string but got number'],
  ]);

  test('bytes that are not UTF-8 count one rune each, as in Go', () => {
    const s = call('base64.decode', '2E84ZuPUd7zfvCZSNEchVpDEIj6PL7JfLpIqyxVG16k=');
    expect(call('count', s ?? '')).toBe(30);
  });
});
