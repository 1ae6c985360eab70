// Go's fmt.Sprintf, as OPA's `sprintf` uses it. OPA hands Go four kinds of arguments: int
// (integers within int64), *big.Int (larger integers), float64 and string; every other value is
// passed as its Rego text (a string). So `%v` of an array prints `[1, "a"]`, `%d` of a string
// prints `%!d(string=…)`, and `%t` never sees a boolean. Verbs, flags, width, precision and
// argument indexes follow the fmt package's documented behaviour.
import { toRegoText, type Value } from '../value/value';
import { codePointCount, utf8Bytes } from './utf8';

/**
 * A Go value as fmt sees it. OPA's sprintf only produces the first four; Go's text/template
 * (strings.render_template) also hands fmt booleans, nil, `[]interface{}`, `map[string]interface{}`
 * and named string types (`json.Number`, whose String method prints the same text).
 */
export type GoArg =
  | { kind: 'int'; v: bigint }
  | { kind: 'big'; v: bigint }
  | { kind: 'float'; v: number }
  | { kind: 'string'; v: string; type?: string }
  | { kind: 'bool'; v: boolean }
  | { kind: 'nil' }
  | { kind: 'slice'; items: GoArg[] }
  | { kind: 'map'; entries: Array<[GoArg, GoArg]> };

type Arg = GoArg;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export function toGoArg(v: Value): Arg {
  if (typeof v === 'bigint') return v >= INT64_MIN && v <= INT64_MAX ? { kind: 'int', v } : { kind: 'big', v };
  if (typeof v === 'number') {
    // Integer text always becomes a safe number or a bigint, so an unsafe integral double was
    // written as a float (1e21): OPA hands Go a float64 for it too.
    return Number.isSafeInteger(v) ? { kind: 'int', v: BigInt(v) } : { kind: 'float', v };
  }
  if (typeof v === 'string') return { kind: 'string', v };
  return { kind: 'string', v: toRegoText(v) };
}

/** reflect.TypeOf(arg).String() */
function goType(a: Arg): string {
  switch (a.kind) {
    case 'int':
      return 'int';
    case 'big':
      return '*big.Int';
    case 'float':
      return 'float64';
    case 'string':
      return a.type ?? 'string';
    case 'bool':
      return 'bool';
    case 'nil':
      return '<nil>';
    case 'slice':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
  }
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  prec: number | undefined;
}

export function sprintf(format: string, values: Value[]): string {
  return sprintfGo(format, values.map(toGoArg));
}

