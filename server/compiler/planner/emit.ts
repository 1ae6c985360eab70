// Statement emission for the planner: the current block, nesting depth (for BreakStmt indexes),
// locals, and the policy's static string table.
import type { Location } from '../../rego/ast';
import type { Block, Local, Operand, Stmt, StmtLocation } from '../../ir/types';

export class StaticTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();
  readonly files: string[] = [];
  private readonly fileIndex = new Map<string, number>();

  string(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }

  file(f: string): number {
    let i = this.fileIndex.get(f);
    if (i === undefined) {
      i = this.files.length;
      this.files.push(f);
      this.fileIndex.set(f, i);
    }
    return i;
  }
}

/** Emits into one function or plan. */
export class Emitter {
  private nextLocal: number;
  /** The block statements are appended to. */
  curr: Block;
  /** How many blocks enclose `curr` (the function's top block is 0). */
  depth = 0;
  loc: StmtLocation | undefined;

  constructor(
    readonly statics: StaticTable,
    firstLocal: number,
    top: Block,
  ) {
    this.nextLocal = firstLocal;
    this.curr = top;
  }

  local(): Local {
    return this.nextLocal++;
  }

  setLocation(loc: Location | undefined): void {
    this.loc = loc ? { file: this.statics.file(loc.file), row: loc.row, col: loc.col } : undefined;
  }

  emit(s: Stmt): void {
    if (this.loc && s.loc === undefined) s.loc = this.loc;
    this.curr.stmts.push(s);
  }

  str(s: string): Operand {
    return { type: 'string_index', value: this.statics.string(s) };
  }

  /** Makes `op` a local (statements such as ScanStmt and IsDefinedStmt take locals only). */
  toLocal(op: Operand): Local {
    if (op.type === 'local') return op.value;
    const l = this.local();
    this.emit({ type: 'AssignVarStmt', source: op, target: l });
    return l;
  }

  /** Runs `fn` with a new block as `curr`; returns the block (not yet attached anywhere). */
  inBlock(fn: () => void): Block {
    const saved = this.curr;
    // The block's statement (a scan, a `with`) is emitted after the block is planned: it keeps
    // the location of the expression that opened the block, not of the last one inside.
    const loc = this.loc;
    const block: Block = { stmts: [] };
    this.curr = block;
    this.depth++;
    try {
      fn();
    } finally {
      this.curr = saved;
      this.depth--;
      this.loc = loc;
    }
    return block;
  }

  /** Emits `BlockStmt{[block]}` where the block is built by `fn`. */
  block(fn: () => void): void {
    const b = this.inBlock(fn);
    this.emit({ type: 'BlockStmt', blocks: [b] });
  }

  /** A statement that is always undefined: ends the current block. */
  fail(): void {
    this.emit({ type: 'BreakStmt', index: 0 });
  }
}

export function local(value: Local): Operand {
  return { type: 'local', value };
}
