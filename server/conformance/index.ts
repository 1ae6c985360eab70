// The conformance runner as a library: load OPA-format YAML cases, run them, judge them as OPA's
// harness does, and summarise. Used by `regent conformance` and the bench.
export { loadSuite, type ConformanceCase, type Expectation, type LoadProblem, type LoadedSuite } from './cases';
export { judgeCase, type Outcome, type Verdict } from './judge';
export { runCase, runConformance, queryOptionsFor, moduleName, type CaseReport, type RunOptions } from './run';
export { summarize, closingLine, type Summary, type FolderSummary, type Failure } from './summary';
export { formatText, formatJSON } from './format';
export { parseYaml } from './yaml';
export { termToValue } from './term-value';
