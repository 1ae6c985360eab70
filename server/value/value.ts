// The Rego value model shared by the IR interpreter, the builtins and the engine.
//
// Representation choices (all for speed on the common JSON-shaped documents):
// - null, booleans and strings are JS primitives; arrays are plain JS arrays;
// - numbers are JS numbers, except integers outside the safe range, which are bigints so that
//   big integer literals and arithmetic keep their precision as OPA's do;
// - objects and sets are classes because their keys/elements may be any value.
// Objects and sets iterate in Rego's sort order (as OPA does), so results are deterministic.

export type Value = null | boolean | number | bigint | string | Value[] | ObjectValue | SetValue;

export type TypeName = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'set';

const RANK: Record<TypeName, number> = {
  null: 0,
  boolean: 1,
  number: 2,
  string: 3,
  array: 4,
  object: 5,
  set: 6,
};

export function typeOf(v: Value): TypeName {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
    case 'bigint':
      return 'number';
    case 'string':
      return 'string';
    default:
      if (Array.isArray(v)) return 'array';
      return v instanceof ObjectValue ? 'object' : 'set';
  }
}

export function isNumber(v: Value): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

// ---------------------------------------------------------------------------------------------
// Keys: a canonical string per value, used to index object keys and set elements. Strings map to
// themselves (the overwhelmingly common case); other values get a prefix a string key can never
// collide with, because those live in a separate map.

function canonical(v: Value): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return numberKey(v);
    case 'bigint':
      return v.toString();
    case 'string':
      return JSON.stringify(v);
    default:
      if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
      if (v instanceof ObjectValue) {
        const parts: string[] = [];
        for (const [k, x] of v.entries()) parts.push(canonical(k) + ':' + canonical(x));
        return '{' + parts.join(',') + '}';
      }
      return '<' + Array.from(v.values(), canonical).join(',') + '>';
  }
}

function numberKey(n: number): string {
  // Integral floats beyond the safe range must key like the equal bigint.
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) return BigInt(n).toString();
  return Object.is(n, -0) ? '0' : String(n);
}

export function keyOf(v: Value): string {
  return canonical(v);
}

// ---------------------------------------------------------------------------------------------
// Objects

const hasOwn = Object.prototype.hasOwnProperty;

export class ObjectValue {
  /** String-keyed entries as an ordinary object's own properties, not a Map: V8 gives objects
   *  built with the same keys (every Pod's `metadata`, `spec`…) one shared shape and stores
   *  their values inline, about a third of a Map's memory. Reads check ownership (`toString`
   *  is not a key), and writes define properties (`__proto__` is a key like any other). */
  private readonly props: Record<string, Value> = {};
  private count = 0;
  /** Non-string keys by canonical text; created on first use (data documents have none, and
   *  an empty Map per object is a third of a large document's memory). */
  private others: Map<string, [Value, Value]> | undefined;
  private sorted: Array<[Value, Value]> | undefined;

  static fromEntries(entries: Iterable<[Value, Value]>): ObjectValue {
    const o = new ObjectValue();
    for (const [k, v] of entries) o.set(k, v);
    return o;
  }

  get size(): number {
    return this.count + (this.others?.size ?? 0);
  }

  get(k: Value): Value | undefined {
    if (typeof k === 'string') return hasOwn.call(this.props, k) ? this.props[k] : undefined;
    return this.others?.get(canonical(k))?.[1];
  }

  has(k: Value): boolean {
    return this.get(k) !== undefined;
  }

  /** Mutates: only for building a value that nothing else has seen yet. */
  set(k: Value, v: Value): this {
    if (typeof k === 'string') this.setString(k, v);
    else (this.others ??= new Map()).set(canonical(k), [k, v]);
    this.sorted = undefined;
    return this;
  }

  /** Mutates: only for building a value that nothing else has seen yet. */
  delete(k: Value): boolean {
    this.sorted = undefined;
    if (typeof k === 'string') {
      if (!hasOwn.call(this.props, k)) return false;
      delete this.props[k];
      this.count--;
      return true;
    }
    return this.others?.delete(canonical(k)) ?? false;
  }

  private setString(k: string, v: Value): void {
    if (!hasOwn.call(this.props, k)) this.count++;
    if (k === '__proto__') Object.defineProperty(this.props, k, { value: v, writable: true, enumerable: true, configurable: true });
    else this.props[k] = v;
  }

