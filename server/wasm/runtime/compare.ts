// Rego's total order: null < booleans < numbers < strings < arrays < objects < sets; numbers by
// value (1 == 1.0), strings by UTF-8 bytes (code point order), collections item by item.
import { T_ARR, T_BOOL, T_NULL, T_NUM, T_OBJ, T_SET, T_STR, items, len, strLen, strPtr, tag } from './value';
import { numCompare } from './number';

export function bytesCompare(a: u32, an: u32, b: u32, bn: u32): i32 {
  const n = an < bn ? an : bn;
  const c = memory.compare(a, b, n);
  if (c != 0) return c < 0 ? -1 : 1;
  return an < bn ? -1 : an > bn ? 1 : 0;
}

export function compare(a: u32, b: u32): i32 {
  if (a == b) return 0;
  const ta = tag(a);
  const tb = tag(b);
  if (ta != tb) return ta < tb ? -1 : 1;
  switch (ta) {
    case T_NULL:
      return 0;
    case T_BOOL:
      return <i32>load<u8>(a, 1) - <i32>load<u8>(b, 1);
    case T_NUM:
      return numCompare(a, b);
    case T_STR:
      return bytesCompare(strPtr(a), strLen(a), strPtr(b), strLen(b));
    case T_ARR:
    case T_SET:
      return compareItems(a, b, 1);
    case T_OBJ:
      return compareItems(a, b, 2);
  }
  return 0;
}

/** Item-wise comparison of two collections with `words` u32 values per item. */
function compareItems(a: u32, b: u32, words: u32): i32 {
  const an = len(a);
  const bn = len(b);
  const n = (an < bn ? an : bn) * words;
  const pa = items(a);
  const pb = items(b);
  for (let i: u32 = 0; i < n; i++) {
    const c = compare(load<u32>(pa + (i << 2)), load<u32>(pb + (i << 2)));
    if (c != 0) return c;
  }
  return an < bn ? -1 : an > bn ? 1 : 0;
}
