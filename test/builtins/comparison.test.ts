import { O, S, table, v } from './helpers';

describe('comparison', () => {
  table([
    ['equal', [1, 1], true],
    ['equal', [1, 1.0], true],
    ['equal', [v([1]), v([1.0])], true],
    ['equal', [O([1, 1]), O([1, 1.0])], true],
    ['equal', [28857836529306024611913n, 28857836529306024611912n], false],
    ['neq', [28857836529306024611913n, 28857836529306024611912n], true],
    ['equal', ['a', 'a'], true],
    ['equal', [null, false], false],
    ['neq', [0, 1], true],
    ['neq', [0, 0], false],
    ['lt', [1, -1], false],
    ['lt', [null, false], true],
    ['lt', [false, 0], true],
    ['lt', [100, 'a'], true],
    ['lt', ['z', v([])], true],
    ['lt', [v([]), v({})], true],
    ['lt', [v({}), S()], true],
    ['lt', [2n ** 70n, 2 ** 71], true],
    ['lte', [1, 1], true],
    ['gt', [1, 0], true],
    ['gt', [1, 2], false],
    ['gte', [1, 1], true],
    ['gte', [1, 2], false],
    ['lt', [v([1, 2]), v([1, 2, 0])], true],
    ['lt', [S(1, 2), S(1, 3)], true],
  ]);
});
