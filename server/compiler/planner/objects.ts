// Objects built by ref-head rules (`p[x].r := v`, `p.q.r contains s`, `p.a.b := 1` beside them).
// Every contribution is a value at a key path. Intermediate objects are created by the insertion
// itself ("structure"); what rules produce are leaves (a value) or set leaves (elements united).
// A shadow object of the same shape records which is which, so that writing through a leaf, or
// a leaf over structure, is a conflict, and no rule's value is ever mutated.
import type { Term } from '../../rego/ast';
import type { Local, Operand } from '../../ir/types';
import type { CompiledRule } from '../resolve';
import type { RuleNode } from '../ruletree';
import { local } from './emit';
import type { Planner } from './planner';
import { planRuleFunc } from './rules';

type Mode = 'leaf' | 'element' | 'set';

const LEAF = 'leaf';
const SET = 'set';

export class ObjectAssembly {
  private readonly shape: Local;

  constructor(
    private readonly p: Planner,
    private readonly ret: Local,
  ) {
    const em = p.em;
    em.emit({ type: 'MakeObjectStmt', target: ret });
    this.shape = em.local();
    em.emit({ type: 'MakeObjectStmt', target: this.shape });
  }

  /** The rules of an object node and of every node below it, each at its relative path. */
  addNode(node: RuleNode, prefix: string[], args: Local[], body: (r: CompiledRule, iter: () => void) => void): void {
    const em = this.p.em;
    if (node.kind === 'object') {
      for (const r of node.rules) {
        if (r.default) continue;
        em.block(() =>
          body(r, () =>
            this.planKeys(r.suffix, 0, prefix.map((s) => em.str(s)), (keys) =>
              this.p.planTerm(r.kind === 'partial_set' ? (r.key as Term) : r.value, (v) =>
                this.insert(keys, v, r.kind === 'partial_set' ? 'element' : 'leaf'),
              ),
            ),
          ),
        );
      }
    } else if (node.kind === 'complete' || node.kind === 'set') {
      const fn = planRuleFunc(this.p, node.path) as string;
      em.block(() => {
        const v = em.local();
        const extra = this.p.mocks.params().map((l) => local(l));
        em.emit({ type: 'CallStmt', func: fn, args: [local(this.p.inputL), local(this.p.dataL), ...extra], result: v });
        this.insert(prefix.map((s) => em.str(s)), local(v), node.kind === 'set' ? 'set' : 'leaf');
      });
    }
    void args;
    for (const [name, child] of node.children) {
      if (child.kind !== 'function') this.addNode(child, [...prefix, name], args, body);
    }
  }

  private planKeys(terms: Term[], i: number, acc: Operand[], then: (keys: Operand[]) => void): void {
    if (i >= terms.length) return then(acc);
    this.p.planTerm(terms[i], (k) => this.planKeys(terms, i + 1, [...acc, k], then));
  }

  /** Puts `value` at `keys`, creating structure on the way. */
  private insert(keys: Operand[], value: Operand, mode: Mode): void {
    const em = this.p.em;
    let cur = this.ret;
    let shape = this.shape;
    for (let i = 0; i < keys.length - 1; i++) {
      const k = keys[i];
      const s = this.lookup(shape, k);
      em.block(() => {
        em.emit({ type: 'IsUndefinedStmt', source: s });
        const obj = em.local();
        em.emit({ type: 'MakeObjectStmt', target: obj });
        em.emit({ type: 'ObjectInsertStmt', key: k, value: local(obj), object: cur });
        em.emit({ type: 'MakeObjectStmt', target: s });
        em.emit({ type: 'ObjectInsertStmt', key: k, value: local(s), object: shape });
      });
      // A leaf where structure is needed: a rule's value would have to change.
      em.block(() => {
        em.emit({ type: 'IsDefinedStmt', source: s });
        em.block(() => {
          em.emit({ type: 'IsObjectStmt', source: local(s) });
          em.emit({ type: 'BreakStmt', index: 1 });
        });
        this.conflict();
      });
      const next = em.local();
      em.emit({ type: 'DotStmt', source: local(cur), key: k, target: next });
      cur = next;
      shape = s;
    }
    const k = keys[keys.length - 1];
    const s = this.lookup(shape, k);
    const marker = em.str(mode === 'leaf' ? LEAF : SET);
    // Structure where a leaf goes, or a leaf of the other kind: conflict.
    em.block(() => {
      em.emit({ type: 'IsDefinedStmt', source: s });
      em.block(() => {
        em.emit({ type: 'EqualStmt', a: local(s), b: marker });
        em.emit({ type: 'BreakStmt', index: 1 });
      });
      this.conflict();
    });
    if (mode === 'leaf') {
      em.emit({ type: 'ObjectInsertOnceStmt', key: k, value, object: cur });
    } else {
      const existing = em.local();
      em.emit({ type: 'ResetLocalStmt', target: existing });
      em.block(() => em.emit({ type: 'DotStmt', source: local(cur), key: k, target: existing }));
      const set = em.local();
      em.block(() => {
        em.emit({ type: 'IsUndefinedStmt', source: existing });
        em.emit({ type: 'MakeSetStmt', target: existing });
      });
      if (mode === 'element') {
        em.emit({ type: 'SetAddStmt', value, set: existing });
        em.emit({ type: 'AssignVarStmt', source: local(existing), target: set });
      } else {
        this.p.builtins.add('or');
        em.emit({ type: 'CallStmt', func: 'or', args: [local(existing), value], result: set });
      }
      em.emit({ type: 'ObjectInsertStmt', key: k, value: local(set), object: cur });
    }
    em.emit({ type: 'ObjectInsertStmt', key: k, value: marker, object: shape });
  }

  /** `shape[k]`, or undefined. */
  private lookup(shape: Local, k: Operand): Local {
    const em = this.p.em;
    const s = em.local();
    em.emit({ type: 'ResetLocalStmt', target: s });
    em.block(() => em.emit({ type: 'DotStmt', source: local(shape), key: k, target: s }));
    return s;
  }

  /** Raises `eval_conflict_error` ("object keys must be unique"). */
  private conflict(): void {
    const em = this.p.em;
    const o = em.local();
    em.emit({ type: 'MakeObjectStmt', target: o });
    em.emit({ type: 'ObjectInsertOnceStmt', key: em.str('conflict'), value: { type: 'bool', value: true }, object: o });
    em.emit({ type: 'ObjectInsertOnceStmt', key: em.str('conflict'), value: { type: 'bool', value: false }, object: o });
  }
}
