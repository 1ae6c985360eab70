// Test coverage as `opa test --coverage` reports it: per file, the lines that ran and the lines
// that could have run but did not, as row ranges, with counts and a percentage. A line can run
// when a planned statement comes from it; it ran when such a statement was executed.
import type { Policy, StmtLocation } from '../ir/types';
import type { CompiledRule } from '../compiler/resolve';
import { ruleNodesBelow, type RuleNode } from '../compiler/ruletree';

interface Range {
  start: { row: number };
  end: { row: number };
}

export interface FileCoverage {
  covered?: Range[];
  not_covered?: Range[];
  covered_lines: number;
  not_covered_lines: number;
  coverage: number;
}

export interface CoverageReport {
  files: Record<string, FileCoverage>;
  covered_lines: number;
  not_covered_lines: number;
  coverage: number;
}

/** The lines of the modules' rules that can run: each head, and each body expression except
 *  `some` declarations (which run nothing). */
export function ruleLines(tree: RuleNode): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  const add = (file: string, row: number): void => {
    let rows = out.get(file);
    if (!rows) out.set(file, (rows = new Set()));
    rows.add(row);
  };
  for (const node of ruleNodesBelow(tree)) {
    for (const rule of node.rules) {
      for (let r: CompiledRule | undefined = rule; r; r = r.else) {
        add(r.file, r.loc.row);
        for (const e of r.body) if (e.body.type !== 'some') add(r.file, e.loc.row);
      }
    }
  }
  return out;
}

/** Collects executed rows while tests run, and reports against the lines that could run. */
export class CoverageTracker {
  private readonly ran = new Map<number, Set<number>>();

  /** `lines`: per module file, the lines that can run (`ruleLines`); other files are left out. */
  constructor(
    private readonly policy: Policy,
    private readonly lines: Map<string, Set<number>>,
  ) {}

  readonly record = (loc: StmtLocation): void => {
    let rows = this.ran.get(loc.file);
    if (!rows) this.ran.set(loc.file, (rows = new Set()));
    rows.add(loc.row);
  };

  report(): CoverageReport {
    // Rows that ran, by file name (the plan numbers its files).
    const ran = new Map<string, Set<number>>();
    for (const [i, rows] of this.ran) ran.set(this.policy.static.files[i]?.value ?? '', rows);
    const files: Record<string, FileCoverage> = {};
    let covered = 0;
    let notCovered = 0;
    for (const [name, lines] of this.lines) {
      // A statement can sit on a line of its own (a multi-line head value): it counts too.
      const did = ran.get(name) ?? new Set<number>();
      const rows = new Set([...lines, ...did]);
      const sorted = [...rows].sort((a, b) => a - b);
      const yes = sorted.filter((r) => did.has(r));
      const no = sorted.filter((r) => !did.has(r));
      files[name] = {
        ...(yes.length ? { covered: ranges(yes) } : {}),
        ...(no.length ? { not_covered: ranges(no) } : {}),
        covered_lines: yes.length,
        not_covered_lines: no.length,
        coverage: percent(yes.length, no.length),
      };
      covered += yes.length;
      notCovered += no.length;
    }
    return { files, covered_lines: covered, not_covered_lines: notCovered, coverage: percent(covered, notCovered) };
  }
}

function percent(yes: number, no: number): number {
  return yes + no === 0 ? 100 : Math.round((10000 * yes) / (yes + no)) / 100;
}

/** Consecutive rows merged into ranges. */
function ranges(rows: number[]): Range[] {
  const out: Range[] = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    if (last && last.end.row === r - 1) last.end.row = r;
    else out.push({ start: { row: r }, end: { row: r } });
  }
  return out;
}
