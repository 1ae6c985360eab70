import { lookupBuiltin } from '../../server/builtins/catalog';
import { ObjectValue, fromJS } from '../../server/value/value';
import { context } from './helpers';

const impl = (name: string) => lookupBuiltin(name)!.impl;

describe('runtime builtins', () => {
  it('opa.runtime is {} without runtime info, else what the context provides', () => {
    expect(impl('opa.runtime')([], context())).toEqual(new ObjectValue());
    const ctx = { ...context(), runtime: fromJS({ env: { HOME: '/root' } }) };
    expect(impl('opa.runtime')([], ctx)).toBe(ctx.runtime);
  });

  it('rand.intn and uuid.rfc4122 answer the same within one evaluation', () => {
    const ctx = context();
    const a = impl('rand.intn')(['seed', 1000], ctx);
    expect(impl('rand.intn')(['seed', 1000], ctx)).toBe(a);
    expect(typeof a).toBe('number');
    expect(impl('rand.intn')(['x', 0], ctx)).toBe(0);
    const u = impl('uuid.rfc4122')(['k'], ctx) as string;
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(impl('uuid.rfc4122')(['k'], ctx)).toBe(u);
  });

  it('trace hands its note to the context', () => {
    const notes: string[] = [];
    expect(impl('trace')(['hello'], { ...context(), trace: (n) => notes.push(n) })).toBe(true);
    expect(notes).toEqual(['hello']);
  });
});
