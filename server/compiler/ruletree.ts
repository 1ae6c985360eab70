// The rule tree: every rule placed at its ground data path, as OPA's rule trie. The planner walks
// it to resolve `data` references into calls of rule functions, base-data lookups, or both.
import { RegoError } from '../rego/errors';
import type { CompiledRule } from './resolve';

/** What a node's rules produce. Object nodes come from ref heads with variable keys. */
export type DocKind = 'complete' | 'set' | 'object' | 'function';

export interface RuleNode {
  path: string[];
  rules: CompiledRule[];
  kind?: DocKind;
  children: Map<string, RuleNode>;
  /** A package is declared here: the document exists (as `{}`) even without rules. */
  isPackage?: boolean;
}

export function newNode(path: string[]): RuleNode {
  return { path, rules: [], children: new Map() };
}

function kindOf(r: CompiledRule): DocKind {
  if (r.kind === 'function') return 'function';
  if (r.suffix.length > 0) return 'object';
  return r.kind === 'partial_set' ? 'set' : 'complete';
}

function nodeAt(root: RuleNode, path: readonly string[]): RuleNode {
  let node = root;
  for (const seg of path) {
    let child = node.children.get(seg);
    if (!child) {
      child = newNode([...node.path, seg]);
      node.children.set(seg, child);
    }
    node = child;
  }
  return node;
}

export function buildTree(rules: CompiledRule[], errors: RegoError[], packages: string[][] = []): RuleNode {
  const root = newNode([]);
  for (const pkg of packages) nodeAt(root, pkg).isPackage = true;
  for (const r of rules) {
    const node = nodeAt(root, r.path);
    const k = kindOf(r);
    if (node.kind !== undefined && node.kind !== k) {
      errors.push(new RegoError('rego_type_error', `conflicting rules data.${node.path.join('.')} found`, r.loc));
      continue;
    }
    if (k === 'function' && node.rules.length > 0) {
      const n = node.rules[0].args?.length ?? 0;
      if ((r.args?.length ?? 0) !== n) {
        errors.push(new RegoError('rego_type_error', `conflicting rules data.${node.path.join('.')} found`, r.loc));
        continue;
      }
    }
    if (r.default && node.rules.some((x) => x.default)) {
      errors.push(new RegoError('rego_type_error', `multiple default rules data.${node.path.join('.')} found`, r.loc));
      continue;
    }
    node.kind = k;
    node.rules.push(r);
  }
  checkNesting(root, errors);
  return root;
}

/** A complete/set/function document cannot have rules below it (an object node can). */
function checkNesting(node: RuleNode, errors: RegoError[]): void {
  for (const child of node.children.values()) {
    if (node.kind !== undefined && node.kind !== 'object' && hasRules(child)) {
      const r = firstRule(child);
      errors.push(
        new RegoError('rego_type_error', `rule data.${child.path.join('.')} conflicts with data.${node.path.join('.')}`, r?.loc),
      );
    }
    checkNesting(child, errors);
  }
}

/** Whether the node or a descendant is a virtual document (rules, or a declared package). */
export function hasVirtual(node: RuleNode): boolean {
  if (node.rules.length > 0 || node.isPackage) return true;
  for (const c of node.children.values()) if (hasVirtual(c)) return true;
  return false;
}

export function hasRules(node: RuleNode): boolean {
  if (node.rules.length > 0) return true;
  for (const c of node.children.values()) if (hasRules(c)) return true;
  return false;
}

function firstRule(node: RuleNode): CompiledRule | undefined {
  if (node.rules.length > 0) return node.rules[0];
  for (const c of node.children.values()) {
    const r = firstRule(c);
    if (r) return r;
  }
  return undefined;
}

/** The deepest node along `path`, and how many segments matched. */
export function lookupNode(root: RuleNode, path: readonly string[]): RuleNode | undefined {
  let node: RuleNode | undefined = root;
  for (const seg of path) {
    node = node.children.get(seg);
    if (!node) return undefined;
  }
  return node;
}

/** Every node with rules at or below `node`. */
export function ruleNodesBelow(node: RuleNode, out: RuleNode[] = []): RuleNode[] {
  if (node.rules.length > 0) out.push(node);
  for (const c of node.children.values()) ruleNodesBelow(c, out);
  return out;
}
