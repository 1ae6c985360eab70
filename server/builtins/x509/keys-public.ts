// Algorithms and public keys
import { BIT_STRING, Der, INTEGER, OID, SEQUENCE, Tlv, bitString, ctxC, derInt, derOid, smallInt } from './der';
import { GoError } from './errors';

export const RSA = 1;
export const DSA = 2;
export const ECDSA = 3;
export const ED25519 = 4;

export const PUBLIC_KEY_ALGORITHMS: Record<string, number> = {
  '1.2.840.113549.1.1.1': RSA,
  '1.2.840.10040.4.1': DSA,
  '1.2.840.10045.2.1': ECDSA,
  '1.3.101.112': ED25519,
};

export interface SigAlg {
  /** Go's SignatureAlgorithm. */
  algo: number;
  hash: string | null;
  key: number;
  pss?: boolean;
}

export const SIGNATURE_ALGORITHMS: Record<string, SigAlg> = {
  '1.2.840.113549.1.1.2': { algo: 1, hash: 'md2', key: RSA },
  '1.2.840.113549.1.1.4': { algo: 2, hash: 'md5', key: RSA },
  '1.2.840.113549.1.1.5': { algo: 3, hash: 'sha1', key: RSA },
  '1.3.14.3.2.29': { algo: 3, hash: 'sha1', key: RSA },
  '1.2.840.113549.1.1.11': { algo: 4, hash: 'sha256', key: RSA },
  '1.2.840.113549.1.1.12': { algo: 5, hash: 'sha384', key: RSA },
  '1.2.840.113549.1.1.13': { algo: 6, hash: 'sha512', key: RSA },
  '1.2.840.10040.4.3': { algo: 7, hash: 'sha1', key: DSA },
  '2.16.840.1.101.3.4.3.2': { algo: 8, hash: 'sha256', key: DSA },
  '1.2.840.10045.4.1': { algo: 9, hash: 'sha1', key: ECDSA },
  '1.2.840.10045.4.3.2': { algo: 10, hash: 'sha256', key: ECDSA },
  '1.2.840.10045.4.3.3': { algo: 11, hash: 'sha384', key: ECDSA },
  '1.2.840.10045.4.3.4': { algo: 12, hash: 'sha512', key: ECDSA },
  '1.3.101.112': { algo: 16, hash: null, key: ED25519 },
};

export const PSS_HASHES: Record<string, { algo: number; hash: string; salt: number }> = {
  '2.16.840.1.101.3.4.2.1': { algo: 13, hash: 'sha256', salt: 32 },
  '2.16.840.1.101.3.4.2.2': { algo: 14, hash: 'sha384', salt: 48 },
  '2.16.840.1.101.3.4.2.3': { algo: 15, hash: 'sha512', salt: 64 },
};

export const SIG_BY_ALGO = new Map<number, SigAlg>([
  ...Object.values(SIGNATURE_ALGORITHMS).map((s): [number, SigAlg] => [s.algo, s]),
  ...Object.values(PSS_HASHES).map((p): [number, SigAlg] => [p.algo, { algo: p.algo, hash: p.hash, key: RSA, pss: true }]),
]);

export interface AlgorithmIdentifier {
  oid: string;
  params?: Tlv;
}

export function algorithmIdentifier(body: Buffer, err: string): AlgorithmIdentifier {
  const d = new Der(body, err);
  const oid = derOid(d.read(OID, err), err).text;
  return { oid, params: d.empty ? undefined : d.read(undefined, err) };
}

export const isNull = (t: Tlv | undefined) => t !== undefined && t.tag === 0x05 && t.body.length === 0;

/** Go's getSignatureAlgorithmFromAI: RSA-PSS only with MGF1 over the same hash and salt = hash size. */
export function signatureAlgorithm(ai: AlgorithmIdentifier): number {
  if (ai.oid === '1.3.101.112' && ai.params !== undefined) return 0;
  if (ai.oid !== '1.2.840.113549.1.1.10') return SIGNATURE_ALGORITHMS[ai.oid]?.algo ?? 0;
  try {
    if (ai.params?.tag !== SEQUENCE) return 0;
    const p = new Der(ai.params.body, 'pss');
    const hash = algorithmIdentifier(p.enter(ctxC(0)).read(SEQUENCE).body, 'pss');
    const mgf = algorithmIdentifier(p.enter(ctxC(1)).read(SEQUENCE).body, 'pss');
    const salt = p.peek() === ctxC(2) ? smallInt(p.enter(ctxC(2)).read(INTEGER), 'pss') : 20;
    const trailer = p.peek() === ctxC(3) ? smallInt(p.enter(ctxC(3)).read(INTEGER), 'pss') : 1;
    if (mgf.oid !== '1.2.840.113549.1.1.8' || mgf.params?.tag !== SEQUENCE) return 0;
    const mgfHash = algorithmIdentifier(mgf.params.body, 'pss');
    const okParams = (t: Tlv | undefined) => t === undefined || isNull(t);
    if (!okParams(hash.params) || mgfHash.oid !== hash.oid || !okParams(mgfHash.params) || trailer !== 1) return 0;
    const known = PSS_HASHES[hash.oid];
    return known !== undefined && known.salt === salt ? known.algo : 0;
  } catch {
    return 0;
  }
}

