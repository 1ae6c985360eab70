// Builtins with a native fast path that hands the rest to the host (ASK_HOST): both engines
// give the same answers on the native part, the host part and the errors.
import { evaluateQuery } from '../../server/engine/query';
import { toRegoText } from '../../server/value/value';

async function both(query: string, strict = false): Promise<string[]> {
  const out: string[] = [];
  for (const engine of ['interp', 'wasm'] as const) {
    try {
      const rs = await evaluateQuery({ modules: [], query: `x := ${query}`, engine, strictBuiltinErrors: strict });
      out.push(rs.length === 0 ? 'undefined' : toRegoText(rs[0].bindings.x));
    } catch (e) {
      out.push(`error: ${(e as Error).message}`);
    }
  }
  return out;
}

describe('native fast paths with host fallback', () => {
  it.each([
    ['sprintf("%s is %d: %v", ["a", 1, {"k": [1, "x"]}])', '"a is 1: {\\"k\\": [1, \\"x\\"]}"'],
    ['sprintf("%5.2f|%-4d|%x", [3.14159, 7, 255])', '" 3.14|7   |ff"'],
    ['sprintf("%d", [123456789123456789123])', '"123456789123456789123"'],
    ['strings.replace_n({"a": "1", "b": "2"}, "abc")', '"12c"'],
    ['strings.replace_n({1: "x"}, "abc")', 'undefined'],
  ])('%s', async (query, want) => {
    expect(await both(query)).toEqual([want, want]);
  });

  it('raises the same strict errors', async () => {
    const [interp, wasm] = await both('strings.replace_n({1: "x"}, "abc")', true);
    expect(interp).toContain('strings.replace_n: operand 1 non-string key found in pattern object');
    expect(wasm).toContain('strings.replace_n: operand 1 non-string key found in pattern object');
  });
});
