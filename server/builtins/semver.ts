// Semantic versions (semver.org 2.0.0 precedence), parsed as OPA's semver package does:
// [v]MAJOR.MINOR.PATCH, optional -prerelease and +metadata with [0-9A-Za-z-] identifiers.
import type { Builtin } from './types';
import { ANY, BOOLEAN, NUMBER, STRING, fn } from './decl';
import { builtinError, str } from './operands';
import type { Value } from '../value/value';

interface Version {
  core: [bigint, bigint, bigint];
  pre: string[];
}

const IDENTS = /^[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*$/;
const INT64_MAX = 2n ** 63n - 1n;

export function parseSemver(s: string): Version | undefined {
  // A leading v is tolerated, and empty metadata/prerelease parts are accepted, as in OPA.
  let rest = s.startsWith('v') ? s.slice(1) : s;
  const plus = rest.indexOf('+');
  if (plus >= 0) {
    const meta = rest.slice(plus + 1);
    if (meta !== '' && !IDENTS.test(meta)) return undefined;
    rest = rest.slice(0, plus);
  }
  let pre: string[] = [];
  const dash = rest.indexOf('-');
  if (dash >= 0) {
    const p = rest.slice(dash + 1);
    if (p !== '' && !IDENTS.test(p)) return undefined;
    pre = p === '' ? [] : p.split('.');
    rest = rest.slice(0, dash);
  }
  const parts = rest.split('.');
  if (parts.length !== 3) return undefined;
  const nums: bigint[] = [];
  for (const p of parts) {
    // Go's strconv.ParseInt: optional sign, decimal digits, within int64.
    if (!/^[+-]?\d+$/.test(p)) return undefined;
    const n = BigInt(p);
    if (n > INT64_MAX || n < -INT64_MAX - 1n) return undefined;
    nums.push(n);
  }
  return { core: [nums[0], nums[1], nums[2]], pre };
}

function cmpIdent(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (an) return -1;
  if (bn) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareSemver(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a.core[i] !== b.core[i]) return a.core[i] < b.core[i] ? -1 : 1;
  // A release ranks above its prereleases.
  if (a.pre.length === 0 || b.pre.length === 0) return b.pre.length - a.pre.length === 0 ? 0 : a.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const c = cmpIdent(a.pre[i], b.pre[i]);
    if (c !== 0) return c;
  }
  return a.pre.length === b.pre.length ? 0 : a.pre.length < b.pre.length ? -1 : 1;
}

function version(args: Value[], i: number): Version {
  const s = str('semver.compare', args, i);
  const v = parseSemver(s);
  if (v === undefined) throw builtinError('semver.compare', `operand ${i + 1}: string ${JSON.stringify(s)} is not a valid SemVer`);
  return v;
}

export const SEMVER: Builtin[] = [
  {
    name: 'semver.compare',
    decl: fn([STRING, STRING], NUMBER),
    impl: (args) => compareSemver(version(args, 0), version(args, 1)),
  },
  {
    name: 'semver.is_valid',
    decl: fn([ANY], BOOLEAN),
    impl: ([v]) => typeof v === 'string' && parseSemver(v) !== undefined,
  },
];
