// Small constructors and walkers over AST terms, shared by the compiler passes and the planner.
import type { Body, Expr, Location, RefTerm, Term, VarTerm } from '../rego/ast';

export function varTerm(name: string, loc: Location): VarTerm {
  return { type: 'var', name, loc };
}

export function stringTerm(value: string, loc: Location): Term {
  return { type: 'string', value, loc };
}

export function refTerm(terms: Term[], loc: Location): RefTerm {
  return { type: 'ref', terms, loc };
}

/** `data.a.b` as a ref term. */
export function dataRef(path: readonly string[], loc: Location): RefTerm {
  return refTerm([varTerm('data', loc), ...path.map((p) => stringTerm(p, loc))], loc);
}

/** The dotted name of a call's operator (`array.concat`, `data.lib.f`), or undefined if dynamic. */
export function opName(op: RefTerm): string | undefined {
  const head = op.terms[0];
  if (head.type !== 'var') return undefined;
  const parts = [head.name];
  for (const t of op.terms.slice(1)) {
    if (t.type !== 'string') return undefined;
    parts.push(t.value);
  }
  return parts.join('.');
}

/** Whether the term holds no variables, refs, calls or comprehensions (a constant). */
export function isGround(t: Term): boolean {
  switch (t.type) {
    case 'null':
    case 'boolean':
    case 'number':
    case 'string':
      return true;
    case 'array':
    case 'set':
      return t.items.every(isGround);
    case 'object':
      return t.items.every(([k, v]) => isGround(k) && isGround(v));
    default:
      return false;
  }
}

export function isScalar(t: Term): boolean {
  return t.type === 'null' || t.type === 'boolean' || t.type === 'number' || t.type === 'string';
}

/**
 * Visits every var in `t` that belongs to the enclosing body: it does not descend into
 * comprehension bodies (they are closures; see `closureVars`).
 */
export function forEachVar(t: Term, fn: (v: VarTerm) => void): void {
  switch (t.type) {
    case 'var':
      fn(t);
      return;
    case 'ref':
      t.terms.forEach((x) => forEachVar(x, fn));
      return;
    case 'array':
    case 'set':
      t.items.forEach((x) => forEachVar(x, fn));
      return;
    case 'object':
      t.items.forEach(([k, v]) => {
        forEachVar(k, fn);
        forEachVar(v, fn);
      });
      return;
    case 'call':
      t.args.forEach((x) => forEachVar(x, fn));
      return;
    default:
      return;
  }
}

/** Every var an expression mentions at its own level (not inside nested bodies). */
export function exprVars(e: Expr): Set<string> {
  const out = new Set<string>();
  const add = (v: VarTerm): void => {
    out.add(v.name);
  };
  const b = e.body;
  switch (b.type) {
    case 'term':
      forEachVar(b.term, add);
      break;
    case 'some':
      b.vars.forEach(add);
      break;
    case 'somein':
      if (b.key) forEachVar(b.key, add);
      forEachVar(b.value, add);
      forEachVar(b.collection, add);
      break;
    case 'every':
      forEachVar(b.domain, add);
      break;
  }
  for (const w of e.with) forEachVar(w.value, add);
  return out;
}

/** Nested bodies (comprehensions, every) directly inside an expression's terms. */
export function nestedTerms(t: Term, fn: (t: Term) => void): void {
  switch (t.type) {
    case 'arraycomp':
    case 'setcomp':
    case 'objectcomp':
      fn(t);
      return;
    case 'ref':
      t.terms.forEach((x) => nestedTerms(x, fn));
      return;
    case 'array':
    case 'set':
      t.items.forEach((x) => nestedTerms(x, fn));
      return;
    case 'object':
      t.items.forEach(([k, v]) => {
        nestedTerms(k, fn);
        nestedTerms(v, fn);
      });
      return;
    case 'call':
      t.args.forEach((x) => nestedTerms(x, fn));
      return;
    default:
      return;
  }
}

/** All vars used anywhere inside a body, including nested bodies. */
export function deepBodyVars(body: Body, out: Set<string> = new Set()): Set<string> {
  for (const e of body) {
    for (const v of exprVars(e)) out.add(v);
    const visitTerm = (t: Term): void => {
      nestedTerms(t, (c) => {
        if (c.type === 'objectcomp') {
          deepTermVars(c.key, out);
          deepTermVars(c.value, out);
        } else if (c.type === 'arraycomp' || c.type === 'setcomp') {
          deepTermVars(c.term, out);
        }
        if (c.type === 'arraycomp' || c.type === 'setcomp' || c.type === 'objectcomp') deepBodyVars(c.body, out);
      });
    };
    const b = e.body;
    if (b.type === 'term') visitTerm(b.term);
    else if (b.type === 'somein') {
      visitTerm(b.collection);
      visitTerm(b.value);
      if (b.key) visitTerm(b.key);
    } else if (b.type === 'every') {
      visitTerm(b.domain);
      if (b.key) out.add(b.key.name);
      out.add(b.value.name);
      deepBodyVars(b.body, out);
    }
    for (const w of e.with) visitTerm(w.value);
  }
  return out;
}

export function deepTermVars(t: Term, out: Set<string> = new Set()): Set<string> {
  forEachVar(t, (v) => out.add(v.name));
  nestedTerms(t, (c) => {
    if (c.type === 'objectcomp') {
      deepTermVars(c.key, out);
      deepTermVars(c.value, out);
      deepBodyVars(c.body, out);
    } else if (c.type === 'arraycomp' || c.type === 'setcomp') {
      deepTermVars(c.term, out);
      deepBodyVars(c.body, out);
    }
  });
  return out;
}
