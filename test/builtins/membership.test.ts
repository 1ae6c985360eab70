import { O, S, table, v } from './helpers';

describe('membership', () => {
  table([
    ['internal.member_2', [1, S(1)], true],
    ['internal.member_2', [1, v([1])], true],
    ['internal.member_2', [1, v({ foo: 1 })], true],
    ['internal.member_2', [1, S(2)], false],
    ['internal.member_2', [1, v([2])], false],
    ['internal.member_2', [1, v({ foo: 2 })], false],
    ['internal.member_2', [1, 1.0], false],
    ['internal.member_2', [1, 'foo'], false],
    ['internal.member_2', ['foo', 1], false],
    ['internal.member_2', [v({ foo: { baz: 2000 } }), v([{ foo: { baz: 2000 } }])], true],
    ['internal.member_2', [S(1, 2), v([S(1, 2)])], true],
    ['internal.member_3', ['foo', 1, v({ foo: 1 })], true],
    ['internal.member_3', ['foo', 2, v({ foo: 1 })], false],
    ['internal.member_3', [1, 'two', v(['one', 'two', 'three'])], true],
    ['internal.member_3', [1.0, 'two', v(['one', 'two', 'three'])], true],
    ['internal.member_3', [3, 'two', v(['one', 'two', 'three'])], false],
    ['internal.member_3', ['1', 'two', v(['one', 'two', 'three'])], false],
    ['internal.member_3', [1, 1, S(1)], true],
    ['internal.member_3', [1, 2, S(1)], false],
    ['internal.member_3', [1, 'foo', 1], false],
    ['internal.member_3', [O([O(['foo', 100]), 'ever']).keys()[0], 'ever', O([O(['foo', 100]), 'ever'])], true],
  ]);
});