/** fmt.Sprintf over Go values. */
export function sprintfGo(format: string, args: GoArg[]): string {
  let out = '';
  let argNum = 0;
  let reordered = false;
  const used = new Array<boolean>(args.length).fill(false);
  let i = 0;
  const n = format.length;

  // Reads `[k]` at i: returns the 0-based index, or -1 for a bad index.
  const argIndex = (): number | undefined => {
    if (format[i] !== '[') return undefined;
    const close = format.indexOf(']', i);
    reordered = true;
    if (close < 0) {
      i = n;
      return -1;
    }
    const text = format.slice(i + 1, close);
    i = close + 1;
    const k = /^\d+$/.test(text) ? Number(text) : NaN;
    return k >= 1 && k <= args.length ? k - 1 : -1;
  };

  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false, width: undefined, prec: undefined };
    for (; i < n; i++) {
      const c = format[i];
      if (c === '-') spec.minus = true;
      else if (c === '+') spec.plus = true;
      else if (c === '#') spec.sharp = true;
      else if (c === ' ') spec.space = true;
      else if (c === '0') spec.zero = true;
      else break;
    }
    let badIndex = false;
    let idx = argIndex();
    if (idx === -1) badIndex = true;
    else if (idx !== undefined) argNum = idx;
    // Width: digits or `*` (taken from an int argument).
    if (format[i] === '*') {
      i++;
      const a = args[argNum];
      if (a !== undefined && a.kind === 'int' && !tooLarge(a.v)) {
        used[argNum] = true;
        argNum++;
        let w = Number(a.v);
        if (w < 0) {
          spec.minus = true;
          w = -w;
        }
        spec.width = w;
      } else {
        if (a !== undefined) {
          used[argNum] = true;
          argNum++;
        }
        out += '%!(BADWIDTH)';
      }
    } else {
      const w = parseNum(format, i);
      if (w.num !== undefined) spec.width = w.num;
      i = w.next;
    }
    if (format[i] === '.') {
      i++;
      idx = argIndex();
      if (idx === -1) badIndex = true;
      else if (idx !== undefined) argNum = idx;
      if (format[i] === '*') {
        i++;
        const a = args[argNum];
        if (a !== undefined && a.kind === 'int' && a.v >= 0n && !tooLarge(a.v)) {
          used[argNum] = true;
          argNum++;
          spec.prec = Number(a.v);
        } else {
          if (a !== undefined) {
            used[argNum] = true;
            argNum++;
          }
          out += '%!(BADPREC)';
        }
      } else {
        const p = parseNum(format, i);
        spec.prec = p.num ?? 0;
        i = p.next;
      }
    }
    idx = argIndex();
    if (idx === -1) badIndex = true;
    else if (idx !== undefined) argNum = idx;
    if (i >= n) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) as number);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (badIndex) {
      out += `%!${verb}(BADINDEX)`;
      continue;
    }
    const arg = args[argNum];
    if (arg === undefined) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    used[argNum] = true;
    argNum++;
    // %T prints the argument's Go type, whatever the argument.
    out += verb === 'T' ? (formatString(goType(arg), 's', spec) as string) : formatArg(arg, verb, spec);
  }
  if (!reordered && argNum < args.length) {
    const extra = args.slice(argNum).map((a) => (a.kind === 'nil' ? '<nil>' : `${goType(a)}=${formatArg(a, 'v', plainSpec())}`));
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}

function plainSpec(): Spec {
  return { minus: false, plus: false, sharp: false, space: false, zero: false, width: undefined, prec: undefined };
}

/** `%!verb(type=value)`: Go prints the value with %v and the same flags, width and precision. */
function badVerb(arg: Arg, verb: string, spec: Spec): string {
  if (arg.kind === 'nil') return `%!${verb}(<nil>)`;
  const shown = arg.kind === 'big' ? `big.Int=${arg.v}` : `${goType(arg)}=${formatArg(arg, 'v', spec)}`;
  return `%!${verb}(${shown})`;
}

/** An element of a slice or map: fmt prints a nil element as `<nil>` whatever the verb. */
function formatElem(arg: Arg, verb: string, spec: Spec): string {
  return arg.kind === 'nil' ? '<nil>' : formatArg(arg, verb, spec);
}

function formatArg(arg: Arg, verb: string, spec: Spec): string {
  switch (arg.kind) {
    case 'bool':
      return verb === 't' || verb === 'v' ? pad(arg.v ? 'true' : 'false', spec, !spec.minus) : badVerb(arg, verb, spec);
    case 'nil':
      return verb === 'v' ? pad('<nil>', spec, !spec.minus) : badVerb(arg, verb, spec);
    case 'slice':
      // Each element is formatted with the verb and flags; the brackets are not padded.
      return '[' + arg.items.map((x) => formatElem(x, verb, spec)).join(' ') + ']';
    case 'map':
      return 'map[' + arg.entries.map(([k, x]) => formatElem(k, verb, spec) + ':' + formatElem(x, verb, spec)).join(' ') + ']';
    case 'int':
      return formatInt(arg, verb, spec);
    case 'big':
      return 'bdsvoxX'.includes(verb) ? formatInt(arg, verb === 's' || verb === 'v' ? 'd' : verb, spec) : badVerb(arg, verb, spec);
    case 'float':
      return formatFloat(arg.v, verb, spec) ?? badVerb(arg, verb, spec);
    case 'string':
      return formatString(arg.v, verb, spec) ?? badVerb(arg, verb, spec);
  }
}

