// Modules: package, imports and rules (heads, bodies, `else` chains, defaults), then OPA's module
// assembly: top-level expressions such as `p := 1` become rules, and v1 modules (or v0 modules
// importing `rego.v1`) get the v1 rule checks (`if` / `contains` required, …).
import type { Annotation, Body, Expr, Import, Location, Module, RefTerm, Rule, RuleHead, RuleKind, Term } from './ast';
import { annotationBlocks, type AnnotationBlock } from './annotations';
import { RegoError, RegoErrors } from './errors';
import { F_END, F_START, STRIDE, Tok } from './lexer';
import { FUTURE_KEYWORDS, type FutureKeyword, ParseFail } from './cursor';
import { ExprParser } from './parser';
import { formatRef, formatTerm, isGround, opName, valueName } from './termutil';

/** What a rule declaration looked like, for the v1 checks (not part of the AST). */
interface RuleInfo {
  rule: Rule;
  /** No body was written (`p := 1`, `p contains x`, `else := 2`). */
  genBody: boolean;
  /** No value was written and none is implied by the form. */
  genValue: boolean;
  hasIf: boolean;
  hasContains: boolean;
  function: boolean;
  else?: RuleInfo;
}

type Statement =
  | { kind: 'package'; path: string[]; loc: Location }
  | { kind: 'import'; imp: Import }
  | { kind: 'rules'; rules: RuleInfo[] }
  | { kind: 'body'; body: Body; text: string; loc: Location };

/** Operator calls that OPA refuses as rule heads ("rule name conflicts with built-in function"). */
const OPERATOR_NAMES = new Set([
  'equal', 'neq', 'lt', 'lte', 'gt', 'gte', 'plus', 'minus', 'mul', 'div', 'rem', 'and', 'or',
  'internal.member_2', 'internal.member_3',
]);

const V1_KEYWORDS = new Set([
  'package', 'import', 'as', 'default', 'else', 'not', 'some', 'with', 'null', 'true', 'false',
  'if', 'contains', 'in', 'every',
]);

export class ModuleParser extends ExprParser {
  /** A v0 module that imported `rego.v1`: v1 rule checks apply. */
  private v1Compatible = false;

  parseModule(): Module {
    this.start();
    const stmts: Statement[] = [];
    while (this.kind() !== Tok.EOF) stmts.push(this.parseStatement());
    return this.assemble(stmts);
  }

  /** A query: expressions separated by `;` or simply following each other. */
  parseQuery(): Body {
    this.start();
    const body: Body = [];
    while (this.kind() !== Tok.EOF) {
      body.push(this.parseLiteral());
      if (this.kind() === Tok.Semicolon) this.next();
    }
    return body;
  }

  // ---------------------------------------------------------------------------------------------
  // Statements

  private parseStatement(): Statement {
    if (this.atKeyword('package')) return this.parsePackage();
    if (this.atKeyword('import')) return this.parseImport();
    return this.parseRuleOrBody();
  }

  private parsePackage(): Statement {
    const loc = this.loc(this.i);
    this.next();
    const t = this.i;
    // Any identifier, even a keyword, may name a package.
    if (this.kind() !== Tok.Ident) this.unexpected();
    this.next();
    const term = this.parseRefTail(this.varTerm(t), false);
    const path: string[] = [];
    if (term.type === 'var') {
      path.push(term.name);
    } else if (term.type === 'ref' && term.terms[0].type === 'var') {
      path.push(term.terms[0].name);
      for (let k = 1; k < term.terms.length; k++) {
        const x = term.terms[k];
        if (x.type !== 'string') this.fail(`unexpected ${valueName(x)} token: expecting string`, x.loc);
        path.push(x.value);
      }
    } else {
      this.unexpected();
    }
    return { kind: 'package', path, loc };
  }

