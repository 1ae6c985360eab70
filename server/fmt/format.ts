// `regent fmt`: canonical Rego v1 text for a parsed module, in the style of `opa fmt` — tab
// indentation, `if`/`contains` keywords, sorted imports, one space around infix operators, one
// blank line between rules, the source's blank lines between expressions kept (at most one),
// composite literals kept on one line unless they spanned several in the source, and every
// comment kept at its place (leading a rule or an expression, or trailing a line).
import type { Body, Comment, Expr, Import, Module, Rule, Term, VarTerm } from '../rego/ast';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set(['as', 'contains', 'default', 'else', 'every', 'false', 'if', 'import', 'in', 'not', 'null', 'package', 'some', 'true', 'with']);

/** Infix operators by OPA call name: the text and the precedence level (higher binds tighter). */
const INFIX: Record<string, [string, number]> = {
  'internal.member_2': ['in', 0],
  equal: ['==', 1],
  neq: ['!=', 1],
  lt: ['<', 1],
  lte: ['<=', 1],
  gt: ['>', 1],
  gte: ['>=', 1],
  or: ['|', 2],
  and: ['&', 3],
  plus: ['+', 4],
  minus: ['-', 4],
  mul: ['*', 5],
  div: ['/', 5],
  rem: ['%', 5],
};

export class FormatError extends Error {}

export function formatModule(mod: Module): string {
  if (mod.regoVersion !== 1) throw new FormatError(`${mod.file}: regent fmt formats Rego v1 modules`);
  return new Printer(mod).module();
}

function callName(t: Term): string | undefined {
  if (t.type !== 'call') return undefined;
  const parts: string[] = [];
  for (const x of t.op.terms) {
    if (x.type === 'var' && parts.length === 0) parts.push(x.name);
    else if (x.type === 'string') parts.push(x.value);
    else return undefined;
  }
  return parts.join('.');
}

function varName(v: VarTerm): string {
  return v.name.startsWith('$') ? '_' : v.name;
}

/** The last source row a term reaches (the closing bracket's row is not recorded). */
function termEnd(t: Term): number {
  let row = t.loc.row;
  const see = (x: Term): void => {
    row = Math.max(row, termEnd(x));
  };
  switch (t.type) {
    case 'ref':
      t.terms.forEach(see);
      break;
    case 'array':
    case 'set':
      t.items.forEach(see);
      if (row !== t.loc.row) row++; // spread out: the closing bracket has its own line
      break;
    case 'object':
      t.items.forEach(([k, v]) => (see(k), see(v)));
      if (row !== t.loc.row) row++;
      break;
    case 'call':
      t.args.forEach(see);
      break;
    case 'arraycomp':
    case 'setcomp':
      see(t.term);
      for (const e of t.body) row = Math.max(row, exprEnd(e));
      break;
    case 'objectcomp':
      see(t.key);
      see(t.value);
      for (const e of t.body) row = Math.max(row, exprEnd(e));
      break;
    default:
      break;
  }
  return row;
}

function exprEnd(e: Expr): number {
  let row = e.loc.row;
  const b = e.body;
  const see = (t: Term | undefined): void => {
    if (t) row = Math.max(row, termEnd(t));
  };
  if (b.type === 'term') see(b.term);
  else if (b.type === 'somein') (see(b.key), see(b.value), see(b.collection));
  else if (b.type === 'every') {
    see(b.domain);
    for (const x of b.body) row = Math.max(row, exprEnd(x));
    row++; // the closing brace
  } else b.vars.forEach(see);
  for (const w of e.with) (see(w.target), see(w.value));
  return row;
}

class Printer {
  private readonly out: string[] = [];
  private readonly comments: Comment[];
  /** The next comment not yet printed. */
  private next = 0;

  constructor(private readonly mod: Module) {
    this.comments = [...mod.comments].sort((a, b) => a.loc.row - b.loc.row || a.loc.col - b.loc.col);
  }

  module(): string {
    const m = this.mod;
    this.leading(m.packageLoc.row, 0);
    this.out.push(`package ${m.package.map((p, i) => (i === 0 || IDENT.test(p) ? (i === 0 ? p : `.${p}`) : `[${JSON.stringify(p)}]`)).join('')}`);
    this.trailing(m.packageLoc.row);
    if (m.imports.length > 0) {
      this.out.push('');
      const imports = [...m.imports].sort((a, b) => (this.importText(a) < this.importText(b) ? -1 : 1));
      for (const imp of imports) {
        this.leading(imp.loc.row, 0);
        this.out.push(this.importText(imp));
        this.trailing(imp.loc.row);
      }
    }
    // As opa fmt: one blank line between rules.
    for (const r of m.rules) {
      this.out.push('');
      this.rule(r);
    }
    this.rest(0);
    return this.out.join('\n').replace(/\n{3,}/g, '\n\n').replace(/\s+$/, '') + '\n';
  }

