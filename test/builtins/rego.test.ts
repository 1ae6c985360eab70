// rego.parse_module: a module's AST in OPA's JSON form.
import { runQuery } from '../../server/engine/query';
import { toJS } from '../../server/value/value';

function parse(text: string, strict = false): unknown {
  const rs = runQuery({ modules: [], query: `x := rego.parse_module("m.rego", ${JSON.stringify(text)})`, engine: 'interp', strictBuiltinErrors: strict });
  return rs.length === 0 ? undefined : toJS(rs[0].bindings.x);
}

describe('rego.parse_module', () => {
  it('returns the package, imports and rules as OPA serialises them', () => {
    const ast = parse('package a.b\nimport rego.v1\ndefault allow := false\nallow if input.n > 12345678901234567890\n') as {
      package: unknown;
      imports: unknown[];
      rules: Array<{ default?: boolean; head: { name: string; value: unknown; assign?: boolean }; body: Array<{ index: number; terms: unknown }> }>;
    };
    expect(ast.package).toEqual({ path: [{ type: 'var', value: 'data' }, { type: 'string', value: 'a' }, { type: 'string', value: 'b' }] });
    expect(ast.imports).toEqual([{ path: { type: 'ref', value: [{ type: 'var', value: 'rego' }, { type: 'string', value: 'v1' }] } }]);
    expect(ast.rules[0]).toEqual(expect.objectContaining({ default: true, head: expect.objectContaining({ name: 'allow', assign: true, value: { type: 'boolean', value: false } }) }));
    expect(ast.rules[1].body[0]).toEqual({
      index: 0,
      terms: [
        { type: 'ref', value: [{ type: 'var', value: 'gt' }] },
        { type: 'ref', value: [{ type: 'var', value: 'input' }, { type: 'string', value: 'n' }] },
        { type: 'number', value: 12345678901234567890n },
      ],
    });
  });

  it('is undefined for a module that does not parse, and an error naming it in strict mode', () => {
    expect(parse('package')).toBeUndefined();
    expect(() => parse('package', true)).toThrow(/rego\.parse_module: m\.rego:1: rego_parse_error/);
  });
});
