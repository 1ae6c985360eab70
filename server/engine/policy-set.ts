// A policy set built for serving: the modules compiled once, and what an evaluator needs to run
// them (an IR plan, then a WASM module). Plain data, so it can be built on one thread (the
// compile worker) and installed on others (the evaluation workers).
//
// Only the entrypoints worth compiling ahead are planned (`compile`): the decisions the service
// is known to serve, and paths that were asked for. Any other path is planned by the evaluator
// on first use and interpreted, so nothing is refused and nothing waits for a WASM build.
import type { SourceFile } from '../rego/ast';
import { parseModule, parseQuery } from '../rego/index';
import { RegoError, RegoErrors } from '../rego/errors';
import { compileModules, compileQuery, planPolicy, type CompiledModules, type CompiledQuery } from '../compiler/index';
import type { RuleNode } from '../compiler/ruletree';
import type { EngineName } from './query';
import { buildWasm, entrypointQuery, type WasmArtifact } from './wasm-policy';

export interface ModuleText {
  id: string;
  text: string;
}

/** What a data path holds: a rule's document, or a package's (its rules and subpackages). */
export type EntrypointKind = 'rule' | 'package';

export interface PolicySet {
  /** The policy version (one per change of modules) this set was built from. */
  version: number;
  engine: EngineName;
  modules: ModuleText[];
  /** Paths (joined by `/`) that have virtual documents, and so an entrypoint. */
  entrypoints: Array<[string, EntrypointKind]>;
  /** Entrypoints and groups compiled ahead (plan names of `plan` / `wasm`). */
  compiled: string[];
  /** `plan`: the compiled entrypoints as IR (JSON text: the HTTP thread passes a set on
   *  to every worker, and copying one string is far cheaper than cloning the IR's object
   *  graph), interpreted; `wasm`: as a WASM module. */
  plan?: string;
  wasm?: WasmArtifact;
}

export interface BuildRequest {
  version: number;
  modules: ModuleText[];
  engine: EngineName;
  /** Entrypoints and group names to compile ahead (unknown ones are left out)… */
  compile: string[];
  /** …and every entrypoint too. */
  all?: boolean;
  stage: 'plan' | 'wasm';
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

// A group: several entrypoints evaluated as one plan over one input, so the rules they share
// run once (an admission decision reads deny, warn, patch and audit_annotations).
const GROUP = 'regent:group\n';

export function groupName(entrypoints: string[]): string {
  return GROUP + entrypoints.join('\n');
}

/** The entrypoints of a group name, or undefined for a plain entrypoint. */
export function groupMembers(name: string): string[] | undefined {
  return name.startsWith(GROUP) ? name.slice(GROUP.length).split('\n') : undefined;
}

/** The query an entrypoint or a group is planned from. A group binds `x<i>` to the array of
 *  its i-th document's values (empty when undefined). */
function queryText(name: string): string {
  const members = groupMembers(name);
  if (!members) return entrypointQuery(name);
  return members.map((e, i) => `x${i} = [r${i} | r${i} = ${entrypointQuery(e).replace(/^result = /, '')}]`).join('; ');
}

/** Plans one entrypoint or group (on first use, for names not compiled ahead). */
export function planEntrypoint(compiled: CompiledModules, name: string): CompiledQuery {
  return compileQuery(compiled, name, parseQuery(queryText(name), `entrypoint ${name}`));
}

/** Builds policy sets, keeping the last compiled modules so the WASM stage of a version does
 *  not parse and compile them again. */
export class PolicyBuilder {
  private last: { version: number; compiled: CompiledModules } | undefined;

  async build(req: BuildRequest): Promise<PolicySet> {
    const compiled = this.last?.version === req.version ? this.last.compiled : compileSources(req.modules);
    this.last = { version: req.version, compiled };
    const entrypoints = virtualPaths(compiled.tree);
    const known = (name: string): boolean => (groupMembers(name) ?? [name]).every((e) => entrypoints.has(e));
    const names = [...new Set([...(req.all ? entrypoints.keys() : []), ...req.compile])].filter(known);
    const set: PolicySet = { version: req.version, engine: req.engine, modules: req.modules, entrypoints: [...entrypoints], compiled: names };
    const queries = names.map((n) => planEntrypoint(compiled, n));
    if (req.stage === 'wasm') set.wasm = await buildWasm(compiled, [], queries);
    else set.plan = JSON.stringify(planPolicy(compiled, queries));
    return set;
  }
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