  private parseImport(): Statement {
    const loc = this.loc(this.i);
    this.next();
    const t = this.i;
    if (this.kind() !== Tok.Ident) this.unexpected();
    this.next();
    const term = this.parseRefTail(this.varTerm(t), false);
    let path: RefTerm;
    if (term.type === 'var') {
      path = { type: 'ref', terms: [term], loc: term.loc };
    } else if (term.type === 'ref') {
      for (let k = 1; k < term.terms.length; k++) {
        const x = term.terms[k];
        if (x.type !== 'string') this.fail(`unexpected ${valueName(x)} token: expecting string`, x.loc);
      }
      path = term;
    } else {
      return this.fail('expected path');
    }
    const head = path.terms[0];
    const root = head.type === 'var' ? head.name : '';
    if (root !== 'data' && root !== 'input' && root !== 'future' && root !== 'rego') {
      this.fail(`unexpected import path, must begin with one of: {data, future, input, rego}, got: ${formatTerm(head)}`, path.loc);
    }

    let alias: string | undefined;
    if (this.atKeyword('as')) {
      this.next();
      const a = this.value(this.i);
      if (this.kind() !== Tok.Ident || this.isKeyword(a)) this.unexpected('expected var');
      alias = a;
      this.next();
    } else {
      const last = path.terms[path.terms.length - 1];
      const name = last.type === 'var' ? last.name : last.type === 'string' ? last.value : '';
      if ((path.terms.length === 1 || root !== 'future') && this.isVersionKeyword(name)) {
        this.fail(`unexpected import path, must not end with a keyword, got: ${name} (hint: import a different path or use an alias)`, last.loc);
      }
    }

    if (root === 'future') this.futureImport(path, alias);
    if (root === 'rego') this.regoImport(path, alias);
    const imp: Import = alias === undefined ? { path, loc } : { path, alias, loc };
    return { kind: 'import', imp };
  }

  private isVersionKeyword(name: string): boolean {
    return this.version === 1 ? V1_KEYWORDS.has(name) : this.isKeyword(name);
  }

  private futureImport(path: RefTerm, alias: string | undefined): void {
    const p = path.terms;
    if (p.length === 1 || p[1].type !== 'string' || p[1].value !== 'keywords') this.fail('invalid import, must be `future.keywords`', path.loc);
    if (alias !== undefined) this.fail('`future` imports cannot be aliased', path.loc);
    let kws: readonly FutureKeyword[] = FUTURE_KEYWORDS;
    if (p.length === 3) {
      const x = p[2];
      const kw = x.type === 'string' ? FUTURE_KEYWORDS.find((k) => k === x.value) : undefined;
      if (kw === undefined) this.fail(`unexpected keyword, must be one of [${FUTURE_KEYWORDS.join(' ')}]`, path.loc);
      kws = kw === 'every' ? ['every', 'in'] : [kw];
    }
    this.enableKeywords(kws);
  }

  private regoImport(path: RefTerm, alias: string | undefined): void {
    const p = path.terms;
    if (p.length !== 2 || p[1].type !== 'string' || p[1].value !== 'v1') {
      this.fail(`invalid import \`${formatRef(p)}\`, must be \`rego.v1\``, path.loc);
    }
    if (this.version === 1) return; // a no-op in v1
    if (alias !== undefined) this.fail('`rego` imports cannot be aliased', path.loc);
    this.v1Compatible = true;
    this.enableKeywords(FUTURE_KEYWORDS);
  }

  private enableKeywords(kws: readonly FutureKeyword[]): void {
    let changed = false;
    for (const k of kws) {
      if (!this.kw[k]) this.kw[k] = changed = true;
    }
    if (changed) this.resetMemo();
  }

  // ---------------------------------------------------------------------------------------------
  // Rules

  /** A token that can start a rule head: an identifier, or a keyword used as a ref head. */
  private startsHead(): boolean {
    return this.kind() === Tok.Ident && (!this.isKeyword(this.value(this.i)) || this.refFollows(this.i));
  }

