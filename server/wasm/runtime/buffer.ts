// A growing byte buffer on the heap, for JSON output and error messages. Only one is built at a
// time; while nothing else allocates it grows in place at the top of the heap.
import { alloc, realloc } from './memory';

let base: u32 = 0;
let size: u32 = 0;
let cap: u32 = 0;

export function bufStart(): void {
  cap = 256;
  base = alloc(cap);
  size = 0;
}

export function bufReserve(n: u32): u32 {
  if (size + n > cap) {
    let next = cap * 2;
    if (next < size + n) next = size + n;
    base = realloc(base, cap, next);
    cap = next;
  }
  return base + size;
}

@inline export function bufAdvance(n: u32): void {
  size += n;
}

export function bufByte(b: u32): void {
  store<u8>(bufReserve(1), <u8>b);
  size++;
}

export function bufBytes(p: u32, n: u32): void {
  memory.copy(bufReserve(n), p, n);
  size += n;
}

/** ASCII text from an AssemblyScript literal. */
export function bufAscii(s: string): void {
  const n = <u32>s.length;
  const p = bufReserve(n);
  for (let i: u32 = 0; i < n; i++) store<u8>(p + i, <u8>s.charCodeAt(i));
  size += n;
}

@inline export function bufSize(): u32 {
  return size;
}

@inline export function bufBase(): u32 {
  return base;
}

/** NUL-terminates the buffer and returns its address. */
export function bufFinish(): u32 {
  bufByte(0);
  return base;
}
