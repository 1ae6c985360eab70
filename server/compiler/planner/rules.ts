// One IR function per rule node (and per mock variant): complete rules assign their value once
// (a second, different value is a conflict), partial sets add elements, ref-head objects insert
// at their key path, functions match their arguments first. `else` alternatives run only while
// the earlier ones are undefined; a default applies when every rule is undefined.
import type { Term } from '../../rego/ast';
import type { Block, Func, Local, Operand } from '../../ir/types';
import { DATA, INPUT } from '../../ir/types';
import type { CompiledRule } from '../resolve';
import type { RuleNode } from '../ruletree';
import { lookupNode } from '../ruletree';
import { Emitter, local } from './emit';
import { ObjectAssembly } from './objects';
import type { Iter, Planner } from './planner';

const variantIds = new WeakMap<Planner, Map<string, number>>();

function funcName(p: Planner, path: string[]): string {
  let ids = variantIds.get(p);
  if (!ids) {
    ids = new Map([['', 0]]);
    variantIds.set(p, ids);
  }
  const sig = p.mocks.signature();
  let id = ids.get(sig);
  if (id === undefined) {
    id = ids.size;
    ids.set(sig, id);
  }
  return `g${id}.data.${path.join('.')}`;
}

/** The IR function computing the rule node at `path` (planned on first use). */
export function planRuleFunc(p: Planner, path: string[]): string | undefined {
  const node = lookupNode(p.tree, path);
  if (!node || node.kind === undefined) return undefined;
  const name = funcName(p, path);
  if (p.funcs.has(name)) return name;
  const func: Func = { name, path, params: [], return: 0, blocks: [], kind: node.kind === 'function' ? 'function' : 'rule' };
  p.funcs.set(name, func);
  p.inFunction(() => {
    const top: Block = { stmts: [] };
    const nargs = node.kind === 'function' ? (node.rules[0].args?.length ?? 0) : 0;
    const params: Local[] = [INPUT, DATA];
    for (let i = 0; i < nargs; i++) params.push(2 + i);
    let next = 2 + nargs;
    const { mocks, params: mockParams } = p.mocks.remap(() => next++);
    p.em = new Emitter(p.statics, next, top);
    p.vars = new Map();
    p.inputL = INPUT;
    p.dataL = DATA;
    p.mocks = mocks;
    const ret = p.em.local();
    planNode(p, node, ret, params.slice(2));
    p.em.emit({ type: 'ReturnLocalStmt', source: ret });
    func.params = [...params, ...mockParams];
    func.return = ret;
    func.blocks = [top];
  });
  return name;
}

function planNode(p: Planner, node: RuleNode, ret: Local, args: Local[]): void {
  const em = p.em;
  const rules = node.rules.filter((r) => !r.default);
  const dflt = node.rules.find((r) => r.default);
  switch (node.kind) {
    case 'complete':
    case 'function':
      for (const r of rules) planAlternatives(p, r, args, ret);
      if (dflt) {
        em.block(() => {
          em.emit({ type: 'IsUndefinedStmt', source: ret });
          ruleBody(p, dflt, args, () => p.planTerm(dflt.value, (v) => em.emit({ type: 'AssignVarStmt', source: v, target: ret })));
        });
      }
      return;
    case 'set':
      em.emit({ type: 'MakeSetStmt', target: ret });
      for (const r of rules) {
        em.block(() => ruleBody(p, r, args, () => p.planTerm(r.key as Term, (k) => em.emit({ type: 'SetAddStmt', value: k, set: ret }))));
      }
      return;
    case 'object':
      new ObjectAssembly(p, ret).addNode(node, [], args, (r, iter) => ruleBody(p, r, args, iter));
      return;
  }
}

/** A rule and its `else` chain, assigning the first defined alternative's value to `ret`. */
function planAlternatives(p: Planner, r: CompiledRule, args: Local[], ret: Local): void {
  const em = p.em;
  if (!r.else) {
    em.block(() => ruleBody(p, r, args, () => p.planTerm(r.value, (v) => em.emit({ type: 'AssignVarOnceStmt', source: v, target: ret }))));
    return;
  }
  const tmp = em.local();
  let alt: CompiledRule | undefined = r;
  let first = true;
  while (alt) {
    const a: CompiledRule = alt;
    const isFirst = first;
    em.block(() => {
      if (!isFirst) em.emit({ type: 'IsUndefinedStmt', source: tmp });
      ruleBody(p, a, args, () => p.planTerm(a.value, (v) => em.emit({ type: 'AssignVarOnceStmt', source: v, target: tmp })));
    });
    alt = a.else;
    first = false;
  }
  em.block(() => {
    em.emit({ type: 'IsDefinedStmt', source: tmp });
    em.emit({ type: 'AssignVarOnceStmt', source: local(tmp), target: ret });
  });
}

/** Matches function arguments, then plans the body, in a fresh variable scope. */
function ruleBody(p: Planner, r: CompiledRule, args: Local[], iter: Iter): void {
  p.scoped(() => {
    p.vars = new Map();
    p.em.setLocation(r.loc);
    // The head's value and keys are planned at the head's location (test coverage counts a
    // head as run when its rule produced a value).
    const atHead = (): void => {
      p.em.setLocation(r.loc);
      iter();
    };
    const matchArgs = (i: number): void => {
      if (!r.args || i >= r.args.length) return p.planBody(r.body, 0, atHead);
      p.unifyLocal(r.args[i], args[i], () => matchArgs(i + 1));
    };
    matchArgs(0);
  });
}