  private importText(imp: Import): string {
    return `import ${this.ref(imp.path.terms, 0)}${imp.alias !== undefined ? ` as ${imp.alias}` : ''}`;
  }

  // ---------------------------------------------------------------------------------------------
  // Comments

  private indent(depth: number): string {
    return '\t'.repeat(depth);
  }

  /** Prints the comments before `row` (keeping one blank line where the source had gaps). */
  private leading(row: number, depth: number): void {
    let prev = -1;
    while (this.next < this.comments.length && this.comments[this.next].loc.row < row) {
      const c = this.comments[this.next++];
      if (prev >= 0 && c.loc.row - prev > 1) this.out.push('');
      this.out.push(`${this.indent(depth)}#${c.text}`);
      prev = c.loc.row;
    }
    if (prev >= 0 && row - prev > 1) this.out.push('');
  }

  /** Appends a comment that sits at the end of source row `row` to the last printed line. */
  private trailing(row: number): void {
    while (this.next < this.comments.length && this.comments[this.next].loc.row === row) {
      this.out[this.out.length - 1] += `  #${this.comments[this.next++].text}`;
    }
  }

  /** Comments left before `row` inside a block that is closing. */
  private rest(depth: number, row = Infinity): void {
    while (this.next < this.comments.length && this.comments[this.next].loc.row < row) {
      this.out.push(`${this.indent(depth)}#${this.comments[this.next++].text}`);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Rules

  /** Prints a rule (with its else chain); returns the source row it ends on. */
  private rule(r: Rule): number {
    this.leading(r.loc.row, 0);
    const end = r.loc.row + (r.text ? r.text.split('\n').length - 1 : 0);
    const head = this.head(r);
    if (r.default) {
      this.out.push(`default ${head}`);
      this.trailing(r.loc.row);
      return end;
    }
    const oneLine = !r.else && r.body.length === 1 && exprEnd(r.body[0]) === r.loc.row && r.body[0].loc.row === r.loc.row && !this.commentWithin(r.loc.row, r.loc.row);
    if (r.body.length === 0 && !r.else) {
      this.out.push(head);
      this.trailing(r.loc.row);
      return end;
    }
    if (oneLine) {
      this.out.push(`${head} if ${this.expr(r.body[0], 0)}`);
      this.trailing(r.loc.row);
      return end;
    }
    let line = head;
    for (let alt: Rule | undefined = r; alt; alt = alt.else) {
      if (alt !== r) line = `} else${alt.head.value ? ` ${alt.head.assign ? ':=' : '='} ${this.term(alt.head.value, 0)}` : ''}`;
      if (alt.body.length === 0) {
        this.out.push(line);
        this.trailing(alt.loc.row);
        continue;
      }
      this.out.push(`${line} if {`);
      this.trailing(alt.loc.row);
      this.body(alt.body, 1, alt.else ? alt.else.loc.row : end);
      if (!alt.else) this.out.push('}');
    }
    this.trailing(end);
    return end;
  }

  private commentWithin(from: number, to: number): boolean {
    const c = this.comments[this.next];
    return c !== undefined && c.loc.row >= from && c.loc.row <= to && c.loc.row !== to;
  }

  private head(r: Rule): string {
    const h = r.head;
    let s = this.ref(h.ref, 0);
    if (h.args) s += `(${h.args.map((a) => this.term(a, 0)).join(', ')})`;
    if (r.kind === 'partial_set' && h.key) s += ` contains ${this.term(h.key, 0)}`;
    else if (h.key && !h.value) s += `[${this.term(h.key, 0)}]`;
    if (h.value && r.kind !== 'partial_set') s += ` ${h.assign || r.default ? ':=' : '='} ${this.term(h.value, 0)}`;
    return s;
  }

  /** A body's expressions at `depth`, then the comments left before `closeRow`. */
  private body(body: Body, depth: number, closeRow: number): void {
    let prevEnd = -1;
    for (const e of body) {
      const firstRow = Math.min(e.loc.row, this.comments[this.next]?.loc.row ?? Infinity);
      if (prevEnd >= 0 && firstRow - prevEnd > 1) this.out.push('');
      this.leading(e.loc.row, depth);
      this.out.push(`${this.indent(depth)}${this.expr(e, depth)}`);
      prevEnd = exprEnd(e);
      this.trailing(prevEnd);
    }
    this.rest(depth, closeRow);
  }

  // ---------------------------------------------------------------------------------------------
  // Expressions and terms

  private expr(e: Expr, depth: number): string {
    const b = e.body;
    let s: string;
    switch (b.type) {
      case 'some':
        s = `some ${b.vars.map(varName).join(', ')}`;
        break;
      case 'somein':
        s = `some ${b.key ? `${this.term(b.key, depth, 1)}, ` : ''}${this.term(b.value, depth, 1)} in ${this.term(b.collection, depth, 1)}`;
        break;
      case 'every': {
        // Printed as lines (its body may hold comments), then handed back as one text.
        const before = this.out.length;
        this.out.push(`${this.indent(depth)}every ${b.key ? `${varName(b.key)}, ` : ''}${varName(b.value)} in ${this.term(b.domain, depth, 1)} {`);
        this.body(b.body, depth + 1, exprEnd(e));
        this.out.push(`${this.indent(depth)}}`);
        // Returned as text: take back the lines just printed.
        const lines = this.out.splice(before);
        s = lines.join('\n').slice(depth);
        break;
      }
      case 'term':
        s = this.topTerm(b.term, depth);
        break;
    }
    if (e.negated) s = `not ${s}`;
    // The row the expression proper ends on (an `every`: its closing brace).
    let row = b.type === 'every' ? Math.max(e.loc.row, ...b.body.map(exprEnd)) + 1 : e.loc.row;
    for (const w of e.with) {
      // A `with` that started a line in the source continues on its own line.
      const sep = w.loc.row > row ? `\n${this.indent(depth + 1)}` : ' ';
      s += `${sep}with ${this.term(w.target, depth)} as ${this.term(w.value, depth)}`;
      row = w.loc.row;
    }
    return s;
  }

  private topTerm(t: Term, depth: number): string {
    const name = callName(t);
    if (t.type === 'call' && t.args.length === 2 && (name === 'assign' || name === 'eq')) {
      return `${this.term(t.args[0], depth)} ${name === 'assign' ? ':=' : '='} ${this.term(t.args[1], depth)}`;
    }
    if (t.type === 'call' && name === 'internal.member_3' && t.args.length === 3) {
      return `${this.term(t.args[0], depth, 1)}, ${this.term(t.args[1], depth, 1)} in ${this.term(t.args[2], depth, 1)}`;
    }
    return this.term(t, depth);
  }

  /** A term; `min` is the least precedence it may have without parentheses. */
  private term(t: Term, depth: number, min = 0): string {
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
        return varName(t);
      case 'ref':
        return this.ref(t.terms, depth);
      case 'array':
        return this.items('[', ']', t.items.map((x) => [x]), t, depth);
      case 'set':
        return t.items.length === 0 ? 'set()' : this.items('{', '}', t.items.map((x) => [x]), t, depth);
      case 'object':
        return this.items('{', '}', t.items, t, depth);
      case 'arraycomp':
        return `[${this.term(t.term, depth)} | ${this.compBody(t.body, depth)}]`;
      case 'setcomp':
        return `{${this.term(t.term, depth)} | ${this.compBody(t.body, depth)}}`;
      case 'objectcomp':
        return `{${this.term(t.key, depth)}: ${this.term(t.value, depth)} | ${this.compBody(t.body, depth)}}`;
      case 'call': {
        const name = callName(t) ?? '';
        const infix = INFIX[name];
        if (infix && t.args.length === 2) {
          const [op, level] = infix;
          // Left-associative: the right operand needs parentheses at its own level already.
          const s = `${this.term(t.args[0], depth, level)} ${op} ${this.term(t.args[1], depth, level + 1)}`;
          return level < min ? `(${s})` : s;
        }
        if (name === 'internal.member_3' && t.args.length === 3) {
          const s = `${this.term(t.args[0], depth, 1)}, ${this.term(t.args[1], depth, 1)} in ${this.term(t.args[2], depth, 1)}`;
          return `(${s})`;
        }
        return `${this.ref(t.op.terms, depth)}(${t.args.map((a) => this.term(a, depth)).join(', ')})`;
      }
    }
  }

  private ref(terms: Term[], depth: number): string {
    const head = terms[0];
    let s = head.type === 'var' ? varName(head) : this.term(head, depth, 6);
    for (const x of terms.slice(1)) {
      s += x.type === 'string' && IDENT.test(x.value) && !KEYWORDS.has(x.value) ? `.${x.value}` : `[${this.term(x, depth)}]`;
    }
    return s;
  }

  /** A collection literal: on one line, or one item per line when the source spread it out. */
  private items(open: string, close: string, items: Term[][], t: Term, depth: number): string {
    const show = (item: Term[]): string => item.map((x) => this.term(x, depth + 1)).join(': ');
    const multi = items.length > 0 && (items[0][0].loc.row !== t.loc.row || termEnd(items[items.length - 1][items[items.length - 1].length - 1]) !== t.loc.row);
    if (!multi) return `${open}${items.map(show).join(', ')}${close}`;
    const inner = this.indent(depth + 1);
    return `${open}\n${items.map((i) => `${inner}${show(i)},`).join('\n')}\n${this.indent(depth)}${close}`;
  }

  private compBody(body: Body, depth: number): string {
    return body.map((e) => this.expr(e, depth)).join('; ');
  }
}
