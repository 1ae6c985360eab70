import { errorTable, table } from './helpers';

describe('semver', () => {
  table([
    ['semver.compare', ['1.0.0', '2.0.0'], -1],
    ['semver.compare', ['1.0.0', '1.0.0'], 0],
    ['semver.compare', ['2.1.0', '2.0.9'], 1],
    ['semver.compare', ['1.0.0-alpha', '1.0.0'], -1],
    ['semver.compare', ['1.0.0-alpha', '1.0.0-alpha.1'], -1],
    ['semver.compare', ['1.0.0-alpha.1', '1.0.0-alpha.beta'], -1],
    ['semver.compare', ['1.0.0-beta.2', '1.0.0-beta.11'], -1],
    ['semver.compare', ['1.0.0-rc.1', '1.0.0-beta.11'], 1],
    ['semver.compare', ['1.0.0+build.1', '1.0.0+build.2'], 0],
    ['semver.is_valid', ['1.0.0'], true],
    ['semver.is_valid', ['1.0.0-rc.1+sha.5114f85'], true],
    ['semver.is_valid', ['1'], false],
    ['semver.is_valid', ['v1.0.0'], true],
    ['semver.is_valid', ['1.0'], false],
    ['semver.is_valid', ['1.0.0+'], true],
    ['semver.is_valid', ['1.0.0-a..b'], false],
    ['semver.is_valid', [1], false],
  ]);
  errorTable([
    ['semver.compare', ['1', '1.0.0'], 'eval_builtin_error', 'semver.compare: operand 1: string "1" is not a valid SemVer'],
    ['semver.compare', ['1.0.0', '1'], 'eval_builtin_error', 'semver.compare: operand 2: string "1" is not a valid SemVer'],
  ]);
});
