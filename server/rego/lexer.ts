// The Rego scanner: source text → a flat token array plus the comments. Keywords are *not* decided
// here: identifiers keep their text and the parser decides, because in v0 modules `if`, `in`,
// `every` and `contains` become keywords only after a `future.keywords`/`rego.v1` import.
//
// It runs once per module on the compile hot path, so it walks char codes directly: no regular
// expressions, and the only string slices are the token texts themselves.
import type { Comment } from './ast';

export enum Tok {
  EOF,
  /** A character sequence the scanner rejects; `value` holds the message. */
  Illegal,
  Ident,
  Number,
  String,
  LBrack,
  RBrack,
  LBrace,
  RBrace,
  LParen,
  RParen,
  Comma,
  Colon,
  Semicolon,
  Dot,
  Add,
  Sub,
  Mul,
  Quo,
  Rem,
  And,
  Or,
  Unify,
  Assign,
  Equal,
  Neq,
  Lt,
  Lte,
  Gt,
  Gte,
}

/** How OPA names each token in `unexpected X token` messages. */
const TOKEN_NAMES: Record<Tok, string> = {
  [Tok.EOF]: 'eof',
  [Tok.Illegal]: 'illegal',
  [Tok.Ident]: 'identifier',
  [Tok.Number]: 'number',
  [Tok.String]: 'string',
  [Tok.LBrack]: '[',
  [Tok.RBrack]: ']',
  [Tok.LBrace]: '{',
  [Tok.RBrace]: '}',
  [Tok.LParen]: '(',
  [Tok.RParen]: ')',
  [Tok.Comma]: ',',
  [Tok.Colon]: ':',
  [Tok.Semicolon]: ';',
  [Tok.Dot]: '.',
  [Tok.Add]: 'plus',
  [Tok.Sub]: 'minus',
  [Tok.Mul]: 'mul',
  [Tok.Quo]: 'div',
  [Tok.Rem]: 'rem',
  [Tok.And]: 'and',
  [Tok.Or]: 'or',
  [Tok.Unify]: 'eq',
  [Tok.Assign]: 'assign',
  [Tok.Equal]: 'equal',
  [Tok.Neq]: 'neq',
  [Tok.Lt]: 'lt',
  [Tok.Lte]: 'lte',
  [Tok.Gt]: 'gt',
  [Tok.Gte]: 'gte',
};

export function tokenName(kind: Tok): string {
  return TOKEN_NAMES[kind];
}

/**
 * The token stream, allocation-free per token: token `t`'s fields are `data[t * STRIDE + F_*]` in
 * one interleaved typed array (a single allocation: small typed arrays cost a malloc each), plus
 * one string per token in `value`.
 */
export interface Tokens {
  count: number;
  data: Int32Array;
  /** Ident: the name; Number: the literal text; String: the decoded value; Illegal: the message. */
  value: string[];
}

export const STRIDE = 6;
/** Token kind (Tok). */
export const F_KIND = 0;
/** WS / NL bits. */
export const F_FLAGS = 1;
/** UTF-16 offsets into the source: [start, end). */
export const F_START = 2;
export const F_END = 3;
export const F_ROW = 4;
/** 1-based column in code points, as OPA counts runes. */
export const F_COL = 5;

/** Flag: whitespace or a comment precedes the token. */
export const WS = 1;
/** Flag: a newline precedes the token (it ends an expression in a body). */
export const NL = 2;

export interface LexResult {
  tokens: Tokens;
  comments: Comment[];
  /** Wildcard ordinal (names `$_N`) of each `_` token, by token index. */
  wildcardAt: Map<number, number>;
  /** Number of `_` tokens; the parser numbers further generated wildcards from here. */
  wildcards: number;
}

const enum C {
  Tab = 9,
  LF = 10,
  CR = 13,
  Space = 32,
  Bang = 33,
  Quote = 34,
  Hash = 35,
  Dollar = 36,
  Percent = 37,
  Amp = 38,
  LParen = 40,
  RParen = 41,
  Star = 42,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  D0 = 48,
  D9 = 57,
  Colon = 58,
  Semi = 59,
  Lt = 60,
  Eq = 61,
  Gt = 62,
  UA = 65,
  UZ = 90,
  LBrack = 91,
  Backslash = 92,
  RBrack = 93,
  Underscore = 95,
  Backtick = 96,
  LA = 97,
  LE = 101,
  LZ = 122,
  LBrace = 123,
  Pipe = 124,
  RBrace = 125,
  BOM = 0xfeff,
}

