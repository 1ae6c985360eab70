// units.parse and units.parse_bytes: amounts with SI (k, M, …) and binary (Ki, Mi, …) suffixes,
// computed exactly (as OPA does since its "500m" == 0.5 fix) and returned as numbers.
import type { Builtin } from './types';
import { NUMBER, STRING, fn } from './decl';
import { builtinError, str } from './operands';
import { normalizeInt } from '../value/value';

const SI = ['k', 'm', 'g', 't', 'p', 'e'];

/** Multipliers as fractions [numerator, denominator]. Case matters only for m (milli) vs M. */
function unitsMultiplier(unit: string): [bigint, bigint] | undefined {
  if (unit === '') return [1n, 1n];
  if (unit === 'm') return [1n, 1000n];
  const k = SI.indexOf(unit[0].toLowerCase());
  if (k < 0) return undefined;
  const rest = unit.slice(1).toLowerCase();
  if (rest === '') return [1000n ** BigInt(k + 1), 1n];
  if (rest === 'i') return [1024n ** BigInt(k + 1), 1n];
  return undefined;
}

function bytesMultiplier(unit: string): bigint | undefined {
  if (unit === '') return 1n;
  const k = SI.indexOf(unit[0]);
  if (k < 0) return undefined;
  const rest = unit.slice(1);
  if (rest === '' || rest === 'b') return 1000n ** BigInt(k + 1);
  if (rest === 'i' || rest === 'ib') return 1024n ** BigInt(k + 1);
  return undefined;
}

/** Exponents of more digits than this are refused (OPA: "exponent too large"). */
const MAX_EXPONENT_DIGITS = 6;

/**
 * Splits "1.5Ki" into ["1.5", "Ki"]: digits, dots, signs and an exponent (e followed by a digit
 * or sign) form the number; an `e` that starts a unit (10e, 10eb) does not.
 */
function numAndUnit(s: string): [string, string] | undefined {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s[i];
    if (/[0-9.+-]/.test(c)) continue;
    if (c !== 'e' && c !== 'E') break;
    if (i === s.length - 1 || !/[0-9+-]/.test(s[i + 1])) break;
    if (s[i + 1] === '+' || s[i + 1] === '-') i++;
    let j = i + 1;
    while (j < s.length && /[0-9]/.test(s[j])) j++;
    if (j - (i + 1) > MAX_EXPONENT_DIGITS) return undefined;
  }
  return [s.slice(0, i), s.slice(i)];
}

/** A decimal text as a fraction [n, d], or undefined when Go's number parsing would refuse it. */
function decimal(text: string): [bigint, bigint] | undefined {
  const m = /^([+-]?)(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?$/.exec(text);
  if (m === null) return undefined;
  const [int, frac = ''] = m[2].split('.');
  let n = BigInt(m[1] + (int || '0') + frac);
  let d = 10n ** BigInt(frac.length);
  const e = Number(m[3] ?? 0);
  if (e >= 0) n *= 10n ** BigInt(e);
  else d *= 10n ** BigInt(-e);
  return [n, d];
}

/** OPA prints non-integral amounts with big.Rat.FloatString(10): ten decimals, halves away from 0. */
function ratioToNumber(n: bigint, d: bigint): number | bigint {
  if (n % d === 0n) return normalizeInt(n / d);
  const neg = n < 0n !== d < 0n;
  const [an, ad] = [n < 0n ? -n : n, d < 0n ? -d : d];
  const scaled = (an * 10n ** 10n * 2n + ad) / (2n * ad);
  return Number(`${neg ? '-' : ''}${scaled}e-10`);
}

function parseUnits(name: string, raw: string, bytes: boolean): number | bigint {
  const what = bytes ? 'byte amount' : 'amount';
  let s = raw.replace(/"/g, '');
  if (s.includes(' ')) throw builtinError(name, 'spaces not allowed in resource strings');
  if (bytes) s = s.toLowerCase();
  const split = numAndUnit(s);
  if (split === undefined) throw builtinError(name, 'exponent too large');
  const [num, unit] = split;
  if (num === '') throw builtinError(name, `no ${what} provided`);
  let mul: [bigint, bigint] | undefined;
  if (bytes) {
    const m = bytesMultiplier(unit);
    mul = m === undefined ? undefined : [m, 1n];
  } else mul = unitsMultiplier(unit);
  if (mul === undefined) throw builtinError(name, `${bytes ? 'byte ' : ''}unit ${unit} not recognized`);
  const q = decimal(num);
  if (q === undefined) throw builtinError(name, `could not parse ${what} to a number`);
  const n = q[0] * mul[0];
  const d = q[1] * mul[1];
  // Bytes are whole: the fraction is dropped, as big.Float.Int does.
  return bytes ? normalizeInt(n / d) : ratioToNumber(n, d);
}

export const UNITS: Builtin[] = [
  {
    name: 'units.parse',
    decl: fn([STRING], NUMBER),
    impl: (args) => parseUnits('units.parse', str('units.parse', args, 0), false),
  },
  {
    name: 'units.parse_bytes',
    decl: fn([STRING], NUMBER),
    impl: (args) => parseUnits('units.parse_bytes', str('units.parse_bytes', args, 0), true),
  },
];