export const CURVES: Record<string, number> = {
  '1.3.132.0.33': 28, // P-224
  '1.2.840.10045.3.1.7': 32, // P-256
  '1.3.132.0.34': 48, // P-384
  '1.3.132.0.35': 66, // P-521
};

export interface PublicKey {
  algorithm: number;
  /** Go's key struct as JSON (null for algorithms Go does not parse). */
  json: unknown;
  /** What a private key is matched against (tls.X509KeyPair). */
  rsaN?: bigint;
  ecPoint?: [bigint, bigint];
  ed25519?: Buffer;
}

export const unsigned = (b: Buffer) => (b.length === 0 ? 0n : BigInt('0x' + b.toString('hex')));

/** A SubjectPublicKeyInfo, checked and decoded as Go's parsePublicKey does. */
export function parsePublicKey(spki: Tlv): PublicKey {
  const d = new Der(spki.body, 'x509: malformed spki');
  const ai = algorithmIdentifier(d.read(SEQUENCE, 'x509: malformed public key algorithm identifier').body, 'x509: malformed public key algorithm identifier');
  const key = bitString(d.read(BIT_STRING, 'x509: malformed subjectPublicKey'), 'x509: malformed subjectPublicKey').bytes;
  const algorithm = PUBLIC_KEY_ALGORITHMS[ai.oid] ?? 0;
  switch (algorithm) {
    case RSA: {
      if (!isNull(ai.params)) throw new GoError('x509: RSA key missing NULL parameters');
      const k = new Der(key, 'x509: invalid RSA public key').enter(SEQUENCE);
      const n = derInt(k.read(INTEGER, 'x509: invalid RSA modulus'), 'x509: invalid RSA modulus');
      const e = derInt(k.read(INTEGER, 'x509: invalid RSA public exponent'), 'x509: invalid RSA public exponent');
      if (n <= 0n) throw new GoError('x509: RSA modulus is not a positive number');
      if (e <= 0n) throw new GoError('x509: RSA public exponent is not a positive number');
      if (e >= 1n << 63n) throw new GoError('x509: invalid RSA public exponent');
      return { algorithm, json: { N: n, E: e }, rsaN: n };
    }
    case ECDSA: {
      const curve = ai.params?.tag === OID ? derOid(ai.params, 'x509: invalid ECDSA parameters').text : undefined;
      if (curve === undefined) throw new GoError('x509: invalid ECDSA parameters');
      const size = CURVES[curve];
      if (size === undefined) throw new GoError('x509: unsupported elliptic curve');
      if (key.length !== 1 + 2 * size || key[0] !== 4) throw new GoError('x509: failed to unmarshal elliptic curve point');
      const x = unsigned(key.subarray(1, 1 + size));
      const y = unsigned(key.subarray(1 + size));
      // elliptic.Curve values have no exported fields, so Go writes `{}`.
      return { algorithm, json: { Curve: {}, X: x, Y: y }, ecPoint: [x, y] };
    }
    case ED25519:
      if (ai.params !== undefined) throw new GoError('x509: Ed25519 key encoded with illegal parameters');
      if (key.length !== 32) throw new GoError('x509: wrong Ed25519 public key size');
      return { algorithm, json: key.toString('base64'), ed25519: key };
    case DSA: {
      const y = derInt(new Der(key, 'x509: invalid DSA public key').read(INTEGER), 'x509: invalid DSA public key');
      if (ai.params?.tag !== SEQUENCE) throw new GoError('x509: invalid DSA parameters');
      const p = new Der(ai.params.body, 'x509: invalid DSA parameters');
      const [P, Q, G] = [p.read(INTEGER), p.read(INTEGER), p.read(INTEGER)].map((t) => derInt(t, 'x509: invalid DSA parameters'));
      if (y <= 0n || P <= 0n || Q <= 0n || G <= 0n) throw new GoError('x509: zero or negative DSA parameter');
      return { algorithm, json: { Parameters: { P, Q, G }, Y: y } };
    }
  }
  return { algorithm: 0, json: null };
}
