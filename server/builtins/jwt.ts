// JSON Web Tokens: io.jwt.decode, decode_verify, verify_<alg>, encode_sign(_raw). Built on
// node:crypto, whose sign/verify are synchronous as builtins must be (the `jose` library is
// asynchronous throughout).
import type { JsonWebKey, KeyObject } from 'node:crypto';
import type { Builtin, BuiltinContext } from './types';
import { ANY, ANY_OBJECT, BOOLEAN, STRING, fn, tuple } from './decl';
import { nodeCrypto } from './lazy';
import { builtinError, str, typeError } from './operands';
import { goJSON, parseJSON } from './json';
import { ObjectValue, isNumber, toJS, type Value } from '../value/value';

type Family = 'HS' | 'RS' | 'PS' | 'ES';
const ALGS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];

function family(alg: string): Family {
  return alg.slice(0, 2) as Family;
}

function digest(alg: string): string {
  return `sha${alg.slice(2)}`;
}

interface Parts {
  header: Value;
  payload: Value;
  signature: Buffer;
  signingInput: string;
}

function decodePart(name: string, part: string, what: string): Value {
  let text: string;
  try {
    text = Buffer.from(part, 'base64url').toString('utf8');
  } catch {
    throw builtinError(name, `JWT ${what} had invalid encoding`);
  }
  try {
    return parseJSON(text);
  } catch {
    throw builtinError(name, `JWT ${what} had invalid JSON`);
  }
}

function split(name: string, token: string): Parts {
  const parts = token.split('.');
  if (parts.length !== 3) throw builtinError(name, 'encoded JWT had no period separators');
  const header = decodePart(name, parts[0], 'header');
  if (!(header instanceof ObjectValue)) throw builtinError(name, 'JWT header was not an object');
  const payload = decodePart(name, parts[1], 'payload');
  return { header, payload, signature: Buffer.from(parts[2], 'base64url'), signingInput: `${parts[0]}.${parts[1]}` };
}

/** Public keys from PEM certificates or keys, a JWK, or a JWK set. */
function publicKeys(name: string, material: string): KeyObject[] {
  const { X509Certificate, createPublicKey } = nodeCrypto();
  const text = material.trim();
  if (text.startsWith('-----BEGIN CERTIFICATE-----')) {
    return text.split(/(?=-----BEGIN CERTIFICATE-----)/).map((pem) => new X509Certificate(pem).publicKey);
  }
  if (text.startsWith('-----BEGIN')) return [createPublicKey(text)];
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    throw builtinError(name, 'failed to parse a JWK key (set)');
  }
  const keys = (jwk as { keys?: unknown[] }).keys ?? [jwk];
  return keys.map((k) => createPublicKey({ key: k as JsonWebKey, format: 'jwk' }));
}

