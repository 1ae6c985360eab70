// Small pure functions over terms: names and renderings for messages, groundness, number limits.
import type { CallTerm, Term } from './ast';

/** `count`, `data.lib.f`, `internal.member_2`: the dotted name of a call's operator. */
export function opName(c: CallTerm): string {
  let s = '';
  for (const t of c.op.terms) {
    if (t.type === 'var') s += s ? `.${t.name}` : t.name;
    else if (t.type === 'string') s += `.${t.value}`;
    else return '';
  }
  return s;
}

/** OPA's ValueName, used in messages. */
export function valueName(t: Term): string {
  switch (t.type) {
    case 'arraycomp':
      return 'arraycomprehension';
    case 'setcomp':
      return 'setcomprehension';
    case 'objectcomp':
      return 'objectcomprehension';
    default:
      return t.type;
  }
}

/** Ground as OPA means it: no variables (a ref's head is not counted). */
export function isGround(t: Term): boolean {
  switch (t.type) {
    case 'var':
      return false;
    case 'ref':
      return t.terms.every((x, k) => k === 0 || isGround(x));
    case 'array':
    case 'set':
      return t.items.every(isGround);
    case 'object':
      return t.items.every(([k, v]) => isGround(k) && isGround(v));
    case 'call':
      return t.args.every(isGround);
    case 'arraycomp':
    case 'setcomp':
    case 'objectcomp':
      return false;
    default:
      return true;
  }
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Rego-like rendering of a term, for error messages. */
export function formatTerm(t: Term): string {
  switch (t.type) {
    case 'null':
      return 'null';
    case 'boolean':
      return String(t.value);
    case 'number':
      return t.value;
    case 'string':
      return JSON.stringify(t.value);
    case 'var':
      return t.name;
    case 'ref':
      return formatRef(t.terms);
    case 'array':
      return `[${t.items.map(formatTerm).join(', ')}]`;
    case 'set':
      return t.items.length === 0 ? 'set()' : `{${t.items.map(formatTerm).join(', ')}}`;
    case 'object':
      return `{${t.items.map(([k, v]) => `${formatTerm(k)}: ${formatTerm(v)}`).join(', ')}}`;
    case 'arraycomp':
      return `[${formatTerm(t.term)} | ...]`;
    case 'setcomp':
      return `{${formatTerm(t.term)} | ...}`;
    case 'objectcomp':
      return `{${formatTerm(t.key)}: ${formatTerm(t.value)} | ...}`;
    case 'call':
      return `${formatRef(t.op.terms)}(${t.args.map(formatTerm).join(', ')})`;
  }
}

export function formatRef(terms: Term[]): string {
  let s = terms.length > 0 ? formatTerm(terms[0]) : '';
  for (let k = 1; k < terms.length; k++) {
    const x = terms[k];
    s += x.type === 'string' && IDENT.test(x.value) ? `.${x.value}` : `[${formatTerm(x)}]`;
  }
  return s;
}

/**
 * OPA rejects literals whose binary exponent passes ±1e5 ("number too big"): formatting them is
 * super-linear. Estimated from the decimal exponent of the leading significant digit.
 */
export function numberTooBig(text: string): boolean {
  let k = text.charCodeAt(0) === 45 ? 1 : 0;
  let intDigits = 0;
  let leading = -1; // position of the first non-zero digit among all mantissa digits
  let digits = 0;
  let seenDot = false;
  for (; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 46) {
      seenDot = true;
      continue;
    }
    if (c < 48 || c > 57) break;
    if (!seenDot) intDigits++;
    if (leading < 0 && c !== 48) leading = digits;
    digits++;
  }
  if (leading < 0) return false; // zero
  let exp = 0;
  if (k < text.length) {
    exp = Number(text.slice(k + 1));
    if (!Number.isFinite(exp)) return true;
  }
  const decimalExp = intDigits - leading - 1 + exp;
  return Math.abs(decimalExp * Math.LOG2E * Math.LN10) > 1e5;
}
