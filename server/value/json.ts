// JSON text in, read as OPA reads it (Go's decoder with UseNumber): integers keep every digit
// however they are written, by numberFromText's one rule. Every JSON text Regent takes goes
// through here: request bodies and `?input=`, data files, the documents and results the engine
// passes between threads and to and from WASM, and json.unmarshal; the WASM runtime's own reader
// (server/wasm/runtime/json.ts) follows the same rules, so both engines see the same document.
//
// V8's JSON.parse is the fast path, taken whenever its answer is exact: every number below 2^53
// in magnitude (those are exact doubles, or the nearest double as numberFromText wants), and no
// surrogate escape (Go reads a lone `\ud800` as U+FFFD; JSON.parse keeps it). Anything else, and
// malformed text (for Go's error messages), goes through the reader below, which is iterative:
// nesting costs no stack.
import { MAX_EXPANDED_DIGITS, NumberTooBig, ObjectValue, numberFromText, type DigitBudget, type Value } from './value';

export { NumberTooBig } from './value';

/** Malformed JSON, with Go's encoding/json message. */
export class JSONSyntaxError extends Error {}

export interface ReadOptions {
  /** Most containers open at once (Go's decoder allows 10,000); deeper documents fail with
   *  `exceeded max depth`. Values are built recursively later, so this has a default. */
  maxDepth?: number;
}

/** Containers a value may nest when nothing else is said (recursive walks stay off the stack
 *  limit well beyond it). */
export const DEFAULT_MAX_DEPTH = 2500;

/** JSON text → value. Throws JSONSyntaxError or NumberTooBig. */
export function readJSON(text: string, opts: ReadOptions = {}): Value {
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!SURROGATE_ESCAPE.test(text)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return new Reader(text, true, maxDepth).read() as Value;
    }
    const v = exactValue(parsed, 0, maxDepth);
    if (v !== INEXACT) return v;
  }
  return new Reader(text, true, maxDepth).read() as Value;
}

/**
 * JSON text → plain JS data (objects, arrays, strings, booleans, null, numbers, and bigints for
 * integers beyond 2^53), for code that handles request bodies as JSON-shaped data. No depth
 * limit: the caller checks the nesting itself (iteratively) before anything recursive sees it.
 */
export function readJSONData(text: string): unknown {
  if (!SURROGATE_ESCAPE.test(text)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return new Reader(text, false, Infinity).read();
    }
    if (!roundedByJSONParse(parsed)) return parsed;
  }
  return new Reader(text, false, Infinity).read();
}

/** Whether data from JSON.parse holds a number it may have rounded (any of 2^53 or more in
 *  magnitude, or infinite): then only the exact reader can say what the text meant. */
export function roundedByJSONParse(x: unknown): boolean {
  if (typeof x === 'number') return !(Math.abs(x) < LIMIT);
  // Containers only on the stack (no recursion: the nesting is not checked yet).
  const stack: object[] = [];
  if (x !== null && typeof x === 'object') stack.push(x);
  for (let o = stack.pop(); o !== undefined; o = stack.pop()) {
    if (Array.isArray(o)) {
      for (let i = 0; i < o.length; i++) {
        const v: unknown = o[i];
        if (typeof v === 'number') {
          if (!(Math.abs(v) < LIMIT)) return true;
        } else if (v !== null && typeof v === 'object') stack.push(v);
      }
    } else {
      for (const k in o) {
        const v: unknown = (o as Record<string, unknown>)[k];
        if (typeof v === 'number') {
          if (!(Math.abs(v) < LIMIT)) return true;
        } else if (v !== null && typeof v === 'object') stack.push(v);
      }
    }
  }
  return false;
}

const LIMIT = 2 ** 53;
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const INEXACT = Symbol('inexact');

/** JSON.parse's output as a value, or INEXACT if a number in it may have been rounded. */
function exactValue(x: unknown, depth: number, maxDepth: number): Value | typeof INEXACT {
  switch (typeof x) {
    case 'number':
      return Math.abs(x) < LIMIT ? (x === 0 ? 0 : x) : INEXACT; // 0, not -0, as numberFromText
    case 'string':
    case 'boolean':
      return x;
  }
  if (x === null) return null;
  if (depth >= maxDepth) throw new JSONSyntaxError('exceeded max depth');
  if (Array.isArray(x)) {
    const out: Value[] = new Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const v = exactValue(x[i], depth + 1, maxDepth);
      if (v === INEXACT) return INEXACT;
      out[i] = v;
    }
    return out;
  }
  const o = new ObjectValue();
  for (const k in x as Record<string, unknown>) {
    const v = exactValue((x as Record<string, unknown>)[k], depth + 1, maxDepth);
    if (v === INEXACT) return INEXACT;
    o.set(k, v);
  }
  return o;
}

function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return '\'"\'';
  const q = JSON.stringify(c);
  return "'" + q.slice(1, -1) + "'";
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** An open array or object while its members are read. */
interface Open {
  array: unknown[] | undefined;
  object: ObjectValue | Record<string, unknown> | undefined;
  key: string;
}

/** The exact reader: strict JSON, Go's error texts, no recursion. */
class Reader {
  private i = 0;
  private readonly budget: DigitBudget = { left: MAX_EXPANDED_DIGITS };

