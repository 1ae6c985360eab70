import { termToValue } from '../../server/conformance/term-value';
import type { Term } from '../../server/rego/ast';
import { ObjectValue, SetValue, equal } from '../../server/value/value';

const loc = { file: 'input_term', row: 1, col: 1 };

describe('termToValue', () => {
  test('scalars', () => {
    expect(termToValue({ type: 'null', loc })).toBeNull();
    expect(termToValue({ type: 'boolean', value: true, loc })).toBe(true);
    expect(termToValue({ type: 'string', value: 'a', loc })).toBe('a');
    expect(termToValue({ type: 'number', value: '1.5', loc })).toBe(1.5);
    expect(termToValue({ type: 'number', value: '28857836529306024611913', loc })).toBe(28857836529306024611913n);
  });

  test('composites, including sets and non-string object keys', () => {
    const t: Term = {
      type: 'object',
      loc,
      items: [
        [{ type: 'number', value: '1', loc }, { type: 'set', items: [{ type: 'string', value: 'x', loc }], loc }],
        [{ type: 'string', value: 'a', loc }, { type: 'array', items: [{ type: 'null', loc }], loc }],
      ],
    };
    const want = ObjectValue.fromEntries([
      [1, SetValue.of(['x'])],
      ['a', [null]],
    ]);
    expect(equal(termToValue(t), want)).toBe(true);
  });

  test('non-constant terms are rejected', () => {
    expect(() => termToValue({ type: 'var', name: 'x', loc })).toThrow(/not a constant term \(var\)/);
  });
});
