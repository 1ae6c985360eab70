// Time builtins. Instants are int64 nanoseconds since the Unix epoch, as in OPA; zones are IANA
// names resolved through the runtime's ICU data (Intl), "UTC"/"" for UTC and "Local" for the
// process's zone. Layouts are Go's (see timefmt.ts).
import type { Builtin } from './types';
import { ANY, NUMBER, STRING, anyOf, arrayOf, fn, tuple } from './decl';
import { builtinError, int, str, typeError } from './operands';
import {
  NAMED_LAYOUTS,
  TimeParseError,
  WEEKDAYS,
  civilFromDays,
  daysFromCivil,
  floorDiv,
  formatWall,
  parseDuration,
  parseTime,
  splitNs,
  wallAt,
  wallSeconds,
  type Wall,
} from './timefmt';
import { normalizeInt, type Value } from '../value/value';

const NS = 1_000_000_000n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

// ---------------------------------------------------------------------------------------------
// Zones

interface Zone {
  name: string;
  /** Seconds east of UTC at a Unix second. */
  offsetAt(sec: number): number;
  /** Abbreviation at a Unix second ("" when unknown). */
  abbrevAt(sec: number): string;
}

const UTC: Zone = { name: 'UTC', offsetAt: () => 0, abbrevAt: () => 'UTC' };

/** Intl's Date range: beyond it no zone data can be had, so UTC is assumed. */
const MAX_DATE_SEC = 8.64e12;

