// strings.render_template(template, vars): Go's text/template, as OPA runs it, over the Rego
// values in `vars`. Supported: text and actions with `{{-`/`-}}` trimming and comments; fields
// (`.a.b`), `$` and variables (`$x := …`, `$i, $e := …` in range); literals; pipelines
// (`x | f y`); `if`/`else if`/`else`, `range` (with `else`), `with`; the functions eq, ne, lt,
// le, gt, ge, and, or, not, len, index, print, printf, println. Values print as Go prints them
// (`map[a:1]`, `[1 2]`), a missing key as `<no value>`. Anything else is a template error.
import type { Builtin } from './types';
import { ANY, STRING, fn, objectOf } from './decl';
import { builtinError, obj, str } from './operands';
import { sprintf } from './gofmt';
import { ObjectValue, SetValue, compare, keyString, type Value } from '../value/value';

class TemplateError extends Error {}

/** Loops and output are bounded: a template cannot make a runaway string. */
const MAX_OUTPUT = 1 << 20;

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipe }
  | { kind: 'if' | 'with'; pipe: Pipe; then: Node[]; else: Node[] }
  | { kind: 'range'; pipe: Pipe; key?: string; value?: string; body: Node[]; else: Node[] };

/** `$x := cmd | cmd …` */
interface Pipe {
  decl?: string;
  cmds: Cmd[];
}

/** A command: an operand alone, or a function applied to arguments. */
type Cmd = Arg[];

type Arg =
  | { kind: 'field'; base: 'dot' | string; path: string[] }
  | { kind: 'literal'; value: Value | undefined }
  | { kind: 'ident'; name: string }
  | { kind: 'pipe'; pipe: Pipe };

// ---------------------------------------------------------------------------------------------
// Lexing actions out of the text

interface Action {
  text: string;
}

function split(src: string): Array<string | Action> {
  const out: Array<string | Action> = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      out.push(src.slice(i));
      break;
    }
    let text = src.slice(i, open);
    let start = open + 2;
    if (src.startsWith('- ', start) || src.startsWith('-\t', start) || src.startsWith('-\n', start)) {
      text = text.replace(/\s+$/, '');
      start += 1;
    }
    const close = src.indexOf('}}', start);
    if (close < 0) throw new TemplateError('unclosed action');
    let end = close;
    let trimAfter = false;
    if (/\s-$/.test(src.slice(start, close))) {
      end = close - 1;
      trimAfter = true;
    }
    out.push(text, { text: src.slice(start, end).trim() });
    i = close + 2;
    if (trimAfter) while (i < src.length && /\s/.test(src[i])) i++;
  }
  return out.filter((x) => x !== '');
}

// ---------------------------------------------------------------------------------------------
// Parsing

function tokens(s: string): string[] {
  const out: string[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|`[^`]*`|\(|\)|\||:=|,|[^\s()|,]+)/y;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(s)) !== null) {
    out.push(m[1]);
    end = re.lastIndex;
  }
  if (s.slice(end).trim() !== '') throw new TemplateError(`cannot parse ${JSON.stringify(s)}`);
  return out;
}

function parsePipe(toks: string[]): Pipe {
  let decl: string | undefined;
  if (toks.length >= 2 && toks[0].startsWith('$') && toks[1] === ':=') {
    decl = toks[0];
    toks = toks.slice(2);
  }
  const cmds: Cmd[] = [];
  let cur: Arg[] = [];
  let depth = 0;
  let group: string[] = [];
  for (const t of toks) {
    if (depth > 0) {
      if (t === '(') depth++;
      if (t === ')' && --depth === 0) {
        cur.push({ kind: 'pipe', pipe: parsePipe(group) });
        group = [];
        continue;
      }
      group.push(t);
      continue;
    }
    if (t === '(') depth = 1;
    else if (t === '|') {
      if (cur.length === 0) throw new TemplateError('missing command');
      cmds.push(cur);
      cur = [];
    } else cur.push(parseArg(t));
  }
  if (depth > 0) throw new TemplateError('unclosed left paren');
  if (cur.length === 0) throw new TemplateError('missing value for command');
  cmds.push(cur);
  return { decl, cmds };
}

function parseArg(t: string): Arg {
  if (t === '.') return { kind: 'field', base: 'dot', path: [] };
  if (t.startsWith('.')) return { kind: 'field', base: 'dot', path: t.slice(1).split('.') };
  if (t.startsWith('$')) {
    const [v, ...path] = t.split('.');
    return { kind: 'field', base: v, path };
  }
  if (t.startsWith('"')) return { kind: 'literal', value: JSON.parse(t) as string };
  if (t.startsWith('`')) return { kind: 'literal', value: t.slice(1, -1) };
  if (t === 'true' || t === 'false') return { kind: 'literal', value: t === 'true' };
  if (t === 'nil') return { kind: 'literal', value: null };
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(t)) return { kind: 'literal', value: Number(t) };
  if (/^[A-Za-z_]\w*$/.test(t)) return { kind: 'ident', name: t };
  throw new TemplateError(`unexpected ${JSON.stringify(t)}`);
}

