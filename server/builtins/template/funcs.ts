// strings.render_template: builtin functions (arguments already evaluated)
import { quoteString, sprintfGo } from '../gofmt';
import { compareStrings } from '../../value/value';
import { FuncError } from './exec';
import { INT64_MAX, INT64_MIN } from './literals';
import { INVALID, TV, fmtV, goTypeName, toGoArg, truth, unwrap } from './values';

export function numberMethod(text: string, method: string): (a: TV[]) => TV {
  return () => {
    if (method === 'String') return { k: 'string', v: text };
    if (method === 'Float64') return { k: 'float', v: Number(text) };
    if (!/^[+-]?\d+$/.test(text)) throw new FuncError(`strconv.ParseInt: parsing ${quoteString(text)}: invalid syntax`);
    const v = BigInt(text);
    if (v < INT64_MIN || v > INT64_MAX) throw new FuncError(`strconv.ParseInt: parsing ${quoteString(text)}: value out of range`);
    return { k: 'int', v };
  };
}

export type Kind = 'bool' | 'int' | 'float' | 'string' | 'invalid';

export function basicKind(v: TV): Kind {
  switch (v.k) {
    case 'bool':
    case 'int':
    case 'float':
      return v.k;
    case 'string':
    case 'number':
      return 'string';
    default:
      return 'invalid';
  }
}

export function eq(args: TV[]): boolean {
  const a = unwrap(args[0]);
  if (args.length < 2) throw new FuncError('missing argument for comparison');
  const k1 = basicKind(a);
  for (const raw of args.slice(1)) {
    const b = unwrap(raw);
    const k2 = basicKind(b);
    let t = false;
    if (k1 !== k2) {
      if (a.k !== 'invalid' && b.k !== 'invalid') throw new FuncError(`incompatible types for comparison: ${goTypeName(a)} and ${goTypeName(b)}`);
    } else if (k1 !== 'invalid') {
      t = (a as { v: unknown }).v === (b as { v: unknown }).v;
    } else {
      const nilA = a.k === 'invalid';
      const nilB = b.k === 'invalid';
      if (a.k !== b.k && !nilA && !nilB) throw new FuncError(`non-comparable types ${sprintfGo('%s', [toGoArg(a)])}: ${goTypeName(a)}, ${goTypeName(b)}: ${fmtV(b)}`);
      if (nilA || nilB) t = nilA === nilB;
      else throw new FuncError(`non-comparable type ${sprintfGo('%s', [toGoArg(b)])}: ${goTypeName(b)}`);
    }
    if (t) return true;
  }
  return false;
}

export function lt(args: TV[]): boolean {
  const a = unwrap(args[0]);
  const b = unwrap(args[1]);
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'invalid' || k2 === 'invalid') throw new FuncError('invalid type for comparison');
  if (k1 !== k2) throw new FuncError(`incompatible types for comparison: ${goTypeName(a)} and ${goTypeName(b)}`);
  switch (k1) {
    case 'bool':
      throw new FuncError('invalid type for comparison');
    case 'string':
      return compareStrings((a as { v: string }).v, (b as { v: string }).v) < 0;
    default:
      return (a as { v: number | bigint }).v < (b as { v: number | bigint }).v;
  }
}

export const le = (args: TV[]): boolean => lt(args) || eq(args);
export const bool = (v: boolean): TV => ({ k: 'bool', v });

/** Length in bytes, as Go measures strings. */
export const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

export function indexArg(index: TV, cap: number): number {
  const i = unwrap(index);
  if (i.k === 'invalid') throw new FuncError('cannot index slice/array with nil');
  if (i.k !== 'int') throw new FuncError(`cannot index slice/array with type ${goTypeName(i)}`);
  if (i.v < 0n || i.v > BigInt(cap)) throw new FuncError(`index out of range: ${i.v}`);
  return Number(i.v);
}

export function index(args: TV[]): TV {
  let item = unwrap(args[0]);
  if (item.k === 'invalid') throw new FuncError('index of untyped nil');
  for (const raw of args.slice(1)) {
    if (item.k === 'iface') {
      if (item.v.k === 'invalid') throw new FuncError('index of nil pointer');
      item = item.v;
    }
    const key = unwrap(raw);
    switch (item.k) {
      case 'slice': {
        const x = indexArg(key, item.v.length);
        if (x === item.v.length) throw new FuncError('reflect: slice index out of range');
        item = { k: 'iface', v: item.v[x] };
        break;
      }
      case 'string':
      case 'number': {
        const bytes: Buffer = Buffer.from(item.v, 'utf8');
        const x = indexArg(key, bytes.length);
        if (x === bytes.length) throw new FuncError('reflect: string index out of range');
        item = { k: 'int', v: BigInt(bytes[x]) };
        break;
      }
      case 'map': {
        if (key.k === 'invalid') throw new FuncError('value is nil; should be of type string');
        if (key.k !== 'string') throw new FuncError(`value has type ${goTypeName(key)}; should be string`);
        item = { k: 'iface', v: item.v.get(key.v) ?? INVALID };
        break;
      }
      default:
        throw new FuncError(`can't index item of type ${goTypeName(item)}`);
    }
  }
  return item;
}

