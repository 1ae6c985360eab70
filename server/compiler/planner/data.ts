// Planning `data` references. The data document is base data (the data local) merged with the
// virtual documents rules define. A ref is walked down the rule tree at plan time: a rule node is
// a function call; a package node with a variable key tries each child rule (by name) and the
// base data's own keys; a ref that stops at a package builds the merged object.
import type { Term } from '../../rego/ast';
import type { Local } from '../../ir/types';
import type { RuleNode } from '../ruletree';
import { hasVirtual } from '../ruletree';
import { numberFromText, numberToText } from '../../value/value';
import { local } from './emit';
import type { Planner, TermIter } from './planner';
import { planRuleFunc } from './rules';

export class DataPlanner {
  constructor(private readonly p: Planner) {}

  /** Whether a `with data.…` target reaches rules (then it must be mocked, not just replaced). */
  touchesRules(path: readonly string[]): boolean {
    let node: RuleNode | undefined = this.p.tree;
    for (const seg of path) {
      if (node.rules.length > 0) return true;
      node = node.children.get(seg);
      if (!node) return false;
    }
    return true;
  }

  planRef(terms: Term[], iter: TermIter): void {
    this.walk(this.p.tree, this.p.dataL, terms, 1, iter);
  }

  private hasVirtual(node: RuleNode): boolean {
    return hasVirtual(node) || this.hasMockBelow(node.path);
  }

  private hasMockBelow(path: readonly string[]): boolean {
    const prefix = 'data.' + path.join('.');
    return this.p.mocks.list().some((m) => m.kind === 'value' && m.path && (m.target === prefix || m.target.startsWith(prefix + '.')));
  }

  /** Continues a ref at `node`; `base` holds the base data there (possibly undefined). */
  private walk(node: RuleNode, base: Local | undefined, terms: Term[], i: number, iter: TermIter): void {
    const p = this.p;
    const em = p.em;
    const mock = p.mocks.data(node.path);
    if (mock) return p.planRefRest(mock.local, terms, i, iter);
    if (node.kind !== undefined) {
      if (node.kind === 'function') return em.fail();
      const v = this.callRule(node);
      return p.planRefRest(v, terms, i, iter);
    }
    if (i >= terms.length) return iter(local(this.nodeDoc(node, base)));
    const key = terms[i];
    // Data paths are strings: a constant number key names the same document (`data.x[2]`).
    const name = key.type === 'string' ? key.value : key.type === 'number' ? numberToText(numberFromText(key.value)) : undefined;
    if (name !== undefined) {
      const child = node.children.get(name);
      if (child && this.hasVirtual(child)) return this.walk(child, this.maybeDot(base, name), terms, i + 1, iter);
      return this.baseOnly(base, terms, i, iter);
    }
    if (key.type !== 'var' && !p.hasUnboundVars(key) && key.type !== 'ref' && key.type !== 'call') {
      return this.baseOnly(base, terms, i, iter); // a constant non-string key: only base data
    }
    const virtual = [...node.children.values()].filter((c) => this.hasVirtual(c));
    const bound = key.type !== 'var' || p.vars.has(key.name);
    const childName = (c: RuleNode): string => c.path[c.path.length - 1];
    if (bound) {
      // A known key: dispatch to the child rule of that name, else look in base data.
      p.planTerm(key, (k) => {
        for (const c of virtual) {
          em.block(() => {
            em.emit({ type: 'EqualStmt', a: k, b: em.str(childName(c)) });
            this.walk(c, this.maybeDot(base, childName(c)), terms, i + 1, iter);
          });
        }
        if (base === undefined) return;
        em.block(() => {
          for (const c of virtual) em.emit({ type: 'NotEqualStmt', a: k, b: em.str(childName(c)) });
          const v = em.local();
          em.emit({ type: 'DotStmt', source: local(base), key: k, target: v });
          p.planRefRest(v, terms, i + 1, iter);
        });
      });
      return;
    }
    const keyVar = key.name;
    for (const c of virtual) {
      p.scoped(() =>
        em.block(() => {
          const k = em.toLocal(em.str(childName(c)));
          p.vars.set(keyVar, k);
          this.walk(c, this.maybeDot(base, childName(c)), terms, i + 1, iter);
        }),
      );
    }
    if (base === undefined) return;
    const k = em.local();
    const v = em.local();
    const block = em.inBlock(() =>
      p.scoped(() => {
        for (const c of virtual) em.emit({ type: 'NotEqualStmt', a: local(k), b: em.str(childName(c)) });
        p.vars.set(keyVar, k);
        p.planRefRest(v, terms, i + 1, iter);
      }),
    );
    em.emit({ type: 'ScanStmt', source: base, key: k, value: v, block });
  }

  private baseOnly(base: Local | undefined, terms: Term[], i: number, iter: TermIter): void {
    if (base === undefined) return this.p.em.fail();
    this.p.planRefRest(base, terms, i, iter, true);
  }

  /** `base[key]`, or an undefined local when there is no such base document. */
  private maybeDot(base: Local | undefined, key: string): Local | undefined {
    if (base === undefined) return undefined;
    const em = this.p.em;
    const l = em.local();
    em.emit({ type: 'ResetLocalStmt', target: l });
    em.block(() => em.emit({ type: 'DotStmt', source: local(base), key: em.str(key), target: l }));
    return l;
  }

  callRule(node: RuleNode): Local {
    const p = this.p;
    const fn = planRuleFunc(p, node.path) as string;
    const result = p.em.local();
    const extra = p.mocks.params().map((l) => local(l));
    p.em.emit({ type: 'CallStmt', func: fn, args: [local(p.inputL), local(p.dataL), ...extra], result });
    return result;
  }

  /** The whole document at a package node: its virtual children merged over its base data. */
  nodeDoc(node: RuleNode, base: Local | undefined): Local {
    const p = this.p;
    const em = p.em;
    const obj = em.local();
    em.emit({ type: 'MakeObjectStmt', target: obj });
    this.insertChildren(node, base, obj);
    if (base === undefined) return obj;
    // Where base data and a rule define the same key, the base document wins (as in OPA).
    const result = em.local();
    em.emit({ type: 'ResetLocalStmt', target: result });
    em.block(() => em.emit({ type: 'ObjectMergeStmt', a: base, b: obj, target: result }));
    em.block(() => {
      em.emit({ type: 'IsUndefinedStmt', source: result });
      em.emit({ type: 'AssignVarStmt', source: local(obj), target: result });
    });
    return result;
  }

  /** Inserts the value of each virtual child of `node` into the object in `obj`. */
  insertChildren(node: RuleNode, base: Local | undefined, obj: Local): void {
    const em = this.p.em;
    for (const [name, child] of node.children) {
      if (!this.hasVirtual(child) || child.kind === 'function') continue;
      em.block(() =>
        this.walk(child, this.maybeDot(base, name), [], 0, (v) =>
          em.emit({ type: 'ObjectInsertOnceStmt', key: em.str(name), value: v, object: obj }),
        ),
      );
    }
  }
}