  private parseRuleOrBody(): Statement {
    const first = this.i;
    let isDefault = false;
    if (this.atKeyword('default')) {
      this.next();
      if (!this.startsHead()) {
        this.i = first;
        this.unexpected();
      }
      isDefault = true;
    } else if (!this.startsHead()) {
      return this.parseBodyStatement();
    }

    const headTok = this.i;
    const h = this.parseHead();
    if (h === undefined) {
      this.i = first;
      return this.parseBodyStatement();
    }
    let { ref } = h;
    const { args, name } = h;
    let key: Term | undefined;
    let value: Term | undefined;
    let assign = false;
    let hasContains = false;
    if (this.atKeyword('contains')) {
      if (args) this.unexpected(`the contains keyword can only be used with multi-value rule definitions (e.g., ${name} contains <VALUE> { ... })`);
      this.next();
      key = this.parseIn(true);
      hasContains = true;
    } else if (this.kind() === Tok.Unify || this.kind() === Tok.Assign) {
      assign = this.kind() === Tok.Assign;
      this.next();
      value = this.parseIn(true);
    }
    const headLoc = this.loc(headTok);
    const ruleLoc = this.loc(first);

    if (isDefault) {
      if (value === undefined) this.fail('illegal default rule (must have a value)', ruleLoc);
      this.checkDefault(value, args, ruleLoc);
      const head = makeHead(ref, args, undefined, value, assign, headLoc);
      const rule: Rule = { head, kind: ruleKind(head), body: [], default: true, loc: ruleLoc, text: this.textFrom(first) };
      return { kind: 'rules', rules: [{ rule, genBody: false, genValue: false, hasIf: false, hasContains, function: !!args }] };
    }

    const hasIf = this.atKeyword('if');
    let genValue = value === undefined && key === undefined && (ref.length !== 2 || args !== undefined);
    // OPA's notion of a rule "key", which forbids `else`.
    let elseForbidden = hasContains;
    if (hasIf && !hasContains && ref.length === 2) {
      if ((!isGround(ref[1]) || ref[1].type === 'ref') && !args) elseForbidden = true;
      if (value === undefined) genValue = true;
    }
    const v0Set = !hasIf && !hasContains && !args && ref.length === 2;

    let body: Body;
    let genBody = false;
    if (hasIf) {
      this.next();
      body = this.parseIfBody();
    } else if (this.kind() === Tok.LBrace) {
      this.next();
      body = this.parseBody(Tok.RBrace);
      this.next();
    } else if (hasContains) {
      body = [];
      genBody = true;
    } else {
      // `p := 1`, `f(x) = y`, `p[x]` …: OPA reads these as expressions turned into rules.
      this.i = first;
      return this.parseBodyStatement();
    }
    if (v0Set) {
      // v0's `p[x] { … }`: a partial set with element x; `p[k] = v { … }` a partial object.
      elseForbidden = true;
      if (value === undefined) {
        key = ref[1];
        ref = [ref[0]];
      }
    }

    const head = makeHead(ref, args, key, value, assign, headLoc);
    const kind = ruleKind(head);
    const rule: Rule = { head, kind, body, default: false, loc: ruleLoc };
    const info: RuleInfo = { rule, genBody, genValue, hasIf, hasContains, function: !!args };

    if (!genBody && this.atKeyword('else')) {
      if (ref.length > 1 && !ref.every((t, k) => k === 0 || isGround(t))) this.fail('else keyword cannot be used on rules with variables in head');
      if (elseForbidden) this.fail('else keyword cannot be used on multi-value rules');
      info.else = this.parseElseChain(head, kind);
      rule.else = info.else.rule;
    }
    rule.text = this.textFrom(first);

    // `p { a } { b }`: further bodies are further rules with the same head.
    const rules = [info];
    while (!genBody && this.kind() === Tok.LBrace) {
      if (info.else) this.fail('expected else keyword');
      const open = this.i;
      const loc = this.loc(open);
      this.next();
      const more = this.parseBody(Tok.RBrace);
      this.next();
      const copy = this.copyHead(head, loc);
      rules.push({
        rule: { head: copy, kind, body: more, default: false, loc, text: this.textFrom(open) },
        genBody: false,
        genValue,
        hasIf,
        hasContains,
        function: !!args,
      });
    }
    return { kind: 'rules', rules };
  }

