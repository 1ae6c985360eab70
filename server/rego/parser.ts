// Terms, expressions and bodies: the part of the Rego grammar shared by modules, queries and
// `parseTerm`. Rules, imports and packages live in rules.ts, which extends this class.
//
// The parser works on the pre-scanned token array, so backtracking is just resetting an index.
// OPA's grammar needs a few speculative parses (comprehension vs. `|` call, `k, v in xs`,
// `some x in xs`, `p if <literal>` vs. `p if { body }`); every term parse is memoized by token
// index (successes and failures) so nested speculation stays linear, as OPA's term cache does.
import type { Body, CallTerm, Expr, ExprBody, Location, RefTerm, Term, VarTerm, With } from './ast';
import { ParseFail, TokenCursor } from './cursor';
import { F_COL, F_ROW, STRIDE, Tok, tokenName } from './lexer';
import { numberTooBig, opName, valueName } from './termutil';

/** Infix operators below `in`, indexed by token kind: precedence level (higher binds tighter) and OPA's call name. */
const BINARY: Array<readonly [number, string] | undefined> = [];
for (const [k, level, name] of [
  [Tok.Equal, 1, 'equal'],
  [Tok.Neq, 1, 'neq'],
  [Tok.Lt, 1, 'lt'],
  [Tok.Lte, 1, 'lte'],
  [Tok.Gt, 1, 'gt'],
  [Tok.Gte, 1, 'gte'],
  [Tok.Or, 2, 'or'],
  [Tok.And, 3, 'and'],
  [Tok.Add, 4, 'plus'],
  [Tok.Sub, 4, 'minus'],
  [Tok.Mul, 5, 'mul'],
  [Tok.Quo, 5, 'div'],
  [Tok.Rem, 5, 'rem'],
] as const) {
  BINARY[k] = [level, name];
}

export class ExprParser extends TokenCursor {
  /** `.`, `[` or `(` continuing a term; with no space before it unless `allowSpace`. */
  private isRefStep(t: number, allowSpace: boolean): boolean {
    const k: Tok = this.d[t * STRIDE];
    return (k === Tok.Dot || k === Tok.LBrack || k === Tok.LParen) && (allowSpace || !this.spaced(t));
  }

  private memberOp(arity: 2 | 3, loc: Location): RefTerm {
    return {
      type: 'ref',
      terms: [{ type: 'var', name: 'internal', loc }, { type: 'string', value: `member_${arity}`, loc }],
      loc,
    };
  }

  private call(op: RefTerm, args: Term[], loc: Location): CallTerm {
    return { type: 'call', op, args, loc };
  }

  // ---------------------------------------------------------------------------------------------
  // Bodies and expressions

  /** `expr (; | newline) expr …` up to (not consuming) `end`; the opener is already consumed. */
  protected parseBody(end: Tok.RBrace | Tok.RBrack): Body {
    this.enter();
    if (this.kind() === end) this.fail('found empty body');
    const body: Body = [];
    for (;;) {
      body.push(this.parseLiteral());
      const k = this.kind();
      if (k === Tok.Semicolon) {
        this.next();
        continue;
      }
      if (k === end) break;
      // `\n` is literal in OPA's message.
      if (!this.newline(this.i)) this.unexpected(`expected \\n or ; or ${tokenName(end)}`);
    }
    this.leave();
    return body;
  }

  /** One expression of a body: `[not] expr [with …]`, `some …`, `every …`. */
  protected parseLiteral(): Expr {
    const first = this.i;
    let negated = false;
    if (this.atKeyword('not')) {
      this.next();
      negated = true;
    }
    if (this.atKeyword('some')) {
      if (negated) this.unexpected("illegal negation of 'some'");
      return this.parseSome(first);
    }
    if (this.atKeyword('every')) {
      if (negated) this.unexpected("illegal negation of 'every'");
      return this.parseEvery(first);
    }
    const body = this.parseExprBody();
    const withs = this.isKw('with') ? this.parseWiths() : [];
    return { body, negated, with: withs, loc: this.loc(first) };
  }

  private parseExprBody(): ExprBody {
    const lhs = this.parseIn(true);
    const t = this.i;
    const k = this.kind();
    if (k === Tok.Assign || k === Tok.Unify) {
      this.next();
      const rhs = this.parseIn(true);
      const op = this.opRef(k === Tok.Assign ? 'assign' : 'eq', this.loc(t));
      return { type: 'term', term: this.call(op, [lhs, rhs], lhs.loc) };
    }
    return { type: 'term', term: lhs };
  }

