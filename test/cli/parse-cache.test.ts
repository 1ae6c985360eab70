// The parse cache of `regent test --watch`: a save re-parses only the files whose text changed,
// and the tests give the same verdicts on cached modules as on freshly parsed ones.
import { ParseCache } from '../../server/cli/parse-cache';
import { runTests } from '../../server/engine/tests';
import { RegoErrors } from '../../server/rego/errors';
import { ObjectValue } from '../../server/value/value';

const POLICY = { file: 'p.rego', text: 'package p\n\ndouble(x) := x * 2\n' };
const TESTS = { file: 'p_test.rego', text: 'package p_test\n\nimport data.p\n\ntest_double if p.double(2) == 4\n\ntest_wrong if p.double(2) == 5\n' };

describe('ParseCache', () => {
  test('an unchanged file is parsed once; a changed one again', () => {
    const cache = new ParseCache();
    const first = cache.parse(POLICY);
    expect(cache.parse({ ...POLICY })).toBe(first);
    const edited = cache.parse({ ...POLICY, text: POLICY.text + '\ntriple(x) := x * 3\n' });
    expect(edited).not.toBe(first);
    expect(edited.rules).toHaveLength(2);
  });

  test('a file that does not parse throws as parseModule does, and parses once fixed', () => {
    const cache = new ParseCache();
    cache.parse(POLICY);
    expect(() => cache.parse({ ...POLICY, text: 'package p\n\nx := [1,\n' })).toThrow(RegoErrors);
    expect(cache.parse(POLICY).rules).toHaveLength(1);
  });

  test('retain forgets files that are gone', () => {
    const cache = new ParseCache();
    const first = cache.parse(POLICY);
    cache.retain([TESTS]);
    expect(cache.parse(POLICY)).not.toBe(first);
  });

  test('tests run on cached modules give the same verdicts, run after run', async () => {
    const verdicts = async (parse?: ParseCache['parse']) =>
      (await runTests([POLICY, TESTS], new ObjectValue(), { engine: 'interp', parse })).results.map((r) => [r.name, r.status]);
    const fresh = await verdicts();
    expect(fresh).toEqual([
      ['data.p_test.test_double', 'pass'],
      ['data.p_test.test_wrong', 'fail'],
    ]);
    const cache = new ParseCache();
    expect(await verdicts(cache.parse)).toEqual(fresh);
    expect(await verdicts(cache.parse)).toEqual(fresh);
  });
});
