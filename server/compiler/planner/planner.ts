// The planner: lowers checked rules and queries into IR (continuation style, as OPA's planner).
// A term that may iterate (a ref with an unbound key) plans its continuation inside the scan's
// block, so "the rest of the body" always runs once per solution.
import type { Body, Expr, RefTerm, Term, VarTerm, With } from '../../rego/ast';
import { RegoError } from '../../rego/errors';
import type { Block, Func, Local, Operand, Plan, Policy } from '../../ir/types';
import { DATA, INPUT } from '../../ir/types';
import { lookupBuiltin } from '../../builtins/catalog';
import type { RuleNode } from '../ruletree';
import { lookupNode } from '../ruletree';
import { sameConstant } from '../safety';
import { opName } from '../terms';
import { numberFromText, numberToText } from '../../value/value';
import { Emitter, StaticTable, local } from './emit';
import { DataPlanner } from './data';
import { Mocks } from './mocks';
import { planRuleFunc } from './rules';

export type Iter = () => void;
export type TermIter = (op: Operand) => void;

export interface QuerySpec {
  name: string;
  body: Body;
  /** Local var name → binding key in the result object. */
  bindings: Map<string, string>;
  /** Add `$eN` keys holding each top-level expression's value (for `regent eval`). */
  expressionValues?: boolean;
}

export class Planner {
  readonly statics = new StaticTable();
  readonly funcs = new Map<string, Func>();
  readonly builtins = new Set<string>();
  em!: Emitter;
  vars = new Map<string, Local>();
  inputL: Local = INPUT;
  dataL: Local = DATA;
  mocks = new Mocks();
  readonly data: DataPlanner;

  constructor(readonly tree: RuleNode) {
    this.data = new DataPlanner(this);
  }

  // -------------------------------------------------------------------------------------------
  // Entry points

  planQuery(q: QuerySpec): Plan {
    const top: Block = { stmts: [] };
    this.em = new Emitter(this.statics, 2, top);
    this.vars = new Map();
    this.inputL = INPUT;
    this.dataL = DATA;
    this.mocks = new Mocks();
    const exprValues: Array<Operand | undefined> = [];
    this.em.block(() => {
      this.planBody(q.body, 0, () => {
        const obj = this.em.local();
        this.em.emit({ type: 'MakeObjectStmt', target: obj });
        for (const [v, key] of q.bindings) {
          const l = this.vars.get(v);
          if (l !== undefined) this.em.emit({ type: 'ObjectInsertStmt', key: this.em.str(key), value: local(l), object: obj });
        }
        if (q.expressionValues) {
          exprValues.forEach((op, i) => {
            if (op) this.em.emit({ type: 'ObjectInsertStmt', key: this.em.str(`$e${i}`), value: op, object: obj });
          });
        }
        this.em.emit({ type: 'ResultSetAddStmt', value: obj });
      }, q.expressionValues ? exprValues : undefined);
    });
    return { name: q.name, blocks: [top] };
  }

  policy(plans: Plan[]): Policy {
    return {
      static: {
        strings: this.statics.strings.map((value) => ({ value })),
        builtin_funcs: [...this.builtins].sort().map((name) => ({ name, decl: lookupBuiltin(name)?.decl ?? {} })),
        files: this.statics.files.map((value) => ({ value })),
      },
      plans: { plans },
      funcs: { funcs: [...this.funcs.values()] },
    };
  }

