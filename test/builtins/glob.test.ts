import { errorTable, table, v } from './helpers';

describe('glob', () => {
  table([
    ['glob.match', ['*.github.com', v([]), 'api.github.com'], true],
    ['glob.match', ['*.github.com', v([]), 'api.cdn.github.com'], false],
    ['glob.match', ['*.github.com', null, 'api.cdn.github.com'], true],
    ['glob.match', ['*hub.com', null, 'api.cdn.github.com'], true],
    ['glob.match', ['*:github:com', v([':']), 'api:github:com'], true],
    ['glob.match', ['api.**.com', v([]), 'api.cdn.github.com'], true],
    ['glob.match', ['api.**.com', v([]), 'api.github.com'], true],
    ['glob.match', ['?at', v([]), 'cat'], true],
    ['glob.match', ['?at', v([]), '.at'], false],
    ['glob.match', ['[abc]at', v([]), 'bat'], true],
    ['glob.match', ['[!abc]at', v([]), 'bat'], false],
    ['glob.match', ['[a-c]at', v([]), 'cat'], true],
    ['glob.match', ['[!a-c]at', v([]), 'dat'], true],
    ['glob.match', ['{cat,bat,[fr]at}', v([]), 'rat'], true],
    ['glob.match', ['{cat,bat,[fr]at}', v([]), 'at'], false],
    ['glob.match', ['\\*x', v([]), '*x'], true],
    ['glob.match', ['\\*x', v([]), 'ax'], false],
    ['glob.match', ['a+b(c)', v([]), 'a+b(c)'], true],
    ['glob.quote_meta', ['*.github.com'], '\\*.github.com'],
    ['glob.quote_meta', ['api.github.com'], 'api.github.com'],
    ['glob.quote_meta', ['[a]{b}?\\'], '\\[a\\]\\{b\\}\\?\\\\'],
  ]);
  errorTable([
    ['glob.match', ['[abc', v([]), 'a'], 'eval_builtin_error', 'glob.match: '],
    ['glob.match', ['a', 'x', 'a'], 'eval_type_error', 'glob.match: operand 2 must be one of {array, null} but got string'],
    ['glob.match', ['a', v(['ab']), 'a'], 'eval_type_error', 'glob.match: operand 2 must be array of runes but got array containing string'],
  ]);
});
