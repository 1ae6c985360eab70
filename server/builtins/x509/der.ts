// DER
import { GoError } from './errors';

export const BOOL = 0x01;
export const INTEGER = 0x02;
export const BIT_STRING = 0x03;
export const OCTET_STRING = 0x04;
export const OID = 0x06;
export const SEQUENCE = 0x30;
export const SET = 0x31;
export const UTC_TIME = 0x17;
export const GENERALIZED_TIME = 0x18;
/** `[n]` IMPLICIT on a primitive type. */
export const ctx = (n: number) => 0x80 | n;
/** `[n]` on a constructed type (EXPLICIT tags and implicit SEQUENCEs). */
export const ctxC = (n: number) => 0xa0 | n;

export interface Tlv {
  tag: number;
  body: Buffer;
  raw: Buffer;
}

/** Reads DER elements in sequence; every failure throws `err`, Go's message for the context. */
export class Der {
  private pos = 0;

  constructor(
    private readonly buf: Buffer,
    private readonly err: string,
  ) {}

  get empty(): boolean {
    return this.pos >= this.buf.length;
  }

  peek(): number | undefined {
    return this.empty ? undefined : this.buf[this.pos];
  }

  read(tag?: number, err = this.err): Tlv {
    const b = this.buf;
    let p = this.pos;
    if (p + 2 > b.length) throw new GoError(err);
    const id = b[p++];
    // High tag numbers (0x1f) and indefinite lengths (0x80) are not DER X.509.
    if ((id & 0x1f) === 0x1f || (tag !== undefined && id !== tag)) throw new GoError(err);
    let len = b[p++];
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 4 || p + n > b.length) throw new GoError(err);
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + b[p++];
    }
    if (p + len > b.length) throw new GoError(err);
    const t = { tag: id, body: b.subarray(p, p + len), raw: b.subarray(this.pos, p + len) };
    this.pos = p + len;
    return t;
  }

  optional(tag: number, err = this.err): Tlv | undefined {
    return this.peek() === tag ? this.read(tag, err) : undefined;
  }

  /** The contents of the next element, to read from. */
  enter(tag: number, err = this.err): Der {
    return new Der(this.read(tag, err).body, err);
  }
}

export function derInt(t: Tlv, err: string): bigint {
  if (t.body.length === 0) throw new GoError(err);
  const v = BigInt('0x' + t.body.toString('hex'));
  return t.body[0] & 0x80 ? v - (1n << BigInt(t.body.length * 8)) : v;
}

export function smallInt(t: Tlv, err: string): number {
  const v = derInt(t, err);
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw new GoError(err);
  return Number(v);
}

export interface Oid {
  text: string;
  /** As asn1.ObjectIdentifier ([]int): absent when an arc does not fit 31 bits, as in Go. */
  ints: number[] | undefined;
}

export function derOid(t: Tlv, err: string): Oid {
  const b = t.body;
  if (b.length === 0 || b[b.length - 1] & 0x80) throw new GoError(err);
  const values: bigint[] = [];
  let v = 0n;
  for (const byte of b) {
    v = (v << 7n) | BigInt(byte & 0x7f);
    if (!(byte & 0x80)) {
      values.push(v);
      v = 0n;
    }
  }
  const first = values[0];
  const arcs = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  arcs.push(...values.slice(1));
  const fits = arcs.every((a) => a < 1n << 31n);
  return { text: arcs.join('.'), ints: fits ? arcs.map(Number) : undefined };
}

/** An OID that must be an asn1.ObjectIdentifier. */
export function oidInts(t: Tlv, err: string): number[] {
  const o = derOid(t, err);
  if (o.ints === undefined) throw new GoError(err);
  return o.ints;
}

/** A BIT STRING's bytes (what Go's RightAlign gives for whole bytes) and its bit reader. */
export function bitString(t: Tlv, err: string): { bytes: Buffer; bitLength: number; at(i: number): boolean } {
  const b = t.body;
  if (b.length === 0 || b[0] > 7 || (b.length === 1 && b[0] !== 0) || (b[b.length - 1] & ((1 << b[0]) - 1)) !== 0) throw new GoError(err);
  const bytes = b.subarray(1);
  const bitLength = bytes.length * 8 - b[0];
  return { bytes, bitLength, at: (i) => i < bitLength && (bytes[i >> 3] & (0x80 >> (i & 7))) !== 0 };
}
