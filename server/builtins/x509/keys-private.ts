// Private keys
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { Certificate, b64, certificateJSON, parseCertificate } from './certificate';
import { BIT_STRING, Der, INTEGER, OCTET_STRING, SEQUENCE, bitString, ctxC } from './der';
import { GoError } from './errors';
import { PublicKey, unsigned } from './keys-public';
import { PemBlock, pemBlocks, stdBase64 } from './pem';

export type KeyFormat = 'pkcs1' | 'pkcs8' | 'sec1';

export const bigOf = (b64url: string | undefined) => unsigned(Buffer.from(b64url ?? '', 'base64url'));

/** A DER private key as Go's ParsePKCS1/PKCS8/ECPrivateKey would take it. */
export function parsePrivateKey(der: Buffer, format: KeyFormat): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: der, format: 'der', type: format });
  } catch {
    const what = { pkcs1: 'PKCS#1', pkcs8: 'PKCS#8', sec1: 'EC' }[format];
    // The structure check gives Go's wording for data that is not DER at all.
    try {
      new Der(der, '').read(SEQUENCE);
    } catch {
      throw new GoError(`asn1: structure error: failed to parse ${what} private key`);
    }
    throw new GoError(`x509: failed to parse ${what} private key`);
  }
  const type = key.asymmetricKeyType ?? '';
  if (format === 'pkcs1' && type !== 'rsa') throw new GoError('x509: failed to parse PKCS#1 private key');
  if (!['rsa', 'ec', 'ed25519', 'x25519'].includes(type)) throw new GoError('x509: PKCS#8 wrapping contained private key with unknown algorithm');
  if (type === 'ec' && !['prime256v1', 'secp384r1', 'secp521r1', 'secp224r1'].includes(key.asymmetricKeyDetails?.namedCurve ?? '')) {
    throw new GoError('x509: unknown elliptic curve');
  }
  return key;
}

export interface KeyParts {
  rsa?: { n: bigint; e: bigint; d: bigint; p: bigint; q: bigint; dp: bigint; dq: bigint; qi: bigint };
  ec?: { x: bigint; y: bigint; d: bigint };
  ed25519?: { seed: Buffer; pub: Buffer };
}

/** The numbers of a private key. EC keys come from their SEC 1 form: Node has no JWK for P-224. */
export function keyParts(key: KeyObject): KeyParts {
  switch (key.asymmetricKeyType) {
    case 'rsa': {
      const j = key.export({ format: 'jwk' });
      return { rsa: { n: bigOf(j.n), e: bigOf(j.e), d: bigOf(j.d), p: bigOf(j.p), q: bigOf(j.q), dp: bigOf(j.dp), dq: bigOf(j.dq), qi: bigOf(j.qi) } };
    }
    case 'ec': {
      const err = 'x509: failed to parse EC private key';
      const sec1 = new Der(key.export({ format: 'der', type: 'sec1' }), err).enter(SEQUENCE);
      sec1.read(INTEGER);
      const d = unsigned(sec1.read(OCTET_STRING).body);
      sec1.optional(ctxC(0));
      const pubTlv = sec1.optional(ctxC(1));
      const point = pubTlv === undefined ? Buffer.alloc(0) : bitString(new Der(pubTlv.body, err).read(BIT_STRING), err).bytes;
      if (point.length < 3 || point[0] !== 4 || point.length % 2 !== 1) throw new GoError(err);
      const size = (point.length - 1) / 2;
      return { ec: { x: unsigned(point.subarray(1, 1 + size)), y: unsigned(point.subarray(1 + size)), d } };
    }
    case 'ed25519': {
      const j = key.export({ format: 'jwk' });
      return { ed25519: { seed: Buffer.from(j.d ?? '', 'base64url'), pub: Buffer.from(j.x ?? '', 'base64url') } };
    }
  }
  return {};
}

/** The key as Go's crypto package marshals it (*rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey). */
export function goPrivateKeyJSON(key: KeyObject): unknown {
  const { rsa, ec, ed25519 } = keyParts(key);
  if (rsa !== undefined) {
    return {
      PublicKey: { N: rsa.n, E: rsa.e },
      D: rsa.d,
      Primes: [rsa.p, rsa.q],
      Precomputed: { Dp: rsa.dp, Dq: rsa.dq, Qinv: rsa.qi, CRTValues: [] },
    };
  }
  if (ec !== undefined) return { Curve: {}, X: ec.x, Y: ec.y, D: ec.d };
  // Go's ed25519.PrivateKey is the seed followed by the public key.
  if (ed25519 !== undefined) return Buffer.concat([ed25519.seed, ed25519.pub]).toString('base64');
  return {}; // *ecdh.PrivateKey: no exported fields
}

export const KEY_BLOCKS: Record<string, KeyFormat> = { 'RSA PRIVATE KEY': 'pkcs1', 'PRIVATE KEY': 'pkcs8', 'EC PRIVATE KEY': 'sec1' };

