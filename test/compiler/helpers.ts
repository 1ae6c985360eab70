// Shared helpers for the per-stage compiler suites: build modules from source texts, collect the
// errors a stage reports, and render resolved/ordered rules as short Rego-like text so that
// expectations can be written as data (one string per row) instead of AST literals.
//
// Rendering normalises the compiler's unique local names (`x$17`) to `x#1`, `x#2`, … numbered by
// first appearance within one rendered rule: the numbers say which occurrences are the *same*
// variable without depending on the NameGen counter, which is an implementation detail.
import type { Body, Expr, Module, Term, With } from '../../server/rego/ast';
import { RegoError, RegoErrors } from '../../server/rego/errors';
import { parseModule } from '../../server/rego/index';
import type { CompiledRule } from '../../server/compiler/resolve';
import { isGenerated, sourceName } from '../../server/compiler/scope';
import { opName } from '../../server/compiler/terms';

/** Source files are named m0.rego, m1.rego, … in the order given. */
export function fileName(i: number): string {
  return `m${i}.rego`;
}

export function parseAll(texts: string[]): Module[] {
  return texts.map((text, i) => parseModule({ file: fileName(i), text }));
}

/** A reported error flattened for `toEqual`/`toContainEqual` comparisons. */
export interface ErrorRow {
  code: string;
  message: string;
  file?: string;
  row?: number;
  col?: number;
}

export function errorRow(e: RegoError): ErrorRow {
  return { code: e.code, message: e.message, file: e.location?.file, row: e.location?.row, col: e.location?.col };
}

/** Runs `fn`; returns the Rego errors it throws ([] when it succeeds). Other exceptions propagate. */
export function errorsOf(fn: () => unknown): ErrorRow[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof RegoErrors) return e.errors.map(errorRow);
    if (e instanceof RegoError) return [errorRow(e)];
    throw e;
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** Maps unique local names to stable display names (`x#1`); other names are shown as they are. */
export class LocalNames {
  private readonly names = new Map<string, string>();
  private readonly counts = new Map<string, number>();

  /** `observe` sees every unique local name shown (to collect a rule's locals). */
  constructor(private readonly observe?: (unique: string) => void) {}

  name(unique: string): string {
    // Only resolved locals carry a `$` (NameGen's separator): `input`, `data` and anything left
    // unresolved keep their source spelling, which makes such a leak visible in a failure diff.
    if (!unique.includes('$')) return unique;
    this.observe?.(unique);
    let shown = this.names.get(unique);
    if (shown === undefined) {
      const src = isGenerated(unique) ? '_' : sourceName(unique);
      const n = (this.counts.get(src) ?? 0) + 1;
      this.counts.set(src, n);
      shown = `${src}#${n}`;
      this.names.set(unique, shown);
    }
    return shown;
  }
}

const INFIX = new Map<string, string>([
  ['eq', '='],
  ['assign', ':='],
  ['equal', '=='],
  ['neq', '!='],
  ['lt', '<'],
  ['lte', '<='],
  ['gt', '>'],
  ['gte', '>='],
  ['plus', '+'],
  ['minus', '-'],
  ['mul', '*'],
  ['div', '/'],
  ['rem', '%'],
  ['and', '&'],
  ['or', '|'],
]);

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class Renderer {
  constructor(readonly locals: LocalNames = new LocalNames()) {}

  term(t: Term): string {
    switch (t.type) {
      case 'null':
        return 'null';
      case 'boolean':
        return String(t.value);
      case 'number':
        return t.value;
      case 'string':
        return JSON.stringify(t.value);
      case 'var':
        return this.locals.name(t.name);
      case 'ref': {
        const [head, ...rest] = t.terms;
        let out = head.type === 'var' ? this.locals.name(head.name) : this.term(head);
        for (const k of rest) out += k.type === 'string' && IDENT.test(k.value) ? `.${k.value}` : `[${this.term(k)}]`;
        return out;
      }
      case 'array':
        return `[${t.items.map((x) => this.term(x)).join(', ')}]`;
      case 'set':
        return t.items.length === 0 ? 'set()' : `{${t.items.map((x) => this.term(x)).join(', ')}}`;
      case 'object':
        return `{${t.items.map(([k, v]) => `${this.term(k)}: ${this.term(v)}`).join(', ')}}`;
      case 'arraycomp':
        return `[${this.term(t.term)} | ${this.body(t.body)}]`;
      case 'setcomp':
        return `{${this.term(t.term)} | ${this.body(t.body)}}`;
      case 'objectcomp':
        return `{${this.term(t.key)}: ${this.term(t.value)} | ${this.body(t.body)}}`;
      case 'call': {
        const name = opName(t.op) ?? this.term(t.op);
        const infix = INFIX.get(name);
        const args = t.args.map((a) => this.term(a));
        if (infix !== undefined && args.length === 2) return `${args[0]} ${infix} ${args[1]}`;
        if (name === 'internal.member_2' && args.length === 2) return `${args[0]} in ${args[1]}`;
        if (name === 'internal.member_3' && args.length === 3) return `${args[0]}, ${args[1]} in ${args[2]}`;
        return `${name}(${args.join(', ')})`;
      }
    }
  }

  private with(w: With): string {
    return ` with ${this.term(w.target)} as ${w.fn ?? this.term(w.value)}`;
  }

  expr(e: Expr): string {
    const b = e.body;
    let out: string;
    switch (b.type) {
      case 'term':
        out = this.term(b.term);
        break;
      case 'some':
        out = `some ${b.vars.map((v) => this.term(v)).join(', ')}`;
        break;
      case 'somein':
        out = `some ${b.key ? `${this.term(b.key)}, ` : ''}${this.term(b.value)} in ${this.term(b.collection)}`;
        break;
      case 'every':
        out = `every ${b.key ? `${this.term(b.key)}, ` : ''}${this.term(b.value)} in ${this.term(b.domain)} { ${this.body(b.body)} }`;
        break;
    }
    return (e.negated ? 'not ' : '') + out + e.with.map((w) => this.with(w)).join('');
  }

  body(body: Body): string {
    return body.length === 0 ? 'true' : body.map((e) => this.expr(e)).join('; ');
  }

  /**
   * `data.a.p[k] := v if { … }`, `data.a.s contains k if { … }`, `data.a.f(x#1) := …`,
   * `default data.a.p := 0`, with ` else := v if { … }` for each alternative.
   */
  rule(r: CompiledRule): string {
    let head = 'data.' + r.path.join('.');
    for (const k of r.suffix) head += k.type === 'string' && IDENT.test(k.value) ? `.${k.value}` : `[${this.term(k)}]`;
    if (r.args) head += `(${r.args.map((a) => this.term(a)).join(', ')})`;
    let out = (r.default ? 'default ' : '') + head;
    out += r.kind === 'partial_set' && r.key ? ` contains ${this.term(r.key)}` : ` := ${this.term(r.value)}`;
    if (r.body.length > 0) out += ` if { ${this.body(r.body)} }`;
    for (let alt = r.else; alt; alt = alt.else) {
      out += ` else := ${this.term(alt.value)}`;
      if (alt.body.length > 0) out += ` if { ${this.body(alt.body)} }`;
    }
    return out;
  }
}

/** Renders one rule with its own local numbering. */
export function renderRule(r: CompiledRule): string {
  return new Renderer().rule(r);
}

/** Every local (unique) name a compiled rule mentions, nested bodies included. */
export function ruleLocals(r: CompiledRule): Set<string> {
  const out = new Set<string>();
  new Renderer(new LocalNames((u) => out.add(u))).rule(r);
  return out;
}
