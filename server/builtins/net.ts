// CIDR builtins (net.cidr_*), with Go's net.ParseIP/ParseCIDR rules: strict dotted IPv4 (no
// leading zeros), IPv6 without zones, and IPv4 addresses matching IPv4-mapped IPv6 forms.
// Addresses are handled as 128-bit bigints (IPv4 as ::ffff:a.b.c.d).
import * as ipaddr from 'ipaddr.js';
import type { Builtin, BuiltinContext } from './types';
import { ANY, ANY_ARRAY, ANY_OBJECT, ANY_SET, BOOLEAN, STRING, anyOf, arrayOf, fn, setOf } from './decl';
import { builtinError, str } from './operands';
import { runBlocking } from './blocking';
import { ObjectValue, SetValue, type Value } from '../value/value';

const V4_MAPPED = 0xffffn << 32n;
const ALL32 = (1n << 32n) - 1n;
const ALL128 = (1n << 128n) - 1n;

/** Most addresses net.cidr_expand will list; a /8 would be 16M strings. */
export const MAX_EXPAND = 1 << 20;

const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

interface Addr {
  /** 128-bit form (IPv4 as IPv4-mapped). */
  n: bigint;
  /** Written as dotted IPv4. */
  v4: boolean;
}

interface Net {
  v4: boolean;
  /** Network number in the family's width (32 or 128 bits). */
  base: bigint;
  prefix: number;
}

function parseV4(s: string): bigint | undefined {
  if (!V4.test(s)) return undefined;
  return s.split('.').reduce((acc, part) => (acc << 8n) | BigInt(part), 0n);
}

export function parseIP(s: string): Addr | undefined {
  const v4 = parseV4(s);
  if (v4 !== undefined) return { n: V4_MAPPED | v4, v4: true };
  if (s.includes('%') || !ipaddr.IPv6.isValid(s)) return undefined;
  // An embedded dotted quad obeys the same strict IPv4 rules.
  const dotted = /:([^:]*\.[^:]*)$/.exec(s);
  if (dotted && parseV4(dotted[1]) === undefined) return undefined;
  const bytes = ipaddr.IPv6.parse(s).toByteArray();
  return { n: bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n), v4: false };
}

function width(net: Net): number {
  return net.v4 ? 32 : 128;
}

function hostMask(net: Net): bigint {
  return (1n << BigInt(width(net) - net.prefix)) - 1n;
}

export function parseCIDR(s: string): Net | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIP(s.slice(0, slash));
  const mask = s.slice(slash + 1);
  if (ip === undefined || !/^\d{1,3}$/.test(mask)) return undefined;
  const prefix = Number(mask);
  const net: Net = { v4: ip.v4, base: 0n, prefix };
  if (prefix > width(net)) return undefined;
  const value = ip.v4 ? ip.n & ALL32 : ip.n;
  net.base = value & ~hostMask(net) & (ip.v4 ? ALL32 : ALL128);
  return net;
}

/** Go's IPNet.Contains: an IPv4 net only holds IPv4 (or IPv4-mapped) addresses. */
function contains(net: Net, a: Addr): boolean {
  let value: bigint;
  if (net.v4) {
    if (a.n >> 32n !== 0xffffn) return false;
    value = a.n & ALL32;
  } else value = a.n;
  return (value & ~hostMask(net)) === net.base;
}

function firstAddr(net: Net): Addr {
  return net.v4 ? { n: V4_MAPPED | net.base, v4: true } : { n: net.base, v4: false };
}

function lastAddr(net: Net): Addr {
  const last = net.base | hostMask(net);
  return net.v4 ? { n: V4_MAPPED | last, v4: true } : { n: last, v4: false };
}

function ipText(n: bigint, v4: boolean): string {
  if (v4 || n >> 32n === 0xffffn) {
    const x = n & ALL32;
    return [24n, 16n, 8n, 0n].map((sh) => ((x >> sh) & 255n).toString()).join('.');
  }
  const bytes: number[] = [];
  for (let sh = 120n; sh >= 0n; sh -= 8n) bytes.push(Number((n >> sh) & 255n));
  return (ipaddr.fromByteArray(bytes) as ipaddr.IPv6).toRFC5952String();
}

function netText(net: Net): string {
  return `${ipText(net.v4 ? V4_MAPPED | net.base : net.base, net.v4)}/${net.prefix}`;
}

function cidrOrThrow(name: string, s: string): Net {
  const net = parseCIDR(s);
  if (net === undefined) throw builtinError(name, `invalid CIDR address: ${s}`);
  return net;
}

