// X.509 certificates and private keys. OPA returns Go's `x509.Certificate` as JSON; Regent gives
// the fields policies read, under Go's names: Version, SerialNumber, Subject and Issuer (pkix
// names: CommonName, Organization, …, Names), NotBefore/NotAfter (RFC 3339), DNSNames,
// EmailAddresses, IPAddresses, URIs, IsCA, BasicConstraintsValid, ExtKeyUsage, PublicKey(-
// Algorithm) and Raw (base64 DER). Private keys come back as JWKs, as OPA returns them.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import type { Builtin } from './types';
import { ANY, ANY_OBJECT, BOOLEAN, STRING, arrayOf, fn, objectOf, tuple } from './decl';
import { builtinError, obj, str } from './operands';
import { ObjectValue, fromJS, normalizeInt, type Value } from '../value/value';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** PEM text, or base64 of PEM or of one DER blob, as OPA accepts certificates and keys. */
function pemBlocks(input: string, what: string): Array<{ label: string; der: Buffer; pem: string }> {
  let text = input.trim();
  if (!text.startsWith('-----BEGIN')) {
    const decoded = Buffer.from(text, 'base64');
    if (decoded.length === 0) throw new Error(`no ${what} found`);
    const asText = decoded.toString('latin1');
    if (!asText.trimStart().startsWith('-----BEGIN')) return [{ label: '', der: decoded, pem: '' }];
    text = asText;
  }
  const out: Array<{ label: string; der: Buffer; pem: string }> = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    const body = m[0].split('\n').filter((l) => l !== '' && !l.startsWith('-----')).join('');
    out.push({ label: m[1], der: Buffer.from(body, 'base64'), pem: m[0] });
  }
  if (out.length === 0) throw new Error(`no ${what} found`);
  return out;
}

function certificates(input: string): X509Certificate[] {
  return pemBlocks(input, 'certificates')
    .filter((b) => b.label === '' || b.label === 'CERTIFICATE')
    .map((b) => new X509Certificate(b.der));
}

const NAME_OIDS: Record<string, { oid: number[]; field?: string; list?: boolean }> = {
  CN: { oid: [2, 5, 4, 3], field: 'CommonName' },
  SERIALNUMBER: { oid: [2, 5, 4, 5], field: 'SerialNumber' },
  C: { oid: [2, 5, 4, 6], field: 'Country', list: true },
  L: { oid: [2, 5, 4, 7], field: 'Locality', list: true },
  ST: { oid: [2, 5, 4, 8], field: 'Province', list: true },
  STREET: { oid: [2, 5, 4, 9], field: 'StreetAddress', list: true },
  O: { oid: [2, 5, 4, 10], field: 'Organization', list: true },
  OU: { oid: [2, 5, 4, 11], field: 'OrganizationalUnit', list: true },
  POSTALCODE: { oid: [2, 5, 4, 17], field: 'PostalCode', list: true },
  EMAILADDRESS: { oid: [1, 2, 840, 113549, 1, 9, 1] },
};

/** A pkix.Name from Node's `KEY=value` lines. */
function pkixName(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Country: null, Organization: null, OrganizationalUnit: null, Locality: null, Province: null,
    StreetAddress: null, PostalCode: null, SerialNumber: '', CommonName: '', Names: [] as unknown[], ExtraNames: null,
  };
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).toUpperCase();
    const value = line.slice(eq + 1);
    const known = NAME_OIDS[key];
    if (!known) continue;
    (out.Names as unknown[]).push({ Type: known.oid, Value: value });
    if (!known.field) continue;
    if (known.list) out[known.field] = [...((out[known.field] as string[] | null) ?? []), value];
    else out[known.field] = value;
  }
  return out;
}

