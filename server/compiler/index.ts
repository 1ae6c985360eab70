// The compiler's entry: parsed modules → checked rule tree → IR policy for given queries.
import type { Body, Expr, Module, Term } from '../rego/ast';
import { RegoError, RegoErrors } from '../rego/errors';
import { lookupBuiltin } from '../builtins/catalog';
import type { Policy } from '../ir/types';
import { checkCalls, checkRecursion } from './checks';
import { Planner, type QuerySpec } from './planner/planner';
import { makeContext, resolveQuery, resolveRule, type CompiledRule } from './resolve';
import { buildTree, lookupNode, type RuleNode } from './ruletree';
import { SafetyChecker, type ArityLookup } from './safety';
import { NameGen } from './scope';
import { forEachVar, refTerm, varTerm } from './terms';

export interface CompiledModules {
  modules: Module[];
  tree: RuleNode;
  rules: CompiledRule[];
  names: NameGen;
}

/** Declared arities; builtins removed in Rego v1 exist only for v0 modules. */
function arityLookup(tree: RuleNode, regoVersion: 0 | 1 = 1): ArityLookup {
  return (name: string) => {
    if (name.startsWith('data.')) {
      const node = lookupNode(tree, name.split('.').slice(1));
      return node?.kind === 'function' ? (node.rules[0].args?.length ?? 0) : undefined;
    }
    const b = lookupBuiltin(name);
    return b && (regoVersion === 0 || !b.deprecated) ? b.decl.args.length : undefined;
  };
}

/** Resolves, checks and orders every rule. Throws RegoErrors listing all problems found. */
export function compileModules(modules: Module[]): CompiledModules {
  const errors: RegoError[] = [];
  const names = new NameGen();
  const ruleNames = new Map<string, Set<string>>();
  for (const m of modules) {
    const key = m.package.join('.');
    let set = ruleNames.get(key);
    if (!set) ruleNames.set(key, (set = new Set()));
    for (const r of m.rules) {
      const head = r.head.ref[0];
      if (head.type === 'var') set.add(head.name);
    }
  }
  const resolved: CompiledRule[] = [];
  for (const m of modules) {
    const ctx = makeContext(m, ruleNames.get(m.package.join('.')) ?? new Set(), names, errors);
    for (const r of m.rules) resolved.push(resolveRule(r, ctx, m.file));
  }
  // Resolution errors make later passes report noise about the same variables: stop here.
  if (errors.length > 0) throw new RegoErrors(errors);
  const tree = buildTree(resolved, errors);
  const arity = arityLookup(tree);
  // Ordering only needs arities to tell output arguments; deprecated builtins count there.
  const safety = new SafetyChecker(arityLookup(tree, 0), errors);
  const rules = resolved.map((r) => orderRule(r, safety));
  const versions = new Map(modules.map((m) => [m.file, m.regoVersion]));
  const v0arity = arityLookup(tree, 0);
  for (const r of rules) {
    const a = versions.get(r.file) === 0 ? v0arity : arity;
    for (let alt: CompiledRule | undefined = r; alt; alt = alt.else) {
      checkCalls(alt.body, a, errors);
      checkCalls([alt.value, ...alt.suffix, ...(alt.key ? [alt.key] : [])], a, errors);
    }
  }
  // Rules were replaced by their ordered versions: rebuild the tree from them.
  const finalTree = buildTree(rules, [], modules.map((m) => m.package));
  if (errors.length === 0) checkRecursion(finalTree, errors);
  if (errors.length > 0) throw new RegoErrors(errors);
  return { modules, tree: finalTree, rules, names };
}

function orderRule(rule: CompiledRule, safety: SafetyChecker): CompiledRule {
  const bound = new Set<string>();
  for (const a of rule.args ?? []) forEachVar(a, (v) => bound.add(v.name));
  let r = rule;
  let { body, bound: after, universe } = safety.order(r.body, bound, bound);
  const moved = headTermsIntoBody(r, after);
  if (moved) {
    r = moved;
    ({ body, bound: after, universe } = safety.order(r.body, bound, bound));
  }
  const headTerms = [...r.suffix, r.value, ...(r.key ? [r.key] : [])];
  safety.checkTerms(headTerms, after, universe);
  const head = (t: Term): Term => safety.orderHeadTerm(t, after, universe);
  return {
    ...r,
    body,
    suffix: r.suffix.map(head),
    value: head(r.value),
    key: r.key && head(r.key),
    else: r.else && orderRule(r.else, safety),
  };
}

/**
 * Head terms whose vars the body leaves unbound but which could bind them when evaluated (a ref
 * with var keys: `m[k] := input.m[k]`) become body expressions `$headN = term`, as OPA's
 * rewriteRefsInHead does; the head then refers to `$headN`. Undefined when nothing moves.
 */
function headTermsIntoBody(r: CompiledRule, bound: ReadonlySet<string>): CompiledRule | undefined {
  const extra: Expr[] = [];
  const move = (t: Term): Term => {
    if (t.type === 'var') return t;
    let unbound = false;
    forEachVar(t, (v) => {
      if (v.name !== 'input' && v.name !== 'data' && !bound.has(v.name)) unbound = true;
    });
    if (!unbound) return t;
    const v = varTerm(`$head${extra.length}`, t.loc);
    const eq: Term = { type: 'call', op: refTerm([varTerm('eq', t.loc)], t.loc), args: [v, t], loc: t.loc };
    extra.push({ body: { type: 'term', term: eq }, negated: false, with: [], loc: t.loc });
    return v;
  };
  const suffix = r.suffix.map(move);
  const value = move(r.value);
  const key = r.key && move(r.key);
  if (extra.length === 0) return undefined;
  return { ...r, suffix, value, key, body: [...r.body, ...extra] };
}

export interface CompiledQuery {
  name: string;
  body: Body;
  bindings: Map<string, string>;
}

/** Resolves and orders a query body against compiled modules. */
export function compileQuery(compiled: CompiledModules, name: string, body: Body): CompiledQuery {
  const errors: RegoError[] = [];
  const resolved = resolveQuery(body, compiled.names, errors);
  const arity = arityLookup(compiled.tree);
  const safety = new SafetyChecker(arity, errors);
  const ordered = safety.orderBody(resolved.body, new Set(), new Set());
  checkCalls(ordered, arity, errors);
  if (errors.length > 0) throw new RegoErrors(errors);
  return { name, body: ordered, bindings: resolved.bindings };
}

/** Plans the queries into one policy (one plan per query; rule functions shared). */
export function planPolicy(compiled: CompiledModules, queries: Array<CompiledQuery & { expressionValues?: boolean }>): Policy {
  const planner = new Planner(compiled.tree);
  try {
    const plans = queries.map((q) => planner.planQuery(q as QuerySpec));
    return planner.policy(plans);
  } catch (e) {
    if (e instanceof RegoError) throw new RegoErrors([e]);
    throw e;
  }
}
