// Name resolution: turns module-relative names into absolute refs and gives every local variable
// a unique name. After this pass a body mentions only: unique locals, `input…`/`data…` refs, and
// builtin names in call operators.
import type { Body, Expr, ExprBody, Location, Module, RefTerm, Rule, RuleKind, Term, VarTerm, With } from '../rego/ast';
import { RegoError } from '../rego/errors';
import { ruleMetadata, type RuleMetadata } from './metadata';
import { NameGen, Scope } from './scope';
import { lookupBuiltin } from '../builtins/catalog';
import { dataRef, exprVars, forEachVar, opName, refTerm, varTerm } from './terms';

/** A rule after resolution: placed at its ground path in the data tree. */
export interface CompiledRule {
  /** The ground part of the rule's data path (package + leading constant head terms). */
  path: string[];
  /** The remaining, non-constant head ref terms (`a.b[x].c` → [x, "c"]). */
  suffix: Term[];
  kind: RuleKind;
  /** Element of a partial set. */
  key?: Term;
  /** Head value (`true` when the source had none). */
  value: Term;
  args?: Term[];
  body: Body;
  else?: CompiledRule;
  default: boolean;
  loc: Location;
  file: string;
}

export interface ResolveContext {
  pkg: string[];
  /** The module, for the annotations `rego.metadata.*` return. */
  module?: Module;
  /** Set while a rule is resolved: what its `rego.metadata.rule()`/`chain()` calls become. */
  metadata?: RuleMetadata;
  /** First head-ref names of every rule in the package (across all its modules). */
  ruleNames: Set<string>;
  imports: Map<string, RefTerm>;
  names: NameGen;
  errors: RegoError[];
}

const ROOTS = new Set(['input', 'data']);

export function makeContext(mod: Module, ruleNames: Set<string>, names: NameGen, errors: RegoError[]): ResolveContext {
  const imports = new Map<string, RefTerm>();
  for (const imp of mod.imports) {
    const head = imp.path.terms[0];
    if (head.type !== 'var' || !ROOTS.has(head.name)) continue; // future.keywords, rego.v1
    const last = imp.path.terms[imp.path.terms.length - 1];
    const alias = imp.alias ?? (last.type === 'string' ? last.value : last.type === 'var' ? last.name : undefined);
    if (alias !== undefined) imports.set(alias, imp.path);
  }
  return { pkg: mod.package, module: mod, ruleNames, imports, names, errors };
}

// ---------------------------------------------------------------------------------------------
// Bodies

interface Declaration {
  v: VarTerm;
  /** `assign` for `:=`, `some` for `some x` and `some … in`. */
  kind: 'assign' | 'some';
}

/** Variables an expression declares in its own scope (`x := …`, `some x`, `some k, v in …`). */
function declarations(e: Expr): Declaration[] {
  const out: Declaration[] = [];
  const b = e.body;
  if (b.type === 'term' && b.term.type === 'call' && b.term.op.terms.length === 1) {
    const op = b.term.op.terms[0];
    if (op.type === 'var' && op.name === 'assign') forEachVar(b.term.args[0], (v) => out.push({ v, kind: 'assign' }));
  } else if (b.type === 'some') b.vars.forEach((v) => out.push({ v, kind: 'some' }));
  else if (b.type === 'somein') {
    if (b.key) forEachVar(b.key, (v) => out.push({ v, kind: 'some' }));
    forEachVar(b.value, (v) => out.push({ v, kind: 'some' }));
  }
  // `_` is a fresh wildcard each time, never a declaration.
  return out.filter((d) => d.v.name !== '_');
}

function declaredNames(e: Expr): string[] {
  return declarations(e).map((d) => d.v.name);
}

/** OPA's rewriteDeclaredVars errors: a name declared twice in one body, an argument declared
 *  again, an assignment under `not`. */
function checkDeclarations(e: Expr, earlier: Map<string, Declaration['kind']>, args: Scope | undefined, ctx: ResolveContext): void {
  for (const d of declarations(e)) {
    const name = d.v.name;
    const before = earlier.get(name);
    if (d.kind === 'assign' && e.negated) {
      ctx.errors.push(new RegoError('rego_compile_error', 'cannot assign vars inside negated expression', d.v.loc));
    } else if (args?.has(name)) {
      ctx.errors.push(new RegoError('rego_compile_error', `arg ${name} redeclared`, d.v.loc));
    } else if (before !== undefined) {
      ctx.errors.push(new RegoError('rego_compile_error', `var ${name} ${before === 'assign' ? 'assigned' : 'declared'} above`, d.v.loc));
    }
    earlier.set(name, d.kind);
  }
}