function ianaZone(name: string): Zone {
  const wall = new Intl.DateTimeFormat('en-US', {
    timeZone: name,
    hourCycle: 'h23',
    era: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const abbrev = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'short' });
  return {
    name,
    offsetAt(sec: number): number {
      if (Math.abs(sec) > MAX_DATE_SEC) return 0;
      const parts: Record<string, string> = {};
      for (const p of wall.formatToParts(new Date(sec * 1000))) parts[p.type] = p.value;
      let year = Number(parts.year);
      if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
      const local = wallSeconds(year, Number(parts.month), Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
      return local - sec;
    },
    abbrevAt(sec: number): string {
      if (Math.abs(sec) > MAX_DATE_SEC) return '';
      const part = abbrev.formatToParts(new Date(sec * 1000)).find((p) => p.type === 'timeZoneName');
      return part?.value ?? '';
    },
  };
}

const zones = new Map<string, Zone>();

function zone(name: string, builtin: string): Zone {
  if (name === '' || name === 'UTC') return UTC;
  const key = name === 'Local' ? Intl.DateTimeFormat().resolvedOptions().timeZone : name;
  const hit = zones.get(key);
  if (hit !== undefined) return hit;
  if (key.includes('..') || key.startsWith('/') || key.startsWith('\\')) {
    throw builtinError(builtin, 'time: invalid location name');
  }
  let z: Zone;
  try {
    z = ianaZone(key);
  } catch {
    throw builtinError(builtin, `unknown time zone ${name}`);
  }
  // A bounded cache: zone names come from policy input.
  if (zones.size >= 64) zones.delete(zones.keys().next().value as string);
  zones.set(key, z);
  return z;
}


// ---------------------------------------------------------------------------------------------
// Instants

interface Instant {
  ns: bigint;
  zone: Zone;
  /** A layout given as the third element of a [ns, tz, layout] argument. */
  layout: string;
}

function wallOf(t: { ns: bigint; zone: Zone }): Wall {
  const [sec, nsec] = splitNs(t.ns);
  return wallAt(sec, nsec, t.zone.offsetAt(sec), t.zone.abbrevAt(sec));
}

function safeNs(name: string, ns: bigint): Value {
  if (ns < INT64_MIN || ns > INT64_MAX) throw builtinError(name, 'time outside of valid range');
  return normalizeInt(ns);
}

/** OPA's tzTime: a number of ns, or [ns], [ns, tz] or [ns, tz, layout]. */
function instant(name: string, v: Value): Instant {
  const expected = 'either number (ns) or [number (ns), string (tz)]';
  let nsV: Value;
  let z = UTC;
  let layout = '';
  if (Array.isArray(v)) {
    if (v.length === 0) throw typeError(name, 1, v, expected);
    nsV = v[0];
    if (typeof nsV !== 'number' && typeof nsV !== 'bigint') throw typeError(name, 1, nsV, 'number');
    if (v.length > 1) {
      if (typeof v[1] !== 'string') throw typeError(name, 1, v[1], 'string');
      z = zone(v[1], name);
    }
    if (v.length > 2) {
      if (typeof v[2] !== 'string') throw typeError(name, 1, v[2], 'string');
      layout = v[2];
    }
  } else if (typeof v === 'number' || typeof v === 'bigint') nsV = v;
  else throw typeError(name, 1, v, expected);
  const n = nsV as number | bigint;
  if (typeof n === 'number' && !Number.isInteger(n)) throw builtinError(name, 'timestamp too big');
  const ns = typeof n === 'bigint' ? n : BigInt(n);
  if (ns < INT64_MIN || ns > INT64_MAX) throw builtinError(name, 'timestamp too big');
  return { ns, zone: z, layout };
}

/** Go's time.Date in a zone: the instant whose wall clock there reads (y, mo, d, h, mi, s). */
function fromWall(z: Zone, y: number, mo: number, d: number, h: number, mi: number, s: number, nsec: number): bigint {
  const unix = wallSeconds(y, mo, d, h, mi, s);
  // Guess with the offset at the wall time read as UTC, then correct across a transition.
  let off = z.offsetAt(unix);
  const off2 = z.offsetAt(unix - off);
  if (off2 !== off) off = off2;
  return BigInt(unix - off) * NS + BigInt(nsec);
}

function parseNs(name: string, layout: string, value: string): Value {
  let p;
  try {
    p = parseTime(NAMED_LAYOUTS[layout] ?? layout, value);
  } catch (e) {
    if (e instanceof TimeParseError) throw builtinError(name, e.message);
    throw e;
  }
  let offset = p.offset ?? 0;
  if (p.offset === undefined && p.zoneName !== undefined && p.zoneName.startsWith('GMT') && p.zoneName.length > 3) {
    offset = Number(p.zoneName.slice(3)) * 3600;
  }
  // Abbreviations other than UTC/GMT±h have no known offset in time.Parse: they count as zero.
  return safeNs(name, BigInt(p.wallSec - offset) * NS + BigInt(p.nsec));
}

function addDate(args: Value[]): Value {
  const name = 'time.add_date';
  const t = instant(name, args[0]);
  const years = int(name, args, 1);
  const months = int(name, args, 2);
  const days = int(name, args, 3);
  const w = wallOf(t);
  // Normalise month overflow into years first, then let day overflow roll through the calendar.
  const m0 = w.month - 1 + months;
  const y = w.year + years + floorDiv(m0, 12);
  const m = m0 - floorDiv(m0, 12) * 12 + 1;
  const [yy, mm, dd] = civilFromDays(daysFromCivil(y, m, w.day) + days);
  return safeNs(name, fromWall(t.zone, yy, mm, dd, w.hour, w.minute, w.second, w.nsec));
}

function diff(args: Value[]): Value[] {
  const a = instant('time.diff', args[0]);
  const b = instant('time.diff', args[1]);
  // Both are read in the first argument's zone, earlier one first.
  let [t1, t2] = [a.ns, b.ns];
  if (t1 > t2) [t1, t2] = [t2, t1];
  const w1 = wallOf({ ns: t1, zone: a.zone });
  const w2 = wallOf({ ns: t2, zone: a.zone });
  let year = w2.year - w1.year;
  let month = w2.month - w1.month;
  let day = w2.day - w1.day;
  let hour = w2.hour - w1.hour;
  let min = w2.minute - w1.minute;
  let sec = w2.second - w1.second;
  if (sec < 0) {
    sec += 60;
    min--;
  }
  if (min < 0) {
    min += 60;
    hour--;
  }
  if (hour < 0) {
    hour += 24;
    day--;
  }
  if (day < 0) {
    // Days in w1's month: day 32 of it overflows into the next month by 32 - length.
    const [, , overflow] = civilFromDays(daysFromCivil(w1.year, w1.month, 32));
    day += 32 - overflow;
    month--;
  }
  if (month < 0) {
    month += 12;
    year--;
  }
  return [year, month, day, hour, min, sec];
}

/** Go's ParseDuration, for test.sleep and time.parse_duration_ns. */
function duration(name: string, s: string): bigint {
  try {
    return parseDuration(s);
  } catch (e) {
    if (e instanceof TimeParseError) throw builtinError(name, e.message);
    throw e;
  }
}

/** test.sleep may block at most this long: it exists for OPA's own test cases. */
const MAX_SLEEP_MS = 10_000;

const TIME_ARG = anyOf(NUMBER, arrayOf(ANY));

export const TIME: Builtin[] = [
  {
    name: 'time.now_ns',
    decl: fn([], NUMBER),
    nondeterministic: true,
    impl: (_args, ctx) => normalizeInt(ctx.nowNs),
  },
  {
    name: 'time.parse_ns',
    decl: fn([STRING, STRING], NUMBER),
    impl: (args) => parseNs('time.parse_ns', str('time.parse_ns', args, 0), str('time.parse_ns', args, 1)),
  },
  {
    name: 'time.parse_rfc3339_ns',
    decl: fn([STRING], NUMBER),
    impl: (args) => parseNs('time.parse_rfc3339_ns', 'RFC3339', str('time.parse_rfc3339_ns', args, 0)),
  },
  {
    name: 'time.parse_duration_ns',
    decl: fn([STRING], NUMBER),
    impl: (args) => normalizeInt(duration('time.parse_duration_ns', str('time.parse_duration_ns', args, 0))),
  },
  {
    name: 'time.format',
    decl: fn([TIME_ARG], STRING),
    impl: ([x]) => {
      const t = instant('time.format', x);
      const layout = t.layout === '' ? 'RFC3339Nano' : t.layout;
      return formatWall(wallOf(t), NAMED_LAYOUTS[layout] ?? layout);
    },
  },
  {
    name: 'time.date',
    decl: fn([TIME_ARG], tuple(NUMBER, NUMBER, NUMBER)),
    impl: ([x]) => {
      const w = wallOf(instant('time.date', x));
      return [w.year, w.month, w.day];
    },
  },
  {
    name: 'time.clock',
    decl: fn([TIME_ARG], tuple(NUMBER, NUMBER, NUMBER)),
    impl: ([x]) => {
      const w = wallOf(instant('time.clock', x));
      return [w.hour, w.minute, w.second];
    },
  },
  {
    name: 'time.weekday',
    decl: fn([TIME_ARG], STRING),
    impl: ([x]) => WEEKDAYS[wallOf(instant('time.weekday', x)).weekday],
  },
  { name: 'time.add_date', decl: fn([NUMBER, NUMBER, NUMBER, NUMBER], NUMBER), impl: addDate },
  {
    name: 'time.diff',
    decl: fn([TIME_ARG, TIME_ARG], tuple(NUMBER, NUMBER, NUMBER, NUMBER, NUMBER, NUMBER)),
    impl: diff,
  },
  {
    // Not an OPA builtin for policies: OPA registers it for its own test cases, which the
    // conformance suite contains ("time caching").
    name: 'test.sleep',
    decl: fn([STRING], { type: 'null' }),
    nondeterministic: true,
    impl: (args) => {
      const ns = duration('test.sleep', str('test.sleep', args, 0));
      const ms = Math.min(Number(ns / 1_000_000n), MAX_SLEEP_MS);
      if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
      return null;
    },
  },
];
