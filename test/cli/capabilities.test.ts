// `regent capabilities` prints OPA's capabilities JSON for this build.
import { regent } from './cli';
import { BUILTINS } from '../../server/builtins/catalog';

describe('regent capabilities', () => {
  const r = regent(['capabilities', '--current']);
  const caps = JSON.parse(r.stdout) as {
    builtins: Array<{ name: string; decl: { type: string; args?: unknown[]; result?: unknown }; infix?: string }>;
    future_keywords: string[];
    wasm_abi_versions: Array<{ version: number; minor_version: number }>;
  };

  it('lists every builtin of the catalog with its declared type, sorted by name', () => {
    expect(r.status).toBe(0);
    const names = caps.builtins.map((b) => b.name);
    expect(names).toEqual([...names].sort());
    for (const b of BUILTINS.values()) if (!b.deprecated) expect(names).toContain(b.name);
    const plus = caps.builtins.find((b) => b.name === 'plus');
    expect(plus).toEqual({ name: 'plus', infix: '+', decl: { type: 'function', args: [{ type: 'number' }, { type: 'number' }], result: { type: 'number' } } });
    expect(names).toEqual(expect.arrayContaining(['eq', 'assign', 'print', 'internal.print']));
  });

  it('names the keywords and the Wasm ABI versions the compiled modules implement', () => {
    expect(caps.future_keywords).toEqual(['contains', 'every', 'if', 'in']);
    expect(caps.wasm_abi_versions).toContainEqual({ version: 1, minor_version: 2 });
  });
});
