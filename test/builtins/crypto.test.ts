import { table } from './helpers';

describe('crypto', () => {
  table([
    ['crypto.md5', ['abc'], '900150983cd24fb0d6963f7d28e17f72'],
    ['crypto.sha1', ['abc'], 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['crypto.sha256', ['abc'], 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['crypto.hmac.sha256', ['hello', 'key'], '9307b3b915efb5171ff14d8cb55fbcc798c6c0ef1456d66ded1a6aa723a58b7b'],
    ['crypto.hmac.equal', ['abc', 'abc'], true],
    ['crypto.hmac.equal', ['abc', 'abd'], false],
    ['crypto.hmac.equal', ['abc', 'ab'], false],
  ]);
});