/** Go refuses widths and precisions beyond a million (fmt's tooLarge): output stays bounded. */
function tooLarge(x: bigint | number): boolean {
  return x > 1_000_000 || x < -1_000_000;
}

/**
 * A literal width or precision at `i`, as fmt's parsenum reads it: digits while the number so
 * far is not too large; a crazy long number consumes the rest of the format (no verb follows).
 */
function parseNum(format: string, i: number): { num: number | undefined; next: number } {
  let num = 0;
  let j = i;
  for (; j < format.length && format[j] >= '0' && format[j] <= '9'; j++) {
    if (tooLarge(num)) return { num: undefined, next: format.length };
    num = num * 10 + (format.charCodeAt(j) - 48);
  }
  return { num: j > i ? num : undefined, next: j };
}

/** Pads to the width with spaces (or zeros after the sign when allowed). */
function pad(body: string, spec: Spec, zeroOK: boolean): string {
  const w = spec.width ?? 0;
  const len = codePointCount(body);
  if (len >= w) return body;
  const fill = w - len;
  if (spec.minus) return body + ' '.repeat(fill);
  if (spec.zero && zeroOK) {
    const sign = /^[+\- ]/.test(body) ? body[0] : '';
    return sign + '0'.repeat(fill) + body.slice(sign.length);
  }
  return ' '.repeat(fill) + body;
}

function signOf(negative: boolean, spec: Spec): string {
  return negative ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
}

function formatInt(arg: Arg & { v: bigint }, verb: string, spec: Spec): string {
  const v = arg.v;
  const neg = v < 0n;
  const mag = neg ? -v : v;
  let digits: string;
  let prefix = '';
  switch (verb) {
    case 'v':
    case 'd':
      digits = mag.toString(10);
      break;
    case 'b':
      digits = mag.toString(2);
      if (spec.sharp) prefix = '0b';
      break;
    case 'o':
      digits = mag.toString(8);
      if (spec.sharp) prefix = '0';
      break;
    case 'O':
      digits = mag.toString(8);
      prefix = '0o';
      break;
    case 'x':
      digits = mag.toString(16);
      if (spec.sharp) prefix = '0x';
      break;
    case 'X':
      digits = mag.toString(16).toUpperCase();
      if (spec.sharp) prefix = '0X';
      break;
    case 'c':
      if (arg.kind !== 'int') return badVerb(arg, verb, spec);
      return pad(runeOf(v), spec, false);
    case 'q':
      if (arg.kind !== 'int') return badVerb(arg, verb, spec);
      return pad(quoteRune(runeOf(v)), spec, false);
    case 'U': {
      if (arg.kind !== 'int') return badVerb(arg, verb, spec);
      let s = 'U+' + mag.toString(16).toUpperCase().padStart(4, '0');
      if (neg) s = '-' + s;
      if (spec.sharp && v >= 0n && v <= 0x10ffffn) s += ` '${runeOf(v)}'`;
      return pad(s, spec, false);
    }
    default:
      return badVerb(arg, verb, spec);
  }
  if (prefix === '0' && digits.startsWith('0')) prefix = '';
  if (spec.prec !== undefined) {
    if (spec.prec === 0 && mag === 0n) digits = '';
    else digits = digits.padStart(spec.prec, '0');
  }
  const body = signOf(neg, spec) + prefix + digits;
  // With an explicit precision the 0 flag does not apply to integers.
  return pad(body, spec, spec.prec === undefined && !spec.minus);
}

function runeOf(v: bigint): string {
  return v >= 0n && v <= 0x10ffffn && !(v >= 0xd800n && v <= 0xdfffn) ? String.fromCodePoint(Number(v)) : '\ufffd';
}

// ---------------------------------------------------------------------------------------------
// Floats: Go formats from the exact binary value, rounding half to even, which JS's toFixed
// does not; so digits come from an exact decimal expansion of the double.