/** Parses until one of `stops` (an `{{end}}`, `{{else…}}`); returns the nodes and the stop met. */
function parseNodes(items: Array<string | Action>, at: { i: number }, stops: string[]): { nodes: Node[]; stop?: string } {
  const nodes: Node[] = [];
  while (at.i < items.length) {
    const item = items[at.i++];
    if (typeof item === 'string') {
      nodes.push({ kind: 'text', text: item });
      continue;
    }
    const text = item.text;
    if (text.startsWith('/*')) continue;
    const word = text.split(/\s+/)[0];
    if (stops.includes(word)) return { nodes, stop: text };
    if (word === 'if' || word === 'with') {
      nodes.push(parseBranch(word, text.slice(word.length), items, at));
    } else if (word === 'range') {
      let rest = text.slice(5).trim();
      let key: string | undefined;
      let value: string | undefined;
      const decl = /^(\$\w*)\s*(?:,\s*(\$\w*)\s*)?:=\s*/.exec(rest);
      if (decl) {
        [key, value] = decl[2] ? [decl[1], decl[2]] : [undefined, decl[1]];
        rest = rest.slice(decl[0].length);
      }
      const body = parseNodes(items, at, ['end', 'else']);
      const otherwise = body.stop === 'else' ? parseNodes(items, at, ['end']) : { nodes: [], stop: body.stop };
      if (otherwise.stop !== 'end') throw new TemplateError('unexpected EOF in range');
      nodes.push({ kind: 'range', pipe: parsePipe(tokens(rest)), key, value, body: body.nodes, else: otherwise.nodes });
    } else if (['end', 'else', 'define', 'template', 'block'].includes(word)) {
      throw new TemplateError(`unexpected {{${word}}}`);
    } else nodes.push({ kind: 'action', pipe: parsePipe(tokens(text)) });
  }
  return { nodes };
}

function parseBranch(kind: 'if' | 'with', cond: string, items: Array<string | Action>, at: { i: number }): Node {
  const then = parseNodes(items, at, ['end', 'else']);
  let otherwise: Node[] = [];
  if (then.stop?.startsWith('else')) {
    const rest = then.stop.slice(4).trim();
    if (rest.startsWith('if ') || rest.startsWith('with ')) {
      // `{{else if c}}` nests a branch that shares this one's {{end}}.
      const word = rest.startsWith('if ') ? 'if' : 'with';
      otherwise = [parseBranch(word, rest.slice(word.length), items, at)];
      return { kind, pipe: parsePipe(tokens(cond)), then: then.nodes, else: otherwise };
    }
    const tail = parseNodes(items, at, ['end']);
    if (tail.stop !== 'end') throw new TemplateError(`unexpected EOF in ${kind}`);
    otherwise = tail.nodes;
  } else if (then.stop !== 'end') throw new TemplateError(`unexpected EOF in ${kind}`);
  return { kind, pipe: parsePipe(tokens(cond)), then: then.nodes, else: otherwise };
}

// ---------------------------------------------------------------------------------------------
// Execution

/** Go's idea of truth: false, 0, nil, and empty strings and collections are false. */
function truthy(v: Value | undefined): boolean {
  if (v === undefined || v === null || v === false) return false;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'string') return v !== '';
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof ObjectValue || v instanceof SetValue) return v.size > 0;
  return true;
}

