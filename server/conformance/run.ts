// Running cases through the evaluation API. Every case is isolated: whatever it throws becomes
// its verdict, so one broken case (or engine bug) never stops the run.
import { evaluateQuery, type EngineName, type QueryOptions } from '../engine/query';
import { parseTerm } from '../rego/index';
import { ObjectValue, fromJS, type Value } from '../value/value';
import { errorMessage, loadSuite, type ConformanceCase } from './cases';
import { describeException, judgeCase, type Outcome, type Verdict } from './judge';
import { termToValue } from './term-value';

export interface RunOptions {
  engine?: EngineName;
  /** Only cases whose note matches run; the others are left out of the report entirely. */
  filter?: RegExp;
}

export interface CaseReport {
  folder: string;
  file: string;
  index: number;
  note: string;
  verdict: Verdict;
}

/** The module file names OPA's harness uses, so error messages embed the same names. */
export function moduleName(i: number): string {
  return `test-${i}.rego`;
}

/** The query options for a case; throws when the case's own data or input is malformed. */
export function queryOptionsFor(tc: ConformanceCase, engine?: EngineName): QueryOptions {
  return {
    modules: tc.modules.map((text, i) => ({ file: moduleName(i), text })),
    query: tc.query,
    data: tc.data === undefined ? new ObjectValue() : fromJS(tc.data),
    input: caseInput(tc),
    strictBuiltinErrors: tc.strictError,
    regoVersion: tc.regoVersion,
    engine,
    print: () => {}, // a case's print() output is noise in a measurement
  };
}

function caseInput(tc: ConformanceCase): Value | undefined {
  if (tc.inputTerm !== undefined) return termToValue(parseTerm(tc.inputTerm, 'input_term'));
  return tc.input === undefined ? undefined : fromJS(tc.input);
}

export async function runCase(tc: ConformanceCase, opts: RunOptions = {}): Promise<Verdict> {
  if (tc.skip) return { status: 'skipped', reason: 'skipped upstream' };
  let query: QueryOptions;
  try {
    query = queryOptionsFor(tc, opts.engine);
  } catch (e) {
    // Kept apart from evaluation: a parse error in `input_term` must not pass as the case's
    // wanted rego_parse_error.
    return { status: 'failed', reason: `cannot prepare case: ${describeException(e)}` };
  }
  let outcome: Outcome;
  try {
    outcome = { kind: 'results', results: await evaluateQuery(query) };
  } catch (error) {
    outcome = { kind: 'error', error };
  }
  try {
    return judgeCase(tc, outcome);
  } catch (e) {
    return { status: 'failed', reason: `cannot judge result: ${errorMessage(e)}` };
  }
}

/** Loads and runs every case under the roots. Throws only when a root cannot be read. */
export async function runConformance(roots: string[], opts: RunOptions = {}): Promise<CaseReport[]> {
  const suite = loadSuite(roots);
  const reports: CaseReport[] = [];
  for (const p of suite.problems) {
    if (opts.filter && !opts.filter.test(p.note)) continue;
    reports.push({ folder: p.folder, file: p.file, index: p.index, note: p.note, verdict: { status: 'failed', reason: p.message } });
  }
  for (const tc of suite.cases) {
    if (opts.filter && !opts.filter.test(tc.note)) continue;
    reports.push({ folder: tc.folder, file: tc.file, index: tc.index, note: tc.note, verdict: await runCase(tc, opts) });
  }
  return reports;
}
