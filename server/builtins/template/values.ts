// strings.render_template: values as the executor sees them (Go's reflect.Values over json-decoded data)
import { sprintfGo, type GoArg } from '../gofmt';
import { ObjectValue, SetValue, compareStrings, numberToText, toRegoText, type Value } from '../../value/value';
import { length } from './funcs';

export type TV =
  | { k: 'invalid' } // the zero reflect.Value: a missing key, a nil that was dug out of an interface
  | { k: 'iface'; v: TV } // an interface{} read out of a map or slice; wraps `invalid` for JSON null
  | { k: 'string'; v: string }
  | { k: 'number'; v: string } // json.Number
  | { k: 'bool'; v: boolean }
  | { k: 'int'; v: bigint }
  | { k: 'float'; v: number }
  | { k: 'slice'; v: TV[] }
  | { k: 'map'; v: Map<string, TV> };

export const INVALID: TV = { k: 'invalid' };

export class VarsError extends Error {}

/** The Go value OPA's ast.As (JSON text, then json.Decoder with UseNumber) makes of `v`. */
export function fromRego(v: Value): TV {
  if (v === null) return INVALID;
  switch (typeof v) {
    case 'boolean':
      return { k: 'bool', v };
    case 'number':
    case 'bigint':
      return { k: 'number', v: numberToText(v) };
    case 'string':
      checkString(v);
      return { k: 'string', v };
  }
  if (Array.isArray(v)) return { k: 'slice', v: v.map(fromRego) };
  if (v instanceof SetValue) {
    // A set prints as `{…}`, which Go's JSON decoder cannot read as a map.
    const first = v.values()[0];
    if (first === undefined) throw new VarsError("invalid character 's' looking for beginning of value");
    if (typeof first !== 'string') throw new VarsError(`invalid character '${toRegoText(first)[0]}' looking for beginning of object key string`);
    checkString(first);
    throw new VarsError(`invalid character '${v.size > 1 ? ',' : '}'}' after object key`);
  }
  const m = new Map<string, TV>();
  for (const [k, x] of (v as ObjectValue).entries()) {
    if (typeof k !== 'string') throw new VarsError(`invalid character '${toRegoText(k)[0]}' looking for beginning of object key string`);
    checkString(k);
    m.set(k, fromRego(x));
  }
  return { k: 'map', v: m };
}

/** Go quotes these as \a, \v or \xNN, escapes JSON does not read. */
export function checkString(s: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 8 && c !== 9 && c !== 10 && c !== 12 && c !== 13) || c === 0x7f) {
      const esc = c === 7 ? 'a' : c === 11 ? 'v' : 'x';
      throw new VarsError(`invalid character '${esc}' in string escape code`);
    }
  }
}

export function goTypeName(v: TV): string {
  switch (v.k) {
    case 'invalid':
      return '<nil>';
    case 'iface':
      return 'interface {}';
    case 'string':
      return 'string';
    case 'number':
      return 'json.Number';
    case 'bool':
      return 'bool';
    case 'int':
      return 'int';
    case 'float':
      return 'float64';
    case 'slice':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
  }
}

/** indirectInterface: the value inside an interface (a nil one gives the zero Value). */
export function unwrap(v: TV): TV {
  return v.k === 'iface' ? v.v : v;
}

export function toGoArg(v: TV): GoArg {
  switch (v.k) {
    case 'invalid':
      return { kind: 'nil' };
    case 'iface':
      return toGoArg(v.v);
    case 'string':
      return { kind: 'string', v: v.v };
    case 'number':
      return { kind: 'string', v: v.v, type: 'json.Number' };
    case 'bool':
      return { kind: 'bool', v: v.v };
    case 'int':
      return { kind: 'int', v: v.v };
    case 'float':
      return { kind: 'float', v: v.v };
    case 'slice':
      return { kind: 'slice', items: v.v.map(toGoArg) };
    case 'map':
      return { kind: 'map', entries: sortedKeys(v.v).map((k) => [{ kind: 'string', v: k }, toGoArg(v.v.get(k) as TV)]) };
  }
}

/** Maps are ranged and printed in key order; sorted once per map, not per loop iteration. */
export const SORTED = new WeakMap<Map<string, TV>, string[]>();

export function sortedKeys(m: Map<string, TV>): string[] {
  let keys = SORTED.get(m);
  if (!keys) SORTED.set(m, (keys = [...m.keys()].sort(compareStrings)));
  return keys;
}

export function fmtV(v: TV): string {
  return v.k === 'invalid' ? '<invalid reflect.Value>' : sprintfGo('%v', [toGoArg(v)]);
}

export const stringSize = (v: TV): number => {
  const x = unwrap(v);
  return x.k === 'string' || x.k === 'number' ? x.v.length : 0;
};

/** Go's isTrue (after indirectInterface). */
export function truth(v: TV): boolean {
  const x = unwrap(v);
  switch (x.k) {
    case 'invalid':
      return false;
    case 'string':
    case 'number':
      return x.v.length > 0;
    case 'bool':
      return x.v;
    case 'int':
      return x.v !== 0n;
    case 'float':
      return x.v !== 0;
    case 'slice':
      return x.v.length > 0;
    case 'map':
      return x.v.size > 0;
    case 'iface':
      return true;
  }
}
