// The reference IR interpreter: executes a plan statement by statement with OPA's semantics. It
// is deliberately direct (no optimisation beyond caching rule results) because it is the oracle
// the WASM backend is tested against.
import type { Location } from '../rego/ast';
import { RegoError, timeUp } from '../rego/errors';
import type { Builtin, BuiltinContext } from '../builtins/types';
import { BuiltinError } from '../builtins/types';
import { ObjectValue, SetValue, equal, numberFromText, toRegoText, type Value } from '../value/value';
import type { Block, Func, Operand, Plan, Policy, Stmt, StmtLocation } from './types';

export interface InterpreterOptions {
  lookupBuiltin: (name: string) => Builtin | undefined;
  strictBuiltinErrors?: boolean;
  print?: (message: string) => void;
  /** Evaluation time in ns (`time.now_ns`); now by default. */
  nowNs?: bigint;
  /** Lets `http.send` reach the network. */
  allowHttpSend?: boolean;
  /** Stop with `eval_cancel_error` after this many milliseconds. */
  timeLimitMs?: number;
  /** Called with every statement about to run that has a source location (test coverage). */
  onStatement?: (loc: StmtLocation) => void;
}

/** Statement outcomes: continue, or end the block; n ≥ 0 ends the block and n more above it. */
const OK = -1;
const UNDEF = -2;

type Frame = Array<Value | undefined>;

const CONFLICT = {
  rule: 'complete rules must not produce multiple outputs',
  function: 'functions must not produce multiple outputs for same inputs',
};

export class Interpreter {
  private readonly funcs = new Map<string, Func>();
  private readonly strings: string[];
  private readonly files: string[];
  private readonly ctx: BuiltinContext;
  private readonly strict: boolean;
  /** Results of rule functions without arguments, per (input, data) pair: rules are pure. */
  private readonly memo = new Map<string, { input: Value | undefined; data: Value | undefined; result: Value | undefined }>();
  private results: Value[] = [];
  private func: Func | undefined;

  constructor(
    private readonly policy: Policy,
    private readonly opts: InterpreterOptions,
  ) {
    for (const f of policy.funcs.funcs) this.funcs.set(f.name, f);
    this.strings = policy.static.strings.map((s) => s.value);
    this.files = policy.static.files.map((f) => f.value);
    this.strict = opts.strictBuiltinErrors ?? false;
    this.ctx = {
      nowNs: opts.nowNs ?? BigInt(Date.now()) * 1_000_000n,
      print: opts.print ?? ((m) => process.stderr.write(m + '\n')),
      cache: new Map(),
      // Unset (the CLI): http.send stays off, DNS lookups work; the service sets it either way.
      http: opts.allowHttpSend === undefined ? undefined : { enabled: opts.allowHttpSend },
    };
  }

  /** Runs the named plan; returns the result set (one binding object per solution). */
  evalPlan(name: string, input: Value | undefined, data: Value): Value[] {
    const plan = this.policy.plans.plans.find((p: Plan) => p.name === name);
    if (!plan) throw new RegoError('internal_error', `no plan named ${name}`);
    this.results = [];
    this.memo.clear();
    this.deadline = this.opts.timeLimitMs === undefined ? Infinity : performance.now() + this.opts.timeLimitMs;
    const frame: Frame = [input, data];
    this.func = undefined;
    for (const b of plan.blocks) if (this.block(b, frame) > 0) break;
    return this.results;
  }

  private block(b: Block, f: Frame): number {
    const onStatement = this.opts.onStatement;
    for (const s of b.stmts) {
      if (onStatement && s.loc) onStatement(s.loc);
      const r = this.stmt(s, f);
      if (r === OK) continue;
      return r === UNDEF ? 0 : r;
    }
    return 0;
  }

  private op(o: Operand, f: Frame): Value | undefined {
    switch (o.type) {
      case 'local':
        return f[o.value];
      case 'bool':
        return o.value;
      case 'string_index':
        return this.strings[o.value];
    }
  }

  private location(s: Stmt): Location | undefined {
    return s.loc ? { file: this.files[s.loc.file] ?? '', row: s.loc.row, col: s.loc.col } : undefined;
  }

