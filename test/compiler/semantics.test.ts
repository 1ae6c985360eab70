// End-to-end semantics through parse → compile → plan → interpret, one table row per feature.
import { runQuery } from '../../server/engine/query';
import { RegoError } from '../../server/rego/errors';
import { fromJS, toJS } from '../../server/value/value';

interface Row {
  name: string;
  modules: string[];
  query: string;
  input?: unknown;
  data?: unknown;
  want?: unknown[];
  error?: { code: string; message?: string };
  strict?: boolean;
}

const rows: Row[] = [
  { name: 'complete rule', modules: ['package t\np := 7'], query: 'x = data.t.p', want: [{ x: 7 }] },
  { name: 'partial set', modules: ['package t\ns contains x if some x in [3, 1, 3]'], query: 'x = data.t.s', want: [{ x: [1, 3] }] },
  { name: 'partial object', modules: ['package t\no[k] := v if some k, v in {"a": 1, "b": 2}'], query: 'x = data.t.o', want: [{ x: { a: 1, b: 2 } }] },
  { name: 'multi-level ref head', modules: ['package t\na.b[x].c := 1 if some x in ["u", "v"]'], query: 'x = data.t.a', want: [{ x: { b: { u: { c: 1 }, v: { c: 1 } } } }] },
  { name: 'function with two definitions', modules: ['package t\nf(1) := "one"\nf(x) := "many" if x > 1\np := [f(1), f(5)]'], query: 'x = data.t.p', want: [{ x: ['one', 'many'] }] },
  {
    name: 'function conflict',
    modules: ['package t\nf(x) := 1\nf(x) := 2\np := f(0)'],
    query: 'x = data.t.p',
    error: { code: 'eval_conflict_error', message: 'functions must not produce multiple outputs for same inputs' },
  },
  {
    name: 'complete rule conflict',
    modules: ['package t\np := 1\np := 2'],
    query: 'x = data.t.p',
    error: { code: 'eval_conflict_error', message: 'complete rules must not produce multiple outputs' },
  },
  { name: 'default and else', modules: ['package t\ndefault p := "none"\np := "a" if input.x == 1 else := "b" if input.x == 2'], query: 'x = data.t.p', input: { x: 2 }, want: [{ x: 'b' }] },
  { name: 'default when undefined', modules: ['package t\ndefault p := "none"\np := "a" if input.x == 1'], query: 'x = data.t.p', input: { x: 9 }, want: [{ x: 'none' }] },
  { name: 'with input', modules: ['package t\np := input.x * 2\nq := v if v := p with input.x as 21'], query: 'x = data.t.q', want: [{ x: 42 }] },
  { name: 'with data', modules: ['package t\np := data.cfg.n\nq := v if v := p with data.cfg.n as 5'], query: 'x = data.t.q', data: { cfg: { n: 1 } }, want: [{ x: 5 }] },
  { name: 'with a rule', modules: ['package t\np := 1\nq := p + 1\nr := v if v := q with p as 10'], query: 'x = data.t.r', want: [{ x: 11 }] },
  { name: 'with a function', modules: ['package t\nf(x) := x\ng(x) := x * 100\nr := v if v := f(2) with f as g'], query: 'x = data.t.r', want: [{ x: 200 }] },
  { name: 'with a builtin value', modules: ['package t\nr := v if v := count([1, 2]) with count as 9'], query: 'x = data.t.r', want: [{ x: 9 }] },
  { name: 'every', modules: ['package t\np if every x in [2, 4] { x % 2 == 0 }\nq if every x in [2, 3] { x % 2 == 0 }'], query: 'x = [data.t.p, object.get(data.t, "q", false)]', want: [{ x: [true, false] }] },
  { name: 'not', modules: ['package t\np if not input.admin'], query: 'x = data.t.p', input: {}, want: [{ x: true }] },
  { name: 'comprehensions', modules: ['package t\np := {k: count(v) | some k, v in {"a": [1], "b": [1, 2]}}'], query: 'x = data.t.p', want: [{ x: { a: 1, b: 2 } }] },
  { name: 'dynamic dispatch over a package', modules: ['package t\na := 1\nb := 2', 'package u\np := [k | data.t[k] == 2]'], query: 'x = data.u.p', want: [{ x: ['b'] }] },
  { name: 'base and virtual documents merge', modules: ['package t\nv := 1'], query: 'x = data.t', data: { t: { base: 2 } }, want: [{ x: { base: 2, v: 1 } }] },
  { name: 'builtin errors are undefined by default', modules: ['package t\np := 1 / 0'], query: 'x = data.t.p', want: [] },
  { name: 'strict builtin errors', modules: ['package t\np := 1 / 0'], query: 'x = data.t.p', strict: true, error: { code: 'eval_builtin_error', message: 'div: divide by zero' } },
  { name: 'iteration in a query', modules: [], query: 'x := [1, 2, 3][_]; x > 1', want: [{ x: 2 }, { x: 3 }] },
];

describe('semantics', () => {
  it.each(rows.map((r) => [r.name, r] as const))('%s', (_name, r) => {
    const run = () =>
      runQuery({
        modules: r.modules.map((text, i) => ({ file: `m${i}.rego`, text })),
        query: r.query,
        input: r.input === undefined ? undefined : fromJS(r.input),
        data: r.data === undefined ? undefined : fromJS(r.data),
        strictBuiltinErrors: r.strict,
      });
    if (r.error) {
      expect(run).toThrow(RegoError);
      try {
        run();
      } catch (e) {
        expect((e as RegoError).code).toBe(r.error.code);
        if (r.error.message) expect((e as RegoError).message).toContain(r.error.message);
      }
      return;
    }
    const got = run().map((res) => Object.fromEntries(Object.entries(res.bindings).map(([k, v]) => [k, toJS(v)])));
    expect(got).toEqual(r.want);
  });

  it('print writes each argument, <undefined> for undefined ones', () => {
    const lines: string[] = [];
    runQuery({ modules: [{ file: 'm.rego', text: 'package t\np if print("x is", input.x, input.missing)' }], query: 'data.t.p', input: fromJS({ x: [1] }), print: (m) => lines.push(m) });
    expect(lines).toEqual(['x is [1] <undefined>']);
  });
});
