// Lowers one IR function or plan to a wasm function body. Every IR block becomes a labelled wasm
// block: an undefined statement branches to the end of its own block, `BreakStmt{n}` to the end
// of the block n levels out. A `with` swaps a local for the duration of its block; branches that
// leave the block past its restore code restore the local themselves first.
import type { Block, Local, Operand, Stmt, StmtLocation } from '../ir/types';
import type { BModule, Binaryen, ExpressionRef } from './binaryen';
import type { StaticData } from './statics';

/** What the lowering needs from the module being built. */
export interface LowerContext {
  b: Binaryen;
  m: BModule;
  statics: StaticData;
  /** Internal name of a runtime export. */
  rt(name: string): string;
  /** A call to a planned IR function or a builtin: its wasm call, or undefined if unknown. */
  call(func: string, args: ExpressionRef[], loc?: StmtLocation): ExpressionRef | undefined;
  /** Whether a call needs every argument defined (builtins do; planned functions don't). */
  needsDefinedArgs(func: string): boolean;
  files: string[];
  strings: string[];
  /** 0 rules, 1 functions: which conflict message AssignVarOnceStmt reports. */
  conflictKind: number;
  /** A function to call on every loop iteration (the deadline check), if any. */
  tick?: string;
}

interface Frame {
  label: string;
  /** Set on a `with` body: the local it swapped and where the original is kept. */
  restore?: { local: Local; saved: Local };
}

const TAG = { object: 6, array: 5, set: 7 };

export class FunctionLowering {
  private readonly frames: Frame[] = [];
  private labels = 0;
  private nextScratch: number;

  constructor(
    private readonly ctx: LowerContext,
    maxLocal: number,
  ) {
    this.nextScratch = maxLocal + 1;
  }

  /** Locals beyond the IR's, for loop counters and saved values. */
  get localCount(): number {
    return this.nextScratch;
  }

  private scratch(): Local {
    return this.nextScratch++;
  }

  private get i32(): number {
    return this.ctx.b.i32;
  }

  private get(l: Local): ExpressionRef {
    return this.ctx.m.local.get(l, this.i32);
  }

  private set(l: Local, v: ExpressionRef): ExpressionRef {
    return this.ctx.m.local.set(l, v);
  }

  private rtcall(name: string, args: ExpressionRef[], result = true): ExpressionRef {
    return this.ctx.m.call(this.ctx.rt(name), args, result ? this.i32 : this.ctx.b.none);
  }

  private const(n: number): ExpressionRef {
    return this.ctx.m.i32.const(n);
  }

  private operand(o: Operand): ExpressionRef {
    switch (o.type) {
      case 'local':
        return this.get(o.value);
      case 'bool':
        return this.rtcall('opa_boolean', [this.const(o.value ? 1 : 0)]);
      case 'string_index':
        return this.const(this.ctx.statics.string(this.ctx.strings[o.value]));
    }
  }

  /** Branch to the end of the current block: the statement is undefined. */
  private undefinedIf(cond: ExpressionRef): ExpressionRef {
    return this.ctx.m.br(this.frames[this.frames.length - 1].label, cond);
  }

  private isZero(e: ExpressionRef): ExpressionRef {
    return this.ctx.m.i32.eqz(e);
  }

  /** For operands that may hold undefined (locals), a guard; constants are always defined. */
  private guardDefined(ops: Operand[]): ExpressionRef[] {
    return ops.filter((o) => o.type === 'local').map((o) => this.undefinedIf(this.isZero(this.get(o.value))));
  }

  lowerBlocks(blocks: Block[]): ExpressionRef[] {
    return blocks.map((b) => this.lowerBlock(b));
  }

  lowerBlock(block: Block, restore?: Frame['restore']): ExpressionRef {
    const label = `B${this.labels++}`;
    this.frames.push({ label, restore });
    const body = block.stmts.flatMap((s) => this.stmt(s));
    this.frames.pop();
    return this.ctx.m.block(label, body, this.ctx.b.none);
  }