  /**
   * The head's name part: `p`, `a.b[x]`, `f(x)`, `a.b.f(x, y)`. Returns undefined for shapes OPA
   * only accepts as expressions (e.g. `set()`), which the caller then parses that way.
   */
  private parseHead(): { ref: Term[]; args?: Term[]; name: string } | undefined {
    const v = this.varTerm(this.i);
    this.next();
    // `p+1` right after the name is an error in OPA (not an expression statement).
    if (!this.spaced(this.i) && isInfixOp(this.kind())) this.unexpected();
    const term = this.parseRefTail(v, true);
    switch (term.type) {
      case 'var':
        return { ref: [term], name: term.name };
      case 'ref':
        if (term.terms[0].type !== 'var') this.fail(`rule head ref ${formatTerm(term)} invalid`, term.loc);
        return { ref: term.terms, name: formatRef(term.terms) };
      case 'call':
        if (term.op.terms[0].type !== 'var') this.fail(`rule head ref ${formatTerm(term.op)} invalid`, term.loc);
        return { ref: term.op.terms, args: term.args, name: formatRef(term.op.terms) };
      default:
        return undefined;
    }
  }

  /**
   * After `if`: a single expression (`p if x > 1`), or `{ body }`. As in OPA, a lone set literal
   * (`p if { x }`) is read as a braced body.
   */
  private parseIfBody(): Body {
    const save = this.i;
    if (this.kind() === Tok.LBrace && this.surelyBracedBody()) {
      this.next();
      const body = this.parseBody(Tok.RBrace);
      this.next();
      return body;
    }
    const r = this.attempt(() => this.parseLiteral());
    if (!(r instanceof ParseFail) && !(r.body.type === 'term' && r.body.term.type === 'set')) return [r];
    this.i = save;
    if (this.kind() !== Tok.LBrace) {
      if (r instanceof ParseFail) throw r;
      this.unexpected('expected {');
    }
    this.next();
    const body = this.parseBody(Tok.RBrace);
    this.next();
    return body;
  }

  /**
   * At `{` after `if`: true when reading it as a set/object literal must fail, so the speculative
   * parse (and its throw) can be skipped. Covers the usual bodies: `{ some …`, `{ every …`,
   * `{ not …`, `{ x := …`, `{ x = …`.
   */
  private surelyBracedBody(): boolean {
    const t = this.i + 1;
    if (this.kindAt(t) !== Tok.Ident) return false;
    const v = this.value(t);
    if (this.isKeyword(v)) return v !== 'true' && v !== 'false' && v !== 'null' && v !== 'contains' && !this.refFollows(t);
    const k = this.kindAt(t + 1);
    return k === Tok.Assign || k === Tok.Unify;
  }

