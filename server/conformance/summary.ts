// Per-folder totals of a conformance run: the measurement the CLI prints and CI records.
import type { CaseReport } from './run';

export interface Failure {
  note: string;
  reason: string;
}

export interface FolderSummary {
  folder: string;
  passed: number;
  failed: number;
  skipped: number;
  failures: Failure[];
}

export interface Summary {
  folders: FolderSummary[];
  passed: number;
  failed: number;
  skipped: number;
}

export function summarize(reports: CaseReport[]): Summary {
  const byFolder = new Map<string, FolderSummary>();
  const summary: Summary = { folders: [], passed: 0, failed: 0, skipped: 0 };
  for (const r of reports) {
    let f = byFolder.get(r.folder);
    if (f === undefined) {
      f = { folder: r.folder, passed: 0, failed: 0, skipped: 0, failures: [] };
      byFolder.set(r.folder, f);
    }
    const v = r.verdict;
    f[v.status]++;
    summary[v.status]++;
    if (v.status === 'failed') f.failures.push({ note: r.note, reason: v.reason });
  }
  summary.folders = [...byFolder.values()].sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
  return summary;
}

/** The closing line, exactly: `N passed, N failed, N skipped`. */
export function closingLine(s: { passed: number; failed: number; skipped: number }): string {
  return `${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`;
}
