// Digests and HMACs (crypto.md5/sha1/sha256, crypto.hmac.*), hex-encoded as OPA returns them.
import type { Builtin } from './types';
import { BOOLEAN, STRING, fn } from './decl';
import { nodeCrypto } from './lazy';
import { str } from './operands';

function digest(name: string, algorithm: string): Builtin {
  return { name, decl: fn([STRING], STRING), impl: (args) => nodeCrypto().createHash(algorithm).update(str(name, args, 0), 'utf8').digest('hex') };
}

function hmac(name: string, algorithm: string): Builtin {
  return {
    name,
    decl: fn([STRING, STRING], STRING),
    impl: (args) => nodeCrypto().createHmac(algorithm, str(name, args, 1)).update(str(name, args, 0), 'utf8').digest('hex'),
  };
}

export const CRYPTO: readonly Builtin[] = [
  digest('crypto.md5', 'md5'),
  digest('crypto.sha1', 'sha1'),
  digest('crypto.sha256', 'sha256'),
  hmac('crypto.hmac.md5', 'md5'),
  hmac('crypto.hmac.sha1', 'sha1'),
  hmac('crypto.hmac.sha256', 'sha256'),
  hmac('crypto.hmac.sha512', 'sha512'),
  {
    name: 'crypto.hmac.equal',
    decl: fn([STRING, STRING], BOOLEAN),
    impl: (args) => {
      const a = Buffer.from(str('crypto.hmac.equal', args, 0));
      const b = Buffer.from(str('crypto.hmac.equal', args, 1));
      return a.length === b.length && nodeCrypto().timingSafeEqual(a, b);
    },
  },
];
