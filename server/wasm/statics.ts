// The policy's constant data, laid out as ready-made runtime values (see README: string records
// are 16 bytes: tag, byte length, pointer) in one data segment placed where the runtime's heap
// would have started. Constants then cost nothing at evaluation time: an operand is an address.

const TAG_STRING = 4;
const TAG_ARRAY = 5;

export class StaticData {
  private readonly chunks: Array<{ at: number; bytes: Uint8Array }> = [];
  private readonly strings = new Map<string, { rec: number; ptr: number; len: number }>();
  private end: number;

  constructor(readonly base: number) {
    this.end = align(base, 16);
  }

  private reserve(size: number, alignment = 8): number {
    const at = align(this.end, alignment);
    this.end = at + size;
    return at;
  }

  /** Raw bytes; returns their address. */
  bytes(data: Uint8Array): number {
    const at = this.reserve(Math.max(data.length, 1), 8);
    this.chunks.push({ at, bytes: data });
    return at;
  }

  /** A string value record; returns the value pointer. */
  string(s: string): number {
    return this.stringInfo(s).rec;
  }

  /** The address and byte length of a string's UTF-8 bytes (for `opa_number_ref`, JSON blobs). */
  stringBytes(s: string): { ptr: number; len: number } {
    return this.stringInfo(s);
  }

  private stringInfo(s: string): { rec: number; ptr: number; len: number } {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    const utf8 = new TextEncoder().encode(s);
    const ptr = this.bytes(utf8);
    const rec = this.reserve(16, 8);
    const b = new Uint8Array(16);
    const v = new DataView(b.buffer);
    v.setUint8(0, TAG_STRING);
    v.setUint32(4, utf8.length, true);
    v.setUint32(8, ptr, true);
    this.chunks.push({ at: rec, bytes: b });
    const info = { rec, ptr, len: utf8.length };
    this.strings.set(s, info);
    return info;
  }

  /** An array value of strings (e.g. a `with` path); returns the value pointer. */
  stringArray(items: string[]): number {
    const ptrs = items.map((s) => this.string(s));
    const elems = this.reserve(Math.max(4 * ptrs.length, 4), 8);
    const eb = new Uint8Array(Math.max(4 * ptrs.length, 4));
    const ev = new DataView(eb.buffer);
    ptrs.forEach((p, i) => ev.setUint32(4 * i, p, true));
    this.chunks.push({ at: elems, bytes: eb });
    const rec = this.reserve(16, 8);
    const b = new Uint8Array(16);
    const v = new DataView(b.buffer);
    v.setUint8(0, TAG_ARRAY);
    v.setUint32(4, ptrs.length, true);
    v.setUint32(8, ptrs.length, true);
    v.setUint32(12, elems, true);
    this.chunks.push({ at: rec, bytes: b });
    return rec;
  }

  /** The first free address after the data (the new heap start). */
  get limit(): number {
    return align(this.end, 16);
  }

  /** One contiguous segment from `base` to `limit`. */
  segment(): { offset: number; data: Uint8Array } {
    const start = align(this.base, 16);
    const data = new Uint8Array(this.limit - start);
    for (const c of this.chunks) data.set(c.bytes, c.at - start);
    return { offset: start, data };
  }
}

function align(n: number, a: number): number {
  return (n + a - 1) & ~(a - 1);
}
