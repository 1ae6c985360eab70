// `regent capabilities` — what this build of Regent supports, in OPA's capabilities format
// (`opa capabilities --current`): every builtin with its declared type, the future keywords,
// the Wasm ABI versions its modules implement, and the language features.
import { Command } from 'commander';
import { BUILTINS } from '../builtins/catalog';
import type { FunctionType, Type } from '../builtins/types';
import { FUTURE_KEYWORDS } from '../rego/cursor';

interface CapabilityBuiltin {
  name: string;
  decl: FunctionType & { variadic?: Type };
  infix?: string;
  relation?: boolean;
  nondeterministic?: boolean;
}

/** Calls the compiler handles itself (rego.metadata.* become constants); OPA lists them as builtins too. */
const LANGUAGE: CapabilityBuiltin[] = [
  { name: 'assign', infix: ':=', decl: { type: 'function', args: [{ type: 'any' }, { type: 'any' }], result: { type: 'boolean' } } },
  { name: 'eq', infix: '=', decl: { type: 'function', args: [{ type: 'any' }, { type: 'any' }], result: { type: 'boolean' } } },
  { name: 'print', decl: { type: 'function', args: [], variadic: { type: 'any' } } },
  { name: 'rego.metadata.chain', decl: { type: 'function', args: [], result: { type: 'array', dynamic: { type: 'any' } } } },
  { name: 'rego.metadata.rule', decl: { type: 'function', args: [], result: { type: 'any' } } },
  {
    name: 'internal.print',
    decl: { type: 'function', args: [{ type: 'array', dynamic: { type: 'set', of: { type: 'any' } } }] },
  },
];

export function capabilities(): object {
  const builtins: CapabilityBuiltin[] = [...LANGUAGE];
  for (const b of BUILTINS.values()) {
    if (b.deprecated) continue; // v0-only: not part of what a v1 policy may call
    builtins.push({
      name: b.name,
      decl: b.decl,
      ...(b.infix ? { infix: b.infix } : {}),
      ...(b.relation ? { relation: true } : {}),
      ...(b.nondeterministic ? { nondeterministic: true } : {}),
    });
  }
  builtins.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    builtins,
    future_keywords: [...FUTURE_KEYWORDS],
    wasm_abi_versions: [
      { version: 1, minor_version: 1 },
      { version: 1, minor_version: 2 },
    ],
    features: ['rule_head_ref_string_prefixes', 'rule_head_refs', 'rego_v1'],
  };
}

export function capabilitiesCommand(): Command {
  return new Command('capabilities')
    .description("print the builtins, keywords and Wasm ABI versions this build supports (OPA's capabilities JSON)")
    .option('--current', 'the capabilities of this build (the only set Regent knows; accepted for OPA compatibility)')
    .action(() => {
      process.stdout.write(JSON.stringify(capabilities(), null, 2) + '\n');
    });
}