/** Go's url.URL as JSON, for the URIs of a certificate. */
function urlJSON(u: string): Record<string, unknown> {
  let parsed: URL | undefined;
  try {
    parsed = new URL(u);
  } catch {
    return { Scheme: '', Opaque: u };
  }
  return {
    Scheme: parsed.protocol.replace(/:$/, ''), Opaque: '', User: null, Host: parsed.host, Path: parsed.pathname,
    RawPath: '', OmitHost: false, ForceQuery: false, RawQuery: parsed.search.replace(/^\?/, ''), Fragment: parsed.hash.replace(/^#/, ''), RawFragment: '',
  };
}

const EXT_KEY_USAGE: Record<string, number> = {
  '2.5.29.37.0': 0, '1.3.6.1.5.5.7.3.1': 1, '1.3.6.1.5.5.7.3.2': 2, '1.3.6.1.5.5.7.3.3': 3, '1.3.6.1.5.5.7.3.4': 4,
  '1.3.6.1.5.5.7.3.5': 5, '1.3.6.1.5.5.7.3.6': 6, '1.3.6.1.5.5.7.3.7': 7, '1.3.6.1.5.5.7.3.8': 8, '1.3.6.1.5.5.7.3.9': 9,
};

const PUBLIC_KEY_ALGORITHM: Record<string, number> = { rsa: 1, 'rsa-pss': 1, dsa: 2, ec: 3, ed25519: 4 };

function b64urlInt(s: string | undefined): bigint {
  return s ? BigInt('0x' + (Buffer.from(s, 'base64url').toString('hex') || '0')) : 0n;
}

function publicKeyJSON(k: KeyObject): Record<string, unknown> | string | null {
  try {
    const jwk = k.export({ format: 'jwk' });
    if (jwk.kty === 'RSA') return { N: normalizeInt(b64urlInt(jwk.n)), E: Number(b64urlInt(jwk.e)) };
    if (jwk.kty === 'EC') return { X: normalizeInt(b64urlInt(jwk.x)), Y: normalizeInt(b64urlInt(jwk.y)) };
    if (jwk.kty === 'OKP') return Buffer.from(jwk.x ?? '', 'base64url').toString('base64');
  } catch {
    // a key type JWK cannot express
  }
  return null;
}

function rfc3339(date: string): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function certificateJSON(c: X509Certificate): Value {
  const san = (c.subjectAltName ?? '').split(/, (?=(?:DNS|IP Address|email|URI|othername|DirName|Registered ID):)/).filter((x) => x !== '');
  const names = (prefix: string) => san.filter((x) => x.startsWith(prefix)).map((x) => x.slice(prefix.length));
  return fromJS({
    Raw: c.raw.toString('base64'),
    Version: 3,
    SerialNumber: normalizeInt(BigInt('0x' + c.serialNumber)),
    Issuer: pkixName(c.issuer),
    Subject: pkixName(c.subject),
    NotBefore: rfc3339(c.validFrom),
    NotAfter: rfc3339(c.validTo),
    PublicKeyAlgorithm: PUBLIC_KEY_ALGORITHM[c.publicKey.asymmetricKeyType ?? ''] ?? 0,
    PublicKey: publicKeyJSON(c.publicKey),
    IsCA: c.ca,
    BasicConstraintsValid: c.ca,
    ExtKeyUsage: c.keyUsage ? c.keyUsage.map((oid) => EXT_KEY_USAGE[oid]).filter((x) => x !== undefined) : null,
    DNSNames: names('DNS:').length ? names('DNS:') : null,
    EmailAddresses: names('email:').length ? names('email:') : null,
    IPAddresses: names('IP Address:').length ? names('IP Address:') : null,
    URIs: names('URI:').length ? names('URI:').map(urlJSON) : null,
  });
}

/** Whether the chain is valid at `now`: first the root (self-signed), last the leaf. */
function verifyChain(certs: X509Certificate[], now: Date, dnsName?: string): boolean {
  if (certs.length === 0) return false;
  const inTime = (c: X509Certificate) => new Date(c.validFrom) <= now && now <= new Date(c.validTo);
  if (!certs.every(inTime)) return false;
  const root = certs[0];
  if (!root.ca || !root.checkIssued(root) || !root.verify(root.publicKey)) return false;
  for (let i = 1; i < certs.length; i++) {
    const parent = certs[i - 1];
    if (!parent.ca || !certs[i].checkIssued(parent) || !certs[i].verify(parent.publicKey)) return false;
  }
  return dnsName === undefined || certs[certs.length - 1].checkHost(dnsName) !== undefined;
}

function privateKeyJWK(pem: string): Value {
  const jwk = createPrivateKey(pem).export({ format: 'jwk' });
  return fromJS(jwk);
}

/** Runs `fn`, turning parse failures into builtin errors named after the builtin. */
function guarded<T>(name: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw builtinError(name, (e as Error).message);
  }
}