/** How Go's fmt prints the value (`%v`). */
function goText(v: Value | undefined): string {
  if (v === undefined) return '<no value>';
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goText).join(' ')}]`;
  if (v instanceof SetValue) return `[${v.values().map(goText).join(' ')}]`;
  return `map[${(v as ObjectValue).entries().map(([k, x]) => `${keyString(k)}:${goText(x)}`).join(' ')}]`;
}

interface Scope {
  dot: Value | undefined;
  vars: Map<string, Value | undefined>;
}

const FUNCS: Record<string, (args: Array<Value | undefined>) => Value | undefined> = {
  eq: (a) => a.slice(1).some((x) => x !== undefined && a[0] !== undefined && compare(a[0], x) === 0),
  ne: ([a, b]) => a === undefined || b === undefined || compare(a, b) !== 0,
  lt: ([a, b]) => ordered(a, b) < 0,
  le: ([a, b]) => ordered(a, b) <= 0,
  gt: ([a, b]) => ordered(a, b) > 0,
  ge: ([a, b]) => ordered(a, b) >= 0,
  and: (a) => a.find((x) => !truthy(x)) ?? a[a.length - 1],
  or: (a) => a.find((x) => truthy(x)) ?? a[a.length - 1],
  not: ([a]) => !truthy(a),
  len: ([a]) => {
    if (typeof a === 'string') return Buffer.byteLength(a);
    if (Array.isArray(a)) return a.length;
    if (a instanceof ObjectValue || a instanceof SetValue) return a.size;
    throw new TemplateError(`len of ${goText(a)}`);
  },
  index: ([a, ...keys]) => {
    let cur = a;
    for (const k of keys) {
      if (Array.isArray(cur) && typeof k === 'number') cur = cur[k];
      else if (cur instanceof ObjectValue && k !== undefined) cur = cur.get(k);
      else throw new TemplateError(`cannot index ${goText(cur)} with ${goText(k)}`);
    }
    return cur;
  },
  print: (a) => a.map(goText).join(''),
  println: (a) => a.map(goText).join(' ') + '\n',
  printf: ([f, ...a]) => {
    if (typeof f !== 'string') throw new TemplateError('printf needs a format string');
    return sprintf(f, a.map((x) => (x === undefined ? null : x)));
  },
};

function ordered(a: Value | undefined, b: Value | undefined): number {
  const comparable = (x: Value | undefined) => typeof x === 'number' || typeof x === 'bigint' || typeof x === 'string';
  if (!comparable(a) || !comparable(b) || typeof a === 'string' !== (typeof b === 'string')) throw new TemplateError('incompatible types for comparison');
  return compare(a as Value, b as Value);
}

class Exec {
  private out = '';

  run(nodes: Node[], scope: Scope): void {
    for (const n of nodes) this.node(n, scope);
  }

  result(): string {
    return this.out;
  }

  private write(s: string): void {
    this.out += s;
    if (this.out.length > MAX_OUTPUT) throw new TemplateError(`output larger than ${MAX_OUTPUT} characters`);
  }

  private node(n: Node, scope: Scope): void {
    switch (n.kind) {
      case 'text':
        return this.write(n.text);
      case 'action': {
        const v = this.pipe(n.pipe, scope);
        if (!n.pipe.decl) this.write(goText(v));
        return;
      }
      case 'if':
      case 'with': {
        const v = this.pipe(n.pipe, scope);
        if (truthy(v)) this.run(n.then, n.kind === 'with' ? { dot: v, vars: scope.vars } : scope);
        else this.run(n.else, scope);
        return;
      }
      case 'range': {
        const v = this.pipe(n.pipe, scope);
        const entries: Array<[Value, Value]> = Array.isArray(v)
          ? v.map((x, i) => [i, x])
          : v instanceof ObjectValue
            ? v.entries()
            : v instanceof SetValue
              ? v.values().map((x, i) => [i, x])
              : typeof v === 'number'
                ? Array.from({ length: Math.min(v, MAX_OUTPUT) }, (_, i) => [i, i])
                : [];
        if (entries.length === 0) return this.run(n.else, scope);
        for (const [k, x] of entries) {
          const vars = new Map(scope.vars);
          if (n.key) vars.set(n.key, k);
          if (n.value) vars.set(n.value, x);
          this.run(n.body, { dot: x, vars });
        }
        return;
      }
    }
  }

  private pipe(p: Pipe, scope: Scope): Value | undefined {
    let last: Value | undefined;
    let first = true;
    for (const cmd of p.cmds) {
      last = this.cmd(cmd, scope, first ? [] : [last]);
      first = false;
    }
    if (p.decl) scope.vars.set(p.decl, last);
    return last;
  }

  private cmd(cmd: Cmd, scope: Scope, piped: Array<Value | undefined>): Value | undefined {
    const [head, ...rest] = cmd;
    if (head.kind === 'ident') {
      const f = FUNCS[head.name];
      if (!f) throw new TemplateError(`function ${JSON.stringify(head.name)} not defined`);
      return f([...rest.map((a) => this.arg(a, scope)), ...piped]);
    }
    if (rest.length > 0 || piped.length > 0) throw new TemplateError(`can't give argument to non-function`);
    return this.arg(head, scope);
  }

  private arg(a: Arg, scope: Scope): Value | undefined {
    switch (a.kind) {
      case 'literal':
        return a.value;
      case 'pipe':
        return this.pipe(a.pipe, scope);
      case 'ident':
        return this.cmd([a], scope, []);
      case 'field': {
        let cur: Value | undefined;
        if (a.base === 'dot') cur = scope.dot;
        else if (a.base === '$') cur = scope.vars.get('$');
        else {
          if (!scope.vars.has(a.base)) throw new TemplateError(`undefined variable: ${a.base}`);
          cur = scope.vars.get(a.base);
        }
        for (const k of a.path) {
          if (cur instanceof ObjectValue) cur = cur.get(k);
          else if (cur === undefined || cur === null) return undefined;
          else throw new TemplateError(`can't evaluate field ${k} in ${goText(cur)}`);
        }
        return cur;
      }
    }
  }
}

function render(template: string, vars: ObjectValue): string {
  const items = split(template);
  const parsed = parseNodes(items, { i: 0 }, []);
  const exec = new Exec();
  exec.run(parsed.nodes, { dot: vars, vars: new Map([['$', vars]]) });
  return exec.result();
}

export const TEMPLATE: readonly Builtin[] = [
  {
    name: 'strings.render_template',
    decl: fn([STRING, objectOf(STRING, ANY)], STRING),
    impl: (args) => {
      const template = str('strings.render_template', args, 0);
      const vars = obj('strings.render_template', args, 1);
      try {
        return render(template, vars);
      } catch (e) {
        if (e instanceof TemplateError) throw builtinError('strings.render_template', `template: ${e.message}`);
        throw e;
      }
    },
  },
];
