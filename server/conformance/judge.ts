// Deciding whether one case passed, following OPA's own conformance harness. Kept apart from the
// runner (and from the compiler) so the rules can be unit-tested with hand-made outcomes.
import type { QueryResult } from '../engine/query';
import { RegoError, RegoErrors } from '../rego/errors';
import type { Expectation } from './cases';
import { actualSet, expectedSet, showDifference, showSet, truncate } from './result-set';
import { compare } from '../value/value';

/** What running a case produced: its solutions, or what was thrown. */
export type Outcome = { kind: 'results'; results: QueryResult[] } | { kind: 'error'; error: unknown };

export type Verdict =
  | { status: 'passed' }
  | { status: 'failed'; reason: string }
  | { status: 'skipped'; reason: string };

const MAX_SHOWN = 300;

export function judgeCase(tc: Expectation, outcome: Outcome): Verdict {
  const wantsError = tc.wantErrorCode !== undefined || tc.wantError !== undefined;
  if (tc.wantResult === undefined && !wantsError) {
    return failed('case has none of want_result, want_error_code, want_error');
  }
  if (outcome.kind === 'error') return judgeError(tc, outcome.error, wantsError);
  const got = actualSet(
    outcome.results.map((r) => r.bindings),
    tc.sortBindings,
  );
  if (wantsError) return failed(`expected error ${describeWantedError(tc)}, got result ${showSet(got, MAX_SHOWN)}`);
  const want = expectedSet(tc.wantResult ?? [], tc.sortBindings);
  if (compare(want, got) === 0) return { status: 'passed' };
  const [shownWant, shownGot] = showDifference(want, got, MAX_SHOWN);
  return failed(`expected ${shownWant}, got ${shownGot}`);
}

function judgeError(tc: Expectation, error: unknown, wantsError: boolean): Verdict {
  const errors = regoErrorsOf(error);
  // A crash of the engine itself is never the error a case asks for.
  if (errors === undefined) return failed(`exception: ${truncate(describeException(error), MAX_SHOWN)}`);
  const shown = truncate(errors.map((e) => e.toString()).join('; '), MAX_SHOWN);
  if (!wantsError) return failed(`unexpected error: ${shown}`);
  if (tc.wantErrorCode !== undefined && !errors.some((e) => e.code === tc.wantErrorCode)) {
    return failed(`expected error code ${tc.wantErrorCode}, got ${shown}`);
  }
  if (tc.wantError !== undefined) {
    const want = tc.wantError;
    // OPA checks a substring of the error's text (`file:row: code: message`); the plain message
    // is the same text minus the prefix, so either form matching is the same rule.
    const texts = [(error as Error).message, ...errors.flatMap((e) => [e.toString(), e.message])];
    if (!texts.some((t) => t.includes(want))) return failed(`expected error containing ${JSON.stringify(want)}, got ${shown}`);
  }
  return { status: 'passed' };
}

/** The Rego errors carried by a thrown value, or undefined when it is some other exception. */
export function regoErrorsOf(e: unknown): RegoError[] | undefined {
  if (e instanceof RegoErrors) return e.errors;
  if (e instanceof RegoError) return [e];
  return undefined;
}

function describeWantedError(tc: Expectation): string {
  const parts: string[] = [];
  if (tc.wantErrorCode !== undefined) parts.push(tc.wantErrorCode);
  if (tc.wantError !== undefined) parts.push(JSON.stringify(tc.wantError));
  return parts.join(' ');
}

export function describeException(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

function failed(reason: string): Verdict {
  return { status: 'failed', reason };
}
