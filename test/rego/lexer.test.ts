// The scanner: token kinds, texts, positions, strings and numbers, comments, scanning errors.
import { F_COL, F_FLAGS, F_KIND, F_ROW, lex, NL, STRIDE, Tok, WS } from '../../server/rego/lexer';

interface Tk {
  kind: string;
  value: string;
  row: number;
  col: number;
  ws: boolean;
  nl: boolean;
}

function tokens(text: string): Tk[] {
  const { tokens: t } = lex(text, 'f');
  const out: Tk[] = [];
  for (let k = 0; k < t.count; k++) {
    const b = k * STRIDE;
    out.push({
      kind: Tok[t.data[b + F_KIND]],
      value: t.value[k],
      row: t.data[b + F_ROW],
      col: t.data[b + F_COL],
      ws: (t.data[b + F_FLAGS] & WS) !== 0,
      nl: (t.data[b + F_FLAGS] & NL) !== 0,
    });
  }
  return out;
}

const kinds = (text: string): string[] => tokens(text).map((t) => (t.value ? `${t.kind}:${t.value}` : t.kind));

describe('lexer', () => {
  it('scans punctuation and operators', () => {
    expect(kinds(':= = == != < <= > >= + - * / % & | , ; : . ( ) [ ] { }')).toEqual([
      'Assign', 'Unify', 'Equal', 'Neq', 'Lt', 'Lte', 'Gt', 'Gte', 'Add', 'Sub', 'Mul', 'Quo', 'Rem', 'And', 'Or',
      'Comma', 'Semicolon', 'Colon', 'Dot', 'LParen', 'RParen', 'LBrack', 'RBrack', 'LBrace', 'RBrace', 'EOF',
    ]);
  });

  it('keeps identifiers (keywords included) as identifiers', () => {
    expect(kinds('foo _bar x1 if not _')).toEqual(['Ident:foo', 'Ident:_bar', 'Ident:x1', 'Ident:if', 'Ident:not', 'Ident:_', 'EOF']);
  });

  it('numbers wildcards in order', () => {
    const r = lex('_ a _ [_]', 'f');
    expect([...r.wildcardAt.entries()]).toEqual([[0, 0], [2, 1], [4, 2]]);
    expect(r.wildcards).toBe(3);
  });

  it('keeps number texts', () => {
    expect(kinds('0 1.5 1e3 2E-7 28857836529306024611913 0.0')).toEqual([
      'Number:0', 'Number:1.5', 'Number:1e3', 'Number:2E-7', 'Number:28857836529306024611913', 'Number:0.0', 'EOF',
    ]);
  });

  it('rejects malformed numbers', () => {
    expect(kinds('1.')).toEqual(['Illegal:expected fraction', 'EOF']);
    expect(kinds('1e')).toEqual(['Illegal:expected exponent', 'EOF']);
    expect(kinds('0a2b')).toEqual(['Illegal:illegal number format', 'EOF']);
  });

  it('decodes JSON string escapes', () => {
    const t = tokens(String.raw`"a\"b\\c\/d\b\f\n\r\t" "\u00e9\u4e2d" "\ud83d\ude00" "\ud800x" "\udc00"`);
    expect(t.slice(0, 5).map((x) => x.value)).toEqual(['a"b\\c/d\b\f\n\r\t', 'é中', '😀', '\ufffdx', '\ufffd']);
  });

  it('rejects bad strings', () => {
    expect(kinds(String.raw`"a\qb"`)).toEqual(['Illegal:illegal escape sequence', 'EOF']);
    expect(kinds(String.raw`"\u12G4"`)).toEqual([String.raw`Illegal:illegal string literal: "\u12G4"`, 'EOF']);
    expect(kinds('"abc')).toEqual(['Illegal:non-terminated string', 'EOF']);
    expect(kinds('"ab\ncd"')).toEqual(['Illegal:non-terminated string', 'EOF']);
    expect(kinds('`abc')).toEqual(['Illegal:non-terminated string', 'EOF']);
  });

  it('takes raw strings verbatim, across lines', () => {
    const t = tokens('x := `a\\n\n"b"` y');
    expect(t[2]).toMatchObject({ kind: 'String', value: 'a\\n\n"b"', row: 1, col: 6 });
    expect(t[3]).toMatchObject({ kind: 'Ident', value: 'y', row: 2, col: 6, nl: false });
  });

  it('tracks rows, columns, and whitespace/newline flags', () => {
    const t = tokens('a  b\n\tc # note\n  d');
    expect(t.map((x) => [x.value, x.row, x.col, x.ws, x.nl])).toEqual([
      ['a', 1, 1, false, false],
      ['b', 1, 4, true, false],
      ['c', 2, 2, true, true],
      ['d', 3, 3, true, true],
      ['', 3, 4, false, false],
    ]);
  });

  it('counts columns in code points', () => {
    const t = tokens('"😀😀" x\n# 😀\ny');
    expect(t[1]).toMatchObject({ value: 'x', row: 1, col: 6 });
    expect(t[2]).toMatchObject({ value: 'y', row: 3, col: 1 });
  });

  it('collects comments with their locations', () => {
    const r = lex('a # one\r\n  #two\n#', 'f.rego');
    expect(r.comments).toEqual([
      { text: ' one', loc: { file: 'f.rego', row: 1, col: 3 } },
      { text: 'two', loc: { file: 'f.rego', row: 2, col: 3 } },
      { text: '', loc: { file: 'f.rego', row: 3, col: 1 } },
    ]);
  });

  it('reports illegal characters and stops there', () => {
    expect(kinds('a ! b')).toEqual(['Ident:a', 'Illegal:illegal ! character', 'EOF']);
    expect(kinds('a $ b')).toEqual(['Ident:a', 'Illegal:illegal $ character', 'EOF']);
    expect(kinds('a \u0000')).toEqual(['Ident:a', 'Illegal:illegal null character', 'EOF']);
    expect(kinds('a é')).toEqual(['Ident:a', 'Illegal:illegal token', 'EOF']);
    expect(kinds('a \ufeff')).toEqual(['Ident:a', 'Illegal:illegal byte-order mark', 'EOF']);
  });

  it('skips a leading byte-order mark', () => {
    expect(tokens('\ufeffa')[0]).toMatchObject({ value: 'a', row: 1, col: 1 });
  });

  it('lets identifiers continue with Unicode digits, as OPA does', () => {
    expect(kinds('x٣ y')).toEqual(['Ident:x٣', 'Ident:y', 'EOF']);
  });

  it('grows past its initial capacity', () => {
    const text = 'a,'.repeat(5000);
    expect(lex(text, 'f').tokens.count).toBe(10001);
  });
});