  constructor(
    private readonly text: string,
    /** Objects as ObjectValue (else plain objects). */
    private readonly values: boolean,
    private readonly maxDepth: number,
  ) {}

  read(): unknown {
    const stack: Open[] = [];
    let v: unknown;
    for (;;) {
      v = this.scalarOrOpen(stack);
      if (v === OPENED) continue;
      // A complete value: put it in its container, and close every container that ends here.
      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) {
          this.ws();
          if (this.i < this.text.length) this.fail('after top-level value');
          return v;
        }
        if (top.array) top.array.push(v);
        else this.put(top.object as ObjectValue | Record<string, unknown>, top.key, v);
        this.ws();
        const c = this.text[this.i];
        if (c === ',') {
          this.i++;
          if (top.object) top.key = this.key();
          break;
        }
        if (top.array ? c === ']' : c === '}') {
          this.i++;
          v = top.array ?? top.object;
          stack.pop();
          continue;
        }
        this.fail(top.array ? 'after array element' : 'after object key:value pair');
      }
    }
  }

  /** Reads a scalar or an empty container (returned), or opens a container (OPENED). */
  private scalarOrOpen(stack: Open[]): unknown {
    this.ws();
    const text = this.text;
    const c = text[this.i];
    if (c === '{' || c === '[') {
      if (stack.length >= this.maxDepth) throw new JSONSyntaxError('exceeded max depth');
      this.i++;
      this.ws();
      if (c === '[') {
        if (text[this.i] === ']') {
          this.i++;
          return [];
        }
        stack.push({ array: [], object: undefined, key: '' });
        return OPENED;
      }
      const o = this.values ? new ObjectValue() : {};
      if (text[this.i] === '}') {
        this.i++;
        return o;
      }
      stack.push({ array: undefined, object: o, key: this.key() });
      return OPENED;
    }
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
      if (c === word[0]) {
        // Go reports the first character that breaks the literal.
        let k = 0;
        while (this.i + k < text.length && text[this.i + k] === word[k]) k++;
        this.i += k;
        this.fail(`in literal ${word} (expecting ${quoteChar(word[k])})`);
      }
    }
    return this.fail('looking for beginning of value');
  }

  /** `"key":` of an object member. */
  private key(): string {
    this.ws();
    if (this.text[this.i] !== '"') this.fail('looking for beginning of object key string');
    const k = this.string();
    this.ws();
    if (this.text[this.i] !== ':') this.fail('after object key');
    this.i++;
    return k;
  }

  private put(o: ObjectValue | Record<string, unknown>, k: string, v: unknown): void {
    if (o instanceof ObjectValue) o.set(k, v as Value);
    // An own "__proto__" property, as JSON.parse makes, not a new prototype.
    else if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
    else o[k] = v;
  }

  private fail(what: string): never {
    const { text, i } = this;
    if (i >= text.length) throw new JSONSyntaxError('unexpected end of JSON input');
    throw new JSONSyntaxError(`invalid character ${quoteChar(String.fromCodePoint(text.codePointAt(i) as number))} ${what}`);
  }

  private ws(): void {
    const text = this.text;
    let i = this.i;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      i++;
    }
    this.i = i;
  }

  private number(): number | bigint {
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.text);
    if (m === null || m[0] === '-') {
      this.i++;
      this.fail('in numeric literal');
    }
    const t = (m as RegExpExecArray)[0];
    this.i += t.length;
    if (this.i < this.text.length && /[.eE]/.test(this.text[this.i])) this.fail('in numeric literal');
    return numberFromText(t, this.budget);
  }

  private string(): string {
    const text = this.text;
    let i = this.i + 1; // past the opening quote
    let out = '';
    let start = i;
    for (;;) {
      if (i >= text.length) {
        this.i = i;
        this.fail('');
      }
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        this.i = i + 1;
        return out + text.slice(start, i);
      }
      if (c < 0x20) {
        this.i = i;
        this.fail('in string literal');
      }
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += text.slice(start, i);
      i++;
      const e = text[i];
      if (e === 'u') {
        const h = text.slice(i + 1, i + 5);
        for (let k = 0; k < 4; k++) {
          if (!/[0-9a-fA-F]/.test(h[k] ?? '')) {
            this.i = i + 1 + k;
            this.fail('in \\u hexadecimal character escape');
          }
        }
        let cp = parseInt(h, 16);
        i += 5;
        if (cp >= 0xd800 && cp <= 0xdbff && text.startsWith('\\u', i)) {
          const lo = parseInt(text.slice(i + 2, i + 6), 16);
          if (lo >= 0xdc00 && lo <= 0xdfff) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            i += 6;
          }
        }
        // A lone surrogate is U+FFFD, as Go decodes it.
        out += cp >= 0xd800 && cp <= 0xdfff ? '\ufffd' : String.fromCodePoint(cp);
      } else if (e !== undefined && e in ESCAPES) {
        out += ESCAPES[e];
        i++;
      } else {
        this.i = i;
        this.fail('in string escape code');
      }
      start = i;
    }
  }
}

const OPENED = Symbol('opened');
