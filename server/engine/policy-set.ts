// A policy set built for serving: the modules compiled once, and what an evaluator needs to run
// them (a WASM module or an IR plan). Plain data, so it can be built on one thread (the compile
// worker) and installed on others (the evaluation workers).
import type { SourceFile } from '../rego/ast';
import { parseModule, parseQuery } from '../rego/index';
import { RegoError, RegoErrors } from '../rego/errors';
import { compileModules, compileQuery, planPolicy, type CompiledModules } from '../compiler/index';
import type { RuleNode } from '../compiler/ruletree';
import type { Policy } from '../ir/types';
import type { EngineName } from './query';
import { buildWasm, entrypointQuery, type WasmArtifact } from './wasm-policy';

export interface ModuleText {
  id: string;
  text: string;
}

/** What a data path holds: a rule's document, or a package's (its rules and subpackages). */
export type EntrypointKind = 'rule' | 'package';

export interface PolicySet {
  engine: EngineName;
  modules: ModuleText[];
  /** Paths (joined by `/`) that have virtual documents, and so an entrypoint. */
  entrypoints: Array<[string, EntrypointKind]>;
  /** The compiled module (engine `wasm`) or plan (engine `interp`) for those entrypoints. */
  wasm?: WasmArtifact;
  plan?: Policy;
}

/** Parses and compiles modules; throws RegoErrors listing every problem. */
export function compileSources(modules: ModuleText[]): CompiledModules {
  const parsed = [];
  const errors: RegoError[] = [];
  for (const m of modules) {
    try {
      parsed.push(parseModule({ file: m.id, text: m.text } satisfies SourceFile));
    } catch (e) {
      if (e instanceof RegoErrors) errors.push(...e.errors);
      else throw e;
    }
  }
  if (errors.length > 0) throw new RegoErrors(errors);
  return compileModules(parsed);
}

/** Compiles modules for `engine`: every virtual document becomes an entrypoint. */
export async function buildPolicySet(modules: ModuleText[], engine: EngineName): Promise<PolicySet> {
  const compiled = compileSources(modules);
  const entrypoints = virtualPaths(compiled.tree);
  const names = [...entrypoints.keys()];
  const set: PolicySet = { engine, modules, entrypoints: [...entrypoints] };
  if (engine === 'wasm') set.wasm = await buildWasm(compiled, names);
  else set.plan = planPolicy(compiled, names.map((e) => compileQuery(compiled, e, parseQuery(entrypointQuery(e), `entrypoint ${e}`))));
  return set;
}

/** Every path of the rule tree that holds a virtual document (not functions), and the root. */
function virtualPaths(tree: RuleNode): Map<string, EntrypointKind> {
  const out = new Map<string, EntrypointKind>([['', 'package']]);
  const visit = (n: RuleNode): void => {
    if (n.kind === 'function') return;
    if (n.path.length > 0) out.set(n.path.join('/'), n.kind !== undefined ? 'rule' : 'package');
    if (n.kind !== undefined) return; // below a rule, its value is navigated
    for (const c of n.children.values()) visit(c);
  };
  visit(tree);
  return out;
}