  private parseWiths(): With[] {
    const withs: With[] = [];
    while (this.isKw('with')) {
      const w = this.i;
      this.next();
      if (this.kind() !== Tok.Ident || this.isKeyword(this.value(this.i))) this.unexpected('expected ident');
      const target = this.parsePostfix();
      if (target.type !== 'var' && target.type !== 'ref') this.unexpected('expected with target path');
      if (!this.isKw('as')) this.unexpected('expected as keyword');
      this.next();
      const value = this.parseIn(true);
      withs.push({ target, value, loc: this.loc(w) });
    }
    return withs;
  }

  private parseSome(first: number): Expr {
    this.next(); // `some`
    const loc = this.loc(first);
    const save = this.i;
    // `some x in xs` / `some k, v in xs` first; otherwise a list of variables.
    const term = this.attempt(() => this.parseIn(true));
    if (!(term instanceof ParseFail) && term.type === 'call') {
      const name = opName(term);
      let body: ExprBody;
      if (name === 'internal.member_2') {
        body = { type: 'somein', value: term.args[0], collection: term.args[1] };
      } else if (name === 'internal.member_3') {
        body = { type: 'somein', key: term.args[0], value: term.args[1], collection: term.args[2] };
      } else {
        return this.unexpected('expected `x in xs` or `x, y in xs` expression');
      }
      const withs = this.isKw('with') ? this.parseWiths() : [];
      return { body, negated: false, with: withs, loc };
    }
    this.i = save;
    const vars: VarTerm[] = [];
    for (;;) {
      const t = this.i;
      if (this.kind() !== Tok.Ident || this.isKeyword(this.value(t))) this.unexpected('expected var');
      vars.push(this.varTerm(t));
      this.next();
      if (this.kind() !== Tok.Comma) break;
      this.next();
    }
    return { body: { type: 'some', vars }, negated: false, with: [], loc };
  }

  private parseEvery(first: number): Expr {
    this.next(); // `every`
    const shape = 'expected `x[, y] in xs { ... }` expression';
    const term = this.parseIn(true);
    if (term.type !== 'call') this.unexpected(shape);
    const name = opName(term);
    let key: VarTerm | undefined;
    let valueTerm: Term;
    let domain: Term;
    if (name === 'internal.member_2') {
      [valueTerm, domain] = term.args;
    } else if (name === 'internal.member_3') {
      const k = term.args[0];
      if (k.type !== 'var') this.unexpected('expected key to be a variable');
      key = k;
      [, valueTerm, domain] = term.args;
    } else {
      return this.unexpected(shape);
    }
    if (valueTerm.type !== 'var') this.unexpected('expected value to be a variable');
    const value: VarTerm = valueTerm;
    if (this.kind() !== Tok.LBrace) this.unexpected('missing body');
    this.next();
    const body = this.parseBody(Tok.RBrace);
    this.next();
    const withs = this.isKw('with') ? this.parseWiths() : [];
    const every: ExprBody = key ? { type: 'every', key, value, domain, body } : { type: 'every', value, domain, body };
    return { body: every, negated: false, with: withs, loc: this.loc(first) };
  }

  // ---------------------------------------------------------------------------------------------
  // Infix terms

  /**
   * `x in xs` (loosest term level), plus `k, v in xs` when `keyVal` (not inside lists, where the
   * comma separates items).
   */
  protected parseIn(keyVal: boolean): Term {
    let lhs = this.parseBinary(1);
    if (keyVal && this.kind() === Tok.Comma) {
      const save = this.i;
      const r = this.attempt(() => {
        this.next();
        const mhs = this.parseBinary(1);
        if (!this.isKw('in')) return undefined;
        const op = this.memberOp(3, this.loc(this.i));
        this.next();
        const rhs = this.parseBinary(1);
        return this.call(op, [lhs, mhs, rhs], lhs.loc);
      });
      if (r instanceof ParseFail || r === undefined) this.i = save;
      else lhs = r;
    }
    while (this.isKw('in')) {
      const op = this.memberOp(2, this.loc(this.i));
      this.next();
      const rhs = this.parseBinary(1);
      lhs = this.call(op, [lhs, rhs], lhs.loc);
    }
    return lhs;
  }

  /** Precedence climbing over BINARY; left-associative within a level. */
  private parseBinary(minLevel: number): Term {
    let lhs = this.parseUnary();
    for (;;) {
      const t = this.i;
      const info = BINARY[this.d[t * STRIDE]];
      if (info === undefined || info[0] < minLevel) return lhs;
      this.next();
      const rhs = this.parseBinary(info[0] + 1);
      lhs = this.call(this.opRef(info[1], this.loc(t)), [lhs, rhs], lhs.loc);
    }
  }

