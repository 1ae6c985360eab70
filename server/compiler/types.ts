// Type checking of builtin calls against the catalog's declarations. Regent has no full type
// inference (OPA's ast/check.go); what it checks is what needs none: an argument written as a
// literal (`1 + "a"`, `count(5)`) whose type the declaration cannot accept. OPA rejects those
// at compile time with the same code and message shape.
import type { Term } from '../rego/ast';
import { RegoError } from '../rego/errors';
import { lookupBuiltin } from '../builtins/catalog';
import type { Type } from '../builtins/types';

/** The type of a literal term, or undefined when it is not a literal. */
export function literalType(t: Term): Type | undefined {
  switch (t.type) {
    case 'null':
      return { type: 'null' };
    case 'boolean':
      return { type: 'boolean' };
    case 'number':
      return { type: 'number' };
    case 'string':
      return { type: 'string' };
    case 'array': {
      const items = t.items.map(literalType);
      return items.every((x) => x !== undefined) ? { type: 'array', static: items as Type[] } : undefined;
    }
    case 'set': {
      const items = t.items.map(literalType);
      if (!items.every((x) => x !== undefined)) return undefined;
      return { type: 'set', of: items.length === 0 ? { type: 'any' } : { type: 'any', of: items as Type[] } };
    }
    case 'object': {
      const entries: Array<{ key: string; value: Type }> = [];
      for (const [k, v] of t.items) {
        const vt = literalType(v);
        if (k.type !== 'string' || vt === undefined) return undefined;
        entries.push({ key: k.value, value: vt });
      }
      return { type: 'object', static: entries };
    }
    default:
      return undefined;
  }
}

/** Whether a value of type `have` may be passed where `want` is declared. */
export function accepts(want: Type, have: Type): boolean {
  if (want.type === 'any') return !want.of || want.of.length === 0 || want.of.some((w) => accepts(w, have));
  if (have.type === 'any') return !have.of || have.of.length === 0 || have.of.some((h) => accepts(want, h));
  if (want.type !== have.type) return false;
  switch (want.type) {
    case 'array': {
      const h = have as Extract<Type, { type: 'array' }>;
      const items = h.static ?? [];
      return items.every((x, i) => accepts(want.static?.[i] ?? want.dynamic ?? { type: 'any' }, x)) && (!want.static || !h.static || h.static.length === want.static.length);
    }
    case 'set':
      return accepts(want.of, (have as Extract<Type, { type: 'set' }>).of);
    case 'object': {
      const entries = (have as Extract<Type, { type: 'object' }>).static ?? [];
      return entries.every((e) => {
        const declared = want.static?.find((s) => s.key === e.key)?.value ?? want.dynamic?.value;
        return declared === undefined ? !want.static || !!want.dynamic : accepts(declared, e.value);
      });
    }
    default:
      return true;
  }
}

/** OPA's name for a type in messages. */
export function typeText(t: Type): string {
  switch (t.type) {
    case 'any':
      return t.of && t.of.length > 0 ? `any<${t.of.map(typeText).join(', ')}>` : 'any';
    case 'array':
      if (t.static) return `array<${t.static.map(typeText).join(', ')}>`;
      return `array[${typeText(t.dynamic ?? { type: 'any' })}]`;
    case 'set':
      return `set[${typeText(t.of)}]`;
    case 'object':
      if (t.static) return `object<${t.static.map((e) => `${e.key}: ${typeText(e.value)}`).join(', ')}>`;
      return t.dynamic ? `object[${typeText(t.dynamic.key)}: ${typeText(t.dynamic.value)}]` : 'object';
    case 'function':
      return 'function';
    default:
      return t.type;
  }
}

/** A `rego_type_error` for a builtin call with a literal argument its declaration refuses. */
export function checkLiteralArgs(name: string, args: Term[], loc: Term['loc']): RegoError | undefined {
  const decl = lookupBuiltin(name)?.decl;
  if (!decl) return undefined;
  const have = args.slice(0, decl.args.length).map(literalType);
  const bad = have.some((h, i) => h !== undefined && !accepts(decl.args[i], h));
  if (!bad) return undefined;
  const shown = have.map((h) => (h ? typeText(h) : '???'));
  const want = decl.args.map(typeText);
  return new RegoError('rego_type_error', `${name}: invalid argument(s)\n\thave: (${shown.join(', ')})\n\twant: (${want.join(', ')})`, loc);
}