  private stmt(s: Stmt, f: Frame): number {
    switch (s.type) {
      case 'ArrayAppendStmt': {
        const arr = f[s.array];
        const v = this.op(s.value, f);
        if (!Array.isArray(arr) || v === undefined) return UNDEF;
        arr.push(v);
        return OK;
      }
      case 'AssignIntStmt':
        f[s.target] = s.value;
        return OK;
      case 'AssignVarOnceStmt': {
        const v = this.op(s.source, f);
        if (v === undefined) return UNDEF;
        const cur = f[s.target];
        if (cur !== undefined && !equal(cur, v)) {
          throw new RegoError('eval_conflict_error', CONFLICT[this.func?.kind ?? 'rule'], this.location(s));
        }
        f[s.target] = v;
        return OK;
      }
      case 'AssignVarStmt': {
        const v = this.op(s.source, f);
        if (v === undefined) return UNDEF;
        f[s.target] = v;
        return OK;
      }
      case 'BlockStmt':
        for (const b of s.blocks) {
          const r = this.block(b, f);
          if (r > 0) return r - 1;
        }
        return OK;
      case 'BreakStmt':
        return s.index;
      case 'CallDynamicStmt': {
        const path = s.path.map((p) => this.op(p, f));
        const name = 'g0.data.' + path.join('.');
        const fn = this.funcs.get(name);
        if (!fn) return UNDEF;
        const r = this.call(fn, s.args.map((a) => f[a]));
        if (r === undefined) return UNDEF;
        f[s.result] = r;
        return OK;
      }
      case 'CallStmt': {
        const args = s.args.map((a) => this.op(a, f));
        const fn = this.funcs.get(s.func);
        // A planned function may receive an undefined input document; a builtin never runs on
        // an undefined argument.
        if (!fn && args.some((a) => a === undefined)) return UNDEF;
        const r = fn ? this.call(fn, args) : this.builtin(s, args as Value[]);
        if (r === undefined) return UNDEF;
        f[s.result] = r;
        return OK;
      }
      case 'DotStmt': {
        const src = this.op(s.source, f);
        const key = this.op(s.key, f);
        if (src === undefined || key === undefined) return UNDEF;
        const v = dot(src, key);
        if (v === undefined) return UNDEF;
        f[s.target] = v;
        return OK;
      }
      case 'EqualStmt': {
        const a = this.op(s.a, f);
        const b = this.op(s.b, f);
        return a !== undefined && b !== undefined && equal(a, b) ? OK : UNDEF;
      }
      case 'NotEqualStmt': {
        const a = this.op(s.a, f);
        const b = this.op(s.b, f);
        return a !== undefined && b !== undefined && !equal(a, b) ? OK : UNDEF;
      }
      case 'IsArrayStmt':
        return Array.isArray(this.op(s.source, f)) ? OK : UNDEF;
      case 'IsObjectStmt':
        return this.op(s.source, f) instanceof ObjectValue ? OK : UNDEF;
      case 'IsSetStmt':
        return this.op(s.source, f) instanceof SetValue ? OK : UNDEF;
      case 'IsDefinedStmt':
        return f[s.source] !== undefined ? OK : UNDEF;
      case 'IsUndefinedStmt':
        return f[s.source] === undefined ? OK : UNDEF;
      case 'LenStmt': {
        const v = this.op(s.source, f);
        const n = length(v);
        if (n === undefined) return UNDEF;
        f[s.target] = n;
        return OK;
      }
      case 'MakeArrayStmt':
        f[s.target] = [];
        return OK;
      case 'MakeNullStmt':
        f[s.target] = null;
        return OK;
      case 'MakeNumberIntStmt':
        f[s.target] = s.value;
        return OK;
      case 'MakeNumberRefStmt':
        f[s.target] = numberFromText(this.strings[s.index]);
        return OK;
      case 'MakeObjectStmt':
        f[s.target] = new ObjectValue();
        return OK;
      case 'MakeSetStmt':
        f[s.target] = new SetValue();
        return OK;
      case 'NopStmt':
        return OK;
      case 'ObjectInsertOnceStmt':
      case 'ObjectInsertStmt': {
        const obj = f[s.object];
        const k = this.op(s.key, f);
        const v = this.op(s.value, f);
        if (k === undefined || v === undefined) return UNDEF;
        if (!(obj instanceof ObjectValue)) throw new RegoError('eval_conflict_error', 'object keys must be unique', this.location(s));
        if (s.type === 'ObjectInsertOnceStmt') {
          const cur = obj.get(k);
          if (cur !== undefined && !equal(cur, v)) throw new RegoError('eval_conflict_error', 'object keys must be unique', this.location(s));
        }
        obj.set(k, v);
        return OK;
      }
      case 'ObjectMergeStmt': {
        const a = f[s.a];
        const b = f[s.b];
        if (!(a instanceof ObjectValue) || !(b instanceof ObjectValue)) return UNDEF;
        f[s.target] = mergeObjects(a, b);
        return OK;
      }
      case 'ResetLocalStmt':
        f[s.target] = undefined;
        return OK;
      case 'ResultSetAddStmt': {
        const v = f[s.value];
        if (v !== undefined) this.results.push(v);
        return OK;
      }
      case 'ReturnLocalStmt':
        return OK;
      case 'ScanStmt':
        return this.scan(s, f);
      case 'SetAddStmt': {
        const set = f[s.set];
        const v = this.op(s.value, f);
        if (!(set instanceof SetValue) || v === undefined) return UNDEF;
        set.add(v);
        return OK;
      }
      case 'WithStmt': {
        const saved = f[s.local];
        const v = this.op(s.value, f);
        if (v === undefined) return UNDEF;
        f[s.local] = upsert(saved, s.path.map((i) => this.strings[i]), v);
        let r: number;
        try {
          r = this.block(s.block, f);
        } finally {
          f[s.local] = saved;
        }
        return r > 0 ? r - 1 : OK;
      }
    }
  }