  /** `-x` is `minus(0, x)`; `-1` stays a number literal (handled by the primary). */
  protected parseUnary(): Term {
    const t = this.i;
    if (this.d[t * STRIDE] === Tok.Sub) {
      const n = this.kindAt(t + 1);
      const numeric = n === Tok.Number || (n === Tok.Dot && this.kindAt(t + 2) === Tok.Number);
      if (!numeric) {
        this.enter();
        this.next();
        const operand = this.parseUnary();
        this.leave();
        const loc = this.loc(t);
        return this.call(this.opRef('minus', loc), [{ type: 'number', value: '0', loc }, operand], loc);
      }
    }
    return this.parsePostfix();
  }

  // ---------------------------------------------------------------------------------------------
  // Terms: a primary followed by `.x`, `[x]` and `(args)` with no space before them

  protected parsePostfix(): Term {
    const at = this.i;
    const m = this.memo[at];
    if (m !== undefined) {
      if (m instanceof ParseFail) throw m;
      this.i = this.memoEnd[at];
      return m;
    }
    try {
      const head = this.parsePrimary();
      const term = this.parseRefTail(head, false);
      this.memo[at] = term;
      this.memoEnd[at] = this.i;
      return term;
    } catch (e) {
      if (e instanceof ParseFail) this.memo[at] = e;
      throw e;
    }
  }

  /**
   * Extends `head` with ref operands and calls. `leadingSpace` allows space before the first one
   * (rule heads: `p [x]`); elsewhere a space ends the term, so `f (x)` is not a call.
   */
  protected parseRefTail(head: Term, leadingSpace: boolean): Term {
    if (!this.isRefStep(this.i, leadingSpace)) return wrapRoot(head);
    if (head.type === 'null' || head.type === 'boolean' || head.type === 'number') {
      this.fail(`illegal ref (head cannot be ${valueName(head)})`, head.loc);
    }
    let terms: Term[] = head.type === 'ref' ? [...head.terms] : [head];
    let first = true;
    for (;;) {
      const n = this.i;
      if (!this.isRefStep(n, first && leadingSpace)) break;
      first = false;
      const k: Tok = this.d[n * STRIDE];
      if (k === Tok.Dot) {
        this.next();
        const id = this.i;
        if (this.spaced(id)) this.fail('unexpected whitespace token: expected identifier', { file: this.file, row: this.d[n * STRIDE + F_ROW], col: this.d[n * STRIDE + F_COL] + 1 });
        // Any identifier, keywords included: `input.if` is a plain field access.
        if (this.kind() !== Tok.Ident) this.unexpected('expected identifier');
        terms.push({ type: 'string', value: this.value(id), loc: this.loc(id) });
        this.next();
      } else if (k === Tok.LBrack) {
        this.next();
        this.enter();
        const key = this.parseIn(true);
        this.leave();
        if (this.kind() !== Tok.RBrack) this.unexpected('expected ]');
        terms.push(key);
        this.next();
      } else {
        const op: RefTerm = { type: 'ref', terms, loc: terms[0].loc };
        this.next();
        this.enter();
        const args = this.parseTermList(Tok.RParen, []);
        this.leave();
        const h = terms[0];
        const result: Term =
          args.length === 0 && terms.length === 1 && h.type === 'var' && h.name === 'set'
            ? { type: 'set', items: [], loc: h.loc }
            : this.call(op, args, h.loc);
        const c = this.kind();
        if (this.spaced(this.i) || (c !== Tok.Dot && c !== Tok.LBrack)) return result;
        terms = [result];
      }
    }
    return terms.length === 1 ? wrapRoot(terms[0]) : { type: 'ref', terms, loc: terms[0].loc };
  }

