// IR policy → OPA-ABI wasm module: the runtime (built from server/wasm/runtime) plus one function
// per IR function and plan, the policy's constants as a data segment, the `entrypoints` and
// `builtins` exports, and a dispatcher that replaces the runtime's `regent_eval_plan` import.
import type { Func, Plan, Policy, Stmt, StmtLocation } from '../ir/types';
import { maxLocal, stmtBlocks } from '../ir/locals';
import { lookupBuiltin } from '../builtins/catalog';
import type { Type } from '../builtins/types';
import { loadBinaryen, type BModule, type Binaryen, type ExpressionRef } from './binaryen';
import { FunctionLowering, type LowerContext } from './lower';
import { NATIVE_BUILTINS } from './native';
import { loadRuntimeImage } from './runtime-image';
import { StaticData } from './statics';

export interface WasmCompileOptions {
  /** Entrypoint names (as `entrypoints()` reports them) → plan names, in id order. */
  entrypoints: Array<{ name: string; plan: string }>;
  /** Run binaryen's optimiser over the generated functions. Off by default: on the shipped
   *  library it doubled the build time for no measurable gain in evaluation time. */
  optimize?: boolean;
  /** The name a host builtin goes by in the `builtins` export (default: its own). */
  hostName?: (builtin: string) => string;
  /** Every DEADLINE_STEPS loop iterations, call this host builtin (it throws when the
   *  evaluation's time is up). Only for Regent's engine: other SDKs do not provide it. */
  deadlineBuiltin?: string;
}

/** Loop iterations between two deadline checks: rare enough to cost nothing measurable, often
 *  enough (microseconds apart) for a prompt stop. */
export const DEADLINE_STEPS = 16384;

export interface WasmCompileResult {
  wasm: Uint8Array;
  /** Builtins the host must provide through `opa_builtinN`, by id. */
  hostBuiltins: string[];
  /** Call sites of host builtins: the runtime's `regent_location` global holds the index + 1 of
   *  the latest one, so an error a host builtin raises can name its place. */
  locations: Array<{ file: string; row: number; col: number }>;
}

const MAX_HOST_ARITY = 4;

export async function compileWasm(policy: Policy, opts: WasmCompileOptions): Promise<WasmCompileResult> {
  const b = await loadBinaryen();
  const image = loadRuntimeImage();
  // Only features every current wasm engine (Node 20's included) supports, so the binary
  // loads anywhere an OPA Wasm SDK runs.
  const features = b.Features.MVP | b.Features.MutableGlobals | b.Features.SignExt | b.Features.BulkMemory | b.Features.BulkMemoryOpt | b.Features.NontrappingFPToInt;
  const m = b.readBinary(image.bytes);
  m.setFeatures(features);
  return new ModuleBuilder(b, m, image.heapBase, policy, opts).build();
}

class ModuleBuilder {
  private readonly exports = new Map<string, string>();
  private readonly imports = new Map<string, string>();
  private readonly statics: StaticData;
  private readonly funcs: Map<string, Func>;
  private readonly hostIds = new Map<string, number>();
  private readonly strings: string[];
  private readonly files: string[];

  constructor(
    private readonly b: Binaryen,
    private readonly m: BModule,
    heapBase: number,
    private readonly policy: Policy,
    private readonly opts: WasmCompileOptions,
  ) {
    this.statics = new StaticData(heapBase);
    this.funcs = new Map(policy.funcs.funcs.map((f) => [f.name, f]));
    this.strings = policy.static.strings.map((s) => s.value);
    this.files = policy.static.files.map((f) => f.value);
    for (let i = 0; i < m.getNumExports(); i++) {
      const info = b.getExportInfo(m.getExportByIndex(i));
      this.exports.set(info.name, info.value);
    }
    for (let i = 0; i < m.getNumFunctions(); i++) {
      const info = b.getFunctionInfo(m.getFunctionByIndex(i));
      if (info.module === 'env' && info.base) this.imports.set(info.base, info.name);
    }
  }

