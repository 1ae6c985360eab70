// Rendering a conformance run: a per-folder table ending with the closing line, or JSON.
import type { CaseReport } from './run';
import { closingLine, type Summary } from './summary';
import { truncate } from './result-set';

const REASON_WIDTH = 400;

/**
 * The text report. With `verbose`, the failing cases come first (note, file, reason) so the
 * closing line stays the last line of output.
 */
export function formatText(summary: Summary, reports: CaseReport[], verbose: boolean): string {
  const lines: string[] = [];
  if (verbose) {
    for (const r of sortedFailures(reports)) {
      if (r.verdict.status !== 'failed') continue;
      const where = r.index >= 0 ? `${r.file}#${r.index}` : r.file;
      lines.push(`FAIL ${r.note} (${where})`, `     ${truncate(r.verdict.reason, REASON_WIDTH)}`);
    }
    if (lines.length > 0) lines.push('');
  }
  lines.push(...table(summary));
  lines.push(closingLine(summary));
  return lines.join('\n') + '\n';
}

function sortedFailures(reports: CaseReport[]): CaseReport[] {
  const key = (r: CaseReport): string => `${r.folder}\u0000${r.file}\u0000${String(r.index).padStart(6, '0')}`;
  return reports.filter((r) => r.verdict.status === 'failed').sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function table(summary: Summary): string[] {
  const header = ['folder', 'passed', 'failed', 'skipped'];
  const rows = summary.folders.map((f) => [f.folder, String(f.passed), String(f.failed), String(f.skipped)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  // Folder left-aligned, counts right-aligned.
  const render = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [render(header), ...rows.map(render)];
}

/** `{folders:[{folder,passed,failed,skipped,failures:[{note,reason}]}], passed, failed, skipped}` */
export function formatJSON(summary: Summary): string {
  return JSON.stringify(summary, null, 2) + '\n';
}