export const X509: readonly Builtin[] = [
  {
    name: 'crypto.x509.parse_certificates',
    decl: fn([STRING], arrayOf(objectOf(STRING, ANY))),
    impl: (args) => guarded('crypto.x509.parse_certificates', () => certificates(str('crypto.x509.parse_certificates', args, 0)).map(certificateJSON)),
  },
  {
    name: 'crypto.x509.parse_and_verify_certificates',
    decl: fn([STRING], tuple(BOOLEAN, arrayOf(objectOf(STRING, ANY)))),
    impl: (args) => {
      let certs: X509Certificate[];
      try {
        certs = certificates(str('crypto.x509.parse_and_verify_certificates', args, 0));
      } catch {
        return [false, []];
      }
      return verifyChain(certs, new Date()) ? [true, certs.map(certificateJSON)] : [false, []];
    },
  },
  {
    name: 'crypto.x509.parse_and_verify_certificates_with_options',
    decl: fn([STRING, ANY_OBJECT], tuple(BOOLEAN, arrayOf(objectOf(STRING, ANY)))),
    impl: (args) => {
      const name = 'crypto.x509.parse_and_verify_certificates_with_options';
      const opts = obj(name, args, 1);
      const dns = opts.get('DNSName');
      const time = opts.get('CurrentTime');
      let certs: X509Certificate[];
      try {
        certs = certificates(str(name, args, 0));
      } catch {
        return [false, []];
      }
      const now = typeof time === 'number' || typeof time === 'bigint' ? new Date(Number(BigInt(time) / 1_000_000n)) : new Date();
      return verifyChain(certs, now, typeof dns === 'string' ? dns : undefined) ? [true, certs.map(certificateJSON)] : [false, []];
    },
  },
  {
    name: 'crypto.x509.parse_keypair',
    decl: fn([STRING, STRING], objectOf(STRING, ANY)),
    impl: (args) =>
      guarded('crypto.x509.parse_keypair', () => {
        const certs = certificates(str('crypto.x509.parse_keypair', args, 0));
        const keyText = pemBlocks(str('crypto.x509.parse_keypair', args, 1), 'private key')[0];
        const key = createPrivateKey(keyText.pem !== '' ? keyText.pem : { key: keyText.der, format: 'der', type: 'pkcs8' });
        if (!certs[0].checkPrivateKey(key)) throw new Error('tls: private key does not match public key');
        return ObjectValue.fromEntries([
          ['Certificate', certs.map((c) => c.raw.toString('base64'))],
          ['PrivateKey', fromJS(key.export({ format: 'jwk' }))],
          ['Leaf', certificateJSON(certs[0])],
        ]);
      }),
  },
  {
    name: 'crypto.x509.parse_rsa_private_key',
    decl: fn([STRING], objectOf(STRING, ANY)),
    impl: (args) =>
      guarded('crypto.x509.parse_rsa_private_key', () => {
        const block = pemBlocks(str('crypto.x509.parse_rsa_private_key', args, 0), 'private key')[0];
        const key = privateKeyJWK(block.pem);
        if (!(key instanceof ObjectValue) || key.get('kty') !== 'RSA') throw new Error('not an RSA private key');
        return key;
      }),
  },
  {
    name: 'crypto.parse_private_keys',
    decl: fn([STRING], arrayOf(objectOf(STRING, ANY))),
    impl: (args) => {
      const text = str('crypto.parse_private_keys', args, 0);
      if (text.trim() === '') return [];
      return guarded('crypto.parse_private_keys', () => pemBlocks(text, 'private keys').filter((b) => b.label.endsWith('PRIVATE KEY')).map((b) => privateKeyJWK(b.pem)));
    },
  },
];
