// Loading OPA-format conformance cases: walk directories for *.yaml, read each file's `cases:`,
// and normalise every case into a typed record. A file that cannot be read is reported as a
// problem (counted as a failure by the runner) rather than aborting the whole run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseYaml } from './yaml';

/** What a case expects. `undefined` means the key was absent (or null, as in OPA's Go harness). */
export interface Expectation {
  /** A list of binding maps (plain YAML data; big integers are bigints). */
  wantResult?: Array<Record<string, unknown>>;
  sortBindings: boolean;
  wantErrorCode?: string;
  wantError?: string;
}

export interface ConformanceCase extends Expectation {
  /** The YAML file and the case's position in it. */
  file: string;
  index: number;
  /** The file's directory relative to the root it was found under, for per-folder totals. */
  folder: string;
  note: string;
  query: string;
  /** Rego sources; the runner names them `test-0.rego`, `test-1.rego`, … in this order. */
  modules: string[];
  data?: unknown;
  input?: unknown;
  inputTerm?: string;
  strictError: boolean;
  skip: boolean;
  /** 0 when the file lives under a `v0` directory (v0 syntax and builtins), else 1. */
  regoVersion: 0 | 1;
}

/** A file or case that could not be turned into a runnable case. */
export interface LoadProblem {
  file: string;
  /** The case's position in its file, or -1 when the whole file is unreadable. */
  index: number;
  folder: string;
  note: string;
  message: string;
}

export interface LoadedSuite {
  cases: ConformanceCase[];
  problems: LoadProblem[];
}

/** Loads every case under the given directories (or YAML files), in a stable order. */
export function loadSuite(roots: string[]): LoadedSuite {
  const suite: LoadedSuite = { cases: [], problems: [] };
  for (const root of roots) {
    for (const file of yamlFiles(root)) loadFile(file, folderOf(root, file), suite);
  }
  return suite;
}

function yamlFiles(root: string): string[] {
  const stat = fs.statSync(root); // throws ENOENT for a missing root: a usage error for callers
  if (!stat.isDirectory()) return [root];
  const out: string[] = [];
  const walk = (dir: string): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.yaml')) out.push(p);
    }
  };
  walk(root);
  return out;
}

/** `opa/v1` + `opa/v1/aggregates/x.yaml` → `aggregates`; a file directly in the root → root's name. */
function folderOf(root: string, file: string): string {
  const base = fs.statSync(root).isDirectory() ? root : path.dirname(root);
  const rel = path.relative(base, path.dirname(file));
  const folder = rel === '' ? path.basename(path.resolve(base)) : rel;
  return folder.split(path.sep).join('/');
}

function regoVersionOf(file: string): 0 | 1 {
  return path.resolve(file).split(path.sep).includes('v0') ? 0 : 1;
}

function loadFile(file: string, folder: string, suite: LoadedSuite): void {
  let doc: unknown;
  try {
    doc = parseYaml(fs.readFileSync(file, 'utf8'), file);
  } catch (e) {
    suite.problems.push({ file, index: -1, folder, note: file, message: `cannot load: ${errorMessage(e)}` });
    return;
  }
  const cases = isRecord(doc) ? doc.cases : undefined;
  if (!Array.isArray(cases)) {
    suite.problems.push({ file, index: -1, folder, note: file, message: 'no `cases:` list' });
    return;
  }
  const regoVersion = regoVersionOf(file);
  cases.forEach((raw: unknown, index) => {
    const result = toCase(raw, { file, folder, index, regoVersion });
    if (typeof result === 'string') {
      const note = isRecord(raw) && typeof raw.note === 'string' ? raw.note : `${file}#${index}`;
      suite.problems.push({ file, index, folder, note, message: result });
    } else {
      suite.cases.push(result);
    }
  });
}

interface Place {
  file: string;
  folder: string;
  index: number;
  regoVersion: 0 | 1;
}

/** The typed case, or a message saying what is malformed. */
function toCase(raw: unknown, place: Place): ConformanceCase | string {
  if (!isRecord(raw)) return 'case is not a mapping';
  const note = raw.note;
  const query = raw.query;
  if (typeof note !== 'string') return 'case has no string `note`';
  if (typeof query !== 'string') return 'case has no string `query`';
  const modules = present(raw.modules) ?? [];
  if (!isListOf(modules, isString)) return '`modules` is not a list of strings';
  const wantResult = present(raw.want_result);
  if (wantResult !== undefined && !isListOf(wantResult, isRecord)) return '`want_result` is not a list of binding maps';
  const inputTerm = present(raw.input_term);
  if (inputTerm !== undefined && typeof inputTerm !== 'string') return '`input_term` is not a string';
  const wantErrorCode = present(raw.want_error_code);
  const wantError = present(raw.want_error);
  if (wantErrorCode !== undefined && typeof wantErrorCode !== 'string') return '`want_error_code` is not a string';
  if (wantError !== undefined && typeof wantError !== 'string') return '`want_error` is not a string';
  return {
    ...place,
    note,
    query,
    modules,
    data: present(raw.data),
    input: present(raw.input),
    inputTerm,
    wantResult,
    sortBindings: raw.sort_bindings === true,
    wantErrorCode,
    wantError,
    strictError: raw.strict_error === true,
    skip: raw.skip === true,
  };
}

/** OPA's harness decodes into pointers, so an explicit `null` reads as "absent". */
function present(x: unknown): unknown {
  return x === null ? undefined : x;
}

function isListOf<T>(x: unknown, item: (y: unknown) => y is T): x is T[] {
  return Array.isArray(x) && x.every(item);
}

function isString(x: unknown): x is string {
  return typeof x === 'string';
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
