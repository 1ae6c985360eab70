import { table, v } from './helpers';
import { lookupBuiltin } from '../../server/builtins/catalog';
import { toJS } from '../../server/value/value';
import { context } from './helpers';

const schema = v({ type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] });

describe('json schema', () => {
  table([
    ['json.verify_schema', [schema], v([true, null])],
    ['json.verify_schema', ['{"type": "string"}'], v([true, null])],
    ['json.match_schema', [v({ id: 5 }), schema], v([true, []])],
  ]);

  it('reports each violation with OPA\'s error shape', () => {
    const r = toJS(lookupBuiltin('json.match_schema')!.impl([v({ id: 'x' }), schema], context())!) as [boolean, Array<Record<string, string>>];
    expect(r[0]).toBe(false);
    expect(r[1]).toEqual([{ error: 'id: must be integer', type: 'type', field: 'id', desc: 'must be integer' }]);
    const missing = toJS(lookupBuiltin('json.match_schema')!.impl([v({}), schema], context())!) as [boolean, Array<Record<string, string>>];
    expect(missing[1][0]).toMatchObject({ type: 'required', field: 'id' });
  });

  it('an invalid schema is reported by verify_schema', () => {
    const r = toJS(lookupBuiltin('json.verify_schema')!.impl([v({ type: 12 })], context())!) as [boolean, string];
    expect(r[0]).toBe(false);
    expect(typeof r[1]).toBe('string');
  });
});
