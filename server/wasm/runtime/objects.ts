// object.union and object.union_n natively (OPA's topdown/object.go): a recursive merge where
// the right operand wins, except that two objects under the same key are merged in turn; any
// other value (sets and arrays included) replaces what was there. The common callers merge a
// settings object over defaults many times per request, which through the host cost two JSON
// round trips each.
import { T_ARR, T_OBJ, arrGet, len, objAppend, objKey, objNew, objVal, objWithCap, tag } from './value';
import { compare } from './compare';
import { elementError, typeError } from './errors';

/** `b` over `a`, both objects. Their entries are sorted by key, so one walk through both builds
 *  the result in order; untouched values are shared, not copied (values are immutable). */
function union(a: u32, b: u32): u32 {
  const na = len(a);
  const nb = len(b);
  // As OPA: an empty side gives the other operand itself.
  if (na == 0) return b;
  if (nb == 0) return a;
  const out = objWithCap(na + nb);
  let i: u32 = 0;
  let j: u32 = 0;
  while (i < na && j < nb) {
    const ka = objKey(a, i);
    const kb = objKey(b, j);
    const c = compare(ka, kb);
    if (c < 0) {
      objAppend(out, ka, objVal(a, i++));
    } else if (c > 0) {
      objAppend(out, kb, objVal(b, j++));
    } else {
      const va = objVal(a, i++);
      const vb = objVal(b, j++);
      // The key as `a` spells it (1 and 1.0 are one key), as OPA's Object.MergeWith keeps it.
      objAppend(out, ka, tag(va) == T_OBJ && tag(vb) == T_OBJ ? union(va, vb) : vb);
    }
  }
  for (; i < na; i++) objAppend(out, objKey(a, i), objVal(a, i));
  for (; j < nb; j++) objAppend(out, objKey(b, j), objVal(b, j));
  return out;
}

export function rt_b_object_union(a: u32, b: u32): u32 {
  if (tag(a) != T_OBJ) return typeError('object.union', 1, 'object', a);
  if (tag(b) != T_OBJ) return typeError('object.union', 2, 'object', b);
  return union(a, b);
}

/** The objects of an array merged left to right (OPA merges right to left, freezing a key once
 *  a non-object overrides it: the same result). */
export function rt_b_object_union_n(xs: u32): u32 {
  if (tag(xs) != T_ARR) return typeError('object.union_n', 1, 'array', xs);
  const n = len(xs);
  for (let i: u32 = 0; i < n; i++) {
    const x = arrGet(xs, i);
    if (tag(x) != T_OBJ) return elementError('object.union_n', 1, xs, 'object', x);
  }
  if (n == 0) return objNew();
  let acc = arrGet(xs, 0);
  for (let i: u32 = 1; i < n; i++) acc = union(acc, arrGet(xs, i));
  return acc;
}
