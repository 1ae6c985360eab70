// Which locals a statement mentions (not counting nested blocks): for executors that size frames.
import type { Block, Local, Operand, Stmt } from './types';

function op(o: Operand): Local[] {
  return o.type === 'local' ? [o.value] : [];
}

export function stmtLocals(s: Stmt): Local[] {
  switch (s.type) {
    case 'ArrayAppendStmt':
      return [s.array, ...op(s.value)];
    case 'AssignIntStmt':
    case 'MakeArrayStmt':
    case 'MakeNullStmt':
    case 'MakeNumberIntStmt':
    case 'MakeNumberRefStmt':
    case 'MakeObjectStmt':
    case 'MakeSetStmt':
    case 'ResetLocalStmt':
      return [s.target];
    case 'AssignVarOnceStmt':
    case 'AssignVarStmt':
      return [s.target, ...op(s.source)];
    case 'CallDynamicStmt':
      return [s.result, ...s.args, ...s.path.flatMap(op)];
    case 'CallStmt':
      return [s.result, ...s.args.flatMap(op)];
    case 'DotStmt':
      return [s.target, ...op(s.source), ...op(s.key)];
    case 'EqualStmt':
    case 'NotEqualStmt':
      return [...op(s.a), ...op(s.b)];
    case 'IsArrayStmt':
    case 'IsObjectStmt':
    case 'IsSetStmt':
      return op(s.source);
    case 'IsDefinedStmt':
    case 'IsUndefinedStmt':
    case 'ReturnLocalStmt':
      return [s.source];
    case 'LenStmt':
      return [s.target, ...op(s.source)];
    case 'ObjectInsertOnceStmt':
    case 'ObjectInsertStmt':
      return [s.object, ...op(s.key), ...op(s.value)];
    case 'ObjectMergeStmt':
      return [s.a, s.b, s.target];
    case 'ResultSetAddStmt':
      return [s.value];
    case 'ScanStmt':
      return [s.source, s.key, s.value];
    case 'SetAddStmt':
      return [s.set, ...op(s.value)];
    case 'WithStmt':
      return [s.local, ...op(s.value)];
    case 'BlockStmt':
    case 'BreakStmt':
    case 'NopStmt':
      return [];
  }
}

/** The nested blocks of a statement. */
export function stmtBlocks(s: Stmt): Block[] {
  if (s.type === 'BlockStmt') return s.blocks;
  if (s.type === 'ScanStmt' || s.type === 'WithStmt') return [s.block];
  return [];
}

/** The highest local index used anywhere in the blocks (-1 if none). */
export function maxLocal(blocks: Block[]): Local {
  let max = -1;
  const visit = (b: Block): void => {
    for (const s of b.stmts) {
      for (const l of stmtLocals(s)) if (l > max) max = l;
      stmtBlocks(s).forEach(visit);
    }
  };
  blocks.forEach(visit);
  return max;
}
