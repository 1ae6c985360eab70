// The parser's foundation: a cursor over the token array, the active keyword set, error
// construction (OPA's messages), the nesting limit, and the support for speculative parses
// (`attempt`, the per-token term memo). parser.ts builds the expression grammar on top of it.
import type { Comment, Location, RefTerm, Term, VarTerm } from './ast';
import { F_COL, F_FLAGS, F_KIND, F_ROW, lex, NL, STRIDE, Tok, tokenName, type Tokens, WS } from './lexer';

/**
 * A parse error while parsing. Deliberately not an `Error`: no stack is captured, so throwing it
 * to abandon a speculative parse is cheap. The API boundary turns it into `RegoErrors`.
 */
export class ParseFail {
  constructor(
    readonly message: string,
    readonly loc: Location,
    /** Index of the token the parser was at; decides some comprehension fallbacks, as in OPA. */
    readonly index: number,
  ) {}
}

/** Nesting limit (brackets, calls, bodies, unary minus): far beyond real policies, well within the JS stack. */
export const MAX_DEPTH = 250;

/** Keywords in every Rego version. */
const BASE_KEYWORDS: ReadonlySet<string> = new Set([
  'package', 'import', 'as', 'default', 'else', 'not', 'some', 'with', 'null', 'true', 'false',
]);

/** Keywords of v1 that v0 modules get through `import future.keywords…` or `import rego.v1`. */
export type FutureKeyword = 'if' | 'contains' | 'in' | 'every';
export const FUTURE_KEYWORDS: readonly FutureKeyword[] = ['contains', 'every', 'if', 'in'];

export class TokenCursor {
  protected readonly toks: Tokens;
  /** `toks.data`: fields of token t at `t * STRIDE + F_*`. */
  protected readonly d: Int32Array;
  private readonly wildcardAt: Map<number, number>;
  /** The current token's index. */
  protected i = 0;
  protected readonly comments: Comment[];
  /** Next number for wildcards the parser makes up (else-rule arguments); `_` tokens use their ordinal. */
  protected nextWildcard: number;
  /** Future keywords currently active (all of them in v1). */
  protected readonly kw: Record<FutureKeyword, boolean>;
  private depth = 0;
  /** Memoized term parses by start token: the term (or the failure) and the index after it. */
  protected memo: Array<Term | ParseFail | undefined>;
  protected memoEnd: number[];
  /** Location objects by token, created on first use and shared by every node starting there. */
  private readonly locs: Array<Location | undefined>;

  constructor(
    protected readonly src: string,
    protected readonly file: string,
    protected readonly version: 0 | 1,
  ) {
    const r = lex(src, file);
    this.toks = r.tokens;
    this.d = r.tokens.data;
    this.wildcardAt = r.wildcardAt;
    this.comments = r.comments;
    this.nextWildcard = r.wildcards;
    this.memo = new Array<Term | ParseFail | undefined>(r.tokens.count);
    this.memoEnd = new Array<number>(r.tokens.count);
    this.locs = new Array<Location | undefined>(r.tokens.count);
    const on = version === 1;
    this.kw = { if: on, contains: on, in: on, every: on };
  }

  // ---------------------------------------------------------------------------------------------
  // Tokens and errors

  /** The current token's kind (a call, so TypeScript does not narrow it across `next()`). */
  protected kind(): Tok {
    return this.d[this.i * STRIDE];
  }

  protected kindAt(t: number): Tok {
    return t < this.toks.count ? this.d[t * STRIDE] : Tok.EOF;
  }

  protected value(t: number): string {
    return this.toks.value[t];
  }

  /** Whitespace (or a comment) precedes token `t`. */
  protected spaced(t: number): boolean {
    return (this.d[t * STRIDE + F_FLAGS] & WS) !== 0;
  }

  /** A newline precedes token `t`. */
  protected newline(t: number): boolean {
    return (this.d[t * STRIDE + F_FLAGS] & NL) !== 0;
  }

  /** Reports a scanner error on the first token, which `next()` never steps onto. */
  protected start(): void {
    if (this.d[F_KIND] === Tok.Illegal) this.fail(this.toks.value[0], this.loc(0));
  }

  protected next(): void {
    if (this.d[this.i * STRIDE] === Tok.EOF) return;
    const t = ++this.i;
    if (this.d[t * STRIDE] === Tok.Illegal) this.fail(this.toks.value[t], this.loc(t));
  }

  protected loc(t: number): Location {
    return (this.locs[t] ??= { file: this.file, row: this.d[t * STRIDE + F_ROW], col: this.d[t * STRIDE + F_COL] });
  }

  /** Where the parser currently is (for errors raised outside a parse, e.g. stack exhaustion). */
  currentLoc(): Location {
    return this.loc(Math.min(this.i, this.toks.count - 1));
  }

  protected fail(message: string, loc: Location = this.loc(this.i)): never {
    throw new ParseFail(message, loc, this.i);
  }

  /** OPA's `unexpected X token[: note]` about the current token. */
  protected unexpected(note?: string): never {
    return this.unexpectedTok(this.i, note);
  }

  protected unexpectedTok(t: number, note?: string): never {
    const k: Tok = this.d[t * STRIDE];
    const v = this.toks.value[t];
    const desc = k === Tok.Ident && this.isKeyword(v) ? `${v} keyword` : `${tokenName(k)} token`;
    return this.fail(note ? `unexpected ${desc}: ${note}` : `unexpected ${desc}`, this.loc(t));
  }

  protected isKeyword(name: string): boolean {
    switch (name) {
      case 'if':
      case 'contains':
      case 'in':
      case 'every':
        return this.kw[name];
      default:
        return BASE_KEYWORDS.has(name);
    }
  }

  /** The current token is the active keyword `name`. */
  protected isKw(name: string): boolean {
    const t = this.i;
    return this.d[t * STRIDE] === Tok.Ident && this.toks.value[t] === name && this.isKeyword(name);
  }

  /** Token `at` is directly (no space) followed by `.` or `[`: a keyword there is a ref head. */
  protected refFollows(at: number): boolean {
    const n = at + 1;
    if (n >= this.toks.count || this.spaced(n)) return false;
    const k = this.d[n * STRIDE];
    return k === Tok.Dot || k === Tok.LBrack;
  }

  /** The current token is the keyword `name` used as a keyword (not as `name.x` / `name[x]`). */
  protected atKeyword(name: string): boolean {
    return this.isKw(name) && !this.refFollows(this.i);
  }

  protected enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail('max parsing recursion depth exceeded');
  }

  protected leave(): void {
    this.depth--;
  }

  /** Runs a speculative parse; on a parse error returns it (state other than `i` restored). */
  protected attempt<T>(fn: () => T): T | ParseFail {
    const depth = this.depth;
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof ParseFail)) throw e;
      this.depth = depth;
      return e;
    }
  }

  /** Forget memoized terms: needed when the keyword set changes (v0 future imports). */
  protected resetMemo(): void {
    this.memo = new Array<Term | ParseFail | undefined>(this.toks.count);
  }

  // ---------------------------------------------------------------------------------------------
  // Term constructors

  protected varTerm(t: number): VarTerm {
    const name = this.toks.value[t];
    const w = name === '_' ? this.wildcardAt.get(t) : undefined;
    return { type: 'var', name: w === undefined ? name : `$_${w}`, loc: this.loc(t) };
  }

  protected freshWildcard(loc: Location): VarTerm {
    return { type: 'var', name: `$_${this.nextWildcard++}`, loc };
  }

  protected opRef(name: string, loc: Location): RefTerm {
    return { type: 'ref', terms: [{ type: 'var', name, loc }], loc };
  }
}