  /** Entries in Rego's key order (kept until the object changes: evaluations iterate the
   *  same objects again and again). */
  entries(): Array<[Value, Value]> {
    this.sorted ??= this.ordered();
    return this.sorted;
  }

  /** Entries in order, without keeping them: for one pass over a large document (writing it
   *  out), whose every object would otherwise hold a sorted copy of its entries. */
  entriesOnce(): Array<[Value, Value]> {
    return this.sorted ?? this.ordered();
  }

  private ordered(): Array<[Value, Value]> {
    const strKeys = Object.keys(this.props).sort(compareStrings);
    const strEntries = strKeys.map((k): [Value, Value] => [k, this.props[k]]);
    if (!this.others || this.others.size === 0) return strEntries;
    const all = [...this.others.values()].sort((a, b) => compare(a[0], b[0]));
    // Non-string keys order before (null, boolean, number) or after (composites) strings.
    const before = all.filter(([k]) => RANK[typeOf(k)] < RANK.string);
    const after = all.filter(([k]) => RANK[typeOf(k)] > RANK.string);
    return [...before, ...strEntries, ...after];
  }

  keys(): Value[] {
    return this.entries().map((e) => e[0]);
  }

  values(): Value[] {
    return this.entries().map((e) => e[1]);
  }

  /** Whether every key is a string (so the object is plain JSON-shaped at this level). */
  hasOnlyStringKeys(): boolean {
    return (this.others?.size ?? 0) === 0;
  }

  clone(): ObjectValue {
    const o = new ObjectValue();
    for (const k of Object.keys(this.props)) o.setString(k, this.props[k]);
    if (this.others) o.others = new Map(this.others);
    return o;
  }
}

// ---------------------------------------------------------------------------------------------
// Sets

export class SetValue {
  private readonly items = new Map<string, Value>();
  private sorted: Value[] | undefined;

  static of(items: Iterable<Value>): SetValue {
    const s = new SetValue();
    for (const v of items) s.add(v);
    return s;
  }

  get size(): number {
    return this.items.size;
  }

  has(v: Value): boolean {
    return this.items.has(canonical(v));
  }

  /** Mutates: only for building a value that nothing else has seen yet. */
  add(v: Value): this {
    const k = canonical(v);
    if (!this.items.has(k)) {
      this.items.set(k, v);
      this.sorted = undefined;
    }
    return this;
  }

  /** Mutates: only for building a value that nothing else has seen yet. */
  delete(v: Value): boolean {
    this.sorted = undefined;
    return this.items.delete(canonical(v));
  }

  /** Elements in Rego's order. */
  values(): Value[] {
    if (this.sorted === undefined) this.sorted = Array.from(this.items.values()).sort(compare);
    return this.sorted;
  }

  clone(): SetValue {
    const s = new SetValue();
    for (const [k, v] of this.items) s.items.set(k, v);
    return s;
  }
}

// ---------------------------------------------------------------------------------------------
// Ordering and equality (OPA's total order: null < boolean < number < string < array < object < set)

export function compareStrings(a: string, b: string): number {
  // Go compares strings by UTF-8 bytes, which equals code point order; JS `<` compares UTF-16
  // code units, which differs only when surrogate pairs meet U+E000..U+FFFF.
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1; // a surrogate encodes a code point above U+FFFF
      return x < y ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

export function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  // Mixed: compare exactly when the float is integral, else through floats.
  const f = typeof a === 'number' ? a : (b as number);
  const i = typeof a === 'bigint' ? a : (b as bigint);
  let c: number;
  if (Number.isInteger(f)) {
    const fi = BigInt(f);
    c = fi < i ? -1 : fi > i ? 1 : 0;
  } else if (f === Infinity || f === -Infinity) {
    c = f > 0 ? 1 : -1; // Number(i) may be infinite too, but i is finite
  } else {
    const ii = Number(i);
    c = f < ii ? -1 : f > ii ? 1 : 0;
  }
  return typeof a === 'number' ? c : -c;
}