function isLetter(c: number): boolean {
  return (c >= C.LA && c <= C.LZ) || (c >= C.UA && c <= C.UZ) || c === C.Underscore;
}

function isDecimal(c: number): boolean {
  return c >= C.D0 && c <= C.D9;
}

const UNICODE_DIGIT = /^\p{Nd}$/u;

/** OPA lets identifiers continue with any Unicode decimal digit; only checked off the ASCII path. */
function isUnicodeDigit(cp: number): boolean {
  return UNICODE_DIGIT.test(String.fromCodePoint(cp));
}

function hexVal(c: number): number {
  if (c >= C.D0 && c <= C.D9) return c - C.D0;
  if (c >= C.LA && c <= 102) return c - C.LA + 10;
  if (c >= C.UA && c <= 70) return c - C.UA + 10;
  return -1;
}

/**
 * Tokenizes `text`. Never throws: a scanning problem becomes an `Illegal` token (the parser reports
 * it, with its location, when it reaches it) followed by EOF, since nothing after it can matter.
 */
export function lex(text: string, file: string): LexResult {
  const comments: Comment[] = [];
  const len = text.length;
  // Policies run at ~0.3 tokens per character; grow by doubling past that.
  let cap = ((len / 3) | 0) + 16;
  let data = new Int32Array(cap * STRIDE);
  const values: string[] = [];
  const wildcardAt = new Map<number, number>();
  let n = 0;
  let pos = 0;
  let row = 1;
  let lineStart = 0;
  // Surrogate pairs seen on the current line before `pos`: columns count code points, not units.
  let pairs = 0;
  let wildcards = 0;

  if (len > 0 && text.charCodeAt(0) === C.BOM) pos = 1, lineStart = 1;

  const push = (kind: Tok, start: number, col: number, tRow: number, flag: number, value: string): void => {
    if (n === cap) {
      cap *= 2;
      const bigger = new Int32Array(cap * STRIDE);
      bigger.set(data);
      data = bigger;
    }
    const b = n * STRIDE;
    data[b + F_KIND] = kind;
    data[b + F_FLAGS] = flag;
    data[b + F_START] = start;
    data[b + F_END] = pos;
    data[b + F_ROW] = tRow;
    data[b + F_COL] = col;
    values.push(value);
    n++;
  };

  for (;;) {
    // Whitespace and comments.
    let flag = 0;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === C.Space || c === C.Tab || c === C.CR) {
        pos++;
        flag |= WS;
      } else if (c === C.LF) {
        pos++;
        row++;
        lineStart = pos;
        pairs = 0;
        flag = WS | NL;
      } else if (c === C.Hash) {
        const start = pos;
        const col = start - lineStart - pairs + 1;
        pos++;
        while (pos < len) {
          const d = text.charCodeAt(pos);
          if (d === C.LF) break;
          if (d >= 0xd800 && d <= 0xdbff && pos + 1 < len) {
            const e = text.charCodeAt(pos + 1);
            if (e >= 0xdc00 && e <= 0xdfff) pairs++, pos++;
          }
          pos++;
        }
        const end = pos > start + 1 && text.charCodeAt(pos - 1) === C.CR ? pos - 1 : pos;
        comments.push({ text: text.slice(start + 1, end), loc: { file, row, col } });
        flag |= WS;
      } else {
        break;
      }
    }

    const start = pos;
    const col = start - lineStart - pairs + 1;
    const tRow = row;
    if (pos >= len) {
      push(Tok.EOF, start, col, tRow, flag, '');
      break;
    }
    const c = text.charCodeAt(pos);

    if (isLetter(c)) {
      pos++;
      for (;;) {
        const d = text.charCodeAt(pos);
        if (isLetter(d) || isDecimal(d)) {
          pos++;
        } else if (d >= 0x80 && pos < len) {
          const cp = text.codePointAt(pos) as number; // pos < len, so defined
          if (!isUnicodeDigit(cp)) break;
          pos += cp > 0xffff ? 2 : 1;
          if (cp > 0xffff) pairs++;
        } else {
          break;
        }
      }
      if (pos - start === 1 && c === C.Underscore) {
        wildcardAt.set(n, wildcards++);
        push(Tok.Ident, start, col, tRow, flag, '_');
      } else {
        push(Tok.Ident, start, col, tRow, flag, text.slice(start, pos));
      }
      continue;
    }

    if (isDecimal(c)) {
      const problem = scanNumber();
      if (problem) {
        push(Tok.Illegal, start, col, tRow, flag, problem);
        break;
      }
      push(Tok.Number, start, col, tRow, flag, text.slice(start, pos));
      continue;
    }

    pos++;
    let kind: Tok;
    let problem: string | undefined;
    switch (c) {
      case C.Quote: {
        const r = scanString(start);
        if (typeof r === 'string') {
          push(Tok.String, start, col, tRow, flag, r);
          continue;
        }
        kind = Tok.Illegal;
        problem = r.error;
        break;
      }
      case C.Backtick: {
        const from = pos;
        while (pos < len && text.charCodeAt(pos) !== C.Backtick) {
          const d = text.charCodeAt(pos);
          if (d === C.LF) {
            row++;
            lineStart = pos + 1;
            pairs = 0;
          } else if (d >= 0xd800 && d <= 0xdbff && pos + 1 < len) {
            const e = text.charCodeAt(pos + 1);
            if (e >= 0xdc00 && e <= 0xdfff) pairs++, pos++;
          }
          pos++;
        }
        if (pos < len) {
          const value = text.slice(from, pos);
          pos++;
          push(Tok.String, start, col, tRow, flag, value);
          continue;
        }
        kind = Tok.Illegal;
        problem = 'non-terminated string';
        break;
      }
      case C.LBrack: kind = Tok.LBrack; break;
      case C.RBrack: kind = Tok.RBrack; break;
      case C.LBrace: kind = Tok.LBrace; break;
      case C.RBrace: kind = Tok.RBrace; break;
      case C.LParen: kind = Tok.LParen; break;
      case C.RParen: kind = Tok.RParen; break;
      case C.Comma: kind = Tok.Comma; break;
      case C.Semi: kind = Tok.Semicolon; break;
      case C.Dot: kind = Tok.Dot; break;
      case C.Plus: kind = Tok.Add; break;
      case C.Minus: kind = Tok.Sub; break;
      case C.Star: kind = Tok.Mul; break;
      case C.Slash: kind = Tok.Quo; break;
      case C.Percent: kind = Tok.Rem; break;
      case C.Amp: kind = Tok.And; break;
      case C.Pipe: kind = Tok.Or; break;
      case C.Colon:
        if (text.charCodeAt(pos) === C.Eq) pos++, kind = Tok.Assign;
        else kind = Tok.Colon;
        break;
      case C.Eq:
        if (text.charCodeAt(pos) === C.Eq) pos++, kind = Tok.Equal;
        else kind = Tok.Unify;
        break;
      case C.Lt:
        if (text.charCodeAt(pos) === C.Eq) pos++, kind = Tok.Lte;
        else kind = Tok.Lt;
        break;
      case C.Gt:
        if (text.charCodeAt(pos) === C.Eq) pos++, kind = Tok.Gte;
        else kind = Tok.Gt;
        break;
      case C.Bang:
        if (text.charCodeAt(pos) === C.Eq) pos++, kind = Tok.Neq;
        else kind = Tok.Illegal, problem = 'illegal ! character';
        break;
      case C.Dollar:
        kind = Tok.Illegal;
        problem = 'illegal $ character';
        break;
      case 0:
        kind = Tok.Illegal;
        problem = 'illegal null character';
        break;
      case C.BOM:
        kind = Tok.Illegal;
        problem = 'illegal byte-order mark';
        break;
      default:
        kind = Tok.Illegal;
        problem = 'illegal token';
        break;
    }
    if (kind === Tok.Illegal) {
      push(Tok.Illegal, start, col, tRow, flag, problem ?? 'illegal token');
      break;
    }
    push(kind, start, col, tRow, flag, '');
  }

  // After an Illegal token nothing else is scanned; make sure the stream still ends with EOF.
  const last = (n - 1) * STRIDE;
  if (data[last + F_KIND] !== Tok.EOF) {
    pos = len;
    push(Tok.EOF, len, data[last + F_COL], data[last + F_ROW], WS, '');
  }
  return { tokens: { count: n, data, value: values }, comments, wildcardAt, wildcards };

  /** Digits [. digits] [e [+-] digits]; returns an error message for a malformed literal. */
  function scanNumber(): string | undefined {
    while (isDecimal(text.charCodeAt(pos))) pos++;
    let problem: string | undefined;
    if (text.charCodeAt(pos) === C.Dot) {
      pos++;
      const f = pos;
      while (isDecimal(text.charCodeAt(pos))) pos++;
      if (pos === f) problem = 'expected fraction';
    }
    if ((text.charCodeAt(pos) | 0x20) === C.LE) {
      pos++;
      const s = text.charCodeAt(pos);
      if (s === C.Plus || s === C.Minus) pos++;
      const f = pos;
      while (isDecimal(text.charCodeAt(pos))) pos++;
      if (pos === f) problem ??= 'expected exponent';
    }
    // `0a2b` is one malformed number, not `0` followed by the identifier `a2b`.
    if (isLetter(text.charCodeAt(pos))) {
      problem ??= 'illegal number format';
      while (isLetter(text.charCodeAt(pos)) || isDecimal(text.charCodeAt(pos))) pos++;
    }
    return problem;
  }

  /**
   * A double-quoted string with JSON escapes, `pos` just after the opening quote. Decodes as it
   * goes: unescaped runs are copied with one slice each. Lone surrogate escapes become U+FFFD, as
   * Go's JSON decoder (which OPA uses) does.
   */
  function scanString(tokStart: number): string | { error: string } {
    let out = '';
    let run = pos;
    let escaped = false;
    let control = false;
    let badHex = false;
    for (;;) {
      if (pos >= len) return { error: 'non-terminated string' };
      const d = text.charCodeAt(pos);
      if (d === C.Quote) {
        out += text.slice(run, pos);
        pos++;
        break;
      }
      if (d === C.LF) return { error: 'non-terminated string' };
      if (d < 0x20) control = true;
      if (d >= 0xd800 && d <= 0xdbff && pos + 1 < len) {
        const e = text.charCodeAt(pos + 1);
        if (e >= 0xdc00 && e <= 0xdfff) pairs++, pos++;
        pos++;
        continue;
      }
      if (d !== C.Backslash) {
        pos++;
        continue;
      }
      escaped = true;
      out += text.slice(run, pos);
      const e = text.charCodeAt(pos + 1);
      pos += 2;
      switch (e) {
        case C.Quote: out += '"'; break;
        case C.Backslash: out += '\\'; break;
        case C.Slash: out += '/'; break;
        case 98: out += '\b'; break;
        case 102: out += '\f'; break;
        case 110: out += '\n'; break;
        case 114: out += '\r'; break;
        case 116: out += '\t'; break;
        case 117: {
          const u = readHex4(pos);
          if (u < 0) {
            // Keep scanning so the message can quote the whole literal, as OPA's does.
            badHex = true;
            break;
          }
          pos += 4;
          if (u >= 0xd800 && u <= 0xdbff) {
            // A high surrogate must be followed by an escaped low one to form a pair.
            if (text.charCodeAt(pos) === C.Backslash && text.charCodeAt(pos + 1) === 117) {
              const lo = readHex4(pos + 2);
              if (lo >= 0xdc00 && lo <= 0xdfff) {
                out += String.fromCharCode(u, lo);
                pos += 6;
                break;
              }
            }
            out += '\ufffd';
          } else if (u >= 0xdc00 && u <= 0xdfff) {
            out += '\ufffd';
          } else {
            out += String.fromCharCode(u);
          }
          break;
        }
        default:
          if (pos - 1 >= len) return { error: 'non-terminated string' };
          return { error: 'illegal escape sequence' };
      }
      run = pos;
    }
    // OPA decodes strings containing escapes with a JSON decoder, which rejects raw control
    // characters and bad `\u` escapes; strings without escapes are taken verbatim.
    if (badHex || (escaped && control)) return { error: `illegal string literal: ${text.slice(tokStart, pos)}` };
    return out;
  }

  function readHex4(at: number): number {
    if (at + 4 > len) return -1;
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const h = hexVal(text.charCodeAt(at + k));
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    return v;
  }
}