export function resolveBody(
  body: Body,
  parent: Scope | undefined,
  ctx: ResolveContext,
  extraTerms: Term[] = [],
  /** The function arguments, when this is a function's body. */
  args?: Scope,
): { body: Body; scope: Scope } {
  const scope = new Scope(parent);
  // Free variables (unified with `=`) belong to the whole body, wherever they occur; a variable
  // declared with `:=` or `some` exists from its declaration on, so a comprehension before the
  // declaration has a variable of its own by that name (as in OPA).
  const declared = new Set(body.flatMap(declaredNames));
  const declareFree = (name: string): void => {
    if (declared.has(name) || scope.has(name) || ROOTS.has(name) || parent?.lookup(name) !== undefined) return;
    if (ctx.ruleNames.has(name) || ctx.imports.has(name)) return;
    scope.declare(name, ctx.names.fresh(name));
  };
  for (const e of body) {
    // A `with` value naming a builtin (`with count as object.union_n`) is not a variable.
    const withs = e.with.filter((w) => builtinName(w.value, scope, ctx) === undefined);
    for (const n of exprVars({ ...e, with: withs })) declareFree(n);
  }
  for (const t of extraTerms) forEachVar(t, (v) => declareFree(v.name));
  for (const n of declared) scope.pending.add(n);
  const earlier = new Map<string, Declaration['kind']>();
  const out = body.map((e) => {
    checkDeclarations(e, earlier, args, ctx);
    for (const n of declaredNames(e)) {
      scope.declare(n, ctx.names.fresh(n));
      scope.pending.delete(n);
    }
    return resolveExpr(e, scope, ctx);
  });
  return { body: out, scope };
}

function resolveExpr(e: Expr, scope: Scope, ctx: ResolveContext): Expr {
  let body: ExprBody;
  const b = e.body;
  switch (b.type) {
    case 'term':
      body = { type: 'term', term: resolveTerm(b.term, scope, ctx) };
      break;
    case 'some':
      body = { type: 'some', vars: b.vars.map((v) => resolveVar(v, scope, ctx) as VarTerm) };
      break;
    case 'somein':
      body = {
        type: 'somein',
        key: b.key && resolveTerm(b.key, scope, ctx),
        value: resolveTerm(b.value, scope, ctx),
        collection: resolveTerm(b.collection, scope, ctx),
      };
      break;
    case 'every': {
      const inner = new Scope(scope);
      const declare = (v: VarTerm): VarTerm => {
        const u = ctx.names.fresh(v.name);
        inner.declare(v.name, u);
        return varTerm(u, v.loc);
      };
      const domain = resolveTerm(b.domain, scope, ctx);
      const key = b.key && declare(b.key);
      const value = declare(b.value);
      body = { type: 'every', key, value, domain, body: resolveBody(b.body, inner, ctx).body };
      break;
    }
  }
  return { ...e, body, with: e.with.map((w) => resolveWith(w, scope, ctx)) };
}

function resolveWith(w: With, scope: Scope, ctx: ResolveContext): With {
  let target = w.target;
  if (target.type === 'var') target = refTerm([target], target.loc);
  if (target.type === 'ref') {
    const head = target.terms[0];
    if (head.type === 'var' && !ROOTS.has(head.name)) target = resolveOp(target, scope, ctx);
  }
  const fn = builtinName(w.value, scope, ctx);
  if (fn !== undefined) return { target, value: w.value, loc: w.loc, fn };
  return { target, value: resolveTerm(w.value, scope, ctx), loc: w.loc };
}

/** The builtin a `with` value names (`count`, `object.union_n`), unless a local or rule shadows it. */
function builtinName(t: Term, scope: Scope, ctx: ResolveContext): string | undefined {
  const ref = t.type === 'var' ? refTerm([t], t.loc) : t.type === 'ref' ? t : undefined;
  const head = ref?.terms[0];
  if (!ref || head?.type !== 'var') return undefined;
  if (scope.lookup(head.name) !== undefined || ctx.ruleNames.has(head.name) || ctx.imports.has(head.name) || ROOTS.has(head.name)) {
    return undefined;
  }
  const name = opName(ref);
  return name !== undefined && lookupBuiltin(name) ? name : undefined;
}

// ---------------------------------------------------------------------------------------------
// Terms

function resolveVar(v: VarTerm, scope: Scope, ctx: ResolveContext): Term {
  const local = scope.lookup(v.name);
  if (local !== undefined) return varTerm(local, v.loc);
  if (ROOTS.has(v.name)) return v;
  if (ctx.ruleNames.has(v.name)) return dataRef([...ctx.pkg, v.name], v.loc);
  const imp = ctx.imports.get(v.name);
  if (imp) return refTerm(imp.terms.map((t) => ({ ...t, loc: v.loc })), v.loc);
  // Used before its `:=`/`some` declaration further down the same body: OPA rejects that.
  if (scope.pending.has(v.name)) ctx.errors.push(new RegoError('rego_compile_error', `var ${v.name} referenced above`, v.loc));
  const u = ctx.names.fresh(v.name);
  scope.declare(v.name, u);
  return varTerm(u, v.loc);
}