  private parsePrimary(): Term {
    const t = this.i;
    switch (this.d[t * STRIDE] as Tok) {
      case Tok.Number:
        this.next();
        return this.numberTerm('', t, t);
      case Tok.Sub: {
        this.next();
        const n = this.i;
        if (this.kind() === Tok.Number) {
          this.next();
          return this.numberTerm('-', n, t);
        }
        if (this.kind() === Tok.Dot) {
          this.next();
          const m = this.i;
          if (this.kind() !== Tok.Number) this.unexpected('expected number');
          this.next();
          return this.numberTerm('-.', m, t);
        }
        return this.unexpected('expected number');
      }
      case Tok.Dot: {
        this.next();
        const n = this.i;
        if (this.kind() !== Tok.Number) this.unexpected('expected number');
        this.next();
        return this.numberTerm('.', n, t);
      }
      case Tok.String:
        this.next();
        return { type: 'string', value: this.value(t), loc: this.loc(t) };
      case Tok.Ident:
        return this.parseIdentTerm();
      case Tok.LBrack: {
        this.enter();
        const r = this.parseArray();
        this.leave();
        return r;
      }
      case Tok.LBrace: {
        this.enter();
        const r = this.parseBraces();
        this.leave();
        return r;
      }
      case Tok.LParen: {
        this.enter();
        this.next();
        const r = this.parseIn(true);
        if (this.kind() !== Tok.RParen) this.fail('non-terminated expression');
        this.next();
        this.leave();
        return r;
      }
      default:
        return this.unexpected();
    }
  }

  private parseIdentTerm(): Term {
    const t = this.i;
    const name = this.value(t);
    if (this.isKeyword(name)) {
      const loc = this.loc(t);
      switch (name) {
        case 'true':
        case 'false':
          this.next();
          return { type: 'boolean', value: name === 'true', loc };
        case 'null':
          this.next();
          return { type: 'null', loc };
        case 'contains':
          break; // a keyword only in rule heads; elsewhere a plain name, as in OPA
        default:
          if (!this.refFollows(this.i)) this.unexpected();
      }
    }
    this.next();
    return this.varTerm(t);
  }

  /** A number literal; `prefix` is '-', '.', '-.' or '' and `at` the token it starts at. */
  private numberTerm(prefix: string, num: number, at: number): Term {
    const lit = this.value(num);
    const fraction = prefix.endsWith('.');
    if (!fraction && lit.length > 1 && lit.charCodeAt(0) === 48) {
      const c1 = lit[1];
      if (c1 !== '.' && !(lit.length > 2 && (c1 === 'e' || c1 === 'E'))) {
        this.unexpectedTok(num, 'expected number without leading zero');
      }
    }
    if (fraction && lit.includes('.')) this.unexpectedTok(num, 'invalid float');
    const value = prefix + lit;
    if (numberTooBig(value)) this.fail('number too big', this.loc(num));
    return { type: 'number', value, loc: this.loc(at) };
  }

  // ---------------------------------------------------------------------------------------------
  // Composites

  /** `[]`, `[a, b]`, `[t | body]`. OPA tries a comprehension first when the head is a plain term. */
  private parseArray(): Term {
    const loc = this.loc(this.i);
    this.next();
    if (this.kind() === Tok.RBrack) {
      this.next();
      return { type: 'array', items: [], loc };
    }
    let potentialComprehension = true;
    if (this.kind() === Tok.Comma) {
      // A leading comma (`[, x]`) is accepted for compatibility with OPA.
      potentialComprehension = false;
      this.next();
    }
    const save = this.i;
    const head = this.parseUnary();
    switch (this.kind()) {
      case Tok.RBrack:
        this.next();
        return { type: 'array', items: [head], loc };
      case Tok.Comma:
        this.next();
        return { type: 'array', items: this.parseTermList(Tok.RBrack, [head]), loc };
      case Tok.Or:
        if (potentialComprehension) {
          const body = this.comprehensionBody(Tok.RBrack);
          if (body) return { type: 'arraycomp', term: head, body, loc };
        }
        break;
      default:
        break;
    }
    this.i = save;
    return { type: 'array', items: this.parseTermList(Tok.RBrack, []), loc };
  }

  /**
   * At `|`: tries `| body <end>`. On failure falls back (returns undefined) only when the error
   * was at a comma (`[x | y, z]` is an array of `x | y` and `z`), else rethrows, as OPA does.
   */
  private comprehensionBody(end: Tok.RBrace | Tok.RBrack): Body | undefined {
    const r = this.attempt(() => {
      this.next();
      const body = this.parseBody(end);
      this.next();
      return body;
    });
    if (!(r instanceof ParseFail)) return r;
    if (this.kindAt(r.index) !== Tok.Comma) throw r;
    return undefined;
  }

