// Strings and times
import { BIT_STRING, GENERALIZED_TIME, INTEGER, OCTET_STRING, OID, Tlv, UTC_TIME, bitString, derInt, oidInts } from './der';
import { GoError } from './errors';

/** Go's PrintableString check, with the `*` and `&` it tolerates in certificates. */
export function isPrintable(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x27 && c <= 0x29) ||
    (c >= 0x2b && c <= 0x2f) ||
    ' :=?*&'.includes(String.fromCharCode(c))
  );
}

export function utf8(b: Buffer): string | undefined {
  const s = b.toString('utf8');
  return Buffer.from(s, 'utf8').equals(b) ? s : undefined;
}

export function bmpString(b: Buffer): string | undefined {
  if (b.length % 2 !== 0) return undefined;
  let end = b.length;
  if (end >= 2 && b[end - 1] === 0 && b[end - 2] === 0) end -= 2;
  const units: number[] = [];
  for (let i = 0; i < end; i += 2) {
    const u = (b[i] << 8) | b[i + 1];
    // UCS-2: no surrogates and no noncharacters.
    if (u === 0xfffe || u === 0xffff || (u >= 0xfdd0 && u <= 0xfdef) || (u >= 0xd800 && u <= 0xdfff)) return undefined;
    units.push(u);
  }
  return String.fromCharCode(...units);
}

export const isAscii = (b: Buffer) => b.every((c) => c < 0x80);

/** Go's parseASN1String: the string types a certificate's names may use. */
export function asn1String(t: Tlv): string {
  const b = t.body;
  let s: string | undefined;
  switch (t.tag) {
    case 0x14: // T61String, read as Latin-1 like Go and BoringSSL
      return b.toString('latin1');
    case 0x13:
      if (!b.every(isPrintable)) throw new GoError('invalid PrintableString');
      return b.toString('latin1');
    case 0x0c:
      s = utf8(b);
      if (s === undefined) throw new GoError('invalid UTF-8 string');
      return s;
    case 0x1e:
      s = bmpString(b);
      if (s === undefined) throw new GoError('invalid BMPString');
      return s;
    case 0x16:
      if (!isAscii(b)) throw new GoError('invalid IA5String');
      return b.toString('latin1');
    case 0x12:
      if (!b.every((c) => (c >= 0x30 && c <= 0x39) || c === 0x20)) throw new GoError('invalid NumericString');
      return b.toString('latin1');
  }
  throw new GoError(`unsupported string type: ${t.tag}`);
}

export interface GoTime {
  /** Unix time in nanoseconds. */
  ns: bigint;
  /** As Go's time.Time marshals: RFC 3339 with the zone it was written in. */
  text: string;
}

export const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * UTCTime or GeneralizedTime. Go reads them with a layout and then insists that formatting the
 * result gives the input back, which rules out fractions (in certificates), `+0000` and
 * out-of-range fields.
 */
export function derTime(t: Tlv, fractions = false): GoTime {
  const s = t.body.toString('latin1');
  const m =
    t.tag === UTC_TIME
      ? /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?(Z|[+-]\d{4})$/.exec(s)
      : t.tag === GENERALIZED_TIME
        ? /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\.\d{1,9})?(Z|[+-]\d{4})$/.exec(s)
        : null;
  const bad = t.tag === UTC_TIME ? 'x509: malformed UTCTime' : t.tag === GENERALIZED_TIME ? 'x509: malformed GeneralizedTime' : 'x509: unsupported time format';
  if (m === null) throw new GoError(bad);
  let year = Number(m[1]);
  if (t.tag === UTC_TIME) year += year < 50 ? 2000 : 1900;
  const [month, day, hour, min] = [m[2], m[3], m[4], m[5]].map(Number);
  const sec = m[6] === undefined ? 0 : Number(m[6]);
  const frac = t.tag === GENERALIZED_TIME ? (m[7] ?? '') : '';
  const zone = t.tag === UTC_TIME ? m[7] : m[8];
  if ((frac !== '' && (!fractions || frac.endsWith('0'))) || zone === '+0000' || zone === '-0000') throw new GoError(bad);
  const ms = Date.UTC(year, month - 1, day, hour, min, sec);
  const d = new Date(ms);
  d.setUTCFullYear(year); // Date.UTC maps years 0..99 to 1900..1999
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day || hour > 23 || min > 59 || sec > 59) throw new GoError(bad);
  const offset = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  const fracNs = frac === '' ? 0n : BigInt(frac.slice(1).padEnd(9, '0'));
  const ns = (BigInt(d.getTime()) - BigInt(offset) * 60_000n) * 1_000_000n + fracNs;
  const zoneText = offset === 0 ? 'Z' : `${zone[0]}${zone.slice(1, 3)}:${zone.slice(3, 5)}`;
  const text = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(min)}:${pad(sec)}${frac}${zoneText}`;
  return { ns, text };
}

/**
 * A value decoded into Go's `interface{}` by encoding/asn1 (CSR names and attributes): strings,
 * int64, OIDs, times and byte slices; anything else (booleans, constructed values) stays nil.
 */
export function asn1Any(t: Tlv): unknown {
  const b = t.body;
  let s: string | undefined;
  switch (t.tag) {
    case 0x13:
      if (!b.every(isPrintable)) throw new GoError('asn1: syntax error: PrintableString contains invalid character');
      return b.toString('latin1');
    case 0x12:
      if (!b.every((c) => (c >= 0x30 && c <= 0x39) || c === 0x20)) throw new GoError('asn1: syntax error: NumericString contains invalid character');
      return b.toString('latin1');
    case 0x16:
      if (!isAscii(b)) throw new GoError('asn1: syntax error: IA5String contains invalid character');
      return b.toString('latin1');
    case 0x14:
      return b.toString('utf8');
    case 0x0c:
      s = utf8(b);
      if (s === undefined) throw new GoError('asn1: syntax error: invalid UTF-8 string');
      return s;
    case 0x1e:
      s = bmpString(b);
      if (s === undefined) throw new GoError('asn1: syntax error: invalid BMPString');
      return s;
    case INTEGER: {
      if (b.length > 8) throw new GoError('asn1: structure error: integer too large');
      return derInt(t, 'asn1: syntax error: empty integer');
    }
    case BIT_STRING: {
      const bits = bitString(t, 'asn1: syntax error: invalid padding bits in BIT STRING');
      return { Bytes: bits.bytes.toString('base64'), BitLength: bits.bitLength };
    }
    case OID:
      return oidInts(t, 'asn1: syntax error: invalid object identifier');
    case UTC_TIME:
    case GENERALIZED_TIME:
      return derTime(t, true).text;
    case OCTET_STRING:
      return b.toString('base64');
  }
  return null;
}