  /** Plans a function in a fresh frame, restoring the caller's planning state afterwards. */
  inFunction(fn: () => void): void {
    const saved = { em: this.em, vars: this.vars, inputL: this.inputL, dataL: this.dataL, mocks: this.mocks };
    try {
      fn();
    } finally {
      Object.assign(this, saved);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Bodies and expressions

  planBody(body: Body, i: number, iter: Iter, exprValues?: Array<Operand | undefined>): void {
    if (i >= body.length) return iter();
    const e = body[i];
    this.em.setLocation(e.loc);
    this.planExpr(e, () => this.planBody(body, i + 1, iter, exprValues), exprValues ? (op) => (exprValues[i] = op) : undefined);
  }

  planExpr(e: Expr, iter: Iter, record?: (op: Operand) => void): void {
    if (e.with.length > 0) return this.planWith(e, iter);
    if (e.negated) return this.planNot(e, iter);
    const b = e.body;
    switch (b.type) {
      case 'some':
        return iter();
      case 'somein':
        return this.planSomeIn(b.key, b.value, b.collection, iter);
      case 'every':
        return this.planEvery(b.key, b.value, b.domain, b.body, iter);
      case 'term':
        return this.planTermExpr(b.term, iter, record);
    }
  }

  /** Runs `fn` and then forgets the variable bindings it made (nested scopes). */
  scoped(fn: () => void): void {
    const saved = new Map(this.vars);
    try {
      fn();
    } finally {
      this.vars = saved;
    }
  }

  private planNot(e: Expr, iter: Iter): void {
    const inner: Expr = { ...e, negated: false };
    this.em.block(() => {
      const target = this.em.depth;
      this.scoped(() => this.em.block(() => this.planExpr(inner, () => this.em.emit({ type: 'BreakStmt', index: this.em.depth - target }))));
      iter();
    });
  }

  private planSomeIn(key: Term | undefined, value: Term, coll: Term, iter: Iter): void {
    this.planTerm(coll, (c) => {
      const src = this.em.toLocal(c);
      const k = this.em.local();
      const v = this.em.local();
      const block = this.em.inBlock(() => {
        const bindValue = (): void => this.unifyLocal(value, v, iter);
        if (key) this.unifyLocal(key, k, bindValue);
        else bindValue();
      });
      this.em.emit({ type: 'ScanStmt', source: src, key: k, value: v, block });
    });
  }

  private planEvery(key: VarTerm | undefined, value: VarTerm, domain: Term, body: Body, iter: Iter): void {
    this.planTerm(domain, (d) => {
      const src = this.em.toLocal(d);
      this.requireCollection(src);
      this.em.block(() => {
        const outer = this.em.depth;
        const k = this.em.local();
        const v = this.em.local();
        const block = this.em.inBlock(() => {
          const scanDepth = this.em.depth;
          this.scoped(() => {
            if (key) this.vars.set(key.name, k);
            this.vars.set(value.name, v);
            this.em.block(() => this.planBody(body, 0, () => this.em.emit({ type: 'BreakStmt', index: this.em.depth - scanDepth })));
          });
          this.em.emit({ type: 'BreakStmt', index: this.em.depth - outer });
        });
        this.em.emit({ type: 'ScanStmt', source: src, key: k, value: v, block });
        iter();
      });
    });
  }

  /** Fails unless the local holds an array, object or set (`every` over anything else is false). */
  private requireCollection(src: Local): void {
    const em = this.em;
    const ok = em.local();
    em.emit({ type: 'ResetLocalStmt', target: ok });
    for (const type of ['IsArrayStmt', 'IsObjectStmt', 'IsSetStmt'] as const) {
      em.block(() => {
        em.emit({ type, source: local(src) });
        em.emit({ type: 'AssignVarStmt', source: { type: 'bool', value: true }, target: ok });
      });
    }
    em.emit({ type: 'IsDefinedStmt', source: ok });
  }

  private planTermExpr(t: Term, iter: Iter, record?: (op: Operand) => void): void {
    const TRUE: Operand = { type: 'bool', value: true };
    if (t.type === 'call') {
      const name = opName(t.op);
      if ((name === 'eq' || name === 'assign') && t.args.length === 2) {
        return this.unify(t.args[0], t.args[1], () => {
          record?.(TRUE);
          iter();
        });
      }
      if ((name === 'equal' || name === 'neq') && t.args.length === 2) {
        return this.planTerm(t.args[0], (a) =>
          this.planTerm(t.args[1], (b) => {
            this.em.emit({ type: name === 'equal' ? 'EqualStmt' : 'NotEqualStmt', a, b });
            record?.(TRUE);
            iter();
          }),
        );
      }
      const arity = name === undefined ? undefined : this.arity(name);
      if (arity !== undefined && t.args.length === arity + 1) {
        const call = { ...t, args: t.args.slice(0, arity) };
        return this.planCall(call, (r) => this.unifyOperand(t.args[arity], r, () => {
          record?.(TRUE);
          iter();
        }));
      }
    }
    this.planTerm(t, (op) => {
      this.em.emit({ type: 'NotEqualStmt', a: op, b: { type: 'bool', value: false } });
      record?.(op);
      iter();
    });
  }

  /** Declared argument count of a user function or builtin. */
  arity(name: string): number | undefined {
    if (name.startsWith('data.')) {
      const node = lookupNode(this.tree, name.split('.').slice(1));
      return node?.kind === 'function' ? (node.rules[0].args?.length ?? 0) : undefined;
    }
    const b = lookupBuiltin(name);
    return b ? b.decl.args.length : undefined;
  }

  // -------------------------------------------------------------------------------------------
  // `with`

  private planWith(e: Expr, iter: Iter): void {
    const inner: Expr = { ...e, with: [] };
    const values: Operand[] = [];
    const planValues = (i: number, then: Iter): void => {
      if (i >= e.with.length) return then();
      const w = e.with[i];
      if (this.isFunctionReplacement(w)) {
        values.push({ type: 'bool', value: true }); // unused: the mock names the function
        return planValues(i + 1, then);
      }
      this.planTerm(w.value, (op) => {
        values.push(op);
        planValues(i + 1, then);
      });
    };
    planValues(0, () => {
      const origInput = this.inputL;
      const origData = this.dataL;
      const savedMocks = this.mocks;
      const newMocks = this.mocks.clone();
      const withs: Array<{ local: Local; path: string[]; value: Operand }> = [];
      e.with.forEach((w, i) => this.applyWith(w, values[i], newMocks, withs));
      // Keep handles on the un-modified documents for the continuation.
      const keepInput = withs.some((w) => w.local === origInput) ? this.saveLocal(origInput) : origInput;
      const keepData = withs.some((w) => w.local === origData) ? this.saveLocal(origData) : origData;
      const nest = (i: number): void => {
        if (i >= withs.length) {
          this.mocks = newMocks;
          this.planExpr(inner, () => {
            this.mocks = savedMocks;
            const [ci, cd] = [this.inputL, this.dataL];
            this.inputL = keepInput;
            this.dataL = keepData;
            iter();
            this.inputL = ci;
            this.dataL = cd;
            this.mocks = newMocks;
          });
          this.mocks = savedMocks;
          return;
        }
        const w = withs[i];
        const block = this.em.inBlock(() => nest(i + 1));
        this.em.emit({ type: 'WithStmt', local: w.local, path: w.path.map((p) => this.statics.string(p)), value: w.value, block });
      };
      nest(0);
    });
  }

  /** A copy of a local that may be undefined (then the copy is undefined too). */
  private saveLocal(l: Local): Local {
    const s = this.em.local();
    this.em.emit({ type: 'ResetLocalStmt', target: s });
    this.em.block(() => this.em.emit({ type: 'AssignVarStmt', source: local(l), target: s }));
    return s;
  }

  private withTargetPath(w: With): { root: 'input' | 'data' | 'func'; path: string[]; name?: string } {
    const t = w.target;
    if (t.type === 'ref') {
      const head = t.terms[0];
      if (head.type === 'var' && (head.name === 'input' || head.name === 'data')) {
        const path: string[] = [];
        for (const x of t.terms.slice(1)) {
          if (x.type !== 'string') throw new RegoError('rego_type_error', 'with keyword target must be a ground reference', w.loc);
          path.push(x.value);
        }
        if (head.name === 'data' && this.isFunctionPath(path)) return { root: 'func', path, name: 'data.' + path.join('.') };
        // A rule's value is replaced whole or not at all (OPA's validateWith).
        if (head.name === 'data' && path.some((_, i) => i + 1 < path.length && (lookupNode(this.tree, path.slice(0, i + 1))?.rules.length ?? 0) > 0)) {
          throw new RegoError('rego_compile_error', 'with keyword cannot partially replace virtual document(s)', w.loc);
        }
        return { root: head.name, path };
      }
      const name = opName(t);
      if (name !== undefined && lookupBuiltin(name)) return { root: 'func', path: [], name };
    }
    throw new RegoError('rego_type_error', 'with keyword target must reference existing input, data, or a function', w.loc);
  }

  private isFunctionPath(path: string[]): boolean {
    return lookupNode(this.tree, path)?.kind === 'function';
  }

  /** Whether a `with` replaces a function by another function (rather than by a value). */
  private isFunctionReplacement(w: With): boolean {
    if (this.withTargetPath(w).root !== 'func') return false;
    return w.fn !== undefined || this.functionName(w.value) !== undefined;
  }

  /** The function a term names, if it is a reference to a user function or a builtin. */
  functionName(t: Term): string | undefined {
    if (t.type !== 'ref' && t.type !== 'var') return undefined;
    if (t.type === 'var' && this.vars.has(t.name)) return undefined;
    const name = t.type === 'var' ? t.name : opName(t);
    if (name === undefined) return undefined;
    if (name.startsWith('data.')) return this.isFunctionPath(name.split('.').slice(1)) ? name : undefined;
    return lookupBuiltin(name) ? name : undefined;
  }

  private applyWith(w: With, value: Operand, mocks: Mocks, withs: Array<{ local: Local; path: string[]; value: Operand }>): void {
    const target = this.withTargetPath(w);
    if (target.root === 'input') {
      withs.push({ local: this.inputL, path: target.path, value });
      return;
    }
    if (target.root === 'func') {
      const replacement = w.fn ?? this.functionName(w.value);
      const name = target.name as string;
      if (replacement !== undefined) mocks.add({ kind: 'func', target: name, replacement });
      else mocks.add({ kind: 'value', target: name, local: this.em.toLocal(value) });
      return;
    }
    // data: base documents are replaced in the data local; virtual documents are mocked.
    if (this.data.touchesRules(target.path)) mocks.add({ kind: 'value', target: 'data.' + target.path.join('.'), path: target.path, local: this.em.toLocal(value) });
    withs.push({ local: this.dataL, path: target.path, value });
  }

  // -------------------------------------------------------------------------------------------
  // Terms

  planTerm(t: Term, iter: TermIter): void {
    const em = this.em;
    switch (t.type) {
      case 'null': {
        const l = em.local();
        em.emit({ type: 'MakeNullStmt', target: l });
        return iter(local(l));
      }
      case 'boolean':
        return iter({ type: 'bool', value: t.value });
      case 'number': {
        const l = em.local();
        const n = Number(t.value);
        if (/^-?\d+$/.test(t.value) && Number.isSafeInteger(n) && Math.abs(n) < 2 ** 31) em.emit({ type: 'MakeNumberIntStmt', value: n, target: l });
        else em.emit({ type: 'MakeNumberRefStmt', index: this.statics.string(t.value), target: l });
        return iter(local(l));
      }
      case 'string':
        return iter(em.str(t.value));
      case 'var': {
        if (t.name === 'input') return iter(local(this.inputL));
        if (t.name === 'data') return this.data.planRef([t], iter);
        const l = this.vars.get(t.name);
        if (l === undefined) throw new RegoError('rego_unsafe_var_error', `var ${t.name.replace(/\$\d+$/, '')} is unsafe`, t.loc);
        return iter(local(l));
      }
      case 'ref':
        return this.planRef(t, iter);
      case 'array':
        return this.planItems(t.items, 0, [], (ops) => {
          const l = em.local();
          em.emit({ type: 'MakeArrayStmt', capacity: ops.length, target: l });
          for (const op of ops) em.emit({ type: 'ArrayAppendStmt', array: l, value: op });
          iter(local(l));
        });
      case 'set':
        return this.planItems(t.items, 0, [], (ops) => {
          const l = em.local();
          em.emit({ type: 'MakeSetStmt', target: l });
          for (const op of ops) em.emit({ type: 'SetAddStmt', value: op, set: l });
          iter(local(l));
        });
      case 'object':
        return this.planItems(t.items.flat(), 0, [], (ops) => {
          const l = em.local();
          em.emit({ type: 'MakeObjectStmt', target: l });
          for (let i = 0; i < ops.length; i += 2) em.emit({ type: 'ObjectInsertStmt', key: ops[i], value: ops[i + 1], object: l });
          iter(local(l));
        });
      case 'arraycomp':
      case 'setcomp':
      case 'objectcomp':
        return this.planComprehension(t, iter);
      case 'call':
        return this.planCall(t, iter);
    }
  }

  private planItems(items: Term[], i: number, acc: Operand[], iter: (ops: Operand[]) => void): void {
    if (i >= items.length) return iter(acc);
    this.planTerm(items[i], (op) => this.planItems(items, i + 1, [...acc, op], iter));
  }

  private planComprehension(t: Term & { type: 'arraycomp' | 'setcomp' | 'objectcomp' }, iter: TermIter): void {
    const em = this.em;
    const target = em.local();
    if (t.type === 'arraycomp') em.emit({ type: 'MakeArrayStmt', capacity: 0, target });
    else if (t.type === 'setcomp') em.emit({ type: 'MakeSetStmt', target });
    else em.emit({ type: 'MakeObjectStmt', target });
    this.scoped(() =>
      em.block(() =>
        this.planBody(t.body, 0, () => {
          if (t.type === 'objectcomp') {
            this.planTerm(t.key, (k) => this.planTerm(t.value, (v) => em.emit({ type: 'ObjectInsertOnceStmt', key: k, value: v, object: target })));
          } else {
            this.planTerm(t.term, (v) =>
              em.emit(t.type === 'arraycomp' ? { type: 'ArrayAppendStmt', array: target, value: v } : { type: 'SetAddStmt', value: v, set: target }),
            );
          }
        }),
      ),
    );
    iter(local(target));
  }

  planRef(t: RefTerm, iter: TermIter): void {
    const head = t.terms[0];
    if (head.type === 'var' && head.name === 'data') return this.data.planRef(t.terms, iter);
    this.planTerm(head, (h) => this.planRefRest(this.em.toLocal(h), t.terms, 1, iter));
  }

  /**
   * Navigates a value: constant/bound keys are lookups, unbound keys iterate. In base data
   * (`storage`), a constant number key also finds the object key of the same text, as OPA's
   * storage paths are strings.
   */
  planRefRest(src: Local, terms: Term[], i: number, iter: TermIter, storage = false): void {
    if (i >= terms.length) return iter(local(src));
    const key = terms[i];
    const em = this.em;
    if (storage && key.type === 'number') {
      const target = em.local();
      em.emit({ type: 'ResetLocalStmt', target });
      this.planTerm(key, (k) => em.block(() => em.emit({ type: 'DotStmt', source: local(src), key: k, target })));
      em.block(() => {
        em.emit({ type: 'IsUndefinedStmt', source: target });
        em.emit({ type: 'DotStmt', source: local(src), key: em.str(numberToText(numberFromText(key.value))), target });
      });
      em.emit({ type: 'IsDefinedStmt', source: target });
      return this.planRefRest(target, terms, i + 1, iter, storage);
    }
    if (key.type === 'var' && !this.vars.has(key.name)) {
      const k = em.local();
      const v = em.local();
      const block = em.inBlock(() => {
        this.vars.set(key.name, k);
        this.planRefRest(v, terms, i + 1, iter, storage);
      });
      em.emit({ type: 'ScanStmt', source: src, key: k, value: v, block });
      return;
    }
    if (this.hasUnboundVars(key)) {
      const k = em.local();
      const v = em.local();
      const block = em.inBlock(() => this.unifyLocal(key, k, () => this.planRefRest(v, terms, i + 1, iter, storage)));
      em.emit({ type: 'ScanStmt', source: src, key: k, value: v, block });
      return;
    }
    this.planTerm(key, (k) => {
      const target = em.local();
      em.emit({ type: 'DotStmt', source: local(src), key: k, target });
      this.planRefRest(target, terms, i + 1, iter, storage);
    });
  }

  hasUnboundVars(t: Term): boolean {
    switch (t.type) {
      case 'var':
        return t.name !== 'input' && t.name !== 'data' && !this.vars.has(t.name);
      case 'array':
      case 'set':
        return t.items.some((x) => this.hasUnboundVars(x));
      case 'object':
        return t.items.some(([k, v]) => this.hasUnboundVars(k) || this.hasUnboundVars(v));
      default:
        return false; // refs, calls and comprehensions bind their own vars when evaluated
    }
  }

  // -------------------------------------------------------------------------------------------
  // Calls

  planCall(t: Term & { type: 'call' }, iter: TermIter): void {
    const name = opName(t.op);
    if (name === undefined) throw new RegoError('rego_type_error', 'dynamic function calls are not supported', t.loc);
    if (name === 'print') return this.planPrint(t.args, iter);
    const mock = this.mocks.get(name);
    if (mock?.kind === 'value') {
      // The replaced call still needs its arguments defined.
      return this.planItems(t.args, 0, [], (args) => {
        for (const a of args) if (a.type === 'local') this.em.emit({ type: 'IsDefinedStmt', source: a.value });
        iter(local(mock.local));
      });
    }
    const target = mock?.kind === 'func' ? mock.replacement : name;
    this.planItems(t.args, 0, [], (args) => {
      const result = this.em.local();
      if (target.startsWith('data.')) {
        // A replacement function runs without the mocks of the expression that installed it,
        // so it can call the function it replaces.
        const outer = this.mocks;
        if (mock) this.mocks = new Mocks();
        const fn = planRuleFunc(this, target.split('.').slice(1));
        const extra = this.mocks.params().map((l) => local(l));
        this.mocks = outer;
        if (fn === undefined) throw new RegoError('rego_type_error', `undefined function ${target}`, t.loc);
        this.em.emit({ type: 'CallStmt', func: fn, args: [local(this.inputL), local(this.dataL), ...args, ...extra], result });
        return iter(local(result));
      }
      const b = lookupBuiltin(target);
      if (!b) throw new RegoError('rego_type_error', `undefined function ${target}`, t.loc);
      this.builtins.add(target);
      this.em.emit({ type: 'CallStmt', func: target, args, result });
      if (!b.relation) return iter(local(result));
      // A relation returns every output; iterate over them.
      const k = this.em.local();
      const v = this.em.local();
      const block = this.em.inBlock(() => iter(local(v)));
      this.em.emit({ type: 'ScanStmt', source: result, key: k, value: v, block });
    });
  }

  /** `print(a, b)`: each argument is passed as the set of its values, so undefined prints. */
  private planPrint(args: Term[], iter: TermIter): void {
    const em = this.em;
    const arr = em.local();
    em.emit({ type: 'MakeArrayStmt', capacity: args.length, target: arr });
    for (const a of args) {
      const set = em.local();
      em.emit({ type: 'MakeSetStmt', target: set });
      this.scoped(() => em.block(() => this.planTerm(a, (v) => em.emit({ type: 'SetAddStmt', value: v, set }))));
      em.emit({ type: 'ArrayAppendStmt', array: arr, value: local(set) });
    }
    const result = em.local();
    this.builtins.add('internal.print');
    em.emit({ type: 'CallStmt', func: 'internal.print', args: [local(arr)], result });
    iter({ type: 'bool', value: true });
  }

  // -------------------------------------------------------------------------------------------
  // Unification

  private isUnboundVar(t: Term): t is VarTerm {
    return t.type === 'var' && t.name !== 'input' && t.name !== 'data' && !this.vars.has(t.name);
  }

  unify(a: Term, b: Term, iter: Iter): void {
    if (this.isUnboundVar(a) && this.isUnboundVar(b)) throw new RegoError('rego_unsafe_var_error', `var ${a.name.replace(/\$\d+$/, '')} is unsafe`, a.loc);
    if (this.isUnboundVar(a)) return this.planTerm(b, (op) => this.bind(a, op, iter));
    if (this.isUnboundVar(b)) return this.planTerm(a, (op) => this.bind(b, op, iter));
    if (a.type === 'array' && b.type === 'array') {
      if (a.items.length !== b.items.length) return this.em.fail();
      return this.unifyPairs(a.items.map((x, i) => [x, b.items[i]]), iter);
    }
    if (a.type === 'object' && b.type === 'object') {
      if (a.items.length !== b.items.length) return this.em.fail();
      const pairs = matchConstantKeys(a, b);
      if (pairs) return this.unifyPairs(pairs, iter);
      // Keys only known at run time: evaluate the side that binds nothing, match the other.
      if (!this.hasUnboundVars(a)) return this.planTerm(a, (op) => this.unifyOperand(b, op, iter));
      if (!this.hasUnboundVars(b)) return this.planTerm(b, (op) => this.unifyOperand(a, op, iter));
      return this.em.fail();
    }
    if (this.hasUnboundVars(a) && isPatternShape(a)) return this.planTerm(b, (op) => this.unifyOperand(a, op, iter));
    if (this.hasUnboundVars(b) && isPatternShape(b)) return this.planTerm(a, (op) => this.unifyOperand(b, op, iter));
    this.planTerm(a, (x) =>
      this.planTerm(b, (y) => {
        this.em.emit({ type: 'EqualStmt', a: x, b: y });
        iter();
      }),
    );
  }

  /** Unifies pairs in an order where each pair can bind what it needs. */
  private unifyPairs(pairs: Array<[Term, Term]>, iter: Iter): void {
    if (pairs.length === 0) return iter();
    let idx = pairs.findIndex(([x, y]) => !(this.hasUnboundVars(x) && this.hasUnboundVars(y)));
    if (idx < 0) idx = 0;
    const [x, y] = pairs[idx];
    const rest = pairs.filter((_, i) => i !== idx);
    this.unify(x, y, () => this.unifyPairs(rest, iter));
  }

  private bind(v: VarTerm, op: Operand, iter: Iter): void {
    const l = this.em.local();
    this.em.emit({ type: 'AssignVarStmt', source: op, target: l });
    this.vars.set(v.name, l);
    iter();
  }

  unifyOperand(pattern: Term, op: Operand, iter: Iter): void {
    this.unifyLocal(pattern, this.em.toLocal(op), iter);
  }

  /** Matches `pattern` against the value in `src`, binding its unbound vars. */
  unifyLocal(pattern: Term, src: Local, iter: Iter): void {
    const em = this.em;
    if (this.isUnboundVar(pattern)) {
      this.vars.set(pattern.name, src);
      return iter();
    }
    if (!this.hasUnboundVars(pattern) || !isPatternShape(pattern)) {
      return this.planTerm(pattern, (op) => {
        em.emit({ type: 'EqualStmt', a: op, b: local(src) });
        iter();
      });
    }
    if (pattern.type === 'array') {
      em.emit({ type: 'IsArrayStmt', source: local(src) });
      const n = em.local();
      em.emit({ type: 'LenStmt', source: local(src), target: n });
      const want = em.local();
      em.emit({ type: 'MakeNumberIntStmt', value: pattern.items.length, target: want });
      em.emit({ type: 'EqualStmt', a: local(n), b: local(want) });
      const elems = pattern.items.map((_, i) => {
        const idx = em.local();
        em.emit({ type: 'MakeNumberIntStmt', value: i, target: idx });
        const el = em.local();
        em.emit({ type: 'DotStmt', source: local(src), key: local(idx), target: el });
        return el;
      });
      return this.unifyElems(pattern.items.map((p, i): [Term, Local] => [p, elems[i]]), iter);
    }
    if (pattern.type === 'object') {
      em.emit({ type: 'IsObjectStmt', source: local(src) });
      const n = em.local();
      em.emit({ type: 'LenStmt', source: local(src), target: n });
      const want = em.local();
      em.emit({ type: 'MakeNumberIntStmt', value: pattern.items.length, target: want });
      em.emit({ type: 'EqualStmt', a: local(n), b: local(want) });
      const go = (i: number, pairs: Array<[Term, Local]>): void => {
        if (i >= pattern.items.length) return this.unifyElems(pairs, iter);
        this.planTerm(pattern.items[i][0], (k) => {
          const el = em.local();
          em.emit({ type: 'DotStmt', source: local(src), key: k, target: el });
          go(i + 1, [...pairs, [pattern.items[i][1], el]]);
        });
      };
      return go(0, []);
    }
    throw new RegoError('rego_unsafe_var_error', 'cannot unify', pattern.loc);
  }

  private unifyElems(pairs: Array<[Term, Local]>, iter: Iter): void {
    if (pairs.length === 0) return iter();
    // Elements whose non-pattern parts are already bound go first.
    let idx = pairs.findIndex(([p]) => isPatternShape(p) || !this.hasUnboundVars(p));
    if (idx < 0) idx = 0;
    const [p, l] = pairs[idx];
    const rest = pairs.filter((_, i) => i !== idx);
    this.unifyLocal(p, l, () => this.unifyElems(rest, iter));
  }

}

/** Value pairs of two object literals whose keys are all constants, or undefined. */
export function matchConstantKeys(a: Term & { type: 'object' }, b: Term & { type: 'object' }): Array<[Term, Term]> | undefined {
  const pairs: Array<[Term, Term]> = [];
  for (const [k, v] of a.items) {
    const other = b.items.find(([k2]) => sameConstant(k, k2));
    if (!other) return undefined;
    pairs.push([v, other[1]]);
  }
  return pairs;
}

/** Terms unification destructures (anything else is evaluated and compared). */
function isPatternShape(t: Term): boolean {
  return t.type === 'var' || t.type === 'array' || t.type === 'object';
}
