// Builders for expected ASTs (without locations) and a location stripper for comparisons.
import type { Body, Expr, Module, Rule, Term } from '../../server/rego/ast';
import { RegoError, RegoErrors } from '../../server/rego/errors';
import { parseModule, parseQuery, parseTerm, type ParseOptions } from '../../server/rego/index';

/** Deep copy without `loc` (and without `text`, unless kept), for structural comparisons. */
export function plain<T>(x: T, keepText = false): T {
  if (Array.isArray(x)) return x.map((y) => plain(y, keepText)) as T;
  if (x && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) {
      if (k === 'loc' || (k === 'text' && !keepText) || v === undefined) continue;
      out[k] = plain(v, keepText);
    }
    return out as T;
  }
  return x;
}

export const v = (name: string): Term => ({ type: 'var', name }) as Term;
export const s = (value: string): Term => ({ type: 'string', value }) as Term;
export const n = (value: string): Term => ({ type: 'number', value }) as Term;
export const b = (value: boolean): Term => ({ type: 'boolean', value }) as Term;
export const nul = (): Term => ({ type: 'null' }) as Term;
export const ref = (...terms: Term[]): Term => ({ type: 'ref', terms }) as Term;
export const arr = (...items: Term[]): Term => ({ type: 'array', items }) as Term;
export const set = (...items: Term[]): Term => ({ type: 'set', items }) as Term;
export const obj = (...items: Array<[Term, Term]>): Term => ({ type: 'object', items }) as Term;
/** A call of a dotted name: `call('plus', a, b)`, `call('internal.member_2', x, xs)`. */
export const call = (name: string, ...args: Term[]): Term => {
  const [head, ...rest] = name.split('.');
  return { type: 'call', op: { type: 'ref', terms: [v(head), ...rest.map(s)] }, args } as Term;
};
/** `data.a.b` / `input.x` as a ref. */
export const path = (dotted: string): Term => {
  const [head, ...rest] = dotted.split('.');
  return ref(v(head), ...rest.map(s));
};
export const termExpr = (term: Term, negated = false): Expr => ({ body: { type: 'term', term }, negated, with: [] }) as unknown as Expr;

/** The single term of a one-expression query. */
export function q1(text: string, opts?: ParseOptions): Term {
  const body = parseQuery(text, 'q', opts);
  expect(body).toHaveLength(1);
  const e = body[0];
  if (e.body.type !== 'term') throw new Error(`not a term expression: ${e.body.type}`);
  return plain(e.body.term);
}

export function body(text: string, opts?: ParseOptions): Body {
  return plain(parseQuery(text, 'q', opts));
}

export function term(text: string): Term {
  return plain(parseTerm(text, 't'));
}

export function mod(text: string, opts?: ParseOptions): Module {
  return parseModule({ file: 'm.rego', text }, opts);
}

/** Rules of `package p\n<text>`, without locations. */
export function rules(text: string, opts?: ParseOptions): Rule[] {
  return plain(mod(`package p\n${text}`, opts).rules);
}

export function rule(text: string, opts?: ParseOptions): Rule {
  const rs = rules(text, opts);
  expect(rs).toHaveLength(1);
  return rs[0];
}

/** The errors a parse throws (fails the test when it parses or throws anything else). */
export function errorsOf(fn: () => unknown): RegoError[] {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof RegoErrors)) throw e;
    for (const x of e.errors) {
      expect(x).toBeInstanceOf(RegoError);
      expect(x.code).toBe('rego_parse_error');
    }
    return e.errors;
  }
  throw new Error('expected a parse error');
}

/** `file:row:col: message` of each error of a module parse. */
export function moduleErrors(text: string, opts?: ParseOptions): string[] {
  return errorsOf(() => parseModule({ file: 'm.rego', text }, opts)).map((e) => `${e.location?.row}:${e.location?.col}: ${e.message}`);
}

export function queryError(text: string, opts?: ParseOptions): string {
  const errs = errorsOf(() => parseQuery(text, 'q', opts));
  expect(errs).toHaveLength(1);
  const e = errs[0];
  return `${e.location?.row}:${e.location?.col}: ${e.message}`;
}
