// Loading policy and data files named on the command line, the way `opa eval -d` does: .rego
// files become modules; a data file's content is placed at the path of its directory relative
// to the directory given (`-d dir` with `dir/a/b/data.json` → `data.a.b`); a data file named
// directly is placed at the root.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceFile } from '../rego/ast';
import { parseYaml } from '../conformance/yaml';
import { readJSONData } from '../value/json';

/** A problem with the files themselves (missing, unreadable, malformed, conflicting). */
export class LoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoadError';
  }
}

export interface Loaded {
  modules: SourceFile[];
  /** The base data document (plain JS; big integers as bigints). */
  data: Record<string, unknown>;
}

type DataExt = '.json' | '.yaml' | '.yml';

function dataExt(file: string): DataExt | undefined {
  const ext = path.extname(file).toLowerCase();
  return ext === '.json' || ext === '.yaml' || ext === '.yml' ? ext : undefined;
}

/** With `data: false` data files are not even read (`regent check` only compiles). */
export function loadPaths(paths: string[], opts: { data: boolean } = { data: true }): Loaded {
  const loaded: Loaded = { modules: [], data: {} };
  for (const p of paths) {
    const stat = statOrThrow(p);
    if (stat.isDirectory()) {
      for (const file of walk(p)) {
        if (file.endsWith('.rego')) loaded.modules.push(readModule(file));
        else if (opts.data && dataExt(file)) mergeAt(loaded.data, dirSegments(p, file), readDataFile(file), file);
      }
    } else if (p.endsWith('.rego')) {
      loaded.modules.push(readModule(p));
    } else if (dataExt(p)) {
      if (opts.data) mergeAt(loaded.data, [], readDataFile(p), p);
    } else {
      throw new LoadError(`${p}: not a .rego, .json, .yaml or .yml file`);
    }
  }
  return loaded;
}

/** Reads a JSON or YAML document (e.g. `-i input.json`), keeping big integers exact. */
export function readDataFile(file: string): unknown {
  const text = readText(file);
  try {
    return dataExt(file) === '.json' ? readJSONData(text) : parseYaml(text, file);
  } catch (e) {
    throw new LoadError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function readModule(file: string): SourceFile {
  return { file, text: readText(file) };
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new LoadError(`${file}: ${describeFsError(e)}`);
  }
}

function statOrThrow(p: string): fs.Stats {
  try {
    return fs.statSync(p);
  } catch (e) {
    throw new LoadError(`${p}: ${describeFsError(e)}`);
  }
}

function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}

/** Files under a directory, depth first in name order, so load order (and errors) are stable. */
function walk(dir: string): string[] {
  const out: string[] = [];
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

function dirSegments(root: string, file: string): string[] {
  const rel = path.relative(root, path.dirname(file));
  return rel === '' ? [] : rel.split(path.sep);
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Own-property write, so a key such as `__proto__` from a data file stays plain data. */
function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function mergeAt(root: Record<string, unknown>, segments: string[], value: unknown, file: string): void {
  if (value === undefined) return; // an empty YAML file contributes nothing
  if (segments.length === 0) {
    if (!isPlainObject(value)) throw new LoadError(`${file}: data at the root must be an object`);
    mergeInto(root, value, [], file);
    return;
  }
  let node = root;
  for (const [i, seg] of segments.slice(0, -1).entries()) {
    const next = Object.hasOwn(node, seg) ? node[seg] : undefined;
    if (next === undefined) {
      const created: Record<string, unknown> = {};
      setOwn(node, seg, created);
      node = created;
    } else if (isPlainObject(next)) {
      node = next;
    } else {
      throw conflict(file, segments.slice(0, i + 1));
    }
  }
  const last = segments[segments.length - 1];
  const existing = Object.hasOwn(node, last) ? node[last] : undefined;
  if (existing === undefined) setOwn(node, last, value);
  else if (isPlainObject(existing) && isPlainObject(value)) mergeInto(existing, value, segments, file);
  else throw conflict(file, segments);
}

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>, at: string[], file: string): void {
  for (const [k, v] of Object.entries(source)) {
    const existing = Object.hasOwn(target, k) ? target[k] : undefined;
    if (existing === undefined) setOwn(target, k, v);
    else if (isPlainObject(existing) && isPlainObject(v)) mergeInto(existing, v, [...at, k], file);
    else throw conflict(file, [...at, k]);
  }
}

function conflict(file: string, at: string[]): LoadError {
  return new LoadError(`${file}: merge error: data.${at.join('.')} is already defined by another file`);
}