  /** `else [= v | := v] [if] [{ body } | expr]`, repeated. The current token is `else`. */
  private parseElseChain(parent: RuleHead, kind: RuleKind): RuleInfo {
    const chain: Array<{ info: RuleInfo; start: number }> = [];
    const fn = parent.args !== undefined;
    while (this.atKeyword('else')) {
      const start = this.i;
      const loc = this.loc(start);
      this.next();
      let value: Term | undefined;
      let assign = false;
      if (this.kind() === Tok.Assign || this.kind() === Tok.Unify) {
        assign = this.kind() === Tok.Assign;
        this.next();
        value = this.parseIn(true);
      } else if (this.kind() !== Tok.LBrace && !this.atKeyword('if')) {
        this.unexpected('expected else value term or rule body');
      }
      const hasIf = this.atKeyword('if');
      let body: Body = [];
      let genBody = false;
      if (hasIf) this.next();
      if (this.kind() === Tok.LBrace) {
        this.next();
        body = this.parseBody(Tok.RBrace);
        this.next();
      } else if (hasIf) {
        if (this.kind() === Tok.EOF) this.unexpected('rule body expected');
        body = [this.parseLiteral()];
      } else {
        genBody = true;
      }
      const head = makeHead([...parent.ref], this.freshArgs(parent.args), undefined, value, assign, loc);
      const rule: Rule = { head, kind, body, default: false, loc };
      chain.push({ info: { rule, genBody, genValue: false, hasIf, hasContains: false, function: fn }, start });
      if (genBody) break; // OPA ends the chain at an else without a body
    }
    // Each else rule's text runs to the end of the chain, as OPA records it.
    for (let k = chain.length - 1; k >= 0; k--) {
      const c = chain[k];
      c.info.rule.text = this.textFrom(c.start);
      if (k + 1 < chain.length) {
        c.info.else = chain[k + 1].info;
        c.info.rule.else = chain[k + 1].info.rule;
      }
    }
    return chain[0].info;
  }

  /** The parent's head at a new location (for `p { a } { b }`). */
  private copyHead(h: RuleHead, loc: Location): RuleHead {
    return makeHead([...h.ref], this.freshArgs(h.args), h.key, h.value, h.assign, loc);
  }

  /** Function arguments for a further rule of the same head: wildcards get fresh names, as in OPA. */
  private freshArgs(args: Term[] | undefined): Term[] | undefined {
    return args?.map((a) => (a.type === 'var' && a.name.startsWith('$_') ? this.freshWildcard(a.loc) : a));
  }

  private checkDefault(value: Term, args: Term[] | undefined, loc: Location): void {
    const bad = forbiddenInDefault(value);
    if (bad) this.fail(`illegal default rule (value cannot contain ${bad})`, loc);
    if (!args) return;
    const seen = new Set<string>();
    for (const a of args) {
      if (a.type !== 'var') this.fail(`illegal default rule (arguments cannot contain ${valueName(a)})`, loc);
      if (seen.has(a.name)) this.fail(`illegal default rule (arguments cannot be repeated ${a.name})`, loc);
      seen.add(a.name);
    }
  }

  /** Top-level expressions (`p := 1`, `p[x]`, …) separated by `;`; turned into rules later. */
  private parseBodyStatement(): Statement {
    const first = this.i;
    const body: Body = [this.parseLiteral()];
    while (this.kind() === Tok.Semicolon) {
      this.next();
      body.push(this.parseLiteral());
    }
    return { kind: 'body', body, text: this.textFrom(first), loc: this.loc(first) };
  }

  /** Source text from `first` to the end of the last consumed token. */
  private textFrom(first: number): string {
    const start = this.d[first * STRIDE + F_START];
    const end = this.d[Math.max(this.i - 1, 0) * STRIDE + F_END];
    return this.src.slice(start, Math.max(end, start));
  }

  // ---------------------------------------------------------------------------------------------
  // Module assembly

