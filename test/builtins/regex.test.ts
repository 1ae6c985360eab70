import { errorTable, table, v } from './helpers';

describe('regex (RE2 syntax)', () => {
  table([
    ['regex.match', ['^[a-z]+\\[[0-9]+\\]$', 'foo[1]'], true],
    ['regex.match', ['^a', 'ba'], false],
    ['regex.match', ['(?i)ABC', 'xabcx'], true],
    ['regex.match', ['\\pL+', 'héllo'], true],
    ['regex.match', ['(?P<x>a)(?<y>b)', 'ab'], true],
    ['regex.is_valid', ['.+'], true],
    ['regex.is_valid', ['++'], false],
    ['regex.is_valid', ['(?=x)'], false],
    ['regex.is_valid', ['a{1001}'], false],
    ['regex.is_valid', [10], false],
    ['regex.find_n', ['a.', 'paranormal', -1], v(['ar', 'an', 'al'])],
    ['regex.find_n', ['a.', 'paranormal', 2], v(['ar', 'an'])],
    ['regex.find_n', ['bork', 'paranormal', -1], v([])],
    ['regex.find_n', ['a*', 'baaab', -1], v(['', 'aaa', ''])],
    ['regex.find_n', ['.', '\u{1F367}é', -1], v(['\u{1F367}', 'é'])],
    ['regex.find_all_string_submatch_n', ['a(x*)b', '-', -1], v([])],
    ['regex.find_all_string_submatch_n', ['a(x*)b', '-axxb-', -1], v([['axxb', 'xx']])],
    ['regex.find_all_string_submatch_n', ['a(x*)b', '-ab-axb-', -1], v([['ab', ''], ['axb', 'x']])],
    [
      'regex.find_all_string_submatch_n',
      ['[^aouiye]([aouiye])([^aouiye])?', 'somestri', -1],
      v([['som', 'o', 'm'], ['ri', 'i', '']]),
    ],
    ['regex.find_all_string_submatch_n', ['[^aouiye]([aouiye])([^aouiye])?', 'somestri', 1], v([['som', 'o', 'm']])],
    ['regex.find_all_string_submatch_n', ['^.*$', 'aaaabc', -1], v([['aaaabc']])],
    ['regex.split', ['a', 'banana'], v(['b', 'n', 'n', ''])],
    ['regex.split', ['x*', 'axbc'], v(['a', 'b', 'c'])],
    ['regex.split', ['a', ''], v([''])],
    ['regex.split', [',', 'a,b'], v(['a', 'b'])],
    ['regex.replace', ['-ab-axxb-', 'a(x*)b', 'T'], '-T-T-'],
    ['regex.replace', ['-ab-axxb-', 'a(x*)b', '$1'], '--xx-'],
    ['regex.replace', ['-ab-axxb-', 'a(x*)b', '$1W'], '---'],
    ['regex.replace', ['-ab-axxb-', 'a(x*)b', '${1}W'], '-W-xxW-'],
    ['regex.replace', ['-ab-axxb-', 'a(?P<n>x*)b', '<$n>'], '-<>-<xx>-'],
    ['regex.replace', ['abc', 'x*', '-'], '-a-b-c-'],
    ['regex.replace', ['a$b', '\\$', '$$'], 'a$b'],
    ['regex.replace', ['aaa', 'b', 'c'], 'aaa'],
    ['regex.template_match', ['urn:foo:{.*}', 'urn:foo:bar:baz', '{', '}'], true],
    ['regex.template_match', ['urn:foo:{.*}', 'urn:bar:baz', '{', '}'], false],
    ['regex.template_match', ['urn:foo.bar:<[0-9]{2}>', 'urn:foo.bar:42', '<', '>'], true],
    ['regex.template_match', ['urn:foo.bar:<[0-9]{2}>', 'urn:fooxbar:42', '<', '>'], false],
    ['regex.globs_match', ['a.a.', '.b.b'], true],
    ['regex.globs_match', ['[a-z]+', '[0-9]*'], false],
    ['regex.globs_match', ['a*', 'b*'], false],
    ['regex.globs_match', ['[a-c]+x', 'b+.'], true],
    ['regex.globs_match', ['abc', 'ab'], false],
    ['regex.globs_match', ['a\\.b', 'a.b'], true],
    ['regex.globs_match', ['a\\.b', 'axb'], false],
  ]);
  errorTable([
    ['regex.match', ['++', 'x'], 'eval_builtin_error', 'regex.match: error parsing regexp'],
    ['regex.match', [1, 'x'], 'eval_type_error', 'regex.match: operand 1 must be string but got number'],
    ['regex.find_n', ['a', 'b', 1.5], 'eval_type_error', 'regex.find_n: operand 3 must be integer number but got floating-point number'],
    ['regex.template_match', ['a{b', 'a', '{', '}'], 'eval_builtin_error', 'unbalanced braces'],
    ['regex.template_match', ['a', 'a', '{{', '}'], 'eval_builtin_error', 'start delimiter has to be exactly one character long but is 2 long'],
    ['regex.globs_match', ['[a-', 'a'], 'eval_builtin_error', 'regex.globs_match: the input provided is invalid'],
    ['regex.globs_match', ['*a', 'a'], 'eval_builtin_error', 'must be preceded by a non-flag'],
  ]);

});

describe('regex errors use Go regexp wording', () => {
  errorTable([
    ['regex.match', ['[', 'x'], 'eval_builtin_error', 'regex.match: error parsing regexp: missing closing ]: `[`'],
    ['regex.match', ['a**', 'x'], 'eval_builtin_error', 'invalid nested repetition operator: `**`'],
    ['regex.match', ['*', 'x'], 'eval_builtin_error', 'missing argument to repetition operator: `*`'],
  ]);
});