function verifySignature(alg: string, p: Parts, key: string | KeyObject[]): boolean {
  const { createHmac, timingSafeEqual, verify, constants } = nodeCrypto();
  const data = Buffer.from(p.signingInput);
  if (family(alg) === 'HS') {
    const mac = createHmac(digest(alg), key as string).update(data).digest();
    return mac.length === p.signature.length && timingSafeEqual(mac, p.signature);
  }
  return (key as KeyObject[]).some((k) => {
    try {
      if (family(alg) === 'PS') return verify(digest(alg), data, { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, p.signature);
      if (family(alg) === 'ES') return verify(digest(alg), data, { key: k, dsaEncoding: 'ieee-p1363' }, p.signature);
      return verify(digest(alg), data, k, p.signature);
    } catch {
      return false;
    }
  });
}

function verifier(alg: string): Builtin {
  const name = `io.jwt.verify_${alg.toLowerCase()}`;
  return {
    name,
    decl: fn([STRING, STRING], BOOLEAN),
    impl: (args) => {
      const p = split(name, str(name, args, 0));
      if ((p.header as ObjectValue).get('alg') !== alg) return false;
      const key = family(alg) === 'HS' ? str(name, args, 1) : publicKeys(name, str(name, args, 1));
      return verifySignature(alg, p, key);
    },
  };
}

const INVALID: Value = [false, new ObjectValue(), new ObjectValue()];

function decodeVerify(args: Value[], ctx: BuiltinContext): Value {
  const name = 'io.jwt.decode_verify';
  const token = str(name, args, 0);
  const c = args[1];
  if (!(c instanceof ObjectValue)) throw typeError(name, 2, c, 'object');
  for (const k of c.keys()) {
    if (!['cert', 'secret', 'alg', 'iss', 'aud', 'time'].includes(k as string)) throw builtinError(name, `unknown token validation constraint: ${String(k)}`);
  }
  const cert = c.get('cert');
  const secret = c.get('secret');
  if (cert === undefined && secret === undefined) throw builtinError(name, 'no cert or secret provided');
  let p: Parts;
  try {
    p = split(name, token);
  } catch {
    return INVALID;
  }
  const header = p.header as ObjectValue;
  const alg = header.get('alg');
  if (typeof alg !== 'string' || !ALGS.includes(alg)) return INVALID;
  const wantAlg = c.get('alg');
  if (wantAlg !== undefined && wantAlg !== alg) return INVALID;
  const key = family(alg) === 'HS' ? (typeof secret === 'string' ? secret : undefined) : typeof cert === 'string' ? publicKeys(name, cert) : undefined;
  if (key === undefined || !verifySignature(alg, p, key)) return INVALID;
  if (!(p.payload instanceof ObjectValue)) return INVALID;
  const claims = p.payload;
  const t = c.get('time');
  const now = t !== undefined && isNumber(t) ? Number(t) / 1e9 : Number(ctx.nowNs / 1_000_000n) / 1000;
  const exp = claims.get('exp');
  if (exp !== undefined && (!isNumber(exp) || now >= Number(exp))) return INVALID;
  const nbf = claims.get('nbf');
  if (nbf !== undefined && (!isNumber(nbf) || now < Number(nbf))) return INVALID;
  const iss = c.get('iss');
  if (iss !== undefined && claims.get('iss') !== iss) return INVALID;
  const aud = claims.get('aud');
  const wantAud = c.get('aud');
  if (aud !== undefined) {
    if (wantAud === undefined) return INVALID;
    const auds = Array.isArray(aud) ? aud : [aud];
    if (!auds.includes(wantAud)) return INVALID;
  } else if (wantAud !== undefined) return INVALID;
  return [true, header, claims];
}

function b64json(v: Value): string {
  return Buffer.from(goJSON(v)).toString('base64url');
}

function signToken(name: string, headerB64: string, payloadB64: string, alg: string, jwk: Value): string {
  const { createHmac, createPrivateKey, sign, constants } = nodeCrypto();
  const input = `${headerB64}.${payloadB64}`;
  const k = toJS(jwk) as Record<string, string>;
  let sig: Buffer;
  if (family(alg) === 'HS') {
    if (typeof k.k !== 'string') throw builtinError(name, 'HMAC signing needs an oct JWK with "k"');
    sig = createHmac(digest(alg), Buffer.from(k.k, 'base64url')).update(input).digest();
  } else {
    const key = createPrivateKey({ key: k as JsonWebKey, format: 'jwk' });
    if (family(alg) === 'PS') sig = sign(digest(alg), Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST });
    else if (family(alg) === 'ES') sig = sign(digest(alg), Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    else sig = sign(digest(alg), Buffer.from(input), key);
  }
  return `${input}.${sig.toString('base64url')}`;
}

function algOf(name: string, header: Value): string {
  const alg = header instanceof ObjectValue ? header.get('alg') : undefined;
  if (typeof alg !== 'string' || !ALGS.includes(alg)) throw builtinError(name, `unsupported or missing signing algorithm: ${String(alg)}`);
  return alg;
}

export const JWT: readonly Builtin[] = [
  {
    name: 'io.jwt.decode',
    decl: fn([STRING], tuple(ANY_OBJECT, ANY_OBJECT, STRING)),
    impl: (args) => {
      const p = split('io.jwt.decode', str('io.jwt.decode', args, 0));
      return [p.header, p.payload, p.signature.toString('hex')];
    },
  },
  { name: 'io.jwt.decode_verify', decl: fn([STRING, ANY_OBJECT], tuple(BOOLEAN, ANY, ANY)), impl: decodeVerify, nondeterministic: true },
  ...ALGS.map(verifier),
  {
    name: 'io.jwt.encode_sign',
    decl: fn([ANY_OBJECT, ANY_OBJECT, ANY_OBJECT], STRING),
    impl: (args) => {
      const name = 'io.jwt.encode_sign';
      const alg = algOf(name, args[0]);
      return signToken(name, b64json(args[0]), b64json(args[1]), alg, args[2]);
    },
  },
  {
    name: 'io.jwt.encode_sign_raw',
    decl: fn([STRING, STRING, STRING], STRING),
    impl: (args) => {
      const name = 'io.jwt.encode_sign_raw';
      const header = str(name, args, 0);
      const payload = str(name, args, 1);
      let h: Value;
      let k: Value;
      try {
        h = parseJSON(header);
        k = parseJSON(str(name, args, 2));
      } catch {
        throw builtinError(name, 'header and key must be JSON');
      }
      return signToken(name, Buffer.from(header).toString('base64url'), Buffer.from(payload).toString('base64url'), algOf(name, h), k);
    },
  },
];
