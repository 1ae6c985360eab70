// `rego.metadata.rule()` and `rego.metadata.chain()` are constants of the rule they appear in:
// the compiler replaces each call with the annotations, as OPA's compiler does.
import type { Annotation, Location, Module, Rule, Term } from '../rego/ast';

/** A literal term for plain YAML/JSON data. */
export function literal(x: unknown, loc: Location): Term {
  if (x === null || x === undefined) return { type: 'null', loc };
  if (typeof x === 'boolean') return { type: 'boolean', value: x, loc };
  if (typeof x === 'number' || typeof x === 'bigint') return { type: 'number', value: String(x), loc };
  if (typeof x === 'string') return { type: 'string', value: x, loc };
  if (x instanceof Date) return { type: 'string', value: x.toISOString(), loc };
  if (Array.isArray(x)) return { type: 'array', items: x.map((v) => literal(v, loc)), loc };
  return { type: 'object', items: Object.entries(x as Record<string, unknown>).map(([k, v]) => [{ type: 'string', value: k, loc }, literal(v, loc)]), loc };
}

export interface RuleMetadata {
  rule: Term;
  chain: Term;
}

/** The two constants for a rule of `mod`. */
export function ruleMetadata(mod: Module, rule: Rule): RuleMetadata {
  const loc = rule.loc;
  const own = rule.annotations ?? [];
  const ruleScope = own.find((a) => a.scope === 'rule');
  const path = ['data', ...mod.package, ...groundRef(rule)];
  const entry = (p: string[], a: Annotation | undefined): Record<string, unknown> => ({ path: p, ...(a ? { annotations: a.value } : {}) });
  // Closest first: the rule (its rule-scope block, else a document-scope one), then the package.
  const chain = [entry(path, ruleScope ?? own.find((a) => a.scope === 'document'))];
  for (const a of mod.annotations ?? []) chain.push(entry(['data', ...mod.package], a));
  return { rule: literal(ruleScope?.value ?? {}, loc), chain: literal(chain, loc) };
}

/** The constant leading part of a rule's head ref, as strings. */
function groundRef(rule: Rule): string[] {
  const out: string[] = [];
  for (const [i, t] of rule.head.ref.entries()) {
    if (i === 0 && t.type === 'var') out.push(t.name);
    else if (t.type === 'string') out.push(t.value);
    else break;
  }
  return out;
}
