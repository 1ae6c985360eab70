// Go's time layouts ("2006-01-02T15:04:05Z07:00"): formatting and parsing with the time
// package's rules and error texts, over a proleptic Gregorian calendar. Instants are bigint
// nanoseconds since the Unix epoch; wall clocks are plain numbers.

export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Named layouts OPA accepts in place of a layout string. */
export const NAMED_LAYOUTS: Record<string, string> = {
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339: '2006-01-02T15:04:05Z07:00',
  RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00',
};

// ---------------------------------------------------------------------------------------------
// Calendar

export function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

export function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysIn(month: number, year: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** Days since 1970-01-01 of a civil date (month and day may overflow; they normalise). */
export function daysFromCivil(y: number, m: number, d: number): number {
  // Normalise the month first so the era arithmetic sees 1..12.
  y += floorDiv(m - 1, 12);
  m = ((((m - 1) % 12) + 12) % 12) + 1;
  y -= m <= 2 ? 1 : 0;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const mp = (m + 9) % 12;
  const doy = floorDiv(153 * mp + 2, 5) + d - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = floorDiv(z, 146097);
  const doe = z - era * 146097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36524) - floorDiv(doe, 146096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const d = doy - floorDiv(153 * mp + 2, 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** A wall clock reading: what a clock in some zone shows. */
export interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nsec: number;
  /** Seconds east of UTC. */
  offset: number;
  /** Zone abbreviation, "" when only the offset is known. */
  zone: string;
  weekday: number;
  yday: number;
}

const NS = 1_000_000_000n;

export function splitNs(ns: bigint): [number, number] {
  let s = ns / NS;
  let n = ns % NS;
  if (n < 0n) {
    n += NS;
    s -= 1n;
  }
  return [Number(s), Number(n)];
}

/** The wall clock at Unix seconds `sec` (+ nsec) in a zone with the given offset. */
export function wallAt(sec: number, nsec: number, offset: number, zone: string): Wall {
  const local = sec + offset;
  const days = floorDiv(local, 86400);
  const rem = local - days * 86400;
  const [year, month, day] = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(rem / 3600),
    minute: Math.floor((rem % 3600) / 60),
    second: rem % 60,
    nsec,
    offset,
    zone,
    weekday: (((days + 4) % 7) + 7) % 7,
    yday: days - daysFromCivil(year, 1, 1) + 1,
  };
}

/** Unix seconds of a wall clock read as UTC (fields may overflow and normalise). */
export function wallSeconds(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  return daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

// ---------------------------------------------------------------------------------------------
// Layout chunks

type Std =
  | 'LongMonth'
  | 'Month'
  | 'NumMonth'
  | 'ZeroMonth'
  | 'LongWeekDay'
  | 'WeekDay'
  | 'Day'
  | 'UnderDay'
  | 'ZeroDay'
  | 'UnderYearDay'
  | 'ZeroYearDay'
  | 'Hour'
  | 'Hour12'
  | 'ZeroHour12'
  | 'Minute'
  | 'ZeroMinute'
  | 'Second'
  | 'ZeroSecond'
  | 'LongYear'
  | 'Year'
  | 'PM'
  | 'pm'
  | 'TZ'
  | 'ISO8601TZ'
  | 'ISO8601SecondsTZ'
  | 'ISO8601ShortTZ'
  | 'ISO8601ColonTZ'
  | 'ISO8601ColonSecondsTZ'
  | 'NumTZ'
  | 'NumSecondsTz'
  | 'NumShortTZ'
  | 'NumColonTZ'
  | 'NumColonSecondsTZ'
  | 'FracSecond0'
  | 'FracSecond9';

interface Chunk {
  /** Literal text before the element. */
  prefix: string;
  std?: Std;
  /** The element's text in the layout (for messages). */
  text: string;
  /** Digits of a fractional second, and its separator. */
  digits?: number;
  sep?: string;
}

const TZ_FORMS: Array<[string, Std]> = [
  ['-07:00:00', 'NumColonSecondsTZ'],
  ['-070000', 'NumSecondsTz'],
  ['-07:00', 'NumColonTZ'],
  ['-0700', 'NumTZ'],
  ['-07', 'NumShortTZ'],
  ['Z07:00:00', 'ISO8601ColonSecondsTZ'],
  ['Z070000', 'ISO8601SecondsTZ'],
  ['Z07:00', 'ISO8601ColonTZ'],
  ['Z0700', 'ISO8601TZ'],
  ['Z07', 'ISO8601ShortTZ'],
];

function startsWithLower(s: string): boolean {
  return s.length > 0 && s[0] >= 'a' && s[0] <= 'z';
}

function isDigitAt(s: string, i: number): boolean {
  return i < s.length && s[i] >= '0' && s[i] <= '9';
}

/** Splits a layout into literal prefixes and std elements, as Go's nextStdChunk does. */
export function chunks(layout: string): Chunk[] {
  const out: Chunk[] = [];
  let lit = '';
  let i = 0;
  const emit = (std: Std, len: number, extra: Partial<Chunk> = {}): void => {
    out.push({ prefix: lit, std, text: layout.slice(i, i + len), ...extra });
    lit = '';
    i += len;
  };
  while (i < layout.length) {
    const rest = layout.slice(i);
    const c = layout[i];
    if (c === 'J' && rest.startsWith('Jan')) {
      if (rest.startsWith('January')) {
        emit('LongMonth', 7);
        continue;
      }
      if (!startsWithLower(rest.slice(3))) {
        emit('Month', 3);
        continue;
      }
    } else if (c === 'M' && rest.startsWith('Mon')) {
      if (rest.startsWith('Monday')) {
        emit('LongWeekDay', 6);
        continue;
      }
      if (!startsWithLower(rest.slice(3))) {
        emit('WeekDay', 3);
        continue;
      }
    }
    if (c === 'M' && rest.startsWith('MST')) {
      emit('TZ', 3);
      continue;
    }
    if (c === '0') {
      if (rest.length >= 2 && rest[1] >= '1' && rest[1] <= '6') {
        emit((['ZeroMonth', 'ZeroDay', 'ZeroHour12', 'ZeroMinute', 'ZeroSecond', 'Year'] as Std[])[rest.charCodeAt(1) - 49], 2);
        continue;
      }
      if (rest.startsWith('002')) {
        emit('ZeroYearDay', 3);
        continue;
      }
    } else if (c === '1') {
      emit(rest[1] === '5' ? 'Hour' : 'NumMonth', rest[1] === '5' ? 2 : 1);
      continue;
    } else if (c === '2') {
      if (rest.startsWith('2006')) emit('LongYear', 4);
      else emit('Day', 1);
      continue;
    } else if (c === '_') {
      if (rest[1] === '2') {
        // _2006 is a literal _ followed by the year.
        if (rest.startsWith('_2006')) {
          lit += '_';
          i++;
          emit('LongYear', 4);
        } else emit('UnderDay', 2);
        continue;
      }
      if (rest.startsWith('__2')) {
        emit('UnderYearDay', 3);
        continue;
      }
    } else if (c === '3' || c === '4' || c === '5') {
      emit(c === '3' ? 'Hour12' : c === '4' ? 'Minute' : 'Second', 1);
      continue;
    } else if (c === 'P' && rest[1] === 'M') {
      emit('PM', 2);
      continue;
    } else if (c === 'p' && rest[1] === 'm') {
      emit('pm', 2);
      continue;
    } else if (c === '-' || c === 'Z') {
      const form = TZ_FORMS.find(([f]) => rest.startsWith(f));
      if (form !== undefined) {
        emit(form[1], form[0].length);
        continue;
      }
    } else if ((c === '.' || c === ',') && (rest[1] === '0' || rest[1] === '9')) {
      let j = 1;
      while (j < rest.length && rest[j] === rest[1]) j++;
      if (!isDigitAt(rest, j)) {
        emit(rest[1] === '0' ? 'FracSecond0' : 'FracSecond9', j, { digits: j - 1, sep: c });
        continue;
      }
    }
    lit += c;
    i++;
  }
  if (lit !== '') out.push({ prefix: lit, text: '' });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Formatting

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? '-' + s : s;
}

function formatOffset(offset: number, std: Std): string {
  if (std.startsWith('ISO') && offset === 0) return 'Z';
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  const h = pad(Math.floor(a / 3600), 2);
  const m = pad(Math.floor((a % 3600) / 60), 2);
  const s = pad(a % 60, 2);
  if (std === 'NumShortTZ' || std === 'ISO8601ShortTZ') return sign + h;
  if (std === 'NumColonTZ' || std === 'ISO8601ColonTZ') return `${sign}${h}:${m}`;
  if (std === 'NumColonSecondsTZ' || std === 'ISO8601ColonSecondsTZ') return `${sign}${h}:${m}:${s}`;
  if (std === 'NumSecondsTz' || std === 'ISO8601SecondsTZ') return sign + h + m + s;
  return sign + h + m;
}

export function formatWall(w: Wall, layout: string): string {
  let out = '';
  for (const ch of chunks(layout)) {
    out += ch.prefix;
    if (ch.std === undefined) continue;
    switch (ch.std) {
      case 'Year':
        out += pad(((w.year % 100) + 100) % 100, 2);
        break;
      case 'LongYear':
        out += pad(w.year, 4);
        break;
      case 'Month':
        out += MONTHS[w.month - 1].slice(0, 3);
        break;
      case 'LongMonth':
        out += MONTHS[w.month - 1];
        break;
      case 'NumMonth':
        out += w.month;
        break;
      case 'ZeroMonth':
        out += pad(w.month, 2);
        break;
      case 'WeekDay':
        out += WEEKDAYS[w.weekday].slice(0, 3);
        break;
      case 'LongWeekDay':
        out += WEEKDAYS[w.weekday];
        break;
      case 'Day':
        out += w.day;
        break;
      case 'UnderDay':
        out += w.day < 10 ? ' ' + w.day : String(w.day);
        break;
      case 'ZeroDay':
        out += pad(w.day, 2);
        break;
      case 'UnderYearDay':
        out += String(w.yday).padStart(3, ' ');
        break;
      case 'ZeroYearDay':
        out += pad(w.yday, 3);
        break;
      case 'Hour':
        out += pad(w.hour, 2);
        break;
      case 'Hour12':
        out += w.hour % 12 === 0 ? 12 : w.hour % 12;
        break;
      case 'ZeroHour12':
        out += pad(w.hour % 12 === 0 ? 12 : w.hour % 12, 2);
        break;
      case 'Minute':
        out += w.minute;
        break;
      case 'ZeroMinute':
        out += pad(w.minute, 2);
        break;
      case 'Second':
        out += w.second;
        break;
      case 'ZeroSecond':
        out += pad(w.second, 2);
        break;
      case 'PM':
        out += w.hour >= 12 ? 'PM' : 'AM';
        break;
      case 'pm':
        out += w.hour >= 12 ? 'pm' : 'am';
        break;
      case 'TZ':
        if (w.zone !== '') out += w.zone;
        else out += formatOffset(w.offset, 'NumTZ');
        break;
      case 'FracSecond0':
        out += (ch.sep as string) + String(w.nsec).padStart(9, '0').slice(0, ch.digits);
        break;
      case 'FracSecond9': {
        const digits = String(w.nsec).padStart(9, '0').slice(0, ch.digits).replace(/0+$/, '');
        if (digits !== '') out += (ch.sep as string) + digits;
        break;
      }
      default:
        out += formatOffset(w.offset, ch.std);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parsing

export class TimeParseError extends Error {}

/** What a parse found; the caller turns it into an instant. */
export interface Parsed {
  /** Unix seconds of the wall clock read as UTC. */
  wallSec: number;
  nsec: number;
  /** Seconds east of UTC, when the text gave a numeric offset or Z. */
  offset?: number;
  /** A zone abbreviation from MST, when given. */
  zoneName?: string;
}

function quote(s: string): string {
  return JSON.stringify(s);
}

const MONTH_ABBR = MONTHS.map((m) => m.slice(0, 3));
const WEEKDAY_ABBR = WEEKDAYS.map((d) => d.slice(0, 3));

function lookupName(table: string[], value: string): [number, string] | undefined {
  for (let k = 0; k < table.length; k++) {
    const n = table[k];
    if (value.length >= n.length && value.slice(0, n.length).toLowerCase() === n.toLowerCase()) {
      return [k, value.slice(n.length)];
    }
  }
  return undefined;
}

/** Length of a zone abbreviation at the start of value (Go's parseTimeZone), or 0. */
function zoneLength(value: string): number {
  if (value.length < 3) return 0;
  if (value.startsWith('ChST') || value.startsWith('MeST')) return 4;
  if (value.startsWith('GMT')) {
    // GMT, optionally followed by a signed hour offset.
    const m = /^GMT([+-]\d{1,2})?/.exec(value) as RegExpExecArray;
    return m[1] !== undefined && Math.abs(Number(m[1])) <= 23 ? m[0].length : 3;
  }
  if (value[0] === '+' || value[0] === '-') {
    const m = /^[+-]\d+/.exec(value);
    return m ? m[0].length : 0;
  }
  let n = 0;
  while (n < value.length && value[n] >= 'A' && value[n] <= 'Z') n++;
  switch (n) {
    case 5:
      return value[4] === 'T' ? 5 : 0;
    case 4:
      return value[3] === 'T' || value.startsWith('WITA') ? 4 : 0;
    case 3:
      return 3;
    default:
      return 0;
  }
}

export function parseTime(layout: string, value: string): Parsed {
  const original = value;
  const bad = (elemText: string, rest: string): TimeParseError =>
    new TimeParseError(`parsing time ${quote(original)} as ${quote(layout)}: cannot parse ${quote(rest)} as ${quote(elemText)}`);
  const range = (what: string): TimeParseError => new TimeParseError(`parsing time ${quote(original)}: ${what} out of range`);

  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let nsec = 0;
  let pmSet = false;
  let amSet = false;
  let offset: number | undefined;
  let zoneName: string | undefined;

  // Go's getnum: one or two digits (exactly two when fixed).
  const getnum = (fixed: boolean): number | undefined => {
    if (!isDigitAt(value, 0)) return undefined;
    if (!isDigitAt(value, 1)) {
      if (fixed) return undefined;
      const n = Number(value[0]);
      value = value.slice(1);
      return n;
    }
    const n = Number(value.slice(0, 2));
    value = value.slice(2);
    return n;
  };
  const getnum3 = (fixed: boolean): number | undefined => {
    let k = 0;
    while (k < 3 && isDigitAt(value, k)) k++;
    if (k === 0 || (fixed && k !== 3)) return undefined;
    const n = Number(value.slice(0, k));
    value = value.slice(k);
    return n;
  };
  const fraction = (n: number): number => {
    // value[0] is the separator; digits follow.
    const digits = value.slice(1, n);
    if (!/^\d+$/.test(digits)) throw bad('.' + '0'.repeat(Math.max(n - 1, 1)), value);
    value = value.slice(n);
    return Number(digits.slice(0, 9).padEnd(9, '0'));
  };

  const all = chunks(layout);
  for (let idx = 0; idx < all.length; idx++) {
    const ch = all[idx];
    // The literal prefix: spaces match runs of spaces, anything else must match exactly.
    let p = ch.prefix;
    while (p.length > 0) {
      if (p[0] === ' ') {
        if (value.length > 0 && value[0] !== ' ') throw bad(ch.prefix, value);
        p = p.replace(/^ +/, '');
        value = value.replace(/^ +/, '');
        continue;
      }
      if (value.length === 0 || value[0] !== p[0]) throw bad(ch.prefix, value);
      p = p.slice(1);
      value = value.slice(1);
    }
    if (ch.std === undefined) continue;
    const before = value;
    let n: number | undefined;
    switch (ch.std) {
      case 'Year':
        if (value.length < 2 || !/^\d\d/.test(value)) throw bad(ch.text, before);
        n = Number(value.slice(0, 2));
        value = value.slice(2);
        year = n >= 69 ? 1900 + n : 2000 + n;
        break;
      case 'LongYear':
        if (value.length < 4 || !/^\d{4}/.test(value)) throw bad(ch.text, before);
        year = Number(value.slice(0, 4));
        value = value.slice(4);
        break;
      case 'Month':
      case 'LongMonth': {
        const hit = lookupName(ch.std === 'Month' ? MONTH_ABBR : MONTHS, value);
        if (hit === undefined) throw bad(ch.text, before);
        month = hit[0] + 1;
        value = hit[1];
        break;
      }
      case 'NumMonth':
      case 'ZeroMonth':
        n = getnum(ch.std === 'ZeroMonth');
        if (n === undefined) throw bad(ch.text, before);
        if (n <= 0 || n > 12) throw range('month');
        month = n;
        break;
      case 'WeekDay':
      case 'LongWeekDay': {
        const hit = lookupName(ch.std === 'WeekDay' ? WEEKDAY_ABBR : WEEKDAYS, value);
        if (hit === undefined) throw bad(ch.text, before);
        value = hit[1];
        break;
      }
      case 'Day':
      case 'UnderDay':
      case 'ZeroDay':
        if (ch.std === 'UnderDay' && value[0] === ' ') value = value.slice(1);
        n = getnum(ch.std === 'ZeroDay');
        if (n === undefined) throw bad(ch.text, before);
        day = n;
        break;
      case 'UnderYearDay':
      case 'ZeroYearDay':
        for (let k = 0; k < 2 && ch.std === 'UnderYearDay' && value[0] === ' '; k++) value = value.slice(1);
        n = getnum3(ch.std === 'ZeroYearDay');
        if (n === undefined) throw bad(ch.text, before);
        yday = n;
        break;
      case 'Hour':
        n = getnum(false);
        if (n === undefined) throw bad(ch.text, before);
        if (n < 0 || n >= 24) throw range('hour');
        hour = n;
        break;
      case 'Hour12':
      case 'ZeroHour12':
        n = getnum(ch.std === 'ZeroHour12');
        if (n === undefined) throw bad(ch.text, before);
        if (n < 0 || n > 12) throw range('hour');
        hour = n;
        break;
      case 'Minute':
      case 'ZeroMinute':
        n = getnum(ch.std === 'ZeroMinute');
        if (n === undefined) throw bad(ch.text, before);
        if (n < 0 || n >= 60) throw range('minute');
        minute = n;
        break;
      case 'Second':
      case 'ZeroSecond': {
        n = getnum(ch.std === 'ZeroSecond');
        if (n === undefined) throw bad(ch.text, before);
        if (n < 0 || n >= 60) throw range('second');
        second = n;
        // A fractional second may follow even when the layout has none.
        const next = all[idx + 1];
        const layoutHasFrac = next !== undefined && next.prefix === '' && (next.std === 'FracSecond0' || next.std === 'FracSecond9');
        if (value.length >= 2 && (value[0] === '.' || value[0] === ',') && isDigitAt(value, 1) && !layoutHasFrac) {
          let k = 2;
          while (isDigitAt(value, k)) k++;
          nsec = fraction(k);
        }
        break;
      }
      case 'PM':
      case 'pm': {
        const t = value.slice(0, 2);
        const [pm, am] = ch.std === 'PM' ? ['PM', 'AM'] : ['pm', 'am'];
        if (t === pm) pmSet = true;
        else if (t === am) amSet = true;
        else throw bad(ch.text, before);
        value = value.slice(2);
        break;
      }
      case 'TZ': {
        if (value.startsWith('UTC')) {
          zoneName = 'UTC';
          value = value.slice(3);
          break;
        }
        const len = zoneLength(value);
        if (len === 0) throw bad(ch.text, before);
        zoneName = value.slice(0, len);
        value = value.slice(len);
        break;
      }
      case 'FracSecond0': {
        const need = 1 + (ch.digits as number);
        if (value.length < need || (value[0] !== '.' && value[0] !== ',')) throw bad(ch.text, before);
        nsec = fraction(need);
        break;
      }
      case 'FracSecond9': {
        if (value.length < 2 || (value[0] !== '.' && value[0] !== ',') || !isDigitAt(value, 1)) break;
        let k = 1;
        while (k < 10 && isDigitAt(value, k)) k++;
        nsec = fraction(k);
        break;
      }
      default: {
        // Numeric zone offsets, with Z meaning UTC for the ISO 8601 forms.
        if (ch.std.startsWith('ISO') && value[0] === 'Z') {
          value = value.slice(1);
          offset = 0;
          break;
        }
        const colon = ch.std.includes('Colon');
        const short = ch.std.includes('Short');
        const secs = ch.std.includes('Seconds');
        const m = (
          short
            ? /^([+-])(\d\d)()()/
            : colon
              ? secs
                ? /^([+-])(\d\d):(\d\d):(\d\d)/
                : /^([+-])(\d\d):(\d\d)()/
              : secs
                ? /^([+-])(\d\d)(\d\d)(\d\d)/
                : /^([+-])(\d\d)(\d\d)()/
        ).exec(value);
        if (m === null) throw bad(ch.text, before);
        const [hh, mm, ss] = [Number(m[2]), Number(m[3] || 0), Number(m[4] || 0)];
        if (hh > 24) throw range('time zone offset hour');
        if (mm > 60) throw range('time zone offset minute');
        if (ss > 60) throw range('time zone offset second');
        offset = (m[1] === '-' ? -1 : 1) * (hh * 3600 + mm * 60 + ss);
        value = value.slice(m[0].length);
      }
    }
  }
  if (value.length > 0) throw new TimeParseError(`parsing time ${quote(original)}: extra text: ${quote(value)}`);
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;

  if (yday >= 0) {
    const days = isLeap(year) ? 366 : 365;
    if (yday < 1 || yday > days) throw range('day-of-year');
    let m = 1;
    let d = yday;
    while (d > daysIn(m, year)) d -= daysIn(m++, year);
    if (month >= 0 && month !== m) throw new TimeParseError(`parsing time ${quote(original)}: day-of-year does not match month`);
    if (day >= 0 && day !== d) throw new TimeParseError(`parsing time ${quote(original)}: day-of-year does not match day`);
    month = m;
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) throw range('day');
  return { wallSec: wallSeconds(year, month, day, hour, minute, second), nsec, offset, zoneName };
}

// ---------------------------------------------------------------------------------------------
// Durations (Go's time.ParseDuration)

const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  'µs': 1000n,
  'μs': 1000n,
  ms: 1_000_000n,
  s: NS,
  m: 60n * NS,
  h: 3600n * NS,
};

const INT64_MAX = 2n ** 63n - 1n;

export function parseDuration(s: string): bigint {
  const invalid = (): TimeParseError => new TimeParseError(`time: invalid duration ${quote(s)}`);
  let rest = s;
  let neg = false;
  if (rest[0] === '-' || rest[0] === '+') {
    neg = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') throw invalid();
  let total = 0n;
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(rest) as RegExpExecArray;
    const [whole, int, frac] = [m[0], m[1], m[2]];
    if (int === '' && (frac === undefined || frac === '')) throw invalid();
    rest = rest.slice(whole.length);
    const u = /^[^\d.]*/.exec(rest) as RegExpExecArray;
    if (u[0] === '') throw new TimeParseError(`time: missing unit in duration ${quote(s)}`);
    const unit = UNIT_NS[u[0]];
    if (unit === undefined) throw new TimeParseError(`time: unknown unit ${quote(u[0])} in duration ${quote(s)}`);
    rest = rest.slice(u[0].length);
    let v = BigInt(int || '0') * unit;
    if (frac) v += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    total += v;
    if (total > INT64_MAX + (neg ? 1n : 0n)) throw invalid();
  }
  return neg ? -total : total;
}