  private steps = 0;
  private deadline = Infinity;

  /** Every so many loop iterations, whether the time limit has passed. */
  private tick(): void {
    if (++this.steps % 16384 === 0 && performance.now() > this.deadline) throw timeUp(this.opts.timeLimitMs);
  }

  private scan(s: Stmt & { type: 'ScanStmt' }, f: Frame): number {
    const src = f[s.source];
    const run = (k: Value, v: Value): number => {
      this.tick();
      f[s.key] = k;
      f[s.value] = v;
      return this.block(s.block, f);
    };
    if (Array.isArray(src)) {
      for (let i = 0; i < src.length; i++) {
        const r = run(i, src[i]);
        if (r > 0) return r - 1;
      }
    } else if (src instanceof ObjectValue) {
      for (const [k, v] of src.entries()) {
        const r = run(k, v);
        if (r > 0) return r - 1;
      }
    } else if (src instanceof SetValue) {
      for (const v of src.values()) {
        const r = run(v, v);
        if (r > 0) return r - 1;
      }
    }
    return OK;
  }

  private call(fn: Func, args: Array<Value | undefined>): Value | undefined {
    const memoizable = fn.params.length === 2;
    if (memoizable) {
      const m = this.memo.get(fn.name);
      if (m && m.input === args[0] && m.data === args[1]) return m.result;
    }
    const frame: Frame = [];
    fn.params.forEach((p, i) => (frame[p] = args[i]));
    const saved = this.func;
    this.func = fn;
    try {
      for (const b of fn.blocks) if (this.block(b, frame) > 0) break;
    } finally {
      this.func = saved;
    }
    const result = frame[fn.return];
    if (memoizable) this.memo.set(fn.name, { input: args[0], data: args[1], result });
    return result;
  }

  private builtin(s: Stmt & { type: 'CallStmt' }, args: Value[]): Value | undefined {
    if (s.func === 'internal.print') return this.print(args);
    const b = this.opts.lookupBuiltin(s.func);
    if (!b) throw new RegoError('eval_builtin_error', `unknown builtin ${s.func}`, this.location(s));
    // A loop of a few expensive calls never reaches the step count: every call checks the time.
    if (performance.now() > this.deadline) throw timeUp(this.opts.timeLimitMs);
    this.ctx.location = this.location(s);
    try {
      return b.impl(args, this.ctx);
    } catch (e) {
      if (e instanceof BuiltinError) {
        if (this.strict) throw new RegoError(e.code, e.message, this.location(s));
        return undefined;
      }
      if (e instanceof RegoError) throw e;
      throw new RegoError('eval_builtin_error', `${s.func}: ${(e as Error).message}`, this.location(s));
    }
  }

  private print(args: Value[]): Value {
    const parts = (args[0] as Value[]).map((set) => {
      const vals = (set as SetValue).values();
      if (vals.length === 0) return '<undefined>';
      return vals.map((v) => (typeof v === 'string' ? v : toRegoText(v))).join(', ');
    });
    this.ctx.print(parts.join(' '));
    return true;
  }
}

function dot(src: Value, key: Value): Value | undefined {
  if (Array.isArray(src)) {
    if (typeof key !== 'number' || !Number.isInteger(key) || key < 0 || key >= src.length) return undefined;
    return src[key];
  }
  if (src instanceof ObjectValue) return src.get(key);
  if (src instanceof SetValue) return src.has(key) ? key : undefined;
  return undefined;
}

function length(v: Value | undefined): number | undefined {
  if (Array.isArray(v)) return v.length;
  if (v instanceof ObjectValue || v instanceof SetValue) return v.size;
  if (typeof v === 'string') return [...v].length;
  return undefined;
}

/** Deep merge; on a non-object clash the first object's value wins. */
function mergeObjects(a: ObjectValue, b: ObjectValue): ObjectValue {
  const out = a.clone();
  for (const [k, v] of b.entries()) {
    const cur = out.get(k);
    if (cur === undefined) out.set(k, v);
    else if (cur instanceof ObjectValue && v instanceof ObjectValue) out.set(k, mergeObjects(cur, v));
  }
  return out;
}

/** A copy of `doc` with `value` at `path` (intermediate objects created as needed). */
function upsert(doc: Value | undefined, path: string[], value: Value): Value {
  if (path.length === 0) return value;
  const obj = doc instanceof ObjectValue ? doc.clone() : new ObjectValue();
  obj.set(path[0], upsert(obj.get(path[0]), path.slice(1), value));
  return obj;
}