  private assemble(stmts: Statement[]): Module {
    const errors: RegoError[] = [];
    const err = (message: string, loc: Location): void => {
      errors.push(new RegoError('rego_parse_error', message, loc));
    };
    if (stmts.length === 0) {
      throw new ParseFail('empty module', { file: this.file, row: 1, col: 1 }, 0);
    }
    const first = stmts[0];
    let pkg: string[] = [];
    let packageLoc: Location = { file: this.file, row: 1, col: 1 };
    if (first.kind === 'package') {
      pkg = first.path;
      packageLoc = first.loc;
    } else {
      err('package expected', statementLoc(first));
    }
    const imports: Import[] = [];
    const infos: RuleInfo[] = [];
    for (let k = 1; k < stmts.length; k++) {
      const s = stmts[k];
      switch (s.kind) {
        case 'package':
          err('unexpected package', s.loc);
          break;
        case 'import':
          imports.push(s.imp);
          break;
        case 'rules':
          infos.push(...s.rules);
          break;
        case 'body': {
          const r = ruleFromBody(s.body, s.text);
          if (typeof r === 'string') err(r, s.loc);
          else infos.push(r);
          break;
        }
      }
    }
    if (this.version === 1 || this.v1Compatible) {
      for (const info of infos) {
        for (let r: RuleInfo | undefined = info; r; r = r.else) checkV1(r, err);
      }
    }
    const rules = infos.map((x) => x.rule);
    const packageAnnotations = attachAnnotations(annotationBlocks(this.comments, errors), packageLoc, rules);
    if (errors.length > 0) throw new RegoErrors(errors);
    return {
      package: pkg,
      packageLoc,
      imports,
      rules,
      comments: this.comments,
      ...(packageAnnotations.length > 0 ? { annotations: packageAnnotations } : {}),
      file: this.file,
      regoVersion: this.version,
    };
  }
}

/** Gives each METADATA block to what follows it: the package clause or a rule (its default
 *  scope then being `package` or `rule`). Returns the package's blocks. */
function attachAnnotations(blocks: AnnotationBlock[], packageLoc: Location, rules: Rule[]): Annotation[] {
  const forPackage: Annotation[] = [];
  for (const b of blocks) {
    if (packageLoc.row > b.endRow) {
      forPackage.push({ scope: b.scope || 'package', value: { ...b.value, scope: b.scope || 'package' }, loc: b.loc });
      continue;
    }
    const rule = rules.find((r) => r.loc.row > b.endRow);
    if (!rule) continue;
    const scope = b.scope || 'rule';
    (rule.annotations ??= []).push({ scope, value: { ...b.value, scope }, loc: b.loc });
  }
  return forPackage;
}

function statementLoc(s: Statement): Location {
  switch (s.kind) {
    case 'import':
      return s.imp.loc;
    case 'rules':
      return s.rules[0].rule.loc;
    default:
      return s.loc;
  }
}

function isInfixOp(k: Tok): boolean {
  switch (k) {
    case Tok.Add:
    case Tok.Sub:
    case Tok.Mul:
    case Tok.Quo:
    case Tok.Rem:
    case Tok.And:
    case Tok.Or:
    case Tok.Equal:
    case Tok.Neq:
    case Tok.Lt:
    case Tok.Lte:
    case Tok.Gt:
    case Tok.Gte:
      return true;
    default:
      return false;
  }
}

function makeHead(ref: Term[], args: Term[] | undefined, key: Term | undefined, value: Term | undefined, assign: boolean, loc: Location): RuleHead {
  const head: RuleHead = { ref, assign, loc };
  if (args) head.args = args;
  if (key) head.key = key;
  if (value) head.value = value;
  return head;
}

/** The kind the compiler expects: function, partial set, partial object (a non-string ref operand), complete. */
function ruleKind(head: RuleHead): RuleKind {
  if (head.args) return 'function';
  if (head.key) return 'partial_set';
  for (let k = 1; k < head.ref.length; k++) if (head.ref[k].type !== 'string') return 'partial_object';
  return 'complete';
}

/** OPA's TypeName of the first var/ref/call in a default value, skipping comprehensions. */
function forbiddenInDefault(t: Term): string | undefined {
  switch (t.type) {
    case 'var':
    case 'ref':
    case 'call':
      return t.type;
    case 'array':
    case 'set':
      for (const x of t.items) {
        const r = forbiddenInDefault(x);
        if (r) return r;
      }
      return undefined;
    case 'object':
      for (const [k, v] of t.items) {
        const r = forbiddenInDefault(k) ?? forbiddenInDefault(v);
        if (r) return r;
      }
      return undefined;
    default:
      return undefined;
  }
}

