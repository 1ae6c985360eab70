// Safety analysis and body reordering: every variable must be bound before it is used. Like
// OPA, expressions are reordered so that producers come before consumers; a body that cannot be
// ordered has unsafe variables (`rego_unsafe_var_error`).
import type { Body, Expr, Location, Term, VarTerm } from '../rego/ast';
import { RegoError } from '../rego/errors';
import { isGenerated, sourceName } from './scope';
import { deepBodyVars, deepTermVars, exprVars, opName } from './terms';

/** Declared argument count of a callable (builtin or user function), if known. */
export type ArityLookup = (name: string) => number | undefined;

interface Acc {
  needs: Map<string, Location>;
  outputs: Set<string>;
  /** Analysing a negated expression: it binds nothing, so its vars must be bound already
   *  (wildcards excepted: they are local to the negation). */
  negated?: boolean;
}

const RELATIONS = new Set(['eq', 'assign']);

export class SafetyChecker {
  constructor(
    private readonly arity: ArityLookup,
    private readonly errors: RegoError[],
  ) {}

  /**
   * Orders `body` given the variables already bound outside it; `universe` holds every variable
   * of enclosing bodies (a nested body's closure variables are those it shares with it).
   */
  orderBody(body: Body, bound: ReadonlySet<string>, universe: ReadonlySet<string>): Body {
    return this.order(body, bound, universe).body;
  }

  /** Like `orderBody`, also returning the variables bound once the whole body has run. */
  order(body: Body, bound: ReadonlySet<string>, universe: ReadonlySet<string>): { body: Body; bound: Set<string>; universe: Set<string> } {
    const top = new Set(universe);
    for (const e of body) for (const v of exprVars(e)) top.add(v);
    const B = new Set(bound);
    const remaining = body.filter((e) => e.body.type !== 'some');
    const out: Body = [];
    while (remaining.length > 0) {
      let picked = -1;
      let acc: Acc | undefined;
      for (let i = 0; i < remaining.length; i++) {
        const a = this.analyzeExpr(remaining[i], B, top);
        if (a.needs.size === 0) {
          picked = i;
          acc = a;
          break;
        }
      }
      if (picked < 0 || !acc) {
        this.reportUnsafe(remaining, B, top);
        return { body: out, bound: B, universe: top };
      }
      const e = remaining.splice(picked, 1)[0];
      out.push(this.orderNested(e, B, top));
      if (!e.negated) for (const v of acc.outputs) B.add(v);
    }
    return { body: out, bound: B, universe: top };
  }

  /** Reports head (or other trailing) terms that use variables the body does not bind. */
  checkTerms(terms: Term[], bound: ReadonlySet<string>, universe: ReadonlySet<string>): void {
    const acc: Acc = { needs: new Map(), outputs: new Set() };
    for (const t of terms) this.evalTerm(t, { B: bound, universe, acc });
    for (const [v, loc] of acc.needs) {
      this.errors.push(new RegoError('rego_unsafe_var_error', `var ${isGenerated(v) ? '_' : sourceName(v)} is unsafe`, loc));
    }
  }

  /** Orders the comprehensions inside head terms (their bodies run with the body's bindings). */
  orderHeadTerm(t: Term, bound: Set<string>, universe: Set<string>): Term {
    return this.orderTerm(t, bound, universe);
  }

  private reportUnsafe(remaining: Expr[], B: Set<string>, universe: Set<string>): void {
    const unsafe = new Map<string, Location>();
    for (const e of remaining) {
      for (const [v, loc] of this.analyzeExpr(e, B, universe).needs) if (!unsafe.has(v)) unsafe.set(v, loc);
    }
    // Wildcards are reported only when no named variable is (OPA's safetyErrorSlice).
    const named = [...unsafe.keys()].some((v) => !isGenerated(v));
    for (const [v, loc] of unsafe) {
      if (named && isGenerated(v)) continue;
      this.errors.push(new RegoError('rego_unsafe_var_error', `var ${isGenerated(v) ? '_' : sourceName(v)} is unsafe`, loc));
    }
  }