export function compare(a: Value, b: Value): number {
  if (a === b) return 0;
  const ta = typeOf(a);
  const tb = typeOf(b);
  if (ta !== tb) return RANK[ta] < RANK[tb] ? -1 : 1;
  switch (ta) {
    case 'null':
      return 0;
    case 'boolean':
      return a === b ? 0 : a ? 1 : -1;
    case 'number':
      return compareNumbers(a as number | bigint, b as number | bigint);
    case 'string':
      return compareStrings(a as string, b as string);
    case 'array': {
      const x = a as Value[];
      const y = b as Value[];
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compare(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length - y.length < 0 ? -1 : x.length > y.length ? 1 : 0;
    }
    case 'object': {
      const x = (a as ObjectValue).entries();
      const y = (b as ObjectValue).entries();
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compare(x[i][0], y[i][0]);
        if (c !== 0) return c;
        const d = compare(x[i][1], y[i][1]);
        if (d !== 0) return d;
      }
      return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
    }
    case 'set': {
      const x = (a as SetValue).values();
      const y = (b as SetValue).values();
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compare(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
    }
  }
}

export function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  const ta = typeof a;
  if (ta === 'string' || ta === 'boolean' || a === null || b === null) return false;
  return compare(a, b) === 0;
}

// ---------------------------------------------------------------------------------------------
// Numbers

const INTEGER_TEXT = /^-?\d+$/;
const DECIMAL_TEXT = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Integers of at most this many digits cost nothing to expand (they are below 2^53 or just
 *  above it); longer ones written with an exponent or a fraction are charged to a budget. */
const FREE_DIGITS = 16;

/** The digits that exponents and fractions may expand one document's integers to, in all:
 *  `1e400` is 401 digits, and without a bound a few bytes (`1e99999999`) would become gigabytes.
 *  The WASM runtime's JSON reader keeps the same count (server/wasm/runtime/number.ts). */
export const MAX_EXPANDED_DIGITS = 100_000;

/** What is left of a document's MAX_EXPANDED_DIGITS while it is read. */
export interface DigitBudget {
  left: number;
}

/** A number whose digits would pass the document's MAX_EXPANDED_DIGITS. */
export class NumberTooBig extends RangeError {
  constructor() {
    super(`number too big: integers written with exponents may expand to ${MAX_EXPANDED_DIGITS} digits per document`);
  }
}

const TWO_53 = 2n ** 53n;

/**
 * Parses a JSON (or Rego) number literal exactly, one rule for every reader of number text in
 * both engines (server/wasm/runtime/number.ts `numFromText` mirrors it):
 * - an integer, however written (`18446744073709551615`, `1e400`, `2.50e1`), is that integer:
 *   a number when safe, else a bigint with every digit;
 * - any other number below 2^53 in magnitude is the nearest double (`0.1`; `1.5e-400` is 0, as
 *   Go's ParseFloat reads it), and one above it the nearest integer (ties to even), which is
 *   never further off than the double would be.
 * OPA keeps the literal text instead (ast.Number is a json.Number): it prints `1e400` as given
 * where Regent prints the digits, and `1.5e-400` where Regent prints 0.
 */
export function numberFromText(text: string, budget: DigitBudget = { left: MAX_EXPANDED_DIGITS }): number | bigint {
  if (INTEGER_TEXT.test(text)) {
    const n = Number(text);
    if (n === 0) return 0; // not -0
    return Number.isSafeInteger(n) ? n : BigInt(text);
  }
  const m = DECIMAL_TEXT.exec(text);
  if (m === null) return Number(text);
  const [, sign, whole, fraction = '', exponent] = m;
  const digits = whole + fraction;
  let first = 0;
  while (first < digits.length && digits.charCodeAt(first) === 48) first++;
  if (first === digits.length) return 0;
  let last = digits.length;
  while (digits.charCodeAt(last - 1) === 48) last--;
  const significant = digits.slice(first, last);
  // The value is 0.<significant> × 10^k: k digits before the point (none when k <= 0).
  const k = whole.length - first + (exponent === undefined ? 0 : Number(exponent));
  if (k <= 15) return Number(text) || 0; // an underflow to -0 is 0
  const neg = sign === '-';
  if (k >= significant.length) {
    charge(k, budget);
    const i = BigInt(significant) * 10n ** BigInt(k - significant.length);
    return normalizeInt(neg ? -i : i);
  }
  let i = BigInt(significant.slice(0, k));
  if (k === FREE_DIGITS && i < TWO_53) {
    const f = Number(text); // below 2^53, so an integer only when it is 2^53 itself
    return Number.isInteger(f) && !Number.isSafeInteger(f) ? BigInt(f) : f;
  }
  charge(k, budget);
  const next = significant.charCodeAt(k) - 48;
  if (next > 5 || (next === 5 && (significant.length > k + 1 || (i & 1n) === 1n))) i += 1n;
  return neg ? -i : i;
}