/**
 * OPA's ParseRuleFromBody: a top-level expression read as a rule. Returns the error message when
 * it cannot be one.
 */
function ruleFromBody(body: Body, text: string): RuleInfo | string {
  if (body.length !== 1) return 'multiple expressions cannot be used for rule head';
  const expr: Expr = body[0];
  if (expr.with.length > 0) return 'expressions using with keyword cannot be used for rule head';
  if (expr.negated) return 'negated expressions cannot be used for rule head';
  const eb = expr.body;
  if (eb.type === 'some' || eb.type === 'somein') return "'some' declarations cannot be used for rule head";
  if (eb.type !== 'term') return 'expression cannot be used for rule head';
  const term = eb.term;
  const loc = expr.loc;
  const make = (ref: Term[], args: Term[] | undefined, key: Term | undefined, value: Term | undefined, assign: boolean, genValue: boolean): RuleInfo => {
    const head = makeHead(ref, args, key, value, assign, loc);
    const rule: Rule = { head, kind: ruleKind(head), body: [], default: false, loc, text };
    return { rule, genBody: true, genValue, hasIf: false, hasContains: false, function: !!args };
  };
  const headRef = (r: RefTerm): string | undefined => (r.terms[0].type === 'var' ? undefined : `invalid rule head: ${formatTerm(r)}`);

  if (term.type === 'ref') {
    const bad = headRef(term);
    if (bad) return bad;
    if (term.terms.length > 2) return make(term.terms, undefined, undefined, undefined, false, true);
    if (term.terms.length === 1) return 'refs cannot be used for rule head';
    return make([term.terms[0]], undefined, term.terms[1], undefined, false, false);
  }
  if (term.type !== 'call') return `${valueName(term)} cannot be used for rule name`;

  const name = opName(term);
  if ((name === 'assign' || name === 'eq') && term.args.length === 2) {
    const [lhs, rhs] = term.args;
    const assign = name === 'assign';
    switch (lhs.type) {
      case 'call': {
        const bad = headRef(lhs.op);
        if (bad) return bad;
        return make(lhs.op.terms, lhs.args, undefined, rhs, assign, false);
      }
      case 'ref': {
        const bad = headRef(lhs);
        if (bad) return bad;
        return make(lhs.terms, undefined, undefined, rhs, assign, false);
      }
      case 'var':
        return make([lhs], undefined, undefined, rhs, assign, false);
      default:
        return `${valueName(lhs)} cannot be used for rule name`;
    }
  }
  if (OPERATOR_NAMES.has(name) || name === 'assign' || name === 'eq') return 'rule name conflicts with built-in function';
  if (term.args.length === 0) return 'rule argument list must take at least one argument';
  const bad = headRef(term.op);
  if (bad) return bad;
  return make(term.op.terms, term.args, undefined, undefined, false, false);
}

/** OPA's parse-time v1 checks for one rule. */
function checkV1(info: RuleInfo, err: (message: string, loc: Location) => void): void {
  const { rule } = info;
  const what = info.function ? 'function' : 'rule';
  const ref = rule.head.ref;
  const first = ref[0] as Term | undefined;
  if (ref.length < 2 && first?.type === 'var' && V1_KEYWORDS.has(first.name)) {
    err(`${first.name} keyword cannot be used for rule name`, rule.loc);
  }
  if (info.genBody && info.genValue) err(`${what} must have value assignment and/or body declaration`, rule.loc);
  if (!info.genBody && !info.hasIf && !rule.default) err(`\`if\` keyword is required before ${what} body`, rule.loc);
  if (rule.head.key !== undefined && rule.head.value === undefined && !info.hasContains) {
    err('`contains` keyword is required for partial set rules', rule.loc);
  }
}