  /** Orders the bodies nested in an expression (comprehensions, `every`). */
  private orderNested(e: Expr, B: Set<string>, universe: Set<string>): Expr {
    const mapT = (t: Term): Term => this.orderTerm(t, B, universe);
    const b = e.body;
    const w = e.with.map((x) => ({ ...x, value: mapT(x.value) }));
    switch (b.type) {
      case 'term':
        return { ...e, body: { type: 'term', term: mapT(b.term) }, with: w };
      case 'somein':
        return { ...e, body: { ...b, collection: mapT(b.collection) }, with: w };
      case 'every': {
        const inner = new Set(B);
        if (b.key) inner.add(b.key.name);
        inner.add(b.value.name);
        const uni = new Set(universe);
        if (b.key) uni.add(b.key.name);
        uni.add(b.value.name);
        return { ...e, body: { ...b, domain: mapT(b.domain), body: this.orderBody(b.body, inner, uni) }, with: w };
      }
      default:
        return { ...e, with: w };
    }
  }

  private orderTerm(t: Term, B: Set<string>, universe: Set<string>): Term {
    const r = (x: Term): Term => this.orderTerm(x, B, universe);
    switch (t.type) {
      case 'ref':
        return { ...t, terms: t.terms.map(r) };
      case 'array':
      case 'set':
        return { ...t, items: t.items.map(r) };
      case 'object':
        return { ...t, items: t.items.map(([k, v]) => [r(k), r(v)]) };
      case 'call':
        return { ...t, args: t.args.map(r) };
      case 'arraycomp':
      case 'setcomp':
      case 'objectcomp': {
        const body = this.orderBody(t.body, B, universe);
        const inner = new Set(B);
        for (const e of body) for (const v of exprVars(e)) inner.add(v);
        if (t.type === 'objectcomp') return { ...t, key: this.orderTerm(t.key, inner, universe), value: this.orderTerm(t.value, inner, universe), body };
        return { ...t, term: this.orderTerm(t.term, inner, universe), body };
      }
      default:
        return t;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Analysis of one expression: which unbound vars it needs, which it binds.

  analyzeExpr(e: Expr, B: ReadonlySet<string>, universe: ReadonlySet<string>): Acc {
    const acc: Acc = { needs: new Map(), outputs: new Set(), negated: e.negated };
    const ctx = { B, universe, acc };
    const b = e.body;
    switch (b.type) {
      case 'some':
        break;
      case 'term':
        this.topTerm(b.term, ctx);
        break;
      case 'somein':
        this.evalTerm(b.collection, ctx);
        if (b.key) this.pattern(b.key, ctx);
        this.pattern(b.value, ctx);
        break;
      case 'every':
        this.evalTerm(b.domain, ctx);
        this.closure(deepBodyVars(b.body), b.domain.loc, ctx);
        break;
    }
    for (const w of e.with) if (w.fn === undefined) this.evalTerm(w.value, ctx);
    return acc;
  }

  private topTerm(t: Term, ctx: Ctx): void {
    if (t.type !== 'call') return this.evalTerm(t, ctx);
    const name = opName(t.op);
    if (name !== undefined && RELATIONS.has(name) && t.args.length === 2) return this.unify(t.args[0], t.args[1], ctx, name === 'assign');
    const n = name === undefined ? undefined : this.arity(name);
    if (n !== undefined && t.args.length === n + 1) {
      t.args.slice(0, n).forEach((a) => this.evalTerm(a, ctx));
      this.pattern(t.args[n], ctx);
      return;
    }
    this.evalTerm(t, ctx);
  }

  private bound(v: string, ctx: Ctx): boolean {
    return v === 'input' || v === 'data' || ctx.B.has(v) || ctx.acc.outputs.has(v);
  }

  private need(v: VarTerm, ctx: Ctx): void {
    if (!this.bound(v.name, ctx) && !ctx.acc.needs.has(v.name)) ctx.acc.needs.set(v.name, v.loc);
  }

  private closure(vars: Set<string>, loc: Location, ctx: Ctx): void {
    for (const v of vars) {
      if (ctx.universe.has(v) && !this.bound(v, ctx) && !ctx.acc.needs.has(v)) ctx.acc.needs.set(v, loc);
    }
  }

  evalTerm(t: Term, ctx: Ctx): void {
    switch (t.type) {
      case 'var':
        return this.need(t, ctx);
      case 'ref': {
        const head = t.terms[0];
        if (head.type === 'var') this.need(head, ctx);
        else this.evalTerm(head, ctx);
        // Keys bind their unbound vars by iteration (`a[x]`, `a[[x, y]]`).
        for (const k of t.terms.slice(1)) this.pattern(k, ctx);
        return;
      }
      case 'array':
      case 'set':
        return t.items.forEach((x) => this.evalTerm(x, ctx));
      case 'object':
        return t.items.forEach(([k, v]) => {
          this.evalTerm(k, ctx);
          this.evalTerm(v, ctx);
        });
      case 'call':
        return t.args.forEach((x) => this.evalTerm(x, ctx));
      case 'arraycomp':
      case 'setcomp':
      case 'objectcomp':
        return this.closure(deepTermVars(t), t.loc, ctx);
      default:
        return;
    }
  }

  private isUnboundVar(t: Term, ctx: Ctx): t is VarTerm {
    return t.type === 'var' && !this.bound(t.name, ctx);
  }

  /** Whether `t` has an unbound var where unification could bind it. */
  isPattern(t: Term, ctx: Ctx): boolean {
    if (this.isUnboundVar(t, ctx)) return true;
    if (t.type === 'array') return t.items.some((x) => this.isPattern(x, ctx));
    if (t.type === 'object') return t.items.some(([, v]) => this.isPattern(v, ctx));
    return false;
  }

  /** `v` gets its value here (unless it has one already). */
  private bind(v: VarTerm, ctx: Ctx): void {
    if (this.bound(v.name, ctx)) return;
    if (ctx.acc.negated && !isGenerated(v.name)) this.need(v, ctx);
    else ctx.acc.outputs.add(v.name);
  }

  pattern(t: Term, ctx: Ctx): void {
    if (t.type === 'var') return this.bind(t, ctx);
    if (t.type === 'array') return t.items.forEach((x) => this.pattern(x, ctx));
    if (t.type === 'object') {
      return t.items.forEach(([k, v]) => {
        this.evalTerm(k, ctx);
        this.pattern(v, ctx);
      });
    }
    this.evalTerm(t, ctx);
  }

  /** With `assign`, `a` is being declared: only `b`'s variables can be unsafe. */
  unify(a: Term, b: Term, ctx: Ctx, assign = false): void {
    const ua = this.isUnboundVar(a, ctx);
    const ub = this.isUnboundVar(b, ctx);
    if (ua && ub) {
      if (!assign) this.need(a, ctx);
      this.need(b, ctx);
      return;
    }
    if (ua) {
      this.evalTerm(b, ctx);
      this.bind(a as VarTerm, ctx);
      return;
    }
    if (ub) {
      this.evalTerm(a, ctx);
      this.bind(b as VarTerm, ctx);
      return;
    }
    if (a.type === 'array' && b.type === 'array' && a.items.length === b.items.length) {
      // Elements left to right, then retry the ones that needed a later element's bindings.
      const pending: Array<[Term, Term]> = [];
      a.items.forEach((x, i) => {
        const probe: Ctx = { ...ctx, acc: { needs: new Map(), outputs: new Set(ctx.acc.outputs), negated: ctx.acc.negated } };
        this.unify(x, b.items[i], probe);
        if (probe.acc.needs.size === 0) for (const o of probe.acc.outputs) ctx.acc.outputs.add(o);
        else pending.push([x, b.items[i]]);
      });
      for (const [x, y] of pending) this.unify(x, y, ctx);
      return;
    }
    if (a.type === 'object' && b.type === 'object' && a.items.length === b.items.length) {
      a.items.forEach(([k]) => this.evalTerm(k, ctx));
      b.items.forEach(([k]) => this.evalTerm(k, ctx));
      const pairs = a.items.map(([k, v]) => [v, b.items.find(([k2]) => sameConstant(k, k2))?.[1]] as const);
      if (pairs.every(([, o]) => o !== undefined)) {
        for (const [v, o] of pairs) this.unify(v, o as Term, ctx);
        return;
      }
      // Keys known only at run time: one side is evaluated, the other matched against it.
      if (!this.isPattern(b, ctx)) {
        this.evalTerm(b, ctx);
        this.pattern(a, ctx);
      } else {
        this.evalTerm(a, ctx);
        this.pattern(b, ctx);
      }
      return;
    }
    if (this.isPattern(a, ctx)) {
      this.evalTerm(b, ctx);
      this.pattern(a, ctx);
      return;
    }
    if (this.isPattern(b, ctx)) {
      this.evalTerm(a, ctx);
      this.pattern(b, ctx);
      return;
    }
    this.evalTerm(a, ctx);
    this.evalTerm(b, ctx);
  }
}

interface Ctx {
  B: ReadonlySet<string>;
  universe: ReadonlySet<string>;
  acc: Acc;
}

export function sameConstant(a: Term, b: Term): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'string' || a.type === 'number' || a.type === 'boolean') return a.value === (b as typeof a).value;
  return a.type === 'null';
}
