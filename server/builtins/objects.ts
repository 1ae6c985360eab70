// Object builtins (object.*). New objects are always built; arguments are never mutated.
import { BuiltinError, type Builtin } from './types';
import { ANY, ANY_ARRAY, ANY_COLLECTION, ANY_OBJECT, ANY_SET, BOOLEAN, anyOf, arrayOf, fn } from './decl';
import { arr, elementError, obj, typeError } from './operands';
import { ObjectValue, SetValue, compare, equal, type Value } from '../value/value';

/** The keys named by an array, set or object (its keys) operand. */
function keysParam(name: string, v: Value): SetValue {
  if (Array.isArray(v)) return SetValue.of(v);
  if (v instanceof SetValue) return v;
  if (v instanceof ObjectValue) return SetValue.of(v.keys());
  throw typeError(name, 2, v, 'object', 'set', 'array');
}

/** Follows a path of keys/indexes through objects, arrays and sets (OPA's Value.Find). */
export function findPath(v: Value, path: Value[]): Value | undefined {
  let cur: Value = v;
  for (const k of path) {
    if (cur instanceof ObjectValue) {
      const next = cur.get(k);
      if (next === undefined) return undefined;
      cur = next;
    } else if (Array.isArray(cur)) {
      if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k >= cur.length) return undefined;
      cur = cur[k];
    } else if (cur instanceof SetValue) {
      if (!cur.has(k)) return undefined;
      cur = k;
    } else return undefined;
  }
  return cur;
}

/** Recursive merge where b wins, except that two objects under the same key are merged. */
export function mergeObjects(a: ObjectValue, b: ObjectValue): ObjectValue {
  const out = a.clone();
  for (const [k, bv] of b.entries()) {
    const av = out.get(k);
    out.set(k, av instanceof ObjectValue && bv instanceof ObjectValue ? mergeObjects(av, bv) : bv);
  }
  return out;
}

function arraySubset(sup: Value[], sub: Value[]): boolean {
  if (sub.length > sup.length) return false;
  // Contiguous occurrence of sub in sup.
  outer: for (let i = 0; i + sub.length <= sup.length; i++) {
    for (let j = 0; j < sub.length; j++) if (compare(sup[i + j], sub[j]) !== 0) continue outer;
    return true;
  }
  return false;
}

function setSubset(sup: SetValue, sub: SetValue): boolean {
  return sub.values().every((x) => sup.has(x));
}

function objectSubset(sup: ObjectValue, sub: ObjectValue): boolean {
  for (const [k, sv] of sub.entries()) {
    const pv = sup.get(k);
    if (pv === undefined) return false;
    if (equal(pv, sv)) continue;
    if (pv instanceof ObjectValue && sv instanceof ObjectValue) {
      if (!objectSubset(pv, sv)) return false;
    } else if (pv instanceof SetValue && sv instanceof SetValue) {
      if (!setSubset(pv, sv)) return false;
    } else if (Array.isArray(pv) && Array.isArray(sv)) {
      if (!arraySubset(pv, sv)) return false;
    } else return false;
  }
  return true;
}

function subset([sup, sub]: Value[]): boolean {
  if (sup instanceof ObjectValue && sub instanceof ObjectValue) return objectSubset(sup, sub);
  if (sup instanceof SetValue && sub instanceof SetValue) return setSubset(sup, sub);
  if (Array.isArray(sup) && Array.isArray(sub)) return arraySubset(sup, sub);
  if (Array.isArray(sup) && sub instanceof SetValue) {
    const have = SetValue.of(sup);
    return sub.values().every((x) => have.has(x));
  }
  // OPA's message repeats the name: it is an ErrOperand prefixed with the builtin's name.
  throw new BuiltinError(
    'eval_type_error',
    'object.subset: both arguments object.subset must be of the same type or array and set',
  );
}

export const OBJECTS: Builtin[] = [
  {
    name: 'object.get',
    decl: fn([ANY_OBJECT, ANY, ANY], ANY),
    impl: (args) => {
      const o = obj('object.get', args, 0);
      const [, key, dflt] = args;
      if (!Array.isArray(key)) return o.get(key) ?? dflt;
      return findPath(o, key) ?? dflt;
    },
  },
  {
    name: 'object.keys',
    decl: fn([ANY_OBJECT], ANY_SET),
    impl: (args) => SetValue.of(obj('object.keys', args, 0).keys()),
  },
  {
    name: 'object.remove',
    decl: fn([ANY_OBJECT, ANY_COLLECTION], ANY),
    impl: (args) => {
      const o = obj('object.remove', args, 0);
      const drop = keysParam('object.remove', args[1]);
      const out = new ObjectValue();
      for (const [k, v] of o.entries()) if (!drop.has(k)) out.set(k, v);
      return out;
    },
  },
  {
    name: 'object.filter',
    decl: fn([ANY_OBJECT, ANY_COLLECTION], ANY),
    impl: (args) => {
      const o = obj('object.filter', args, 0);
      const keep = keysParam('object.filter', args[1]);
      const out = new ObjectValue();
      for (const k of keep.values()) {
        const v = o.get(k);
        if (v !== undefined) out.set(k, v);
      }
      return out;
    },
  },
  {
    name: 'object.subset',
    decl: fn([anyOf(ANY_OBJECT, ANY_SET, ANY_ARRAY), anyOf(ANY_OBJECT, ANY_SET, ANY_ARRAY)], BOOLEAN),
    impl: subset,
  },
  {
    name: 'object.union',
    decl: fn([ANY_OBJECT, ANY_OBJECT], ANY),
    impl: (args) => mergeObjects(obj('object.union', args, 0), obj('object.union', args, 1)),
  },
  {
    name: 'object.union_n',
    decl: fn([arrayOf(ANY_OBJECT)], ANY),
    impl: (args) => {
      const xs = arr('object.union_n', args, 0);
      let out = new ObjectValue();
      for (const x of xs) {
        if (!(x instanceof ObjectValue)) throw elementError('object.union_n', 1, xs, x, 'object');
        out = mergeObjects(out, x);
      }
      return out;
    },
  },
];