  private rt = (name: string): string => {
    const internal = this.exports.get(name);
    if (internal === undefined) throw new Error(`the wasm runtime does not export ${name}`);
    return internal;
  };

  build(): WasmCompileResult {
    this.assignHostBuiltins();
    for (const f of this.policy.funcs.funcs) this.addFunc(f);
    for (const p of this.policy.plans.plans) this.addPlan(p);
    this.addDispatcher();
    this.addJSONExport('entrypoints', JSON.stringify(Object.fromEntries(this.opts.entrypoints.map((e, i) => [e.name, i]))));
    const hostName = this.opts.hostName ?? ((n: string) => n);
    this.addJSONExport('builtins', JSON.stringify(Object.fromEntries([...this.hostIds].map(([n, id]) => [hostName(n), id]))));
    this.placeStatics();
    if (this.opts.optimize === true) {
      this.b.setOptimizeLevel(2);
      this.b.setShrinkLevel(0);
      for (const name of this.generated) this.m.optimizeFunction(name);
    }
    if (!this.m.validate()) throw new Error('generated wasm module does not validate');
    const wasm = this.m.emitBinary();
    this.m.dispose();
    return { wasm, hostBuiltins: [...this.hostIds.keys()], locations: this.locations };
  }

  private readonly generated: string[] = [];

  // -------------------------------------------------------------------------------------------
  // Builtins: native ones call runtime exports; the others go to the host by id.

  private assignHostBuiltins(): void {
    const visit = (stmts: Stmt[]): void => {
      for (const s of stmts) {
        const native = s.type === 'CallStmt' ? NATIVE_BUILTINS.get(s.func) : undefined;
        if (s.type === 'CallStmt' && !this.funcs.has(s.func) && (!native || native.asksHost) && !this.hostIds.has(s.func)) {
          if (s.args.length > MAX_HOST_ARITY) throw new Error(`${s.func}: builtins with more than ${MAX_HOST_ARITY} arguments are not supported on wasm`);
          this.hostIds.set(s.func, this.hostIds.size);
        }
        stmtBlocks(s).forEach((x) => visit(x.stmts));
      }
    };
    for (const f of this.policy.funcs.funcs) f.blocks.forEach((x) => visit(x.stmts));
    for (const p of this.policy.plans.plans) p.blocks.forEach((x) => visit(x.stmts));
  }

  private readonly locations: WasmCompileResult['locations'] = [];
  private readonly locationIds = new Map<string, number>();

  private locationId(loc: StmtLocation | undefined): number {
    if (!loc) return 0;
    const key = `${loc.file}:${loc.row}:${loc.col}`;
    let id = this.locationIds.get(key);
    if (id === undefined) {
      this.locations.push({ file: this.files[loc.file] ?? '', row: loc.row, col: loc.col });
      id = this.locations.length;
      this.locationIds.set(key, id);
    }
    return id;
  }

  private call(func: string, args: ExpressionRef[], loc?: StmtLocation): ExpressionRef | undefined {
    const i32 = this.b.i32;
    if (this.funcs.has(func)) return this.m.call(funcName(func), args, i32);
    const native = NATIVE_BUILTINS.get(func);
    if (native && !native.asksHost) return this.m.call(this.rt(native.export), args, i32);
    const id = this.hostIds.get(func);
    if (id === undefined) return undefined;
    const target = native ? this.nativeThenHost(func, native.export, id, args.length) : undefined;
    const setLocation = this.m.global.set(this.rt('regent_location'), this.m.i32.const(this.locationId(loc)));
    return this.m.block(null, [setLocation, target ? this.m.call(target, args, i32) : this.hostCall(func, id, args)], i32);
  }