function cidrContains(name: string, a: string, b: string): boolean {
  const net = cidrOrThrow(name, a);
  const ip = parseIP(b);
  if (ip !== undefined) return contains(net, ip);
  const inner = parseCIDR(b);
  if (inner === undefined) throw builtinError(name, `not a valid textual representation of an IP address or CIDR: ${b}`);
  return contains(net, firstAddr(inner)) && contains(net, lastAddr(inner));
}

/** Each (cidr, key) of a cidr_contains_matches operand: a string, or a collection of them. */
function matchItems(pos: number, v: Value): Array<[string, Value]> {
  const cidrOf = (x: Value): string => {
    if (typeof x === 'string') return x;
    if (Array.isArray(x) && x.length > 0 && typeof x[0] === 'string') return x[0];
    throw builtinError('net.cidr_contains_matches', `operand ${pos}: element must be string or non-empty array`);
  };
  if (typeof v === 'string') return [[v, v]];
  if (Array.isArray(v)) return v.map((x, i) => [cidrOf(x), i]);
  if (v instanceof SetValue) return v.values().map((x) => [cidrOf(x), x]);
  if (v instanceof ObjectValue) return v.entries().map(([k, x]) => [cidrOf(x), k]);
  return [];
}

function expand(args: Value[]): SetValue {
  const net = cidrOrThrow('net.cidr_expand', str('net.cidr_expand', args, 0));
  const size = hostMask(net) + 1n;
  if (size > BigInt(MAX_EXPAND)) {
    throw builtinError('net.cidr_expand', `more than ${MAX_EXPAND} addresses in ${netText(net)} refused`);
  }
  const out = new SetValue();
  for (let i = 0n; i < size; i++) out.add(ipText(net.v4 ? V4_MAPPED | (net.base + i) : net.base + i, net.v4));
  return out;
}

/** The fewest CIDRs covering [first, last] exactly. */
function rangeToNets(first: bigint, last: bigint, v4: boolean): Net[] {
  const w = v4 ? 32 : 128;
  const out: Net[] = [];
  let start = first;
  while (start <= last) {
    let size = 0; // host bits
    while (size < w) {
      const block = 1n << BigInt(size + 1);
      if ((start & (block - 1n)) !== 0n || start + block - 1n > last) break;
      size++;
    }
    out.push({ v4, base: start, prefix: w - size });
    start += 1n << BigInt(size);
  }
  return out;
}

