// The heap: a bump allocator over the imported memory. OPA's ABI resets it between evaluations
// with opa_heap_ptr_set, so nothing is ever freed one by one.

/** The next free address. Exported (as `regent_heap_base`) so the code generator can move the
 *  heap start past the policy's constants. */
export let heapTop: u32 = 0;

export function heapInit(): void {
  heapTop = (<u32>__heap_base + 15) & ~15;
}

export function alloc(size: u32): u32 {
  const p = heapTop;
  const end = p + ((size + 7) & ~7);
  const have = (<u32>memory.size()) << 16;
  if (end > have) {
    const pages = (end - have + 0xffff) >>> 16;
    if (memory.grow(<i32>pages) < 0) unreachable();
  }
  heapTop = end;
  return p;
}

/** Grows the most recent allocation in place when it is at the top of the heap; else copies. */
export function realloc(p: u32, oldSize: u32, newSize: u32): u32 {
  if (p + ((oldSize + 7) & ~7) == heapTop) {
    heapTop = p;
    const q = alloc(newSize);
    return q; // same address: the bytes are already there
  }
  const q = alloc(newSize);
  memory.copy(q, p, oldSize);
  return q;
}
