import { S, errorTable, table, v } from './helpers';

describe('graph and walk', () => {
  table([
    ['walk', [v({ a: [1] })], v([[[], { a: [1] }], [['a'], [1]], [['a', 0], 1]])],
    ['walk', [7], v([[[], 7]])],
    ['graph.reachable', [v({ a: ['b'], b: ['c'], c: [], d: ['a'] }), S('a')], S('a', 'b', 'c')],
    ['graph.reachable', [v({ a: ['b'], b: ['a'] }), v(['a'])], S('a', 'b')],
    ['graph.reachable', [v({ a: ['b'] }), S('z')], S()],
    ['graph.reachable_paths', [v({ a: ['b', 'c'], b: ['c'], c: [] }), v(['a'])], S(v(['a', 'b', 'c']), v(['a', 'c']))],
    ['graph.reachable_paths', [v({ a: ['b'], b: ['a'] }), v(['a'])], S(v(['a', 'b']))],
  ]);
  errorTable([['graph.reachable', [v([1]), S()], 'eval_type_error', 'graph.reachable: operand 1 must be object but got array']]);
});
