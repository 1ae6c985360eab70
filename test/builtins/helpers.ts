// Shared helpers for the builtin tables: call a builtin by name, build values tersely.
import { lookupBuiltin } from '../../server/builtins/catalog';
import { BuiltinError, type BuiltinContext } from '../../server/builtins/types';
import { ObjectValue, SetValue, fromJS, toRegoText, type Value } from '../../server/value/value';

export const NOW_NS = 1_700_000_000_123_456_789n;

export function context(): BuiltinContext {
  return { nowNs: NOW_NS, print: () => undefined, cache: new Map() };
}

export function call(name: string, ...args: Value[]): Value | undefined {
  const b = lookupBuiltin(name);
  if (b === undefined) throw new Error(`no builtin ${name}`);
  return b.impl(args, context());
}

/** The BuiltinError a call throws (fails the test when it returns instead). */
export function callError(name: string, ...args: Value[]): BuiltinError {
  try {
    const r = call(name, ...args);
    throw new Error(`${name} returned ${r === undefined ? 'undefined' : toRegoText(r)} instead of failing`);
  } catch (e) {
    if (e instanceof BuiltinError) return e;
    throw e;
  }
}

/** Rego text of a result, for readable comparisons ("undefined" when undefined). */
export function show(v: Value | undefined): string {
  return v === undefined ? 'undefined' : toRegoText(v);
}

/** A value from plain JS (objects become ObjectValues). */
export const v = (x: unknown): Value => fromJS(x);

export const S = (...xs: Value[]): SetValue => SetValue.of(xs);

export const O = (...entries: Array<[Value, Value]>): ObjectValue => ObjectValue.fromEntries(entries);

export type Row = [name: string, args: Value[], want: Value | undefined];
export type ErrorRow = [name: string, args: Value[], code: BuiltinError['code'], message: string];

/** Runs rows of [builtin, args, expected] (expected compared as Rego text and by type). */
export function table(rows: Row[]): void {
  test.each(rows.map((r): [string, Row] => [`${r[0]}(${r[1].map(show).join(', ')})`, r]))('%s', (_title, [name, args, want]) => {
    const got = call(name, ...args);
    expect(show(got)).toBe(show(want));
    expect(typeof got).toBe(typeof want);
  });
}

/** Runs rows of [builtin, args, error code, message substring]. */
export function errorTable(rows: ErrorRow[]): void {
  test.each(rows.map((r): [string, ErrorRow] => [`${r[0]}(${r[1].map(show).join(', ')}) fails`, r]))(
    '%s',
    (_title, [name, args, code, message]) => {
      const e = callError(name, ...args);
      expect(e.code).toBe(code);
      expect(e.message).toContain(message);
    },
  );
}
