// strings.render_template: lexer
import { quoteString } from '../gofmt';
import { byteLength, length, slice } from './funcs';

export type ItemType =
  | 'error'
  | 'bool'
  | 'char'
  | 'charConstant'
  | 'complex'
  | 'assign'
  | 'declare'
  | 'eof'
  | 'field'
  | 'identifier'
  | 'leftDelim'
  | 'leftParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'rightDelim'
  | 'rightParen'
  | 'space'
  | 'string'
  | 'text'
  | 'variable'
  // keywords
  | 'block'
  | 'break'
  | 'continue'
  | 'dot'
  | 'define'
  | 'else'
  | 'end'
  | 'if'
  | 'nil'
  | 'range'
  | 'template'
  | 'with';

export interface Item {
  typ: ItemType;
  pos: number;
  val: string;
  line: number;
}

export const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'nil', 'range', 'template', 'with']);
export const KEYWORD_TYPES = new Set<ItemType>(['block', 'break', 'continue', 'dot', 'define', 'else', 'end', 'if', 'nil', 'range', 'template', 'with']);

export function itemString(i: Item): string {
  if (i.typ === 'eof') return 'EOF';
  if (i.typ === 'error') return i.val;
  if (KEYWORD_TYPES.has(i.typ)) return `<${i.val}>`;
  const runes = Array.from(i.val);
  if (runes.length > 10) return quoteString(runes.slice(0, 10).join('')) + '...';
  return quoteString(i.val);
}

export const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
export const isAlphaNumeric = (c: string | undefined): boolean => c !== undefined && (c === '_' || /^[\p{L}\p{Nd}]$/u.test(c));

/** `%#U`: U+0041 'A' (the character only when printable). */
export function runeText(c: string): string {
  const cp = c.codePointAt(0) as number;
  const u = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(c) ? `${u} '${c}'` : u;
}

export class Lines {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.starts.push(i + 1);
  }
  /** 1-based line of a position. */
  line(pos: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
  /** Go's ErrorContext location: line and byte column (0-based on every line). */
  location(pos: number): string {
    const line = this.line(pos);
    const col = Buffer.byteLength(this.text.slice(this.starts[line - 1], pos));
    return `template:${line}:${col}`;
  }
}