function merge(args: Value[]): SetValue {
  const v = args[0];
  let items: Value[];
  if (Array.isArray(v)) items = v;
  else if (v instanceof SetValue) items = v.values();
  else throw builtinError('net.cidr_merge', 'operand must be an array');
  const nets: Net[] = items.map((x) => {
    if (typeof x !== 'string') throw builtinError('net.cidr_merge', 'element must be string');
    const ip = parseIP(x);
    if (ip !== undefined) {
      if (!ip.v4) throw builtinError('net.cidr_merge', 'IPv6 invalid: needs prefix length');
      return { v4: true, base: ip.n & ALL32, prefix: 32 };
    }
    return cidrOrThrow('net.cidr_merge', x);
  });
  const out = new SetValue();
  for (const family of [true, false]) {
    const ranges = nets
      .filter((n) => n.v4 === family)
      .map((n) => ({ first: n.base, last: n.base | hostMask(n), net: n as Net | undefined }))
      .sort((a, b) => (a.last < b.last ? -1 : a.last > b.last ? 1 : a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    // Merge from the end, as overlapping or adjacent ranges collapse into one.
    for (let i = ranges.length - 1; i > 0; i--) {
      const cur = ranges[i];
      const prev = ranges[i - 1];
      if (cur.first - 1n <= prev.last) {
        ranges[i - 1] = { first: prev.first < cur.first ? prev.first : cur.first, last: cur.last, net: undefined };
        ranges.splice(i, 1);
      }
    }
    for (const r of ranges) {
      for (const n of r.net !== undefined ? [r.net] : rangeToNets(r.first, r.last, family)) out.add(netText(n));
    }
  }
  return out;
}

const CIDRS = anyOf(STRING, ANY_ARRAY, ANY_SET, ANY_OBJECT);

/** How long a DNS lookup may take before the builtin gives up. */
const LOOKUP_TIMEOUT_MS = 5000;

/** Numbers the C resolver reads as IPv4 (127.1, 0x7f.1, 2130706433) but Go looks up as names. */
const INET_ATON = /^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}\.?$/i;

/**
 * Go's isDomainName: what its resolver will look up at all (ASCII labels of 1–63 letters, digits,
 * `_` and inner `-`, at most 253 characters, not all digits). Anything else is "no such host".
 */
function isDomainName(s: string): boolean {
  if (s === '.') return true;
  const n = s.length;
  if (n === 0 || n > 254 || (n === 254 && !s.endsWith('.'))) return false;
  let last = '.';
  let nonNumeric = false;
  let part = 0;
  for (const c of s) {
    if (/[A-Za-z_]/.test(c)) nonNumeric = true;
    else if (c === '-') {
      if (last === '.') return false;
      nonNumeric = true;
    } else if (c === '.') {
      if (last === '.' || last === '-' || part > 63 || part === 0) return false;
      part = 0;
      last = c;
      continue;
    } else if (!/[0-9]/.test(c)) return false;
    part++;
    last = c;
  }
  return last !== '-' && part <= 63 && nonNumeric;
}

/** Go's words for the resolver's failures. */
const DNS_ERRORS: Record<string, string> = { ENOTFOUND: 'no such host', ENODATA: 'no such host', ETIMEOUT: 'i/o timeout' };

/**
 * The addresses a name resolves to (A and AAAA records, or the literal IP itself), through the
 * system resolver on blocking.ts's worker, as Go's net.DefaultResolver.LookupIPAddr: printed as Go
 * prints IPs, failures worded as Go's DNS errors, memoised for the evaluation as OPA does.
 */
function lookupIPAddr(args: Value[], ctx: BuiltinContext): Value {
  const name = str('net.lookup_ip_addr', args, 0);
  const key = `net.lookup_ip_addr:${name}`;
  const cached = ctx.cache.get(key);
  if (cached !== undefined) return cached;
  const result = SetValue.of(resolve(name, ctx.http?.enabled !== false));
  ctx.cache.set(key, result);
  return result;
}

function resolve(name: string, network: boolean): string[] {
  const fail = (reason: string): never => {
    throw builtinError('net.lookup_ip_addr', `lookup ${name}: ${reason}`);
  };
  const literal = parseIP(name);
  if (literal !== undefined) return [ipText(literal.n, literal.v4)];
  // An IPv6 literal with a zone (fe80::1%eth0) is an address too, printed with its zone.
  const zoned = /^([^%]*:[^%]*)%(.+)$/.exec(name);
  const zonedIP = zoned ? parseIP(zoned[1]) : undefined;
  if (zoned && zonedIP !== undefined && !zonedIP.v4) return [`${ipText(zonedIP.n, false)}%${zoned[2]}`];
  if (!isDomainName(name) || INET_ATON.test(name)) return fail(DNS_ERRORS.ENOTFOUND);
  // A lookup reaches the network (a DNS server): refused where http.send is.
  if (!network) return fail('network lookups are disabled (enable them with the service\'s --allow-http-send)');
  const outcome = runBlocking<string[]>({ kind: 'lookup', name }, LOOKUP_TIMEOUT_MS);
  if (!outcome.ok) return fail(DNS_ERRORS[outcome.code ?? ''] ?? outcome.error);
  return outcome.value.map((a) => {
    const ip = parseIP(a);
    return ip === undefined ? a : ipText(ip.n, ip.v4);
  });
}

export const NET: Builtin[] = [
  { name: 'net.lookup_ip_addr', decl: fn([STRING], setOf(STRING)), nondeterministic: true, impl: lookupIPAddr },
  {
    name: 'net.cidr_contains',
    decl: fn([STRING, STRING], BOOLEAN),
    impl: (args) => cidrContains('net.cidr_contains', str('net.cidr_contains', args, 0), str('net.cidr_contains', args, 1)),
  },
  {
    name: 'net.cidr_intersects',
    decl: fn([STRING, STRING], BOOLEAN),
    impl: (args) => {
      const a = cidrOrThrow('net.cidr_intersects', str('net.cidr_intersects', args, 0));
      const b = cidrOrThrow('net.cidr_intersects', str('net.cidr_intersects', args, 1));
      return contains(a, firstAddr(b)) || contains(b, firstAddr(a));
    },
  },
  {
    name: 'net.cidr_is_valid',
    decl: fn([STRING], BOOLEAN),
    impl: ([s]) => typeof s === 'string' && parseCIDR(s) !== undefined,
  },
  {
    name: 'net.cidr_contains_matches',
    decl: fn([CIDRS, CIDRS], setOf(arrayOf(ANY))),
    impl: ([a, b]) => {
      const out = new SetValue();
      for (const [c1, k1] of matchItems(1, a)) {
        for (const [c2, k2] of matchItems(2, b)) {
          if (cidrContains('net.cidr_contains_matches', c1, c2)) out.add([k1, k2]);
        }
      }
      return out;
    },
  },
  { name: 'net.cidr_expand', decl: fn([STRING], setOf(STRING)), impl: expand },
  { name: 'net.cidr_merge', decl: fn([anyOf(arrayOf(STRING), setOf(STRING))], setOf(STRING)), impl: merge },
];