  private stmt(s: Stmt): ExpressionRef[] {
    const m = this.ctx.m;
    switch (s.type) {
      case 'ArrayAppendStmt':
        return [...this.guardDefined([s.value]), this.rtcall('opa_array_append', [this.get(s.array), this.operand(s.value)], false)];
      case 'AssignIntStmt':
        return [this.set(s.target, this.rtcall('opa_number_int', [m.i64.const(BigInt(s.value))]))];
      case 'AssignVarStmt':
        return [...this.guardDefined([s.source]), this.set(s.target, this.operand(s.source))];
      case 'AssignVarOnceStmt': {
        const loc = s.loc;
        const file = loc ? this.ctx.statics.string(this.ctx.files[loc.file] ?? '') : 0;
        // Nested ifs: compare only when the target already holds a value.
        const conflict = m.if(
          m.i32.ne(this.get(s.target), this.const(0)),
          m.if(
            m.i32.ne(this.rtcall('opa_value_compare', [this.get(s.target), this.operand(s.source)]), this.const(0)),
            this.rtcall('rt_conflict', [this.const(this.ctx.conflictKind), this.const(file), this.const(loc?.row ?? 0), this.const(loc?.col ?? 0)], false),
          ),
        );
        return [...this.guardDefined([s.source]), conflict, this.set(s.target, this.operand(s.source))];
      }
      case 'BlockStmt':
        return s.blocks.map((b) => this.lowerBlock(b));
      case 'BreakStmt':
        return this.breakOut(s.index);
      case 'CallDynamicStmt':
        throw new Error('CallDynamicStmt is not produced by the planner');
      case 'CallStmt': {
        const args = s.args.map((a) => this.operand(a));
        const call = this.ctx.call(s.func, args, s.loc);
        if (call === undefined) throw new Error(`unknown function ${s.func}`);
        const guards = this.ctx.needsDefinedArgs(s.func) ? this.guardDefined(s.args) : [];
        return [...guards, this.set(s.result, call), this.undefinedIf(this.isZero(this.get(s.result)))];
      }
      case 'DotStmt':
        return [
          ...this.guardDefined([s.source, s.key]),
          this.set(s.target, this.rtcall('opa_value_get', [this.operand(s.source), this.operand(s.key)])),
          this.undefinedIf(this.isZero(this.get(s.target))),
        ];
      case 'EqualStmt':
      case 'NotEqualStmt': {
        const cmp = this.rtcall('opa_value_compare', [this.operand(s.a), this.operand(s.b)]);
        return [...this.guardDefined([s.a, s.b]), this.undefinedIf(s.type === 'EqualStmt' ? m.i32.ne(cmp, this.const(0)) : this.isZero(cmp))];
      }
      case 'IsArrayStmt':
      case 'IsObjectStmt':
      case 'IsSetStmt': {
        const tag = s.type === 'IsArrayStmt' ? TAG.array : s.type === 'IsObjectStmt' ? TAG.object : TAG.set;
        return [
          ...this.guardDefined([s.source]),
          this.undefinedIf(m.i32.ne(this.rtcall('opa_value_type', [this.operand(s.source)]), this.const(tag))),
        ];
      }
      case 'IsDefinedStmt':
        return [this.undefinedIf(this.isZero(this.get(s.source)))];
      case 'IsUndefinedStmt':
        return [this.undefinedIf(m.i32.ne(this.get(s.source), this.const(0)))];
      case 'LenStmt': {
        const n = this.scratch();
        return [
          ...this.guardDefined([s.source]),
          this.set(n, this.rtcall('opa_value_length', [this.operand(s.source)])),
          this.undefinedIf(m.i32.lt_s(this.get(n), this.const(0))),
          this.set(s.target, this.rtcall('opa_number_int', [m.i64.extend_s(this.get(n))])),
        ];
      }
      case 'MakeArrayStmt':
        return [this.set(s.target, this.rtcall('opa_array_with_cap', [this.const(s.capacity)]))];
      case 'MakeNullStmt':
        return [this.set(s.target, this.rtcall('opa_null', []))];
      case 'MakeNumberIntStmt':
        return [this.set(s.target, this.rtcall('opa_number_int', [m.i64.const(BigInt(s.value))]))];
      case 'MakeNumberRefStmt': {
        const { ptr, len } = this.ctx.statics.stringBytes(this.ctx.strings[s.index]);
        return [this.set(s.target, this.rtcall('opa_number_ref', [this.const(ptr), this.const(len)]))];
      }
      case 'MakeObjectStmt':
        return [this.set(s.target, this.rtcall('opa_object', []))];
      case 'MakeSetStmt':
        return [this.set(s.target, this.rtcall('opa_set', []))];
      case 'NopStmt':
        return [];
      case 'ObjectInsertStmt':
        return [...this.guardDefined([s.key, s.value]), this.rtcall('opa_object_insert', [this.get(s.object), this.operand(s.key), this.operand(s.value)], false)];
      case 'ObjectInsertOnceStmt': {
        const loc = s.loc;
        const file = loc ? this.ctx.statics.string(this.ctx.files[loc.file] ?? '') : 0;
        return [
          ...this.guardDefined([s.key, s.value]),
          m.if(
            m.i32.ne(this.rtcall('rt_object_insert_once', [this.get(s.object), this.operand(s.key), this.operand(s.value)]), this.const(0)),
            this.rtcall('rt_conflict', [this.const(2), this.const(file), this.const(loc?.row ?? 0), this.const(loc?.col ?? 0)], false),
          ),
        ];
      }
      case 'ObjectMergeStmt':
        return [
          this.undefinedIf(m.i32.or(this.isZero(this.get(s.a)), this.isZero(this.get(s.b)))),
          this.set(s.target, this.rtcall('opa_value_merge', [this.get(s.a), this.get(s.b)])),
          this.undefinedIf(this.isZero(this.get(s.target))),
        ];
      case 'ResetLocalStmt':
        return [this.set(s.target, this.const(0))];
      case 'ResultSetAddStmt':
        return [this.undefinedIf(this.isZero(this.get(s.value))), this.rtcall('rt_result_add', [this.get(s.value)], false)];
      case 'ReturnLocalStmt':
        return [];
      case 'ScanStmt':
        return this.scan(s);
      case 'SetAddStmt':
        return [...this.guardDefined([s.value]), this.rtcall('opa_set_add', [this.get(s.set), this.operand(s.value)], false)];
      case 'WithStmt': {
        const saved = this.scratch();
        const path = this.const(this.ctx.statics.stringArray(s.path.map((i) => this.ctx.strings[i])));
        return [
          ...this.guardDefined([s.value]),
          this.set(saved, this.get(s.local)),
          this.set(s.local, this.rtcall('rt_upsert', [this.get(s.local), path, this.operand(s.value)])),
          this.lowerBlock(s.block, { local: s.local, saved }),
          this.set(s.local, this.get(saved)),
        ];
      }
    }
  }

