// METADATA annotations and rego.metadata.rule()/chain(), on both engines.
import { evaluateQuery } from '../../server/engine/query';
import { parseModule } from '../../server/rego/index';
import { toJS } from '../../server/value/value';
import { RegoErrors } from '../../server/rego/errors';

const MODULE = `# METADATA
# title: Example package
package example

# METADATA
# title: Allow rule
# custom:
#   severity: high
allow if rego.metadata.rule().custom.severity == "high"

# METADATA
# title: Chained
chained := rego.metadata.chain()

plain := rego.metadata.rule()
`;

async function value(query: string, engine: 'wasm' | 'interp'): Promise<unknown> {
  const rs = await evaluateQuery({ modules: [{ file: 'm.rego', text: MODULE }], query: `x := ${query}`, engine });
  return toJS(rs[0].bindings.x);
}

describe.each(['wasm', 'interp'] as const)('rego.metadata on %s', (engine) => {
  it('rule() is the rule-scope annotation, {} without one', async () => {
    expect(await value('data.example.allow', engine)).toBe(true);
    expect(await value('data.example.plain', engine)).toEqual({});
  });

  it('chain() runs from the rule out to its package', async () => {
    expect(await value('data.example.chained', engine)).toEqual([
      { path: ['data', 'example', 'chained'], annotations: { scope: 'rule', title: 'Chained' } },
      { path: ['data', 'example'], annotations: { scope: 'package', title: 'Example package' } },
    ]);
  });
});

describe('METADATA blocks', () => {
  it('are attached to the package or rule that follows them', () => {
    const m = parseModule({ file: 'm.rego', text: MODULE });
    expect(m.annotations?.map((a) => a.value)).toEqual([{ scope: 'package', title: 'Example package' }]);
    expect(m.rules[0].annotations?.[0].value).toEqual({ scope: 'rule', title: 'Allow rule', custom: { severity: 'high' } });
  });

  it('with bad YAML or an unknown scope are located parse errors', () => {
    const parseErrors = (text: string) => {
      try {
        parseModule({ file: 'm.rego', text });
        return [];
      } catch (e) {
        return (e as RegoErrors).errors.map((x) => x.toString());
      }
    };
    expect(parseErrors('package p\n\n# METADATA\n# title: [unclosed\np := 1\n')[0]).toMatch(/^m\.rego:3: rego_parse_error: yaml: /);
    expect(parseErrors('package p\n\n# METADATA\n# scope: everything\np := 1\n')).toEqual(["m.rego:3: rego_parse_error: invalid annotation scope 'everything'"]);
  });
});
