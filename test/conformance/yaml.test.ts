import { parseYaml } from '../../server/conformance/yaml';

describe('parseYaml', () => {
  test('integers beyond 2^53 become exact bigints', () => {
    expect(parseYaml('a: 28857836529306024611913\nb: -1705257221593912000')).toEqual({
      a: 28857836529306024611913n,
      b: -1705257221593912000n,
    });
  });

  test('safe integers and floats stay numbers', () => {
    expect(parseYaml('[1, -5, 9007199254740991, 1.5, 2.0, 0x10]')).toEqual([1, -5, 9007199254740991, 1.5, 2, 16]);
  });

  test('big hexadecimal and explicitly tagged integers keep their value', () => {
    expect(parseYaml('0x20000000000001')).toBe(0x20000000000001n);
    expect(parseYaml('!!int -0x20000000000001')).toBe(-0x20000000000001n);
  });

  test('JSON text parses, keeping big integers', () => {
    expect(parseYaml('{"n": 12345678901234567890, "s": "\\u00e9"}', 'x.json', { json: true })).toEqual({
      n: 12345678901234567890n,
      s: 'é',
    });
  });

  test('floats by the JSON reader\'s number rule: integers exact however written, .inf as YAML has it', () => {
    expect(parseYaml('[1e400, +1.8446744073709551615e19, 2.50e1, 1.5e-400, .5, .inf, -.Inf]')).toEqual([
      10n ** 400n,
      18446744073709551615n,
      25,
      0,
      0.5,
      Infinity,
      -Infinity,
    ]);
    expect(parseYaml('x: "1e400"')).toEqual({ x: '1e400' });
  });

  test('strings that look like numbers when quoted stay strings', () => {
    expect(parseYaml('x: "28857836529306024611913"')).toEqual({ x: '28857836529306024611913' });
  });
});