  /** Leaves `index + 1` blocks, restoring locals swapped by `with` blocks it jumps out of. */
  private breakOut(index: number): ExpressionRef[] {
    const target = this.frames.length - 1 - index;
    const restores: ExpressionRef[] = [];
    for (let i = this.frames.length - 1; i > target; i--) {
      const r = this.frames[i].restore;
      if (r) restores.push(this.set(r.local, this.get(r.saved)));
    }
    return [...restores, this.ctx.m.br(this.frames[target].label)];
  }

  private scan(s: Stmt & { type: 'ScanStmt' }): ExpressionRef[] {
    const m = this.ctx.m;
    const i = this.scratch();
    const n = this.scratch();
    const exit = `S${this.labels++}`;
    const loop = `L${this.labels++}`;
    const body = this.lowerBlock(s.block);
    return [
      this.set(i, this.const(0)),
      this.set(n, m.if(this.isZero(this.get(s.source)), this.const(0), this.rtcall('rt_iter_len', [this.get(s.source)]))),
      m.block(exit, [
        m.loop(
          loop,
          m.block(null, [
            m.br(exit, m.i32.ge_s(this.get(i), this.get(n))),
            ...(this.ctx.tick ? [m.call(this.ctx.tick, [], this.ctx.b.none)] : []),
            this.set(s.key, this.rtcall('rt_iter_key', [this.get(s.source), this.get(i)])),
            this.set(s.value, this.rtcall('rt_iter_value', [this.get(s.source), this.get(i)])),
            body,
            this.set(i, m.i32.add(this.get(i), this.const(1))),
            m.br(loop),
          ]),
        ),
      ]),
    ];
  }
}