/** Decimal digits d1d2… with the point after `dp` digits: value = 0.d1d2… × 10^dp. */
interface Digits {
  d: string;
  dp: number;
}

function exactDigits(x: number): Digits {
  // x = mant × 2^exp exactly, with mant an integer.
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (bexp === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = bexp - 1075;
  }
  if (mant === 0n) return { d: '', dp: 0 };
  let s: string;
  let frac: number;
  if (exp >= 0) {
    s = (mant << BigInt(exp)).toString();
    frac = 0;
  } else {
    s = (mant * 5n ** BigInt(-exp)).toString();
    frac = -exp;
  }
  const dp = s.length - frac;
  return trimDigits({ d: s, dp });
}

function trimDigits(x: Digits): Digits {
  let d = x.d;
  let k = d.length;
  while (k > 0 && d[k - 1] === '0') k--;
  d = d.slice(0, k);
  let j = 0;
  while (j < d.length && d[j] === '0') j++;
  return { d: d.slice(j), dp: x.dp - j };
}

/** Rounds to nd digits, half to even (the expansion is exact, so ties are real ties). */
function roundDigits(x: Digits, nd: number): Digits {
  if (nd < 0) return { d: '', dp: x.dp };
  if (nd >= x.d.length) return x;
  const next = x.d.charCodeAt(nd) - 48;
  let up: boolean;
  if (next > 5) up = true;
  else if (next < 5) up = false;
  else if (nd + 1 < x.d.length) up = true;
  else up = nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  let d = x.d.slice(0, nd);
  let dp = x.dp;
  if (up) {
    let k = nd - 1;
    const chars = d.split('');
    while (k >= 0 && chars[k] === '9') {
      chars[k] = '0';
      k--;
    }
    if (k < 0) {
      chars.unshift('1');
      dp++;
    } else chars[k] = String.fromCharCode(chars[k].charCodeAt(0) + 1);
    d = chars.join('');
  }
  return trimDigits({ d, dp });
}

function shortestDigits(x: number): Digits {
  const [mant, e] = x.toExponential().split('e');
  return trimDigits({ d: mant.replace('.', ''), dp: Number(e) + 1 });
}

function digitAt(x: Digits, i: number): string {
  return i >= 0 && i < x.d.length ? x.d[i] : '0';
}

/** %e body with `prec` digits after the point (or as many as x has when prec < 0). */
function eBody(x: Digits, prec: number, upper: boolean): string {
  const nd = x.d.length;
  const p = prec < 0 ? Math.max(nd - 1, 0) : prec;
  let s = nd === 0 ? '0' : x.d[0];
  if (p > 0) {
    s += '.';
    for (let i = 1; i <= p; i++) s += digitAt(x, i);
  }
  const e = nd === 0 ? 0 : x.dp - 1;
  const ea = Math.abs(e);
  return s + (upper ? 'E' : 'e') + (e < 0 ? '-' : '+') + (ea < 10 ? '0' : '') + ea;
}

/** %f body with `prec` digits after the point (or as many as needed when prec < 0). */
function fBody(x: Digits, prec: number): string {
  const p = prec < 0 ? Math.max(x.d.length - x.dp, 0) : prec;
  let s = '';
  if (x.dp > 0) for (let i = 0; i < x.dp; i++) s += digitAt(x, i);
  else s = '0';
  if (p > 0) {
    s += '.';
    for (let i = 0; i < p; i++) s += digitAt(x, x.dp + i);
  }
  return s;
}