  /** A call to a host builtin through `opa_builtinN`. */
  private hostCall(func: string, id: number, args: ExpressionRef[]): ExpressionRef {
    const i32 = this.b.i32;
    const m = this.m;
    // The arguments also go to the runtime's regent_argN globals: the SDK hands the host their
    // JSON through JSON.parse, which rounds integers beyond 2^53, and Regent's host side then
    // reads the exact values from these addresses (host-builtins.ts).
    const globals = args.map((_, i) => this.rt(`regent_arg${i}`));
    const call = m.block(
      null,
      [...args.map((a, i) => m.global.set(globals[i], a)), m.call(this.hostImport(args.length), [m.i32.const(id), m.i32.const(0), ...globals.map((g) => m.global.get(g, i32))], i32)],
      i32,
    );
    // JSON cannot carry sets: a host builtin declared to return a set hands back an array.
    return returnsSet(lookupBuiltin(func)?.decl.result) ? this.m.call(this.rt('rt_to_set'), [call], i32) : call;
  }

  /** A function that runs a native builtin's fast path and, when it answers ASK_HOST (1), the
   *  host's full implementation with the same arguments. Generated once per builtin. */
  private nativeThenHost(func: string, native: string, id: number, arity: number): string {
    const name = `native-then-host:${func}`;
    if (this.wrappers.has(name)) return name;
    const m = this.m;
    const i32 = this.b.i32;
    const params = Array.from({ length: arity }, (_, i) => m.local.get(i, i32));
    const r = arity; // the one extra local
    const body = m.block(null, [
      m.local.set(r, m.call(this.rt(native), params, i32)),
      m.if(m.i32.eq(m.local.get(r, i32), m.i32.const(1)), m.local.set(r, this.hostCall(func, id, params))),
      m.return(m.local.get(r, i32)),
    ]);
    m.addFunction(name, this.b.createType(new Array(arity).fill(i32)), i32, [i32], body);
    this.wrappers.add(name);
    this.generated.push(name);
    return name;
  }

  private readonly wrappers = new Set<string>();

  /** The ABI's `env.opa_builtinN` import (the runtime never calls them, so they are added here). */
  private hostImport(arity: number): string {
    const base = `opa_builtin${arity}`;
    let name = this.imports.get(base);
    if (!name) {
      name = base;
      this.m.addFunctionImport(name, 'env', base, this.b.createType(new Array(arity + 2).fill(this.b.i32)), this.b.i32);
      this.imports.set(base, name);
    }
    return name;
  }

  /** A function run once per loop iteration when deadlines are on: counts down and, at zero,
   *  asks the host (which throws when time is up). */
  private deadlineCheck(): string | undefined {
    const builtin = this.opts.deadlineBuiltin;
    if (builtin === undefined) return undefined;
    const name = 'regent_deadline_tick';
    if (this.wrappers.has(name)) return name;
    const m = this.m;
    const i32 = this.b.i32;
    const steps = this.rt('regent_steps');
    if (!this.hostIds.has(builtin)) this.hostIds.set(builtin, this.hostIds.size);
    const id = this.hostIds.get(builtin) as number;
    const body = m.block(null, [
      m.global.set(steps, m.i32.sub(m.global.get(steps, i32), m.i32.const(1))),
      m.if(
        m.i32.le_s(m.global.get(steps, i32), m.i32.const(0)),
        m.block(null, [m.global.set(steps, m.i32.const(DEADLINE_STEPS)), m.drop(m.call(this.hostImport(0), [m.i32.const(id), m.i32.const(0)], i32))]),
      ),
    ]);
    m.addFunction(name, this.b.none, this.b.none, [], body);
    this.wrappers.add(name);
    this.generated.push(name);
    return name;
  }

  private lowering(conflictKind: number, maxLocal: number): FunctionLowering {
    const ctx: LowerContext = {
      tick: this.deadlineCheck(),
      b: this.b,
      m: this.m,
      statics: this.statics,
      rt: this.rt,
      call: (f, a, l) => this.call(f, a, l),
      needsDefinedArgs: (f) => !this.funcs.has(f),
      files: this.files,
      strings: this.strings,
      conflictKind,
    };
    return new FunctionLowering(ctx, maxLocal);
  }

  // -------------------------------------------------------------------------------------------
  // Functions and plans