export function slice(args: TV[]): TV {
  const item = unwrap(args[0]);
  if (item.k === 'invalid') throw new FuncError('slice of untyped nil');
  const idxs = args.slice(1);
  if (idxs.length > 3) throw new FuncError(`too many slice indexes: ${idxs.length}`);
  let len: number;
  if (item.k === 'string' || item.k === 'number') {
    if (idxs.length === 3) throw new FuncError('cannot 3-index slice a string');
    len = byteLength(item.v);
  } else if (item.k === 'slice') len = item.v.length;
  else throw new FuncError(`can't slice item of type ${goTypeName(item)}`);
  const idx = [0, len, len];
  idxs.forEach((x, i) => (idx[i] = indexArg(x, len)));
  if (idx[0] > idx[1]) throw new FuncError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (idxs.length === 3 && idx[1] > idx[2]) throw new FuncError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (item.k === 'slice') return { k: 'slice', v: item.v.slice(idx[0], idx[1]) };
  return { k: item.k, v: Buffer.from(item.v, 'utf8').subarray(idx[0], idx[1]).toString('utf8') };
}

export function length(args: TV[]): TV {
  const v = args[0];
  if (v.k === 'iface' && v.v.k === 'invalid') throw new FuncError('len of nil pointer');
  const x = unwrap(v);
  switch (x.k) {
    case 'invalid':
      throw new FuncError('reflect: call of reflect.Value.Type on zero Value');
    case 'string':
    case 'number':
      return { k: 'int', v: BigInt(byteLength(x.v)) };
    case 'slice':
      return { k: 'int', v: BigInt(x.v.length) };
    case 'map':
      return { k: 'int', v: BigInt(x.v.size) };
    default:
      throw new FuncError(`len of type ${goTypeName(x)}`);
  }
}

/** fmt.Sprint: a space between operands when neither is a string. */
export function sprint(args: TV[]): string {
  const isString = (v: TV): boolean => {
    const x = unwrap(v);
    return x.k === 'string' || x.k === 'number';
  };
  let format = '';
  args.forEach((a, i) => {
    if (i > 0 && !isString(a) && !isString(args[i - 1])) format += ' ';
    format += '%v';
  });
  return sprintfGo(format, args.map(toGoArg));
}

/** The text html, js and urlquery escape: their arguments as print prints them, nil as <no value>. */
export function evalArgs(args: TV[]): string {
  if (args.length === 1 && unwrap(args[0]).k === 'string') return (unwrap(args[0]) as { v: string }).v;
  return sprint(args.map((a) => (unwrap(a).k === 'invalid' ? { k: 'string', v: '<no value>' } : a)));
}

export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ '\0': '\ufffd', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] as string);
}

export function jsEscape(s: string): string {
  let out = '';
  for (const c of s) {
    const cp = c.codePointAt(0) as number;
    const named: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D' };
    if (named[c]) out += named[c];
    else if (cp < 0x20) out += '\\u00' + cp.toString(16).toUpperCase().padStart(2, '0');
    else if (cp < 0x80 || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(c)) out += c;
    else out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

/** url.QueryEscape */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export function callFunc(name: string, args: TV[]): TV {
  const f = unwrap(args[0]);
  if (f.k === 'invalid') throw new FuncError('call of nil');
  throw new FuncError(`non-function ${name} of type ${goTypeName(f)}`);
}

export const BUILTINS: Record<string, (args: TV[]) => TV> = {
  not: (a) => bool(!truth(a[0])),
  len: length,
  index,
  slice,
  print: (a) => ({ k: 'string', v: sprint(a) }),
  printf: (a) => ({ k: 'string', v: sprintfGo((a[0] as { v: string }).v, a.slice(1).map(toGoArg)) }),
  println: (a) => ({ k: 'string', v: sprintfGo(a.map(() => '%v').join(' ') + '\n', a.map(toGoArg)) }),
  html: (a) => ({ k: 'string', v: htmlEscape(evalArgs(a)) }),
  js: (a) => ({ k: 'string', v: jsEscape(evalArgs(a)) }),
  urlquery: (a) => ({ k: 'string', v: queryEscape(evalArgs(a)) }),
  eq: (a) => bool(eq(a)),
  ne: (a) => bool(!eq(a)),
  lt: (a) => bool(lt(a)),
  le: (a) => bool(le(a)),
  gt: (a) => bool(!le(a)),
  ge: (a) => bool(!lt(a)),
};