  /** `{}` (empty object), sets, objects and set/object comprehensions. */
  private parseBraces(): Term {
    const loc = this.loc(this.i);
    this.next();
    if (this.kind() === Tok.RBrace) {
      this.next();
      return { type: 'object', items: [], loc };
    }
    let potentialComprehension = true;
    if (this.kind() === Tok.Comma) {
      potentialComprehension = false;
      this.next();
    }
    const save = this.i;
    // A plain term first, so `{a | b}` is a comprehension rather than a set holding `a | b`.
    let head = this.parseUnary();
    switch (this.kind()) {
      case Tok.Or:
        if (potentialComprehension) return this.setFinish(loc, save, head);
        break;
      case Tok.RBrace:
      case Tok.Comma:
        return this.setFinish(loc, save, head);
      case Tok.Colon:
        return this.parseObject(loc, head, potentialComprehension);
      default:
        break;
    }
    this.i = save;
    head = this.parseIn(false);
    switch (this.kind()) {
      case Tok.RBrace:
      case Tok.Comma:
        return this.setFinish(loc, save, head);
      case Tok.Colon:
        return this.parseObject(loc, head, potentialComprehension);
      default:
        return this.unexpected('non-terminated set');
    }
  }

  /** After a set's first item: `}`, `, more }`, or (only reached when one is possible) `| body }`. */
  private setFinish(loc: Location, save: number, head: Term): Term {
    switch (this.kind()) {
      case Tok.RBrace:
        this.next();
        return { type: 'set', items: [head], loc };
      case Tok.Comma:
        this.next();
        return { type: 'set', items: this.parseTermList(Tok.RBrace, [head]), loc };
      default: {
        const body = this.comprehensionBody(Tok.RBrace);
        if (body) return { type: 'setcomp', term: head, body, loc };
        this.i = save;
        return { type: 'set', items: this.parseTermList(Tok.RBrace, []), loc };
      }
    }
  }

  /** After the first key, at `:`. */
  private parseObject(loc: Location, key: Term, potentialComprehension: boolean): Term {
    this.next();
    const save = this.i;
    const value = this.parseUnary();
    let potentialRelation = true;
    if (potentialComprehension) {
      const k = this.kind();
      if (k === Tok.RBrace || k === Tok.Comma) {
        potentialRelation = false;
        return this.objectFinish(loc, key, value, true);
      }
      if (k === Tok.Or) {
        const r = this.attempt(() => this.objectFinish(loc, key, value, true));
        if (!(r instanceof ParseFail)) return r;
      }
    }
    this.i = save;
    if (potentialRelation) {
      const v = this.parseIn(false);
      const k = this.kind();
      if (k === Tok.RBrace || k === Tok.Comma) return this.objectFinish(loc, key, v, false);
    }
    return this.unexpected('non-terminated object');
  }

  private objectFinish(loc: Location, key: Term, value: Term, potentialComprehension: boolean): Term {
    switch (this.kind()) {
      case Tok.RBrace:
        this.next();
        return { type: 'object', items: [[key, value]], loc };
      case Tok.Comma:
        this.next();
        return { type: 'object', items: this.parsePairList([[key, value]]), loc };
      case Tok.Or:
        if (potentialComprehension) {
          this.next();
          const body = this.parseBody(Tok.RBrace);
          this.next();
          return { type: 'objectcomp', key, value, body, loc };
        }
        return this.unexpected('non-terminated object');
      default:
        return this.unexpected('non-terminated object');
    }
  }

  /** Comma-separated terms up to and including `end`; a trailing comma is allowed. */
  protected parseTermList(end: Tok.RBrack | Tok.RBrace | Tok.RParen, items: Term[]): Term[] {
    if (this.kind() === end) {
      this.next();
      return items;
    }
    for (;;) {
      items.push(this.parseIn(false));
      const k = this.kind();
      if (k === end) break;
      if (k !== Tok.Comma) this.unexpected(`expected "," or "${tokenName(end)}"`);
      this.next();
      if (this.kind() === end) break;
    }
    this.next();
    return items;
  }

  private parsePairList(items: Array<[Term, Term]>): Array<[Term, Term]> {
    if (this.kind() === Tok.RBrace) {
      this.next();
      return items;
    }
    for (;;) {
      const key = this.parseIn(false);
      if (this.kind() !== Tok.Colon) this.unexpected('expected ":"');
      this.next();
      items.push([key, this.parseIn(false)]);
      const k = this.kind();
      if (k === Tok.RBrace) break;
      if (k !== Tok.Comma) this.unexpected('expected "," or "}"');
      this.next();
      if (this.kind() === Tok.RBrace) break;
    }
    this.next();
    return items;
  }
}

/** Bare `input` / `data` are refs, as in OPA. */
function wrapRoot(t: Term): Term {
  if (t.type === 'var' && (t.name === 'input' || t.name === 'data')) return { type: 'ref', terms: [t], loc: t.loc };
  return t;
}
