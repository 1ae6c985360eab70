// The judging rules of the conformance runner, on hand-made outcomes (no compiler involved).
import { judgeCase, type Outcome } from '../../server/conformance/judge';
import type { Expectation } from '../../server/conformance/cases';
import type { QueryResult } from '../../server/engine/query';
import { RegoError, RegoErrors } from '../../server/rego/errors';
import { ObjectValue, SetValue, type Value } from '../../server/value/value';

const loc = { file: 'test-0.rego', row: 4, col: 2 };

function results(...rows: Array<Record<string, Value>>): Outcome {
  const rs: QueryResult[] = rows.map((bindings) => ({ bindings, expressions: [true] }));
  return { kind: 'results', results: rs };
}

function error(e: unknown): Outcome {
  return { kind: 'error', error: e };
}

function want(e: Partial<Expectation>): Expectation {
  return { sortBindings: false, ...e };
}

describe('want_result', () => {
  test('equal binding sets pass', () => {
    expect(judgeCase(want({ wantResult: [{ x: 1 }] }), results({ x: 1 }))).toEqual({ status: 'passed' });
  });

  test('different values fail with expected and got', () => {
    const v = judgeCase(want({ wantResult: [{ x: 1 }] }), results({ x: 2 }));
    expect(v).toEqual({ status: 'failed', reason: 'expected [{"x":1}], got [{"x":2}]' });
  });

  test('an empty want matches an undefined query', () => {
    expect(judgeCase(want({ wantResult: [] }), results()).status).toBe('passed');
    expect(judgeCase(want({ wantResult: [] }), results({ x: 1 })).status).toBe('failed');
  });

  test('solutions compare as a set: order-insensitive, duplicates collapse', () => {
    const w = want({ wantResult: [{ x: 1 }, { x: 2 }] });
    expect(judgeCase(w, results({ x: 2 }, { x: 1 }, { x: 2 })).status).toBe('passed');
    expect(judgeCase(w, results({ x: 1 })).status).toBe('failed');
  });

  test('numbers compare by value: 1 == 1.0 and bigints stay exact', () => {
    expect(judgeCase(want({ wantResult: [{ x: 1.0 }] }), results({ x: 1 })).status).toBe('passed');
    const big = 28857836529306024611913n;
    expect(judgeCase(want({ wantResult: [{ x: big }] }), results({ x: big })).status).toBe('passed');
    expect(judgeCase(want({ wantResult: [{ x: big }] }), results({ x: big - 1n })).status).toBe('failed');
  });

  test('sets in results read as sorted arrays', () => {
    const w = want({ wantResult: [{ x: [1, 2, 3] }] });
    expect(judgeCase(w, results({ x: SetValue.of([3, 1, 2]) })).status).toBe('passed');
  });

  test('non-string keys read as the compact JSON of their JSON form, as OPA converts them', () => {
    const got = ObjectValue.fromEntries([
      [1, 'a'],
      [ObjectValue.fromEntries([[3, 4]]), 5],
      [SetValue.of([2, 1]), 6],
      [['<k>'], 7],
    ]);
    const w = want({ wantResult: [{ x: { '1': 'a', '{"3":4}': 5, '[1,2]': 6, '["\\u003ck\\u003e"]': 7 } }] });
    expect(judgeCase(w, results({ x: got }))).toEqual({ status: 'passed' });
  });

  test('a long mismatch is shown from just before the first difference', () => {
    const long = 'y'.repeat(500);
    const v = judgeCase(want({ wantResult: [{ x: long + 'A' }] }), results({ x: long + 'B' }));
    expect(v.status === 'failed' && v.reason).toMatch(/^expected …y+A"}\], got …y+B"}\]$/);
  });

  test('arrays keep their order unless sort_bindings is set', () => {
    expect(judgeCase(want({ wantResult: [{ x: [1, 2] }] }), results({ x: [2, 1] })).status).toBe('failed');
    expect(judgeCase(want({ wantResult: [{ x: [1, 2] }], sortBindings: true }), results({ x: [2, 1] })).status).toBe('passed');
  });

  test('sort_bindings sorts with Rego order (null < boolean < number < string < …)', () => {
    const w = want({ wantResult: [{ x: [null, false, 1, 'a', [0]] }], sortBindings: true });
    expect(judgeCase(w, results({ x: [[0], 'a', 1, false, null] })).status).toBe('passed');
  });

  test('sort_bindings sorts only top-level binding values', () => {
    const w = want({ wantResult: [{ x: [[1, 2]] }], sortBindings: true });
    expect(judgeCase(w, results({ x: [[2, 1]] })).status).toBe('failed');
  });

  test('binding names must match', () => {
    expect(judgeCase(want({ wantResult: [{ x: 1 }] }), results({ y: 1 })).status).toBe('failed');
  });

  test('an error when a result is wanted fails', () => {
    const v = judgeCase(want({ wantResult: [{ x: 1 }] }), error(new RegoError('eval_conflict_error', 'boom', loc)));
    expect(v).toEqual({ status: 'failed', reason: 'unexpected error: test-0.rego:4: eval_conflict_error: boom' });
  });
});

