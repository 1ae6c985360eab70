// Per-folder totals and their text/JSON rendering.
import { formatJSON, formatText } from '../../server/conformance/format';
import type { CaseReport } from '../../server/conformance/run';
import { closingLine, summarize } from '../../server/conformance/summary';

function report(folder: string, note: string, status: 'passed' | 'failed' | 'skipped', index = 0): CaseReport {
  const verdict = status === 'passed' ? { status } : { status, reason: status === 'failed' ? `why ${note}` : 'skipped upstream' };
  return { folder, file: `${folder}/x.yaml`, index, note, verdict };
}

const reports: CaseReport[] = [
  report('zeta', 'zeta/a', 'passed'),
  report('alpha', 'alpha/a', 'failed', 1),
  report('alpha', 'alpha/b', 'passed'),
  report('alpha', 'alpha/c', 'skipped'),
  report('zeta', 'zeta/b', 'failed'),
];

describe('summarize', () => {
  test('counts per folder, sorted by folder, with failures', () => {
    const s = summarize(reports);
    expect(s).toEqual({
      folders: [
        { folder: 'alpha', passed: 1, failed: 1, skipped: 1, failures: [{ note: 'alpha/a', reason: 'why alpha/a' }] },
        { folder: 'zeta', passed: 1, failed: 1, skipped: 0, failures: [{ note: 'zeta/b', reason: 'why zeta/b' }] },
      ],
      passed: 2,
      failed: 2,
      skipped: 1,
    });
  });

  test('closing line', () => {
    expect(closingLine({ passed: 3, failed: 0, skipped: 1 })).toBe('3 passed, 0 failed, 1 skipped');
  });
});

describe('formatText', () => {
  test('a table, then the closing line last', () => {
    const text = formatText(summarize(reports), reports, false);
    expect(text.split('\n')).toEqual([
      'folder  passed  failed  skipped',
      'alpha        1       1        1',
      'zeta         1       1        0',
      '2 passed, 2 failed, 1 skipped',
      '',
    ]);
  });

  test('verbose lists failures before the table', () => {
    const lines = formatText(summarize(reports), reports, true).trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual(['FAIL alpha/a (alpha/x.yaml#1)', '     why alpha/a', 'FAIL zeta/b (zeta/x.yaml#0)', '     why zeta/b']);
    expect(lines[lines.length - 1]).toBe('2 passed, 2 failed, 1 skipped');
  });

  test('an empty run still ends with the closing line', () => {
    expect(formatText(summarize([]), [], true)).toBe('folder  passed  failed  skipped\n0 passed, 0 failed, 0 skipped\n');
  });
});

describe('formatJSON', () => {
  test('the documented shape', () => {
    const parsed: unknown = JSON.parse(formatJSON(summarize(reports)));
    expect(parsed).toEqual(summarize(reports));
  });
});
