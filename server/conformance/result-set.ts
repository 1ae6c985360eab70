// The comparable form of a result set, as OPA's harness builds it: each solution becomes an
// object of its bindings in JSON shape (sets → sorted arrays, non-string keys → strings),
// optionally with array bindings sorted, and the solutions are gathered into a set, so order and
// duplicates do not matter and numbers compare by value (1 == 1.0).
import { ObjectValue, SetValue, compare, fromJS, toJSONText, type Value } from '../value/value';
import { jsonShape } from './json-shape';

function bindingObject(row: Record<string, Value>, sortBindings: boolean): ObjectValue {
  const o = new ObjectValue();
  for (const [name, value] of Object.entries(row)) {
    let v = jsonShape(value);
    if (sortBindings && Array.isArray(v)) v = [...v].sort(compare);
    o.set(name, v);
  }
  return o;
}

/** The set of binding objects for actual results (values already in the value model). */
export function actualSet(rows: Array<Record<string, Value>>, sortBindings: boolean): SetValue {
  return SetValue.of(rows.map((r) => bindingObject(r, sortBindings)));
}

/** The set of binding objects for a case's `want_result` (plain YAML data). */
export function expectedSet(rows: Array<Record<string, unknown>>, sortBindings: boolean): SetValue {
  return SetValue.of(
    rows.map((r) => {
      const converted: Record<string, Value> = {};
      for (const [k, x] of Object.entries(r)) converted[k] = fromJS(x);
      return bindingObject(converted, sortBindings);
    }),
  );
}

/** Compact JSON of a result set for failure messages, cut to `max` characters. */
export function showSet(s: SetValue, max = 300): string {
  return truncate(toJSONText(s.values()), max);
}

/**
 * Expected and actual result sets for a failure message. When both are long and share a long
 * prefix, each is shown from just before their first difference, so the difference stays visible.
 */
export function showDifference(want: SetValue, got: SetValue, max = 300): [string, string] {
  const a = toJSONText(want.values());
  const b = toJSONText(got.values());
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const CONTEXT = 40;
  const from = Math.max(a.length, b.length) > max && i > CONTEXT * 2 ? i - CONTEXT : 0;
  const cut = (t: string): string => truncate(from > 0 ? '…' + t.slice(from) : t, max);
  return [cut(a), cut(b)];
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}