function formatFloat(v: number, verb: string, spec: Spec): string | undefined {
  let body: string;
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  if (!Number.isFinite(v)) {
    body = Number.isNaN(v) ? 'NaN' : 'Inf';
    const sign = Number.isNaN(v) ? (spec.plus ? '+' : spec.space ? ' ' : '') : signOf(neg, spec);
    return pad(sign + body, spec, false);
  }
  switch (verb) {
    case 'e':
    case 'E': {
      const p = spec.prec ?? 6;
      body = eBody(roundDigits(exactDigits(a), p + 1), p, verb === 'E');
      break;
    }
    case 'f':
    case 'F': {
      const p = spec.prec ?? 6;
      const x = exactDigits(a);
      body = fBody(roundDigits(x, x.dp + p), p);
      break;
    }
    case 'v':
    case 'g':
    case 'G': {
      const shortest = spec.prec === undefined || verb === 'v';
      let x: Digits;
      let eprec: number;
      if (shortest) {
        x = shortestDigits(a);
        eprec = 6;
      } else {
        const p = spec.prec === 0 ? 1 : (spec.prec as number);
        x = roundDigits(exactDigits(a), p);
        eprec = p;
      }
      if (x.d.length === 0) x = { d: '0', dp: 1 };
      if (!shortest && eprec > x.d.length && x.d.length >= x.dp) eprec = x.d.length;
      const exp = x.dp - 1;
      if (exp < -4 || exp >= eprec) body = eBody(x, Math.max(x.d.length - 1, 0), verb === 'G');
      else body = fBody(x, Math.max(x.d.length - x.dp, 0));
      break;
    }
    default:
      return undefined;
  }
  return pad(signOf(neg, spec) + body, spec, !spec.minus);
}

// ---------------------------------------------------------------------------------------------
// Strings

function formatString(s: string, verb: string, spec: Spec): string | undefined {
  switch (verb) {
    case 'v':
    case 's': {
      const body = spec.prec !== undefined ? Array.from(s).slice(0, spec.prec).join('') : s;
      return pad(body, spec, !spec.minus);
    }
    case 'q': {
      const body = spec.prec !== undefined ? Array.from(s).slice(0, spec.prec).join('') : s;
      if (spec.sharp && !/[`\u0000-\u0008\u000a-\u001f\u007f]/.test(body)) return pad('`' + body + '`', spec, false);
      return pad(quoteString(body, spec.plus), spec, false);
    }
    case 'x':
    case 'X': {
      const bytes = utf8Bytes(spec.prec !== undefined ? Array.from(s).slice(0, spec.prec).join('') : s);
      let hex = '';
      for (let k = 0; k < bytes.length; k++) {
        if (spec.space && k > 0) hex += ' ';
        if (spec.sharp && (spec.space || k === 0)) hex += verb === 'x' ? '0x' : '0X';
        const h = bytes[k].toString(16).padStart(2, '0');
        hex += verb === 'X' ? h.toUpperCase() : h;
      }
      return pad(hex, spec, false);
    }
    default:
      return undefined;
  }
}

const ESCAPES: Record<string, string> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
};

/** Go's strconv.Quote (or QuoteToASCII with `+`). */
export function quoteString(s: string, ascii = false): string {
  let out = '"';
  for (const ch of s) out += ch === '"' ? '\\"' : escapeRune(ch, ascii);
  return out + '"';
}

function quoteRune(ch: string): string {
  return "'" + (ch === "'" ? "\\'" : escapeRune(ch, false)) + "'";
}

function escapeRune(ch: string, ascii: boolean): string {
  const esc = ESCAPES[ch];
  if (esc !== undefined) return esc;
  const cp = ch.codePointAt(0) as number;
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd';
  const printable = cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp < 0xa0) && /[\p{L}\p{M}\p{N}\p{P}\p{S}\u0020]/u.test(ch);
  if (printable && (!ascii || cp < 0x80)) return ch;
  if (cp < 0x80) return '\\x' + cp.toString(16).padStart(2, '0');
  if (cp <= 0xffff) return '\\u' + cp.toString(16).padStart(4, '0');
  return '\\U' + cp.toString(16).padStart(8, '0');
}

/** strconv.FormatFloat(x, 'g', -1, 64): the shortest text in %v style (1e+21, 1.5, 1e-07). */
export function formatG(x: number): string {
  return formatFloat(x, 'v', plainSpec()) as string;
}
