// Builtins the wasm runtime does not implement natively run here, in the host, called through
// the ABI's `opa_builtinN` imports. The stock SDK hands them JSON-decoded arguments, so sets
// arrive as arrays: arguments are converted back by each builtin's declared types.
import { lookupBuiltin } from '../builtins/catalog';
import { BuiltinError, type BuiltinContext, type Type } from '../builtins/types';
import { timeUp } from '../rego/errors';
import { ObjectValue, SetValue, fromJS, toJSONBuffer, toRegoText, type Value } from '../value/value';
import { roundedByJSONParse } from '../value/json';

export type HostFunction = (...args: unknown[]) => unknown;

/** Per-evaluation state the host builtins read; the engine replaces it before each evaluation. */
export interface HostState {
  ctx: BuiltinContext;
  strict: boolean;
  /** When the evaluation must stop (`performance.now()` time), and the limit it came from. */
  deadline: number;
  timeLimitMs?: number;
  /** The exact value of the current call's i-th argument, read from the module (see below). */
  exactArg?: (i: number) => Value;
}

/** The host builtin generated loops call now and then (codegen's `deadlineBuiltin`). */
export const DEADLINE_BUILTIN = 'regent.deadline';

/** Implementations keyed by the names the module's `builtins` export uses (`names`: those names
 *  → builtin). Results go back as exact JSON bytes, so big integers and decimals survive. */
export function hostBuiltins(names: Record<string, string>, state: HostState): Record<string, HostFunction> {
  const out: Record<string, HostFunction> = {};
  for (const [key, name] of Object.entries(names)) {
    if (name === DEADLINE_BUILTIN) {
      out[key] = () => {
        if (performance.now() > state.deadline) throw timeUp(state.timeLimitMs);
        return true;
      };
      continue;
    }
    if (name === 'internal.print') {
      out[key] = (args: unknown) => {
        // As below: what JSON.parse rounded is read again, exactly, from the module.
        const exact = state.exactArg && roundedByJSONParse(args) ? (state.exactArg(0) as Value[][]) : (fromJS(args) as Value[][]);
        const parts = exact.map((vals) =>
          vals.length === 0 ? '<undefined>' : vals.map((v) => (typeof v === 'string' ? v : toRegoText(v))).join(', '),
        );
        state.ctx.print(parts.join(' '));
        return true;
      };
      continue;
    }
    const b = lookupBuiltin(name);
    if (!b) throw new Error(`no host implementation for builtin ${name}`);
    out[key] = (...raw: unknown[]) => {
      // A loop of a few expensive calls never reaches the step count: every call checks the time.
      if (performance.now() > state.deadline) throw timeUp(state.timeLimitMs);
      // The SDK parsed the arguments with JSON.parse: integers beyond 2^53 came out rounded.
      const exact = (x: unknown, i: number): Value => (state.exactArg && roundedByJSONParse(x) ? state.exactArg(i) : fromJS(x));
      const args = raw.map((x, i) => typed(exact(x, i), b.decl.args[i]));
      try {
        const r = b.impl(args, state.ctx);
        return r === undefined ? undefined : toJSONBuffer(r);
      } catch (e) {
        if (e instanceof BuiltinError && !state.strict) return undefined;
        throw e;
      }
    };
  }
  return out;
}

/** Restores sets that JSON turned into arrays, guided by the declared type. */
function typed(v: Value, t: Type | undefined): Value {
  if (!t) return v;
  switch (t.type) {
    case 'set':
      return Array.isArray(v) ? SetValue.of(v.map((x) => typed(x, t.of))) : v;
    case 'array':
      if (!Array.isArray(v)) return v;
      return v.map((x, i) => typed(x, t.static?.[i] ?? t.dynamic));
    case 'object':
      if (!(v instanceof ObjectValue) || !t.dynamic) return v;
      return ObjectValue.fromEntries(v.entries().map(([k, x]) => [k, typed(x, (t.dynamic as { value: Type }).value)]));
    case 'any': {
      // A union that admits sets but not arrays means an array here was a set.
      const of = t.of ?? [];
      const set = of.find((x) => x.type === 'set');
      if (set && Array.isArray(v) && !of.some((x) => x.type === 'array' || (x.type === 'any' && !x.of))) return typed(v, set);
      return v;
    }
    default:
      return v;
  }
}

