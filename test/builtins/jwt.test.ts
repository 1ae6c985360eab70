import { generateKeyPairSync } from 'node:crypto';
import { lookupBuiltin } from '../../server/builtins/catalog';
import { fromJS, toJS, type Value } from '../../server/value/value';
import { context } from './helpers';

const call = (name: string, ...args: Value[]) => lookupBuiltin(name)!.impl(args, context());
const secret = 'sekrit';
const hsKey = fromJS({ kty: 'oct', k: Buffer.from(secret).toString('base64url') });

describe('io.jwt', () => {
  const nowSec = Number(context().nowNs / 1_000_000_000n);
  const token = call('io.jwt.encode_sign', fromJS({ alg: 'HS256', typ: 'JWT' }), fromJS({ sub: 'alice', iss: 'me', exp: nowSec + 60 }), hsKey) as string;

  it('encodes, decodes and verifies an HS256 token', () => {
    expect(token.split('.')).toHaveLength(3);
    const [header, payload] = toJS(call('io.jwt.decode', token) as Value) as unknown[];
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({ sub: 'alice' });
    expect(call('io.jwt.verify_hs256', token, secret)).toBe(true);
    expect(call('io.jwt.verify_hs256', token, 'wrong')).toBe(false);
    expect(call('io.jwt.verify_hs384', token, secret)).toBe(false);
  });

  it('decode_verify checks signature, alg, iss, aud and expiry', () => {
    const ok = toJS(call('io.jwt.decode_verify', token, fromJS({ secret, iss: 'me' })) as Value) as unknown[];
    expect(ok[0]).toBe(true);
    expect((toJS(call('io.jwt.decode_verify', token, fromJS({ secret, iss: 'other' })) as Value) as unknown[])[0]).toBe(false);
    expect((toJS(call('io.jwt.decode_verify', token, fromJS({ secret, alg: 'RS256' })) as Value) as unknown[])[0]).toBe(false);
    expect((toJS(call('io.jwt.decode_verify', token, fromJS({ secret, time: (nowSec + 120) * 1e9 })) as Value) as unknown[])[0]).toBe(false);
    expect((toJS(call('io.jwt.decode_verify', token, fromJS({ secret, aud: 'x' })) as Value) as unknown[])[0]).toBe(false);
  });

  it.each(['RS256', 'PS384', 'ES256'])('signs with a private JWK and verifies %s with the public PEM', (alg) => {
    const pair = alg.startsWith('ES')
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = fromJS(pair.privateKey.export({ format: 'jwk' }));
    const t = call('io.jwt.encode_sign', fromJS({ alg }), fromJS({ sub: 'bob' }), jwk) as string;
    const pem = pair.publicKey.export({ format: 'pem', type: 'spki' }) as string;
    expect(call(`io.jwt.verify_${alg.toLowerCase()}`, t, pem)).toBe(true);
    expect((toJS(call('io.jwt.decode_verify', t, fromJS({ cert: pem })) as Value) as unknown[])[0]).toBe(true);
  });
});
