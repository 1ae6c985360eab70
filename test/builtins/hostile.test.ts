// Hostile input: no builtin may hang or exhaust memory. Each case either refuses with a builtin
// error (strict mode shows it) or answers with a bounded result; the suite's timeout is the
// only clock involved.
import { runQuery } from '../../server/engine/query';
import { toRegoText } from '../../server/value/value';

function outcome(query: string): string {
  try {
    const rs = runQuery({ modules: [], query, engine: 'interp', strictBuiltinErrors: true });
    return rs.length === 0 ? 'undefined' : toRegoText(rs[0].bindings.x);
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

const aaaa = (n: number): string => `concat("", [s | some _ in numbers.range(1, ${n}); s := "a"])`;

describe('builtins on hostile input', () => {
  jest.setTimeout(20_000);

  it.each([
    ['numbers.range of a trillion numbers', 'x := count(numbers.range(1, 1e12))', /error: numbers\.range: range of more than \d+ numbers refused/],
    ['a left shift by a billion bits', 'x := bits.lsh(1, 1e9)', /error: bits\.lsh: shift by more than \d+ bits refused/],
    ['expanding half of IPv4', 'x := count(net.cidr_expand("10.0.0.0/1"))', /error: net\.cidr_expand: more than \d+ addresses/],
    ['units with a huge exponent', 'x := units.parse("1e999999999")', /error: units\.parse: exponent too large/],
    ['deeply nested JSON', `x := json.unmarshal(concat("", [s | some _ in numbers.range(1, 100000); s := "["]))`, /error: json\.unmarshal: exceeded max depth/],
  ])('refuses %s', (_name, query, want) => {
    expect(outcome(query)).toMatch(want);
  });

  it('runs RE2, not a backtracking engine: nested quantifiers stay linear', () => {
    expect(outcome(`x := regex.match("(a+)+$", ${aaaa(5000)})`)).toBe('true');
    expect(outcome(`x := regex.match("(a+)+b", ${aaaa(5000)})`)).toBe('false');
    expect(outcome(`x := glob.match("*a*a*a*a*a*a*a*a*a*b", [], ${aaaa(5000)})`)).toBe('false');
  });

  it('refuses YAML whose aliases expand to billions of values', () => {
    const level = (name: string, ref: string): string => `${name}: &${name} [${new Array(9).fill(`*${ref}`).join(',')}]`;
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]', level('b', 'a'), level('c', 'b'), level('d', 'c'), level('e', 'd'), level('f', 'e'), level('g', 'f'), level('h', 'g'), level('i', 'h')];
    const doc = JSON.stringify(lines.join('\n'));
    expect(outcome(`x := yaml.unmarshal(${doc})`)).toBe('error: yaml.unmarshal: yaml: document contains excessive aliasing');
    expect(outcome(`x := yaml.is_valid(${doc})`)).toBe('false');
    // Aliases used modestly still load.
    expect(outcome(`x := yaml.unmarshal("a: &a [1, 2]\\nb: *a")`)).toBe('{"a": [1, 2], "b": [1, 2]}');
  });

  it('bounds sprintf widths and precisions as Go does (at a million)', () => {
    expect(outcome('x := sprintf("%999999999d", [1])')).toBe('"%!(NOVERB)%!(EXTRA int=1)"');
    expect(outcome('x := sprintf("%*d", [2000000, 1])')).toBe('"%!(BADWIDTH)1"');
    expect(outcome('x := count(sprintf("%1000d", [1]))')).toBe('1000');
  });
});