/** All items up to EOF or the first error (the parser reports an error only when it reaches it). */
export function lex(input: string, lines: Lines): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let start = 0;
  let parenDepth = 0;
  const at = (p: number): string | undefined => (p < input.length ? String.fromCodePoint(input.codePointAt(p) as number) : undefined);
  const emit = (typ: ItemType, from = start, to = pos): void => {
    items.push({ typ, pos: from, val: input.slice(from, to), line: lines.line(from) });
    start = pos;
  };
  const fail = (msg: string): Item[] => {
    items.push({ typ: 'error', pos: start, val: msg, line: lines.line(start) });
    return items;
  };
  const hasLeftTrim = (p: number): boolean => input[p] === '-' && isSpace(input[p + 1]);
  const hasRightTrim = (p: number): boolean => isSpace(input[p]) && input[p + 1] === '-';
  const atRightDelim = (p: number): [boolean, boolean] => {
    if (hasRightTrim(p) && input.startsWith('}}', p + 2)) return [true, true];
    return [input.startsWith('}}', p), false];
  };
  const leftTrimLength = (p: number): number => {
    let q = p;
    while (isSpace(input[q])) q++;
    return q - p;
  };
  const atTerminator = (p: number): boolean => {
    const c = input[p];
    return c === undefined || isSpace(c) || '.,|:)('.includes(c) || input.startsWith('}}', p);
  };

  for (;;) {
    // Text up to the next action.
    const x = input.indexOf('{{', pos);
    if (x < 0) {
      pos = input.length;
      if (pos > start) emit('text');
      emit('eof');
      return items;
    }
    let trimLength = 0;
    if (hasLeftTrim(x + 2)) {
      let q = x;
      while (q > start && isSpace(input[q - 1])) q--;
      trimLength = x - q;
    }
    if (x - trimLength > start) items.push({ typ: 'text', pos: start, val: input.slice(start, x - trimLength), line: lines.line(start) });
    pos = x + 2;
    start = x;
    const afterMarker = hasLeftTrim(pos) ? 2 : 0;
    if (input.startsWith('/*', pos + afterMarker)) {
      pos += afterMarker;
      start = pos;
      const close = input.indexOf('*/', pos + 2);
      if (close < 0) return fail('unclosed comment');
      pos = close + 2;
      const [delim, trim] = atRightDelim(pos);
      if (!delim) return fail('comment ends before closing delimiter');
      pos += (trim ? 2 : 0) + 2;
      if (trim) pos += leftTrimLength(pos);
      start = pos;
      continue;
    }
    emit('leftDelim', x, x + 2);
    pos += afterMarker;
    start = pos;
    parenDepth = 0;

    // Inside the action.
    for (;;) {
      const [delim, trim] = atRightDelim(pos);
      if (delim) {
        if (parenDepth !== 0) return fail('unclosed left paren');
        if (trim) pos += 2;
        start = pos;
        pos += 2;
        emit('rightDelim');
        if (trim) pos += leftTrimLength(pos);
        start = pos;
        break;
      }
      const r = at(pos);
      if (r === undefined) return fail('unclosed action');
      if (isSpace(r)) {
        let n = 0;
        while (isSpace(input[pos])) {
          pos++;
          n++;
        }
        // A space that begins ` -}}` belongs to the delimiter.
        if (hasRightTrim(pos - 1) && input.startsWith('}}', pos + 1)) {
          pos--;
          if (n === 1) continue;
        }
        emit('space');
        continue;
      }
      pos += r.length;
      switch (r) {
        case '=':
          emit('assign');
          continue;
        case ':':
          if (input[pos] !== '=') return fail('expected :=');
          pos++;
          emit('declare');
          continue;
        case '|':
          emit('pipe');
          continue;
        case '"': {
          for (;;) {
            const c = input[pos++];
            if (c === '\\') {
              const d = input[pos++];
              if (d !== undefined && d !== '\n') continue;
              return fail('unterminated quoted string');
            }
            if (c === undefined || c === '\n') return fail('unterminated quoted string');
            if (c === '"') break;
          }
          emit('string');
          continue;
        }
        case '`': {
          const close = input.indexOf('`', pos);
          if (close < 0) return fail('unterminated raw quoted string');
          pos = close + 1;
          emit('rawString');
          continue;
        }
        case "'": {
          for (;;) {
            const c = input[pos++];
            if (c === '\\') {
              const d = input[pos++];
              if (d !== undefined && d !== '\n') continue;
              return fail('unterminated character constant');
            }
            if (c === undefined || c === '\n') return fail('unterminated character constant');
            if (c === "'") break;
          }
          emit('charConstant');
          continue;
        }
        case '(':
          parenDepth++;
          emit('leftParen');
          continue;
        case ')':
          parenDepth--;
          if (parenDepth < 0) return fail('unexpected right paren');
          emit('rightParen');
          continue;
      }
      if (r === '$' || (r === '.' && pos < input.length && !(input[pos] >= '0' && input[pos] <= '9'))) {
        // A field (.Name), a variable ($Name), or `.` / `$` alone.
        if (atTerminator(pos)) {
          emit(r === '$' ? 'variable' : 'dot');
          continue;
        }
        let c = at(pos);
        while (isAlphaNumeric(c)) {
          pos += (c as string).length;
          c = at(pos);
        }
        if (!atTerminator(pos)) return fail(`bad character ${runeText(c as string)}`);
        emit(r === '$' ? 'variable' : 'field');
        continue;
      }
      if (r === '.' || r === '+' || r === '-' || (r >= '0' && r <= '9')) {
        pos -= 1;
        const scan = (): boolean => {
          if (input[pos] === '+' || input[pos] === '-') pos++;
          let digits = '0123456789_';
          if (input[pos] === '0') {
            pos++;
            const p = input[pos];
            if (p === 'x' || p === 'X') digits = '0123456789abcdefABCDEF_';
            else if (p === 'o' || p === 'O') digits = '01234567_';
            else if (p === 'b' || p === 'B') digits = '01_';
            if (digits !== '0123456789_') pos++;
          }
          const run = (set: string): void => {
            while (pos < input.length && set.includes(input[pos])) pos++;
          };
          run(digits);
          if (input[pos] === '.') {
            pos++;
            run(digits);
          }
          if (digits.length === 11 && (input[pos] === 'e' || input[pos] === 'E')) {
            pos++;
            if (input[pos] === '+' || input[pos] === '-') pos++;
            run('0123456789_');
          }
          if (digits.length === 23 && (input[pos] === 'p' || input[pos] === 'P')) {
            pos++;
            if (input[pos] === '+' || input[pos] === '-') pos++;
            run('0123456789_');
          }
          if (input[pos] === 'i') pos++;
          const next = at(pos);
          if (isAlphaNumeric(next)) {
            pos += (next as string).length;
            return false;
          }
          return true;
        };
        if (!scan()) return fail(`bad number syntax: ${quoteString(input.slice(start, pos))}`);
        if (input[pos] === '+' || input[pos] === '-') {
          if (!scan() || input[pos - 1] !== 'i') return fail(`bad number syntax: ${quoteString(input.slice(start, pos))}`);
          emit('complex');
        } else emit('number');
        continue;
      }
      if (isAlphaNumeric(r)) {
        let c = at(pos);
        while (isAlphaNumeric(c)) {
          pos += (c as string).length;
          c = at(pos);
        }
        if (!atTerminator(pos)) return fail(`bad character ${runeText(c as string)}`);
        const word = input.slice(start, pos);
        emit(KEYWORDS.has(word) ? (word as ItemType) : word === 'true' || word === 'false' ? 'bool' : 'identifier');
        continue;
      }
      if (r.charCodeAt(0) < 0x80 && r >= ' ' && r !== '\x7f') {
        emit('char');
        continue;
      }
      return fail(`unrecognized character in action: ${runeText(r)}`);
    }
  }
}