describe('want_error_code / want_error', () => {
  const conflict = new RegoError('eval_conflict_error', 'complete rules must not produce multiple outputs', loc);

  test('the code must be equal', () => {
    expect(judgeCase(want({ wantErrorCode: 'eval_conflict_error' }), error(conflict)).status).toBe('passed');
    const v = judgeCase(want({ wantErrorCode: 'eval_type_error' }), error(conflict));
    expect(v.status).toBe('failed');
    expect(v.status === 'failed' && v.reason).toMatch(/expected error code eval_type_error, got test-0.rego:4: eval_conflict_error/);
  });

  test('any error of a RegoErrors list may carry the code', () => {
    const errs = new RegoErrors([new RegoError('rego_parse_error', 'a', loc), new RegoError('rego_type_error', 'b', loc)]);
    expect(judgeCase(want({ wantErrorCode: 'rego_type_error' }), error(errs)).status).toBe('passed');
  });

  test('want_error is a substring of the full text or of the plain message', () => {
    expect(judgeCase(want({ wantError: 'must not produce multiple' }), error(conflict)).status).toBe('passed');
    expect(judgeCase(want({ wantError: 'test-0.rego:4: eval_conflict_error: complete' }), error(conflict)).status).toBe('passed');
    expect(judgeCase(want({ wantError: 'something else' }), error(conflict)).status).toBe('failed');
  });

  test('an empty want_error accepts any Rego error', () => {
    expect(judgeCase(want({ wantError: '' }), error(conflict)).status).toBe('passed');
  });

  test('code and message must both hold when both are given', () => {
    expect(judgeCase(want({ wantErrorCode: 'eval_conflict_error', wantError: 'multiple' }), error(conflict)).status).toBe('passed');
    expect(judgeCase(want({ wantErrorCode: 'eval_conflict_error', wantError: 'nope' }), error(conflict)).status).toBe('failed');
    expect(judgeCase(want({ wantErrorCode: 'eval_type_error', wantError: 'multiple' }), error(conflict)).status).toBe('failed');
  });

  test('a result when an error is wanted fails', () => {
    const v = judgeCase(want({ wantErrorCode: 'eval_conflict_error' }), results({ x: 1 }));
    expect(v).toEqual({ status: 'failed', reason: 'expected error eval_conflict_error, got result [{"x":1}]' });
  });

  test('an undefined result when an error is wanted fails', () => {
    expect(judgeCase(want({ wantError: 'x' }), results()).status).toBe('failed');
  });
});

describe('other outcomes', () => {
  test('a non-Rego exception fails the case with its message, even when an error is wanted', () => {
    const v = judgeCase(want({ wantError: '' }), error(new TypeError('cannot read properties of undefined')));
    expect(v).toEqual({ status: 'failed', reason: 'exception: TypeError: cannot read properties of undefined' });
  });

  test('a case without any expectation fails', () => {
    expect(judgeCase(want({}), results({ x: 1 })).status).toBe('failed');
  });

  test('long values are truncated in the reason', () => {
    const long = 'y'.repeat(1000);
    const v = judgeCase(want({ wantResult: [{ x: long }] }), results({ x: 'z' }));
    expect(v.status === 'failed' && v.reason.length).toBeLessThan(700);
  });
});
