// Values in the shape OPA gives them when it converts a result to JSON (its harness compares
// results that way, and `opa eval` prints them that way). The value model's own `toJSONText`
// writes composite object keys as Rego text (`{3: 4}`) where OPA writes their JSON (`{"3":4}`).
import { ObjectValue, SetValue, toJSONText, type Value } from '../value/value';

/** The value as it would read back after a JSON round trip (bigints kept exact). */
export function jsonShape(v: Value): Value {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(jsonShape);
  if (v instanceof SetValue) return v.values().map(jsonShape);
  const o = new ObjectValue();
  for (const [k, x] of v.entries()) o.set(jsonKey(k), jsonShape(x));
  return o;
}

/**
 * The string a non-string key becomes when OPA converts a value to JSON: the compact JSON of
 * the key's own JSON form (`1` → "1", `{3: 4}` → `{"3":4}`, `{1, 2}` → `[1,2]`), written as Go's
 * encoder writes it, which escapes <, >, & and the JS line separators.
 */
export function jsonKey(k: Value): string {
  if (typeof k === 'string') return k;
  return toJSONText(jsonShape(k)).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}
