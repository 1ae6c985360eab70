// uuid.parse: the fields of a UUID as OPA reports them (its google/uuid decoding): version and
// variant always; for versions 1 and 2 also the time (Unix ns), clock sequence and node ID (with
// the MAC address flags); for version 2 the local ID and domain. Not a UUID: undefined.
import type { Builtin } from './types';
import { ANY, STRING, fn, objectOf } from './decl';
import { str } from './operands';
import { ObjectValue, normalizeInt, type Value } from '../value/value';

/** 100 ns intervals from the Gregorian reform (1582-10-15) to the Unix epoch. */
const GREGORIAN_TO_UNIX = 122192928000000000n;

/**
 * The 16 bytes of the spellings google/uuid's Parse accepts: canonical, `urn:uuid:…`, 32 bare hex
 * digits, or 38 characters of which it drops the first and ignores the last (meant for `{…}`, but
 * it checks neither brace). Lengths and positions are in bytes, as in Go.
 */
function uuidBytes(s: string): Uint8Array | undefined {
  let b = Buffer.from(s, 'utf8');
  const hexAt = (i: number): number | undefined => {
    const pair = b.subarray(i, i + 2).toString('latin1');
    return /^[0-9a-fA-F]{2}$/.test(pair) ? parseInt(pair, 16) : undefined;
  };
  switch (b.length) {
    case 36:
      break;
    case 36 + 9:
      if (b.subarray(0, 9).toString('latin1').toLowerCase() !== 'urn:uuid:') return undefined;
      b = b.subarray(9);
      break;
    case 36 + 2:
      b = b.subarray(1);
      break;
    case 32: {
      const out = new Uint8Array(16);
      for (let i = 0; i < 16; i++) {
        const v = hexAt(i * 2);
        if (v === undefined) return undefined;
        out[i] = v;
      }
      return out;
    }
    default:
      return undefined;
  }
  if (b[8] !== 0x2d || b[13] !== 0x2d || b[18] !== 0x2d || b[23] !== 0x2d) return undefined;
  const out = new Uint8Array(16);
  const at = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
  for (let i = 0; i < 16; i++) {
    const v = hexAt(at[i]);
    if (v === undefined) return undefined;
    out[i] = v;
  }
  return out;
}

function variant(b: number): string {
  if ((b & 0xc0) === 0x80) return 'RFC4122';
  if ((b & 0xe0) === 0xc0) return 'Microsoft';
  if ((b & 0xe0) === 0xe0) return 'Future';
  return 'Reserved';
}

/** The local/global and unicast/multicast bits of a MAC address's first byte. */
function macVars(b: number): string {
  if ((b & 0b11) === 0b11) return 'local:multicast';
  if (b & 0b01) return 'global:multicast';
  if (b & 0b10) return 'local:unicast';
  return 'global:unicast';
}

const DOMAINS = ['Person', 'Group', 'Org'];

function parse(s: string): Value | undefined {
  const u = uuidBytes(s);
  if (!u) return undefined;
  const view = new DataView(u.buffer);
  const version = u[6] >> 4;
  const out: Array<[string, Value]> = [
    ['version', version],
    ['variant', variant(u[8])],
  ];
  if (version === 1 || version === 2) {
    const t = BigInt(view.getUint32(0)) | (BigInt(view.getUint16(4)) << 32n) | (BigInt(view.getUint16(6) & 0x0fff) << 48n);
    const node = u.slice(10, 16);
    out.push(
      // Go computes Unix ns in int64 arithmetic, which wraps for times before 1678 or after 2262.
      ['time', normalizeInt(BigInt.asIntN(64, (t - GREGORIAN_TO_UNIX) * 100n))],
      ['clocksequence', view.getUint16(8) & 0x3fff],
      ['nodeid', `${macVars(node[0])}:${Buffer.from(node).toString('hex')}`],
    );
    if (version === 2) out.push(['id', view.getUint32(0)], ['domain', DOMAINS[u[9]] ?? `Domain${u[9]}`]);
  }
  return ObjectValue.fromEntries(out);
}

export const UUID: readonly Builtin[] = [
  { name: 'uuid.parse', decl: fn([STRING], objectOf(STRING, ANY)), impl: (args) => parse(str('uuid.parse', args, 0)) },
];
