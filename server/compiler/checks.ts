// Compile-time checks over resolved rules: calls name existing functions with the right number of
// arguments (`rego_type_error`), and no rule depends on itself (`rego_recursion_error`).
import type { Body, Expr, Term } from '../rego/ast';
import { RegoError } from '../rego/errors';
import { checkLiteralArgs } from './types';
import type { CompiledRule } from './resolve';
import type { RuleNode } from './ruletree';
import { ruleNodesBelow } from './ruletree';
import type { ArityLookup } from './safety';
import { opName } from './terms';

/** Names the planner handles itself rather than through the builtin catalog. */
const PLANNER_CALLS = new Map<string, number>([
  ['eq', 2],
  ['assign', 2],
]);
const VARIADIC = new Set(['print']);

/** Visits every term in a body, descending into nested bodies. */
export function walkBody(body: Body, fn: (t: Term) => void): void {
  for (const e of body) walkExpr(e, fn);
}

function walkExpr(e: Expr, fn: (t: Term) => void): void {
  const b = e.body;
  if (b.type === 'term') walkTerm(b.term, fn);
  else if (b.type === 'somein') {
    if (b.key) walkTerm(b.key, fn);
    walkTerm(b.value, fn);
    walkTerm(b.collection, fn);
  } else if (b.type === 'every') {
    walkTerm(b.domain, fn);
    walkBody(b.body, fn);
  }
  for (const w of e.with) {
    walkTerm(w.value, fn);
  }
}

export function walkTerm(t: Term, fn: (t: Term) => void): void {
  fn(t);
  switch (t.type) {
    case 'ref':
      return t.terms.forEach((x) => walkTerm(x, fn));
    case 'array':
    case 'set':
      return t.items.forEach((x) => walkTerm(x, fn));
    case 'object':
      return t.items.forEach(([k, v]) => {
        walkTerm(k, fn);
        walkTerm(v, fn);
      });
    case 'call':
      return t.args.forEach((x) => walkTerm(x, fn));
    case 'arraycomp':
    case 'setcomp':
      walkTerm(t.term, fn);
      return walkBody(t.body, fn);
    case 'objectcomp':
      walkTerm(t.key, fn);
      walkTerm(t.value, fn);
      return walkBody(t.body, fn);
    default:
      return;
  }
}

/** Every term of a rule: head, arguments, body, else alternatives. */
export function ruleTerms(r: CompiledRule, fn: (t: Term) => void): void {
  for (const t of [...r.suffix, r.value, ...(r.key ? [r.key] : []), ...(r.args ?? [])]) walkTerm(t, fn);
  walkBody(r.body, fn);
  if (r.else) ruleTerms(r.else, fn);
}

export function checkCalls(body: Body | Term[], arity: ArityLookup, errors: RegoError[]): void {
  const visit = (t: Term): void => {
    if (t.type !== 'call') return;
    const name = opName(t.op);
    if (name === undefined) return;
    if (VARIADIC.has(name)) return;
    const n = PLANNER_CALLS.get(name) ?? arity(name);
    if (n === undefined) {
      errors.push(new RegoError('rego_type_error', `undefined function ${name}`, t.loc));
    } else if (t.args.length !== n && t.args.length !== n + 1) {
      errors.push(new RegoError('rego_type_error', `${name}: arity mismatch: expected ${n} arguments, got ${t.args.length}`, t.loc));
    } else {
      const bad = checkLiteralArgs(name, t.args, t.loc);
      if (bad) errors.push(bad);
    }
  };
  for (const x of body) {
    if ('body' in x && 'negated' in x) walkExpr(x as Expr, visit);
    else walkTerm(x as Term, visit);
  }
}

/** The rule nodes a `data` ref or call may read. */
function dependencies(tree: RuleNode, t: Term): RuleNode[] {
  let terms: Term[] | undefined;
  if (t.type === 'ref' && t.terms[0].type === 'var' && t.terms[0].name === 'data') terms = t.terms;
  else if (t.type === 'call' && t.op.terms[0].type === 'var' && t.op.terms[0].name === 'data') terms = t.op.terms;
  if (!terms) return [];
  let node = tree;
  for (const k of terms.slice(1)) {
    if (node.rules.length > 0) return [node];
    if (k.type === 'number') return []; // rule and package names are strings: only base data
    if (k.type !== 'string') return ruleNodesBelow(node);
    const child = node.children.get(k.value);
    if (!child) return [];
    node = child;
  }
  return ruleNodesBelow(node);
}

export function checkRecursion(tree: RuleNode, errors: RegoError[]): void {
  const nodes = ruleNodesBelow(tree);
  const deps = new Map<RuleNode, Set<RuleNode>>();
  for (const n of nodes) {
    const set = new Set<RuleNode>();
    for (const r of n.rules) ruleTerms(r, (t) => dependencies(tree, t).forEach((d) => set.add(d)));
    deps.set(n, set);
  }
  const state = new Map<RuleNode, 'visiting' | 'done'>();
  const stack: RuleNode[] = [];
  const reported = new Set<RuleNode>();
  const visit = (n: RuleNode): void => {
    state.set(n, 'visiting');
    stack.push(n);
    for (const d of deps.get(n) ?? []) {
      const s = state.get(d);
      if (s === 'visiting') {
        const cycle = stack.slice(stack.indexOf(d));
        if (!reported.has(d)) {
          reported.add(d);
          const names = [...cycle, d].map((x) => 'data.' + x.path.join('.'));
          errors.push(new RegoError('rego_recursion_error', `rule ${names[0]} is recursive: ${names.join(' -> ')}`, d.rules[0]?.loc));
        }
      } else if (s === undefined) visit(d);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of nodes) if (!state.has(n)) visit(n);
}

