// The evaluation's own environment: opa.runtime, trace, rand.intn, uuid.rfc4122.
import type { Builtin } from './types';
import { ANY_OBJECT, BOOLEAN, NUMBER, STRING, fn } from './decl';
import { nodeCrypto } from './lazy';
import { builtinError, int, str } from './operands';
import { ObjectValue } from '../value/value';

export const RUNTIME: readonly Builtin[] = [
  {
    name: 'opa.runtime',
    decl: fn([], ANY_OBJECT),
    // The service describes itself through the context; a bare evaluation has no runtime info.
    impl: (_args, ctx) => ctx.runtime ?? new ObjectValue(),
    nondeterministic: true,
  },
  {
    name: 'trace',
    decl: fn([STRING], BOOLEAN),
    impl: (args, ctx) => {
      ctx.trace?.(str('trace', args, 0));
      return true;
    },
  },
  {
    name: 'rand.intn',
    decl: fn([STRING, NUMBER], NUMBER),
    // The same (str, n) gives the same number within one evaluation, as OPA caches it.
    impl: (args, ctx) => {
      const seed = str('rand.intn', args, 0);
      const n = int('rand.intn', args, 1);
      if (n === 0) return 0;
      if (n < 0) throw builtinError('rand.intn', 'n must be a positive integer');
      const key = `rand.intn:${JSON.stringify([seed, n])}`;
      const known = ctx.cache.get(key);
      if (known !== undefined) return known;
      const v = nodeCrypto().randomInt(n);
      ctx.cache.set(key, v);
      return v;
    },
    nondeterministic: true,
  },
  {
    name: 'uuid.rfc4122',
    decl: fn([STRING], STRING),
    impl: (args, ctx) => {
      const key = `uuid.rfc4122:${str('uuid.rfc4122', args, 0)}`;
      const known = ctx.cache.get(key);
      if (known !== undefined) return known;
      const v = nodeCrypto().randomUUID();
      ctx.cache.set(key, v);
      return v;
    },
    nondeterministic: true,
  },
];
