// The intermediate representation: a plan of blocks and statements modelled on OPA's IR
// (docs/docs/ir.md). Both executors consume it: the IR interpreter and the WASM emitter.
//
// Execution model (as OPA's): a block runs its statements in order. A statement that is
// *undefined* (a failed comparison, a missing key, a call that returns nothing) ends the block it
// stands in; control resumes after the enclosing BlockStmt/ScanStmt/WithStmt. `BreakStmt{index}`
// ends the current block and `index` enclosing ones. Locals are numbered; 0 is `input` and 1 is
// `data` in every function and plan.

export type Local = number;

export const INPUT: Local = 0;
export const DATA: Local = 1;

export type Operand =
  | { type: 'local'; value: Local }
  | { type: 'bool'; value: boolean }
  | { type: 'string_index'; value: number };

/** Source position of a statement: `file` indexes `static.files`. */
export interface StmtLocation {
  file: number;
  row: number;
  col: number;
}

interface Base {
  loc?: StmtLocation;
}

export type Stmt =
  | ({ type: 'ArrayAppendStmt'; array: Local; value: Operand } & Base)
  | ({ type: 'AssignIntStmt'; value: number; target: Local } & Base)
  /** Assigns, or, when `target` is already defined with a different value, raises a conflict. */
  | ({ type: 'AssignVarOnceStmt'; source: Operand; target: Local } & Base)
  | ({ type: 'AssignVarStmt'; source: Operand; target: Local } & Base)
  | ({ type: 'BlockStmt'; blocks: Block[] } & Base)
  | ({ type: 'BreakStmt'; index: number } & Base)
  /** Calls the function whose path is made of the operands' values (dynamic dispatch). */
  | ({ type: 'CallDynamicStmt'; args: Local[]; result: Local; path: Operand[] } & Base)
  /** Calls a planned function (by name) or a builtin (by its Rego name). Undefined if it is. */
  | ({ type: 'CallStmt'; func: string; args: Operand[]; result: Local } & Base)
  | ({ type: 'DotStmt'; source: Operand; key: Operand; target: Local } & Base)
  | ({ type: 'EqualStmt'; a: Operand; b: Operand } & Base)
  | ({ type: 'NotEqualStmt'; a: Operand; b: Operand } & Base)
  | ({ type: 'IsArrayStmt'; source: Operand } & Base)
  | ({ type: 'IsObjectStmt'; source: Operand } & Base)
  | ({ type: 'IsSetStmt'; source: Operand } & Base)
  | ({ type: 'IsDefinedStmt'; source: Local } & Base)
  | ({ type: 'IsUndefinedStmt'; source: Local } & Base)
  | ({ type: 'LenStmt'; source: Operand; target: Local } & Base)
  | ({ type: 'MakeArrayStmt'; capacity: number; target: Local } & Base)
  | ({ type: 'MakeNullStmt'; target: Local } & Base)
  | ({ type: 'MakeNumberIntStmt'; value: number; target: Local } & Base)
  /** A number from its literal text in `static.strings` (keeps big and decimal precision). */
  | ({ type: 'MakeNumberRefStmt'; index: number; target: Local } & Base)
  | ({ type: 'MakeObjectStmt'; target: Local } & Base)
  | ({ type: 'MakeSetStmt'; target: Local } & Base)
  | ({ type: 'NopStmt' } & Base)
  /** Inserts; raises an object-key conflict if the key exists with a different value. */
  | ({ type: 'ObjectInsertOnceStmt'; key: Operand; value: Operand; object: Local } & Base)
  | ({ type: 'ObjectInsertStmt'; key: Operand; value: Operand; object: Local } & Base)
  /** Deep-merges object `b` into `a` (a's values win on conflicts), into `target`. */
  | ({ type: 'ObjectMergeStmt'; a: Local; b: Local; target: Local } & Base)
  | ({ type: 'ResetLocalStmt'; target: Local } & Base)
  | ({ type: 'ResultSetAddStmt'; value: Local } & Base)
  | ({ type: 'ReturnLocalStmt'; source: Local } & Base)
  /** Runs `block` once per element of `source` (array index/value, object key/value, set elem/elem). */
  | ({ type: 'ScanStmt'; source: Local; key: Local; value: Local; block: Block } & Base)
  | ({ type: 'SetAddStmt'; value: Operand; set: Local } & Base)
  /** Runs `block` with `local` (input or data) replaced by a copy that has `value` at `path`. */
  | ({ type: 'WithStmt'; local: Local; path: number[]; value: Operand; block: Block } & Base);

export type StmtType = Stmt['type'];

export interface Block {
  stmts: Stmt[];
}

/** A query's plan: an entrypoint. Adds one object of bindings per result with ResultSetAddStmt. */
export interface Plan {
  name: string;
  blocks: Block[];
}

/** A planned function: a rule (set), a user function, or a package document. */
export interface Func {
  name: string;
  /** The data path the function computes, if any (`["test", "p"]`), for CallDynamicStmt. */
  path: string[];
  params: Local[];
  return: Local;
  blocks: Block[];
  /**
   * Regent extension (ignored by OPA tools): what the function computes, so a value conflict
   * can be reported with OPA's message for rules or for functions.
   */
  kind?: 'rule' | 'function';
}

export interface BuiltinFuncRef {
  name: string;
  decl: unknown;
}

export interface Policy {
  static: {
    strings: Array<{ value: string }>;
    builtin_funcs: BuiltinFuncRef[];
    files: Array<{ value: string }>;
  };
  plans: { plans: Plan[] };
  funcs: { funcs: Func[] };
}