function charge(digits: number, budget: DigitBudget): void {
  if (digits <= FREE_DIGITS) return;
  if (!(digits <= budget.left)) throw new NumberTooBig();
  budget.left -= digits;
}

/** Normalises a bigint back to a JS number when that is exact. */
export function normalizeInt(i: bigint): number | bigint {
  return i >= BigInt(Number.MIN_SAFE_INTEGER) && i <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(i) : i;
}

export function isInteger(v: number | bigint): boolean {
  return typeof v === 'bigint' || Number.isInteger(v);
}

export function numberToText(n: number | bigint): string {
  if (typeof n === 'bigint') return n.toString();
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) return BigInt(n).toString();
  if (Object.is(n, -0)) return '0';
  return String(n);
}

// ---------------------------------------------------------------------------------------------
// Conversion from/to JSON-shaped JS data

/** Converts parsed JSON/YAML (plain JS) into a value. Non-JSON inputs throw. */
export function fromJS(x: unknown): Value {
  if (x === null || x === undefined) return null;
  switch (typeof x) {
    case 'boolean':
    case 'string':
      return x;
    case 'number':
      return Number.isInteger(x) && !Number.isSafeInteger(x) ? BigInt(x) : x;
    case 'bigint':
      return normalizeInt(x);
    case 'object': {
      if (Array.isArray(x)) return x.map(fromJS);
      if (x instanceof ObjectValue || x instanceof SetValue) return x;
      if (x instanceof Date) return x.toISOString();
      const o = new ObjectValue();
      for (const [k, v] of Object.entries(x as Record<string, unknown>)) o.set(k, fromJS(v));
      return o;
    }
    default:
      throw new TypeError(`cannot convert ${typeof x} to a Rego value`);
  }
}

/** JSON text of a value as OPA writes it: sets become arrays, non-string keys become strings. */
export function toJSONText(v: Value, indent?: string): string {
  return writeJSON(v, indent ?? '', '');
}

/** `toJSONText` as UTF-8 in its own ArrayBuffer (what the WASM SDK takes as exact JSON). */
export function toJSONBuffer(v: Value): ArrayBuffer {
  const bytes = new TextEncoder().encode(toJSONText(v));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function writeJSON(v: Value, indent: string, cur: string): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return Number.isFinite(v) ? numberToText(v) : 'null';
    case 'bigint':
      return v.toString();
    case 'string':
      return JSON.stringify(v);
  }
  const inner = cur + indent;
  const nl = indent ? '\n' : '';
  const sep = indent ? ': ' : ':';
  let parts: string[];
  let open: string;
  let close: string;
  if (Array.isArray(v) || v instanceof SetValue) {
    const items = Array.isArray(v) ? v : v.values();
    if (items.length === 0) return '[]';
    parts = items.map((x) => inner + writeJSON(x, indent, inner));
    open = '[';
    close = ']';
  } else {
    if (v.size === 0) return '{}';
    parts = v.entriesOnce().map(([k, x]) => inner + JSON.stringify(keyString(k)) + sep + writeJSON(x, indent, inner));
    open = '{';
    close = '}';
  }
  return open + nl + parts.join(',' + nl) + nl + cur + close;
}

/** The string an object key becomes in JSON (OPA: strings as is, others as their Rego text). */
export function keyString(k: Value): string {
  return typeof k === 'string' ? k : toRegoText(k);
}

/**
 * Plain JS data (JSON-compatible) for a value. Bigints that do not fit a JS number stay bigints,
 * so callers that need exact output should prefer `toJSONText`.
 */
export function toJS(v: Value): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(toJS);
  if (v instanceof SetValue) return v.values().map(toJS);
  const o: Record<string, unknown> = {};
  for (const [k, x] of v.entries()) o[keyString(k)] = toJS(x);
  return o;
}

/** Rego source text of a value (`{"a": 1}`, `{1, 2}`, `set()`), as OPA prints terms. */
export function toRegoText(v: Value): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
    case 'bigint':
      return numberToText(v);
    case 'string':
      return JSON.stringify(v);
  }
  if (Array.isArray(v)) return '[' + v.map(toRegoText).join(', ') + ']';
  if (v instanceof SetValue) return v.size === 0 ? 'set()' : '{' + v.values().map(toRegoText).join(', ') + '}';
  return '{' + v.entries().map(([k, x]) => `${toRegoText(k)}: ${toRegoText(x)}`).join(', ') + '}';
}