  private addFunc(f: Func): void {
    const i32 = this.b.i32;
    f.params.forEach((p, i) => {
      if (p !== i) throw new Error(`${f.name}: parameters must be the first locals`);
    });
    const low = this.lowering(f.kind === 'function' ? 1 : 0, Math.max(maxLocal(f.blocks), f.return, f.params.length - 1));
    const blocks = low.lowerBlocks(f.blocks);
    const body = f.params.length === 2 ? this.memoized(f, blocks) : [...blocks, this.m.return(this.m.local.get(f.return, i32))];
    const vars = new Array<number>(low.localCount - f.params.length).fill(i32);
    const name = funcName(f.name);
    this.m.addFunction(name, this.b.createType(f.params.map(() => i32)), i32, vars, this.m.block(null, body, this.b.none));
    this.generated.push(name);
  }

  /**
   * A rule's function (input and data its only parameters) runs once per evaluation for given
   * input and data documents: later calls return the remembered value. Within one evaluation
   * the heap only grows, so equal pointers mean the same documents (`with` makes new ones); the
   * runtime's `regent_epoch` changes with every evaluation.
   */
  private memoized(f: Func, blocks: ExpressionRef[]): ExpressionRef[] {
    const m = this.m;
    const i32 = this.b.i32;
    const g = (part: string): string => `memo:${part}:${f.name}`;
    for (const part of ['epoch', 'input', 'data', 'result']) m.addGlobal(g(part), i32, true, m.i32.const(part === 'epoch' ? -1 : 0));
    const epoch = this.rt('regent_epoch');
    const hit = m.i32.and(
      m.i32.eq(m.global.get(g('epoch'), i32), m.global.get(epoch, i32)),
      m.i32.and(m.i32.eq(m.global.get(g('input'), i32), m.local.get(0, i32)), m.i32.eq(m.global.get(g('data'), i32), m.local.get(1, i32))),
    );
    return [
      m.if(hit, m.return(m.global.get(g('result'), i32))),
      ...blocks,
      m.global.set(g('epoch'), m.global.get(epoch, i32)),
      m.global.set(g('input'), m.local.get(0, i32)),
      m.global.set(g('data'), m.local.get(1, i32)),
      m.global.set(g('result'), m.local.get(f.return, i32)),
      m.return(m.local.get(f.return, i32)),
    ];
  }

  private addPlan(p: Plan): void {
    const i32 = this.b.i32;
    const low = this.lowering(0, Math.max(maxLocal(p.blocks), 1));
    const body = low.lowerBlocks(p.blocks);
    const vars = new Array<number>(low.localCount - 2).fill(i32);
    const name = planName(p.name);
    this.m.addFunction(name, this.b.createType([i32, i32]), this.b.none, vars, this.m.block(null, body, this.b.none));
    this.generated.push(name);
  }

  /** `regent_eval_plan(entrypoint, input, data)`: runs the entrypoint's plan. */
  private addDispatcher(): void {
    const i32 = this.b.i32;
    const m = this.m;
    const placeholder = this.imports.get('regent_eval_plan');
    if (!placeholder) throw new Error('the wasm runtime does not import regent_eval_plan');
    m.removeFunction(placeholder);
    const cases = this.opts.entrypoints.map((e, i) =>
      m.if(m.i32.eq(m.local.get(0, i32), m.i32.const(i)), m.call(planName(e.plan), [m.local.get(1, i32), m.local.get(2, i32)], this.b.none)),
    );
    m.addFunction(placeholder, this.b.createType([i32, i32, i32]), this.b.none, [], m.block(null, cases.length ? cases : [m.nop()], this.b.none));
    this.generated.push(placeholder);
  }

  /** An export returning a value parsed from constant JSON text. */
  private addJSONExport(name: string, json: string): void {
    const i32 = this.b.i32;
    const { ptr, len } = this.statics.stringBytes(json);
    const fn = `regent_${name}`;
    this.m.addFunction(fn, this.b.none, i32, [], this.m.call(this.rt('opa_json_parse'), [this.m.i32.const(ptr), this.m.i32.const(len)], i32));
    this.m.addFunctionExport(fn, name);
  }

