// uuid.parse: the fields of a UUID as OPA reports them (its google/uuid decoding): version and
// variant always; for versions 1 and 2 also the time (Unix ns), clock sequence and node ID (with
// the MAC address flags); for version 2 the local ID and domain. Not a UUID: undefined.
import type { Builtin } from './types';
import { ANY, STRING, fn, objectOf } from './decl';
import { str } from './operands';
import { ObjectValue, normalizeInt, type Value } from '../value/value';

/** 100 ns intervals from the Gregorian reform (1582-10-15) to the Unix epoch. */
const GREGORIAN_TO_UNIX = 122192928000000000n;

/** The 16 bytes of the accepted spellings: canonical, `{…}`, `urn:uuid:…` or 32 bare hex digits. */
function uuidBytes(s: string): Uint8Array | undefined {
  let hex: string;
  if (s.length === 36 + 9 && s.slice(0, 9).toLowerCase() === 'urn:uuid:') s = s.slice(9);
  else if (s.length === 38 && s[0] === '{' && s[37] === '}') s = s.slice(1, 37);
  if (s.length === 36) {
    if (s[8] !== '-' || s[13] !== '-' || s[18] !== '-' || s[23] !== '-') return undefined;
    hex = s.slice(0, 8) + s.slice(9, 13) + s.slice(14, 18) + s.slice(19, 23) + s.slice(24);
  } else if (s.length === 32) hex = s;
  else return undefined;
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return undefined;
  return Uint8Array.from(Buffer.from(hex, 'hex'));
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
      ['time', normalizeInt((t - GREGORIAN_TO_UNIX) * 100n)],
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