/** OPA's getPrivateKeysFromPEMData: the keys of the PEM blocks OPA knows, others skipped. */
export function privateKeysFrom(input: string): KeyObject[] {
  let text = input;
  try {
    text = stdBase64(input).toString('latin1');
  } catch {
    // not base64: PEM text as it is
  }
  return pemBlocks(text)
    .filter((b) => Object.hasOwn(KEY_BLOCKS, b.type))
    .map((b) => parsePrivateKey(b.bytes, KEY_BLOCKS[b.type]));
}

/** OPA's internal jwk.New(key) marshalled: a full JWK for RSA, only `kty` for EC (it keeps no EC parameters). */
export function jwkJSON(key: KeyObject): Record<string, unknown> {
  switch (key.asymmetricKeyType) {
    case 'rsa': {
      // Node writes the same unpadded base64url of minimal big-endian bytes as OPA's jwk package.
      const j = key.export({ format: 'jwk' });
      return { kty: 'RSA', n: j.n, e: j.e, d: j.d, p: j.p, q: j.q, dp: j.dp, dq: j.dq, qi: j.qi };
    }
    case 'ec':
      return { kty: 'EC' };
  }
  throw new GoError(`invalid key type ${key.asymmetricKeyType === 'ed25519' ? 'ed25519.PrivateKey' : '*ecdh.PrivateKey'}`);
}

/** tls.X509KeyPair after OPA's base64/DER handling, as tls.Certificate marshals. */
export function keyPairJSON(certInput: string, keyInput: string): Record<string, unknown> {
  const decode = (s: string) => (s.startsWith('-----BEGIN ') ? s : stdBase64(s).toString('latin1'));
  let certText = decode(certInput);
  let keyText = decode(keyInput);
  const asPem = (type: string, der: string) => `-----BEGIN ${type}-----\n${Buffer.from(der, 'latin1').toString('base64')}\n-----END ${type}-----\n`;
  if (!certText.startsWith('-----BEGIN ')) certText = asPem('CERTIFICATE', certText);
  if (!keyText.startsWith('-----BEGIN')) keyText = asPem('PRIVATE KEY', keyText);

  const certBlocks = pemBlocks(certText);
  const ders = certBlocks.filter((b) => b.type === 'CERTIFICATE').map((b) => b.bytes);
  if (ders.length === 0) {
    const skipped = certBlocks.map((b) => b.type);
    if (skipped.length === 0) throw new GoError('tls: failed to find any PEM data in certificate input');
    if (skipped.length === 1 && skipped[0].endsWith('PRIVATE KEY')) {
      throw new GoError('tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched');
    }
    throw new GoError(`tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [${skipped.join(' ')}]`);
  }
  const skipped: string[] = [];
  let keyBlock: PemBlock | undefined;
  for (const b of pemBlocks(keyText)) {
    if (b.type === 'PRIVATE KEY' || b.type.endsWith(' PRIVATE KEY')) {
      keyBlock = b;
      break;
    }
    skipped.push(b.type);
  }
  if (keyBlock === undefined) {
    if (skipped.length === 0) throw new GoError('tls: failed to find any PEM data in key input');
    if (skipped.length === 1 && skipped[0] === 'CERTIFICATE') throw new GoError('tls: found a certificate rather than a key in the PEM for the private key');
    throw new GoError(`tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [${skipped.join(' ')}]`);
  }
  const leaf = parseCertificate(ders[0]);
  if (leaf.raw.length !== ders[0].length) throw new GoError('x509: trailing data');
  // tls.parsePrivateKey tries each encoding in turn, whatever the block says.
  let key: KeyObject | undefined;
  for (const format of ['pkcs1', 'pkcs8', 'sec1'] as const) {
    try {
      key = parsePrivateKey(keyBlock.bytes, format);
      break;
    } catch {
      // next encoding
    }
  }
  if (key === undefined) throw new GoError('tls: failed to parse private key');
  if (key.asymmetricKeyType === 'x25519') throw new GoError('tls: found unknown private key type in PKCS#8 wrapping');
  const parts = keyParts(key);
  const pub = leaf.publicKey;
  const mismatch = () => new GoError('tls: private key does not match public key');
  const wrongType = () => new GoError('tls: private key type does not match public key type');
  if (pub.rsaN !== undefined) {
    if (parts.rsa === undefined) throw wrongType();
    if (parts.rsa.n !== pub.rsaN) throw mismatch();
  } else if (pub.ecPoint !== undefined) {
    if (parts.ec === undefined) throw wrongType();
    if (parts.ec.x !== pub.ecPoint[0] || parts.ec.y !== pub.ecPoint[1]) throw mismatch();
  } else if (pub.ed25519 !== undefined) {
    if (parts.ed25519 === undefined) throw wrongType();
    if (!parts.ed25519.pub.equals(pub.ed25519)) throw mismatch();
  } else throw new GoError('tls: unknown public key algorithm');
  return {
    Certificate: ders.map(b64),
    PrivateKey: goPrivateKeyJSON(key),
    SupportedSignatureAlgorithms: null,
    OCSPStaple: null,
    SignedCertificateTimestamps: null,
    Leaf: certificateJSON(leaf, false),
  };
}
