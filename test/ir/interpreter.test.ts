// The interpreter on hand-written IR: block/break semantics, scans, conflicts and `with`.
import { Interpreter } from '../../server/ir/interpreter';
import type { Block, Policy, Stmt } from '../../server/ir/types';
import { lookupBuiltin } from '../../server/builtins/catalog';
import { ObjectValue, SetValue, fromJS, toJS, type Value } from '../../server/value/value';

const L = (value: number) => ({ type: 'local' as const, value });
const S = (value: number) => ({ type: 'string_index' as const, value });

function policy(stmts: Stmt[], strings: string[] = [], funcs: Policy['funcs']['funcs'] = []): Policy {
  return {
    static: { strings: strings.map((value) => ({ value })), builtin_funcs: [], files: [{ value: 'x.rego' }] },
    plans: { plans: [{ name: 'q', blocks: [{ stmts }] }] },
    funcs: { funcs },
  };
}

function run(p: Policy, input?: Value, data: Value = new ObjectValue()): unknown[] {
  return new Interpreter(p, { lookupBuiltin }).evalPlan('q', input, data).map(toJS);
}

/** Adds {"x": local} to the result set. */
function emitResult(local: number, obj = 90): Stmt[] {
  return [
    { type: 'MakeObjectStmt', target: obj },
    { type: 'ObjectInsertStmt', key: S(0), value: L(local), object: obj },
    { type: 'ResultSetAddStmt', value: obj },
  ];
}

describe('IR interpreter', () => {
  it('scans arrays, objects and sets in order', () => {
    const body: Block = { stmts: emitResult(3) };
    const p = policy([{ type: 'ScanStmt', source: 0, key: 2, value: 3, block: body }], ['x']);
    expect(run(p, fromJS([3, 1, 2]))).toEqual([{ x: 3 }, { x: 1 }, { x: 2 }]);
    expect(run(p, fromJS({ b: 2, a: 1 }))).toEqual([{ x: 1 }, { x: 2 }]);
    expect(run(p, SetValue.of(['b', 'a']))).toEqual([{ x: 'a' }, { x: 'b' }]);
    expect(run(p, 7)).toEqual([]);
  });

  it('an undefined statement ends only its own block', () => {
    const p = policy(
      [
        { type: 'BlockStmt', blocks: [{ stmts: [{ type: 'DotStmt', source: L(0), key: S(1), target: 2 }, ...emitResult(2)] }] },
        { type: 'MakeNumberIntStmt', value: 5, target: 3 },
        ...emitResult(3),
      ],
      ['x', 'missing'],
    );
    expect(run(p, fromJS({}))).toEqual([{ x: 5 }]);
  });

  it('BreakStmt leaves as many blocks as its index says', () => {
    const inner: Block = { stmts: [{ type: 'BreakStmt', index: 1 }] };
    const outer: Block = { stmts: [{ type: 'BlockStmt', blocks: [inner] }, { type: 'MakeNullStmt', target: 2 }, ...emitResult(2)] };
    const p = policy([{ type: 'BlockStmt', blocks: [outer] }, { type: 'MakeNumberIntStmt', value: 1, target: 3 }, ...emitResult(3)], ['x']);
    expect(run(p)).toEqual([{ x: 1 }]);
  });

  it('AssignVarOnceStmt raises a conflict on a second, different value', () => {
    const p = policy(
      [
        { type: 'MakeNumberIntStmt', value: 1, target: 2 },
        { type: 'MakeNumberIntStmt', value: 2, target: 3 },
        { type: 'AssignVarOnceStmt', source: L(2), target: 4 },
        { type: 'AssignVarOnceStmt', source: L(2), target: 4 },
        { type: 'AssignVarOnceStmt', source: L(3), target: 4, loc: { file: 0, row: 3, col: 1 } },
      ],
      ['x'],
    );
    expect(() => run(p)).toThrow(expect.objectContaining({ code: 'eval_conflict_error', location: { file: 'x.rego', row: 3, col: 1 } }));
  });

  it('WithStmt replaces a path for its block only', () => {
    const p = policy(
      [
        { type: 'MakeNumberIntStmt', value: 9, target: 2 },
        {
          type: 'WithStmt',
          local: 0,
          path: [1],
          value: L(2),
          block: { stmts: [{ type: 'DotStmt', source: L(0), key: S(1), target: 3 }, ...emitResult(3)] },
        },
        { type: 'DotStmt', source: L(0), key: S(1), target: 4 },
        ...emitResult(4, 91),
      ],
      ['x', 'a'],
    );
    expect(run(p, fromJS({ a: 1 }))).toEqual([{ x: 9 }, { x: 1 }]);
  });

  it('calls planned functions and builtins', () => {
    const fn = {
      name: 'g0.data.t.f',
      path: ['t', 'f'],
      params: [0, 1, 2],
      return: 3,
      blocks: [{ stmts: [{ type: 'CallStmt', func: 'plus', args: [L(2), L(2)], result: 3 } as Stmt, { type: 'ReturnLocalStmt', source: 3 } as Stmt] }],
    };
    const p = policy(
      [{ type: 'MakeNumberIntStmt', value: 21, target: 2 }, { type: 'CallStmt', func: 'g0.data.t.f', args: [L(0), L(1), L(2)], result: 3 }, ...emitResult(3)],
      ['x'],
      [fn],
    );
    expect(run(p)).toEqual([{ x: 42 }]);
  });
});