export function resolveTerm(t: Term, scope: Scope, ctx: ResolveContext): Term {
  switch (t.type) {
    case 'var':
      return resolveVar(t, scope, ctx);
    case 'ref': {
      const head = t.terms[0];
      const rest = t.terms.slice(1).map((x) => resolveTerm(x, scope, ctx));
      const h = head.type === 'var' ? resolveVar(head, scope, ctx) : resolveTerm(head, scope, ctx);
      if (h.type === 'ref') return refTerm([...h.terms, ...rest], t.loc);
      return refTerm([h, ...rest], t.loc);
    }
    case 'array':
      return { ...t, items: t.items.map((x) => resolveTerm(x, scope, ctx)) };
    case 'set':
      return { ...t, items: t.items.map((x) => resolveTerm(x, scope, ctx)) };
    case 'object':
      return { ...t, items: t.items.map(([k, v]) => [resolveTerm(k, scope, ctx), resolveTerm(v, scope, ctx)]) };
    case 'arraycomp':
    case 'setcomp': {
      const r = resolveBody(t.body, scope, ctx, [t.term]);
      return { ...t, term: resolveTerm(t.term, r.scope, ctx), body: r.body };
    }
    case 'objectcomp': {
      const r = resolveBody(t.body, scope, ctx, [t.key, t.value]);
      return { ...t, key: resolveTerm(t.key, r.scope, ctx), value: resolveTerm(t.value, r.scope, ctx), body: r.body };
    }
    case 'call': {
      const name = opName(t.op);
      if (ctx.metadata && t.args.length === 0 && (name === 'rego.metadata.rule' || name === 'rego.metadata.chain')) {
        return name === 'rego.metadata.rule' ? ctx.metadata.rule : ctx.metadata.chain;
      }
      return { ...t, op: resolveOp(t.op, scope, ctx), args: t.args.map((x) => resolveTerm(x, scope, ctx)) };
    }
    default:
      return t;
  }
}

/** A called name: a package function, an imported one, `data.…`, or a builtin (kept as is). */
function resolveOp(op: RefTerm, scope: Scope, ctx: ResolveContext): RefTerm {
  const head = op.terms[0];
  if (head.type !== 'var') return op;
  const rest = op.terms.slice(1);
  if (scope.lookup(head.name) !== undefined && rest.length === 0) {
    ctx.errors.push(new RegoError('rego_type_error', `${head.name} is a variable, not a function`, op.loc));
    return op;
  }
  if (ctx.ruleNames.has(head.name)) return refTerm([...dataRef([...ctx.pkg, head.name], op.loc).terms, ...rest], op.loc);
  const imp = ctx.imports.get(head.name);
  if (imp) return refTerm([...imp.terms, ...rest], op.loc);
  return op;
}

// ---------------------------------------------------------------------------------------------
// Rules

const TRUE = (loc: Location): Term => ({ type: 'boolean', value: true, loc });

export function resolveRule(rule: Rule, ctx: ResolveContext, file: string): CompiledRule {
  ctx.metadata = ctx.module ? ruleMetadata(ctx.module, rule) : undefined;
  const argScope = new Scope();
  let args: Term[] | undefined;
  if (rule.head.args) {
    for (const a of rule.head.args) {
      forEachVar(a, (v) => {
        if (!argScope.has(v.name)) argScope.declare(v.name, ctx.names.fresh(v.name));
      });
    }
    args = rule.head.args.map((a) => resolveTerm(a, argScope, ctx));
  }
  return resolveAlternative(rule, rule, argScope, args, ctx, file);
}

function resolveAlternative(
  first: Rule,
  rule: Rule,
  argScope: Scope,
  args: Term[] | undefined,
  ctx: ResolveContext,
  file: string,
): CompiledRule {
  const head = first.head;
  const ref = head.ref;
  let i = 1;
  const path = [...ctx.pkg];
  const nameTerm = ref[0];
  if (nameTerm.type === 'var') path.push(nameTerm.name);
  while (i < ref.length && ref[i].type === 'string') {
    path.push((ref[i] as { value: string }).value);
    i++;
  }
  const suffixSrc = ref.slice(i);
  const headTerms: Term[] = [...suffixSrc];
  if (rule.head.key) headTerms.push(rule.head.key);
  if (rule.head.value) headTerms.push(rule.head.value);
  const { body, scope } = resolveBody(rule.body, argScope, ctx, headTerms, args ? argScope : undefined);
  const compiled: CompiledRule = {
    path,
    suffix: suffixSrc.map((t) => resolveTerm(t, scope, ctx)),
    kind: first.kind,
    key: rule.head.key && resolveTerm(rule.head.key, scope, ctx),
    value: rule.head.value ? resolveTerm(rule.head.value, scope, ctx) : TRUE(rule.head.loc),
    args,
    body,
    default: first.default,
    loc: rule.loc,
    file,
  };
  if (rule.else) compiled.else = resolveAlternative(first, rule.else, argScope, args, ctx, file);
  return compiled;
}

/** Resolves a query body (no package): its top-level locals keep a map back to source names. */
export function resolveQuery(
  body: Body,
  names: NameGen,
  errors: RegoError[],
): { body: Body; bindings: Map<string, string> } {
  const ctx: ResolveContext = { pkg: [], ruleNames: new Set(), imports: new Map(), names, errors };
  const { body: out, scope } = resolveBody(body, undefined, ctx);
  const bindings = new Map<string, string>();
  for (const [orig, unique] of scope.locals()) if (!orig.startsWith('$')) bindings.set(unique, orig);
  return { body: out, bindings };
}