  /** Puts the constants in a passive data segment that the start function copies in, after
   *  growing the memory to hold them, and starts the heap after them. Not an active segment:
   *  that would raise the memory import's declared minimum past the 5 pages the JS SDK creates
   *  (see README, "The constants' segment is passive"). */
  private placeStatics(): void {
    const b = this.b;
    const m = this.m;
    const seg = this.statics.segment();
    const segments: Array<{ name?: string; offset: ExpressionRef; data: Uint8Array; passive: boolean }> = [];
    // binaryen.js has these data-segment readers; its type declarations lag behind.
    const dm = m as unknown as DataSegmentReader;
    for (let i = 0; i < dm.getNumDataSegments(); i++) {
      const info = dm.getDataSegmentInfo(dm.getDataSegmentByIndex(i));
      segments.push({ name: info.name, offset: m.i32.const(info.offset), data: new Uint8Array(info.data), passive: info.passive });
    }
    segments.push({ name: STATICS_SEGMENT, offset: 0, data: seg.data, passive: true });
    const mem = m.getMemoryInfo();
    // No maximum unless the runtime had one: the SDKs import a memory created without one.
    const name = memoryName(b);
    m.setMemory(mem.initial, mem.max ?? -1, null, segments, false, false, name);
    m.addMemoryImport(name, 'env', 'memory');
    // The runtime's start function sets its heap base; ours then loads the constants after it
    // and moves the heap start past them.
    const start = m.getStart();
    const body: ExpressionRef[] = [];
    if (start) body.push(m.call(b.getFunctionInfo(start).name, [], b.none));
    // local 0: the pages still missing below the constants' end.
    const short = (): ExpressionRef => m.local.get(0, b.i32);
    body.push(
      m.local.set(0, m.i32.sub(m.i32.const(Math.ceil(this.statics.limit / 65536)), m.memory.size(name))),
      m.if(m.i32.gt_s(short(), m.i32.const(0)), m.if(m.i32.eq(m.memory.grow(short(), name), m.i32.const(-1)), m.unreachable())),
      m.memory.init(STATICS_SEGMENT, m.i32.const(seg.offset), m.i32.const(0), m.i32.const(seg.data.length), name),
      m.data.drop(STATICS_SEGMENT),
      m.global.set(this.rt('regent_heap_base'), m.i32.const(this.statics.limit)),
    );
    m.addFunction('regent_start', b.none, b.none, [b.i32], m.block(null, body, b.none));
    m.setStart(m.getFunction('regent_start'));
  }
}

/** The name of the data segment holding the policy's constants. */
const STATICS_SEGMENT = 'regent_statics';

interface DataSegmentReader {
  getNumDataSegments(): number;
  getDataSegmentByIndex(i: number): number;
  getDataSegmentInfo(ref: number): { name: string; offset: number; data: ArrayBuffer; passive: boolean };
}

let runtimeMemoryName: string | undefined;

/** The internal name binaryen gives the runtime's imported memory (memory instructions refer to
 *  it, so the memory rebuilt with our data must keep it). The API has no getter: it is read once
 *  from the text form of the runtime stripped of its functions (the whole module's text takes
 *  0.3 s or more; this, milliseconds). */
function memoryName(b: Binaryen): string {
  if (runtimeMemoryName === undefined) {
    const probe = b.readBinary(loadRuntimeImage().bytes);
    const defined: string[] = [];
    for (let i = 0; i < probe.getNumFunctions(); i++) {
      const info = b.getFunctionInfo(probe.getFunctionByIndex(i));
      if (!info.module) defined.push(info.name);
    }
    for (const name of defined) probe.removeFunction(name);
    const found = /\(import "env" "memory" \(memory \$(\S+)/.exec(probe.emitText());
    probe.dispose();
    if (!found) throw new Error('the wasm runtime does not import env.memory');
    runtimeMemoryName = found[1];
  }
  return runtimeMemoryName;
}

function funcName(name: string): string {
  return `policy:${name}`;
}

function planName(name: string): string {
  return `plan:${name}`;
}

function returnsSet(t: Type | undefined): boolean {
  return t?.type === 'set';
}
