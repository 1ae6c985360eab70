// crypto.x509.* and crypto.parse_private_keys. A root → intermediate → leaf chain and a CSR made
// with openssl are embedded (valid 2024-2099, the intermediate name-constrained to example.com);
// further certificates are built here with node:crypto and a small DER writer, to reach the
// cases openssl fixtures would make bulky (RSA, Ed25519, RSA-PSS, v1, path length, EKUs, …).
import { X509Certificate, constants, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { call, callError } from './helpers';
import { runQuery } from '../../server/engine/query';
import { ObjectValue, SetValue, fromJS, toJS, type Value } from '../../server/value/value';

// ---------------------------------------------------------------------------------------------
// Fixtures (openssl 3.0, EC P-256)

const ROOT = `-----BEGIN CERTIFICATE-----
MIIBtjCCAVugAwIBAgIBATAKBggqhkjOPQQDAjBBMQswCQYDVQQGEwJLUjEUMBIG
A1UECgwLUmVnZW50IFRlc3QxHDAaBgNVBAMME1JlZ2VudCBUZXN0IFJvb3QgQ0Ew
IBcNMjQwMTAxMDAwMDAwWhgPMjEyNDAxMDEwMDAwMDBaMEExCzAJBgNVBAYTAktS
MRQwEgYDVQQKDAtSZWdlbnQgVGVzdDEcMBoGA1UEAwwTUmVnZW50IFRlc3QgUm9v
dCBDQTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABG/fU49SZJ9xQa/9lJH3AsVu
1RA6huvTlSny2FMaJrDiB2C3UHmFUovx4aJJlhVmK9X8u9WMDL2hcTKJAUeI6XGj
QjBAMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMB0GA1UdDgQWBBTW
aScSLjrWl2x79CUU+I8HkBCQyTAKBggqhkjOPQQDAgNJADBGAiEAh6j0AKMjbEeG
xRbko6+yLRFyjetjfnZF8Tdkeoh8ldECIQCAK0KTbni7/YjWw/0/DHgjrPA6WuWd
6Cr24czTlWKn3A==
-----END CERTIFICATE-----
`;

const INTERMEDIATE = `-----BEGIN CERTIFICATE-----
MIICCzCCAbGgAwIBAgICEAEwCgYIKoZIzj0EAwIwQTELMAkGA1UEBhMCS1IxFDAS
BgNVBAoMC1JlZ2VudCBUZXN0MRwwGgYDVQQDDBNSZWdlbnQgVGVzdCBSb290IENB
MCAXDTI0MDEwMTAwMDAwMFoYDzIxMjMxMjMxMDAwMDAwWjA8MRQwEgYDVQQKDAtS
ZWdlbnQgVGVzdDEkMCIGA1UEAwwbUmVnZW50IFRlc3QgSW50ZXJtZWRpYXRlIENB
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEJ9iaGy8nqcea2pH+trGuyA5SsUGM
vwt3r9jSNleWQfJzRPPF8aLjQ2/rldIDmgglgK7mEpQKUcRo3zArhEBtGKOBmzCB
mDASBgNVHRMBAf8ECDAGAQH/AgEAMA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4EFgQU
YQ8u4JIq1suvuq2VWzGlcAnIJ0EwHwYDVR0jBBgwFoAU1mknEi461pdse/QlFPiP
B5AQkMkwMgYDVR0eAQH/BCgwJqAPMA2CC2V4YW1wbGUuY29toRMwEYIPYmFkLmV4
YW1wbGUuY29tMAoGCCqGSM49BAMCA0gAMEUCIQC7mou367/YYMjt1IyCEVLGSI/s
CePmhrrRdjGZLtNbhAIgbtKzisoSkzEch4pd8zHZz4OeuCZqSzk91GMup6422kE=
-----END CERTIFICATE-----
`;

const INTERMEDIATE_KEY = `-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIJspohgyaW4+xe8rcjh8lvzivAysH/hmkpB7eV6j6Iw2oAoGCCqGSM49
AwEHoUQDQgAEJ9iaGy8nqcea2pH+trGuyA5SsUGMvwt3r9jSNleWQfJzRPPF8aLj
Q2/rldIDmgglgK7mEpQKUcRo3zArhEBtGA==
-----END EC PRIVATE KEY-----
`;

const LEAF = `-----BEGIN CERTIFICATE-----
MIIDljCCAz2gAwIBAgIKASNFZ4mrze8BIzAKBggqhkjOPQQDAjA8MRQwEgYDVQQK
DAtSZWdlbnQgVGVzdDEkMCIGA1UEAwwbUmVnZW50IFRlc3QgSW50ZXJtZWRpYXRl
IENBMCAXDTI0MDEwMjAzMDQwNVoYDzIwOTkxMjMxMjM1OTU5WjCBmDELMAkGA1UE
BhMCS1IxDjAMBgNVBAgMBVNlb3VsMRAwDgYDVQQHDAdHYW5nbmFtMRQwEgYDVQQK
DAtSZWdlbnQgVGVzdDEUMBIGA1UECwwLRW5naW5lZXJpbmcxDzANBgNVBAsMBlBv
bGljeTEZMBcGA1UEAwwQbGVhZi5leGFtcGxlLmNvbTEPMA0GA1UEBRMGQS0xMjM0
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE00zGeNz5dBB+Pl6YGD39u4RmU21K
fnHhhmjMeGC5AC2FwR5sg9tqR7OokC7QYa9svHO5FCKis5DblGnTinhrl6OCAcYw
ggHCMAkGA1UdEwQCMAAwDgYDVR0PAQH/BAQDAgeAMB0GA1UdJQQWMBQGCCsGAQUF
BwMBBggrBgEFBQcDAjAdBgNVHQ4EFgQUGeXhHYISJb1Q0TlARcarJbbGLhwwHwYD
VR0jBBgwFoAUYQ8u4JIq1suvuq2VWzGlcAnIJ0EwgYAGA1UdEQR5MHeCEGxlYWYu
ZXhhbXBsZS5jb22CESouYXBpLmV4YW1wbGUuY29thwQKAAABhxAgAQ24AAAAAAAA
AAAAAAABgQ9vcHNAZXhhbXBsZS5jb22GJ3NwaWZmZTovL2V4YW1wbGUuY29tL25z
L2RlZmF1bHQvc2EvbGVhZjA4BgNVHR8EMTAvMC2gK6AphidodHRwOi8vY3JsLmV4
YW1wbGUuY29tL2ludGVybWVkaWF0ZS5jcmwwZwYIKwYBBQUHAQEEWzBZMCMGCCsG
AQUFBzABhhdodHRwOi8vb2NzcC5leGFtcGxlLmNvbTAyBggrBgEFBQcwAoYmaHR0
cDovL2NhLmV4YW1wbGUuY29tL2ludGVybWVkaWF0ZS5jcnQwIAYDVR0gBBkwFzAI
BgZngQwBAgEwCwYJKwYBBAGGjR8BMAoGCCqGSM49BAMCA0cAMEQCIFR7UgJEVPjp
ZmK/z56xc3KzyUNX8Tq0Mr14WFjo/bcIAiBHLpX/ioHQxkxmWpsH2NrbDvH54xCh
c/889v3on+A24A==
-----END CERTIFICATE-----
`;

const LEAF_KEY = `-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIClr5fsXjj+UAJ17PszM9ktsB//4rbA5taTK93qEZlNEoAoGCCqGSM49
AwEHoUQDQgAE00zGeNz5dBB+Pl6YGD39u4RmU21KfnHhhmjMeGC5AC2FwR5sg9tq
R7OokC7QYa9svHO5FCKis5DblGnTinhrlw==
-----END EC PRIVATE KEY-----
`;

// The leaf's key and subject, SANs, key usage and EKUs; attributes: a challengePassword (Go
// skips it) and the extensionRequest.
const CSR = `-----BEGIN CERTIFICATE REQUEST-----
MIICOjCCAeACAQAwgZgxCzAJBgNVBAYTAktSMQ4wDAYDVQQIDAVTZW91bDEQMA4G
A1UEBwwHR2FuZ25hbTEUMBIGA1UECgwLUmVnZW50IFRlc3QxFDASBgNVBAsMC0Vu
Z2luZWVyaW5nMQ8wDQYDVQQLDAZQb2xpY3kxGTAXBgNVBAMMEGxlYWYuZXhhbXBs
ZS5jb20xDzANBgNVBAUTBkEtMTIzNDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IA
BNNMxnjc+XQQfj5emBg9/buEZlNtSn5x4YZozHhguQAthcEebIPbakezqJAu0GGv
bLxzuRQiorOQ25Rp04p4a5eggeQwHAYJKoZIhvcNAQkHMQ8MDWlnbm9yZWQtYnkt
Z28wgcMGCSqGSIb3DQEJDjGBtTCBsjCBgAYDVR0RBHkwd4IQbGVhZi5leGFtcGxl
LmNvbYIRKi5hcGkuZXhhbXBsZS5jb22HBAoAAAGHECABDbgAAAAAAAAAAAAAAAGB
D29wc0BleGFtcGxlLmNvbYYnc3BpZmZlOi8vZXhhbXBsZS5jb20vbnMvZGVmYXVs
dC9zYS9sZWFmMA4GA1UdDwEB/wQEAwIHgDAdBgNVHSUEFjAUBggrBgEFBQcDAQYI
KwYBBQUHAwIwCgYIKoZIzj0EAwIDSAAwRQIgRvaYEvzW4VOpW/T8hjVmkTyDnRI/
PSvlf2nYJe56Tb0CIQC8+29mgXptKRP5QcOVOo4oORozNRHrCedyU1YT0QKp3g==
-----END CERTIFICATE REQUEST-----
`;

const CHAIN = ROOT + INTERMEDIATE + LEAF;

// ---------------------------------------------------------------------------------------------
// A DER writer, enough to build certificates

function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...len]), body]);
}
const seq = (...p: Buffer[]) => tlv(0x30, ...p);
const set = (...p: Buffer[]) => tlv(0x31, ...p);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer) => tlv(0x03, Buffer.from([0]), b);
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const NULL = tlv(0x05);
const ctxC = (n: number, ...p: Buffer[]) => tlv(0xa0 | n, ...p);
const ctxP = (n: number, b: Buffer) => tlv(0x80 | n, b);

function int(v: number | bigint): Buffer {
  let hex = BigInt(v).toString(16);
  if (hex.length % 2) hex = '0' + hex;
  const b = Buffer.from(hex, 'hex');
  return tlv(0x02, b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

function oid(text: string): Buffer {
  const arcs = text.split('.').map(BigInt);
  const out: number[] = [];
  for (const v of [arcs[0] * 40n + arcs[1], ...arcs.slice(2)]) {
    const chunk = [Number(v & 0x7fn)];
    for (let r = v >> 7n; r > 0n; r >>= 7n) chunk.unshift(Number(r & 0x7fn) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function utcTime(d: Date): Buffer {
  const s = d.toISOString();
  return tlv(0x17, Buffer.from(s.slice(2, 4) + s.slice(5, 7) + s.slice(8, 10) + s.slice(11, 13) + s.slice(14, 16) + s.slice(17, 19) + 'Z'));
}

const commonName = (name: string) => seq(set(seq(oid('2.5.4.3'), utf8(name))));
const extension = (id: string, value: Buffer, critical = false) => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
const basicConstraints = (ca: boolean, pathLen?: number) =>
  extension('2.5.29.19', seq(...(ca ? [bool(true)] : []), ...(pathLen === undefined ? [] : [int(pathLen)])), true);
const keyUsage = (bitsByte: number) => extension('2.5.29.15', tlv(0x03, Buffer.from([0, bitsByte])), true);
const CERT_SIGN = 0x04; // keyCertSign is bit 5: 0x04 in the first byte
const DIGITAL_SIGNATURE = 0x80;
const extKeyUsage = (...oids: string[]) => extension('2.5.29.37', seq(...oids.map(oid)));
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const dnsNames = (...names: string[]) => extension('2.5.29.17', seq(...names.map((n) => ctxP(2, Buffer.from(n)))));

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

const SHA256 = '2.16.840.1.101.3.4.2.1';

interface Spec {
  subject: Buffer;
  issuer: Buffer;
  publicKey: KeyObject;
  signer: KeyObject;
  serial?: number;
  v1?: boolean;
  pss?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  extensions?: Buffer[];
}

/** A certificate signed by `signer` (ECDSA-SHA256, SHA256-RSA or RSA-PSS, or Ed25519). */
function makeCert(s: Spec): string {
  const type = s.signer.asymmetricKeyType;
  const alg =
    type === 'ec'
      ? seq(oid('1.2.840.10045.4.3.2'))
      : type === 'ed25519'
        ? seq(oid('1.3.101.112'))
        : s.pss
          ? seq(oid('1.2.840.113549.1.1.10'), seq(ctxC(0, seq(oid(SHA256), NULL)), ctxC(1, seq(oid('1.2.840.113549.1.1.8'), seq(oid(SHA256), NULL))), ctxC(2, int(32))))
          : seq(oid('1.2.840.113549.1.1.11'), NULL);
  const tbs = seq(
    ...(s.v1 ? [] : [ctxC(0, int(2))]),
    int(s.serial ?? 1),
    alg,
    s.issuer,
    seq(utcTime(s.notBefore ?? new Date('2024-01-01T00:00:00Z')), utcTime(s.notAfter ?? new Date('2045-01-01T00:00:00Z'))),
    s.subject,
    s.publicKey.export({ type: 'spki', format: 'der' }),
    ...(s.extensions?.length ? [ctxC(3, seq(...s.extensions))] : []),
  );
  const signature =
    type === 'ed25519'
      ? sign(null, tbs, s.signer)
      : s.pss
        ? sign('sha256', tbs, { key: s.signer, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
        : sign('sha256', tbs, s.signer);
  return pem('CERTIFICATE', seq(tbs, alg, bits(signature)));
}

// ---------------------------------------------------------------------------------------------
// Helpers

type Obj = Record<string, unknown>;

const js = (v: Value | undefined): unknown => (v === undefined ? undefined : toJS(v));
const certs = (input: string) => js(call('crypto.x509.parse_certificates', input)) as Obj[];
const verifyChain = (input: string) => js(call('crypto.x509.parse_and_verify_certificates', input)) as [boolean, Obj[]];
const verifyWith = (input: string, options: Obj) =>
  js(call('crypto.x509.parse_and_verify_certificates_with_options', input, fromJS(options) as ObjectValue)) as [boolean, Obj[]];
const cnOf = (c: Obj) => (c.Subject as Obj).CommonName;
const b64 = (s: string) => Buffer.from(s).toString('base64');
const derOf = (pemText: string) => new X509Certificate(pemText).raw;
const big = (b64url: string | undefined) => BigInt('0x' + Buffer.from(b64url ?? '', 'base64url').toString('hex'));
const jwkOf = (k: KeyObject) => k.export({ format: 'jwk' });

// The intermediate's subject, as openssl wrote it (UTF8String): issuer of the certificates built here.
const INTERMEDIATE_NAME = seq(set(seq(oid('2.5.4.10'), utf8('Regent Test'))), set(seq(oid('2.5.4.3'), utf8('Regent Test Intermediate CA'))));
const intermediateKey = createPrivateKey(INTERMEDIATE_KEY);

/** A leaf issued by the openssl intermediate. */
function leafUnderIntermediate(extensions: Buffer[], name = 'built.example.com'): string {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return makeCert({ subject: commonName(name), issuer: INTERMEDIATE_NAME, publicKey, signer: intermediateKey, serial: 7, extensions });
}

const GO_CERTIFICATE_FIELDS = [
  'Raw', 'RawTBSCertificate', 'RawSubjectPublicKeyInfo', 'RawSubject', 'RawIssuer', 'Signature', 'SignatureAlgorithm', 'PublicKeyAlgorithm', 'PublicKey',
  'Version', 'SerialNumber', 'Issuer', 'Subject', 'NotBefore', 'NotAfter', 'KeyUsage', 'Extensions', 'ExtraExtensions', 'UnhandledCriticalExtensions',
  'ExtKeyUsage', 'UnknownExtKeyUsage', 'BasicConstraintsValid', 'IsCA', 'MaxPathLen', 'MaxPathLenZero', 'SubjectKeyId', 'AuthorityKeyId', 'OCSPServer',
  'IssuingCertificateURL', 'DNSNames', 'EmailAddresses', 'IPAddresses', 'URIs', 'PermittedDNSDomainsCritical', 'PermittedDNSDomains', 'ExcludedDNSDomains',
  'PermittedIPRanges', 'ExcludedIPRanges', 'PermittedEmailAddresses', 'ExcludedEmailAddresses', 'PermittedURIDomains', 'ExcludedURIDomains',
  'CRLDistributionPoints', 'PolicyIdentifiers', 'Policies', 'InhibitAnyPolicy', 'InhibitAnyPolicyZero', 'InhibitPolicyMapping', 'InhibitPolicyMappingZero',
  'RequireExplicitPolicy', 'RequireExplicitPolicyZero', 'PolicyMappings',
];

// ---------------------------------------------------------------------------------------------

describe('crypto.x509.parse_certificates', () => {
  it("gives Go's x509.Certificate fields, plus OPA's URIStrings", () => {
    const [leaf] = certs(LEAF);
    expect(Object.keys(leaf).sort()).toEqual([...GO_CERTIFICATE_FIELDS, 'URIStrings'].sort());
    expect(leaf.Raw).toBe(derOf(LEAF).toString('base64'));
    expect(leaf.Version).toBe(3);
    expect(leaf.SerialNumber).toBe(BigInt('0x0123456789ABCDEF0123'));
    expect(leaf.SignatureAlgorithm).toBe(10); // ECDSAWithSHA256
    expect(leaf.PublicKeyAlgorithm).toBe(3); // ECDSA
    const pub = jwkOf(createPublicKey(LEAF));
    expect(leaf.PublicKey).toEqual({ Curve: {}, X: big(pub.x), Y: big(pub.y) });
    expect(leaf.NotBefore).toBe('2024-01-02T03:04:05Z'); // UTCTime
    expect(leaf.NotAfter).toBe('2099-12-31T23:59:59Z'); // GeneralizedTime
  });

  it('fills pkix.Name like Go: known attributes by field, every attribute in Names', () => {
    const [leaf] = certs(LEAF);
    expect(leaf.Subject).toEqual({
      Country: ['KR'],
      Organization: ['Regent Test'],
      OrganizationalUnit: ['Engineering', 'Policy'],
      Locality: ['Gangnam'],
      Province: ['Seoul'],
      StreetAddress: null,
      PostalCode: null,
      SerialNumber: 'A-1234',
      CommonName: 'leaf.example.com',
      Names: [
        { Type: [2, 5, 4, 6], Value: 'KR' },
        { Type: [2, 5, 4, 8], Value: 'Seoul' },
        { Type: [2, 5, 4, 7], Value: 'Gangnam' },
        { Type: [2, 5, 4, 10], Value: 'Regent Test' },
        { Type: [2, 5, 4, 11], Value: 'Engineering' },
        { Type: [2, 5, 4, 11], Value: 'Policy' },
        { Type: [2, 5, 4, 3], Value: 'leaf.example.com' },
        { Type: [2, 5, 4, 5], Value: 'A-1234' },
      ],
      ExtraNames: null,
    });
    expect((leaf.Issuer as Obj).CommonName).toBe('Regent Test Intermediate CA');
    expect((leaf.Issuer as Obj).Country).toBeNull();
    expect(Buffer.from(leaf.RawIssuer as string, 'base64')).toEqual(INTERMEDIATE_NAME);
  });

  it('reads the extensions Go reads', () => {
    const [leaf] = certs(LEAF);
    expect(leaf).toMatchObject({
      KeyUsage: 1, // digitalSignature
      ExtKeyUsage: [1, 2], // serverAuth, clientAuth
      UnknownExtKeyUsage: null,
      BasicConstraintsValid: true,
      IsCA: false,
      MaxPathLen: -1,
      MaxPathLenZero: false,
      DNSNames: ['leaf.example.com', '*.api.example.com'],
      EmailAddresses: ['ops@example.com'],
      IPAddresses: ['10.0.0.1', '2001:db8::1'],
      URIStrings: ['spiffe://example.com/ns/default/sa/leaf'],
      OCSPServer: ['http://ocsp.example.com'],
      IssuingCertificateURL: ['http://ca.example.com/intermediate.crt'],
      CRLDistributionPoints: ['http://crl.example.com/intermediate.crl'],
      PolicyIdentifiers: [
        [2, 23, 140, 1, 2, 1],
        [1, 3, 6, 1, 4, 1, 99999, 1],
      ],
      Policies: ['2.23.140.1.2.1', '1.3.6.1.4.1.99999.1'],
      UnhandledCriticalExtensions: null,
      PermittedDNSDomains: null,
      ExtraExtensions: null,
    });
    expect(leaf.URIs).toEqual([
      {
        Scheme: 'spiffe', Opaque: '', User: null, Host: 'example.com', Path: '/ns/default/sa/leaf', RawPath: '', OmitHost: false,
        ForceQuery: false, RawQuery: '', Fragment: '', RawFragment: '',
      },
    ]);
    const exts = leaf.Extensions as Obj[];
    expect(exts.map((e) => (e.Id as number[]).join('.'))).toEqual([
      '2.5.29.19', '2.5.29.15', '2.5.29.37', '2.5.29.14', '2.5.29.35', '2.5.29.17', '2.5.29.31', '1.3.6.1.5.5.7.1.1', '2.5.29.32',
    ]);
    expect(exts[1]).toEqual({ Id: [2, 5, 29, 15], Critical: true, Value: Buffer.from([3, 2, 7, 0x80]).toString('base64') });
    const [, intermediate] = certs(ROOT + INTERMEDIATE);
    expect(leaf.AuthorityKeyId).toBe(intermediate.SubjectKeyId);
    expect(typeof leaf.SubjectKeyId).toBe('string');
  });

  it('reads CA certificates: path length, key usage bits, name constraints, GeneralizedTime', () => {
    const [root, intermediate] = certs(ROOT + INTERMEDIATE);
    expect(root).toMatchObject({ IsCA: true, BasicConstraintsValid: true, MaxPathLen: -1, MaxPathLenZero: false, KeyUsage: 96, AuthorityKeyId: null });
    expect(root.NotAfter).toBe('2124-01-01T00:00:00Z');
    expect(root.Issuer).toEqual(root.Subject);
    expect(intermediate).toMatchObject({
      IsCA: true,
      MaxPathLen: 0,
      MaxPathLenZero: true,
      KeyUsage: 96, // keyCertSign | cRLSign
      PermittedDNSDomainsCritical: true,
      PermittedDNSDomains: ['example.com'],
      ExcludedDNSDomains: ['bad.example.com'],
      PermittedIPRanges: null,
      PolicyIdentifiers: null,
      DNSNames: null,
      URIStrings: null,
    });
  });

  it('takes PEM, base64 of PEM and base64 of concatenated DER', () => {
    const cns = ['Regent Test Root CA', 'Regent Test Intermediate CA', 'leaf.example.com'];
    expect(certs(CHAIN).map(cnOf)).toEqual(cns);
    expect(certs(b64(CHAIN)).map(cnOf)).toEqual(cns);
    const der = Buffer.concat([ROOT, INTERMEDIATE, LEAF].map(derOf)).toString('base64');
    expect(certs(der).map(cnOf)).toEqual(cns);
    // CRLF line ends, as PEM files written on Windows have them:
    expect(certs(CHAIN.replace(/\n/g, '\r\n')).map(cnOf)).toEqual(cns);
    expect(certs(b64(CHAIN.replace(/\n/g, '\r\n'))).map(cnOf)).toEqual(cns);
    expect(certs('')).toEqual([]);
  });

  it("fails as OPA does on other PEM blocks, bad base64 and bad DER", () => {
    expect(callError('crypto.x509.parse_certificates', ROOT + LEAF_KEY).message).toBe(
      "crypto.x509.parse_certificates: PEM block type is 'EC PRIVATE KEY', expected CERTIFICATE",
    );
    expect(callError('crypto.x509.parse_certificates', 'not base64!').message).toBe('crypto.x509.parse_certificates: illegal base64 data at input byte 3');
    expect(callError('crypto.x509.parse_certificates', Buffer.from('junk').toString('base64')).message).toMatch(/^crypto\.x509\.parse_certificates: x509: malformed certificate/);
    // Only PEM text that starts at once is PEM: anything else must be base64.
    expect(callError('crypto.x509.parse_certificates', `\n${ROOT}`).message).toMatch(/illegal base64 data/);
    const truncated = derOf(ROOT).subarray(0, 100).toString('base64');
    expect(callError('crypto.x509.parse_certificates', truncated).code).toBe('eval_builtin_error');
  });

  it('reads certificates built with other algorithms and shapes', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ed = generateKeyPairSync('ed25519');
    const unknownCritical = extension('1.2.3.4.5', Buffer.from([5, 0]), true);
    const rsaCert = makeCert({ subject: commonName('rsa'), issuer: commonName('rsa'), publicKey: rsa.publicKey, signer: rsa.privateKey, extensions: [unknownCritical] });
    const pssCert = makeCert({ subject: commonName('pss'), issuer: commonName('pss'), publicKey: rsa.publicKey, signer: rsa.privateKey, pss: true });
    const edCert = makeCert({ subject: commonName('ed'), issuer: commonName('ed'), publicKey: ed.publicKey, signer: ed.privateKey, v1: true });
    const [r, p, e] = certs(rsaCert + pssCert + edCert);
    const jwk = jwkOf(rsa.publicKey);
    expect(r).toMatchObject({ SignatureAlgorithm: 4, PublicKeyAlgorithm: 1, PublicKey: { N: big(jwk.n), E: 65537 }, UnhandledCriticalExtensions: [[1, 2, 3, 4, 5]] });
    expect(p.SignatureAlgorithm).toBe(13); // SHA256WithRSAPSS
    expect(e).toMatchObject({
      Version: 1,
      SignatureAlgorithm: 16, // PureEd25519
      PublicKeyAlgorithm: 4,
      PublicKey: Buffer.from(jwkOf(ed.publicKey).x ?? '', 'base64url').toString('base64'),
      Extensions: null,
      BasicConstraintsValid: false,
      MaxPathLen: 0,
      KeyUsage: 0,
    });
  });
});

/** A CA whose name constraints cover IPs, emails and URIs, and a policy-laden extension set. */
function constrainedCA(key: { publicKey: KeyObject; privateKey: KeyObject }): string {
  const subtree = (tag: number, value: Buffer) => seq(ctxP(tag, value));
  const ip6 = Buffer.from('20010db8000000000000000000000000', 'hex');
  const mask48 = Buffer.from('ffffffffffff00000000000000000000', 'hex');
  const nameConstraints = seq(
    ctxC(0, subtree(7, Buffer.from([10, 0, 0, 0, 255, 0, 0, 0])), subtree(1, Buffer.from('example.com')), subtree(6, Buffer.from('.example.com'))),
    ctxC(1, subtree(7, Buffer.concat([ip6, mask48]))),
  );
  return makeCert({
    subject: commonName('Constrained CA'), issuer: commonName('Constrained CA'), publicKey: key.publicKey, signer: key.privateKey,
    extensions: [
      basicConstraints(true, 3),
      keyUsage(CERT_SIGN),
      extension('2.5.29.30', nameConstraints, true),
      extension('2.5.29.32', seq(seq(oid('1.2.4294967296')), seq(oid('2.5.29.32.0')))),
      extension('2.5.29.33', seq(seq(oid('2.23.140.1.2.1'), oid('1.2.3.4')))),
      extension('2.5.29.36', seq(ctxP(0, Buffer.from([0])), ctxP(1, Buffer.from([2])))),
      extension('2.5.29.54', int(0)),
    ],
  });
}

describe('crypto.x509.parse_certificates of constraint and policy extensions', () => {
  it('reads IP, email and URI name constraints and the policy extensions', () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const [ca] = certs(constrainedCA(key));
    expect(ca).toMatchObject({
      MaxPathLen: 3,
      PermittedDNSDomainsCritical: true,
      PermittedDNSDomains: null,
      PermittedIPRanges: [{ IP: '10.0.0.0', Mask: Buffer.from([255, 0, 0, 0]).toString('base64') }],
      PermittedEmailAddresses: ['example.com'],
      PermittedURIDomains: ['.example.com'],
      ExcludedIPRanges: [{ IP: '2001:db8::', Mask: Buffer.from('ffffffffffff00000000000000000000', 'hex').toString('base64') }],
      // An arc beyond 31 bits is kept in Policies (x509.OID) but not in PolicyIdentifiers ([]int).
      Policies: ['1.2.4294967296', '2.5.29.32.0'],
      PolicyIdentifiers: [[2, 5, 29, 32, 0]],
      PolicyMappings: [{ IssuerDomainPolicy: '2.23.140.1.2.1', SubjectDomainPolicy: '1.2.3.4' }],
      RequireExplicitPolicy: 0,
      RequireExplicitPolicyZero: true,
      InhibitPolicyMapping: 2,
      InhibitPolicyMappingZero: false,
      InhibitAnyPolicy: 0,
      InhibitAnyPolicyZero: true,
      UnhandledCriticalExtensions: null,
    });
  });
});

describe('crypto.x509.parse_and_verify_certificates', () => {
  it('verifies root, intermediates, leaf and returns the chain leaf first', () => {
    const [ok, chain] = verifyChain(CHAIN);
    expect(ok).toBe(true);
    expect(chain.map(cnOf)).toEqual(['leaf.example.com', 'Regent Test Intermediate CA', 'Regent Test Root CA']);
    expect(chain[0].URIStrings).toEqual(['spiffe://example.com/ns/default/sa/leaf']);
    expect(verifyChain(b64(CHAIN))[0]).toBe(true);
  });

  it('answers [false, []] for a wrong order, a gap, a lone certificate or bad input', () => {
    for (const input of [LEAF + INTERMEDIATE + ROOT, ROOT + LEAF, LEAF, 'not a certificate', ROOT + LEAF_KEY]) {
      expect(verifyChain(input)).toEqual([false, []]);
    }
    // Any certificate can be the last one: a CA's without EKUs verifies as a leaf, as in Go.
    expect(verifyChain(ROOT + INTERMEDIATE)[1].map(cnOf)).toEqual(['Regent Test Intermediate CA', 'Regent Test Root CA']);
  });

  it('enforces name constraints, path lengths, CA flags and critical extensions', () => {
    const ok = leafUnderIntermediate([dnsNames('svc.example.com'), extKeyUsage(SERVER_AUTH)]);
    expect(verifyChain(ROOT + INTERMEDIATE + ok)[0]).toBe(true);
    // Excluded and not permitted by the intermediate's name constraints:
    expect(verifyChain(ROOT + INTERMEDIATE + leafUnderIntermediate([dnsNames('x.bad.example.com')]))[0]).toBe(false);
    expect(verifyChain(ROOT + INTERMEDIATE + leafUnderIntermediate([dnsNames('example.org')]))[0]).toBe(false);
    // An unknown critical extension fails verification (and shows in the parsed leaf):
    const critical = leafUnderIntermediate([dnsNames('svc.example.com'), extension('1.2.3.4', NULL, true)]);
    expect(verifyChain(ROOT + INTERMEDIATE + critical)[0]).toBe(false);
    // The intermediate allows no further CA below it (pathlen 0):
    const sub = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const subCA = makeCert({
      subject: commonName('Sub CA'), issuer: INTERMEDIATE_NAME, publicKey: sub.publicKey, signer: intermediateKey, serial: 9,
      extensions: [basicConstraints(true), keyUsage(CERT_SIGN)],
    });
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const belowSub = makeCert({ subject: commonName('deep'), issuer: commonName('Sub CA'), publicKey, signer: sub.privateKey, extensions: [dnsNames('deep.example.com')] });
    expect(verifyChain(ROOT + INTERMEDIATE + subCA + belowSub)[0]).toBe(false);
    // A parent that is not a CA cannot sign:
    const notCA = makeCert({ subject: commonName('Not a CA'), issuer: commonName('Not a CA'), publicKey: sub.publicKey, signer: sub.privateKey, extensions: [basicConstraints(false)] });
    const underNotCA = makeCert({ subject: commonName('child'), issuer: commonName('Not a CA'), publicKey, signer: sub.privateKey });
    expect(verifyChain(notCA + underNotCA)[0]).toBe(false);
  });

  it('checks every SAN of the leaf against IP, email and URI constraints', () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ca = constrainedCA(key);
    const san = (...names: Array<[number, Buffer]>) => extension('2.5.29.17', seq(...names.map(([tag, v]) => ctxP(tag, v))));
    const leafWith = (...names: Array<[number, Buffer]>) => {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      return makeCert({ subject: commonName('leaf'), issuer: commonName('Constrained CA'), publicKey, signer: key.privateKey, serial: 5, extensions: [san(...names)] });
    };
    const ip = (...bytes: number[]) => Buffer.from(bytes);
    const cases: Array<[string, Array<[number, Buffer]>, boolean]> = [
      ['permitted IP, email and URI', [[7, ip(10, 1, 2, 3)], [1, Buffer.from('ops@example.com')], [6, Buffer.from('spiffe://a.example.com/x')]], true],
      ['IP outside 10/8', [[7, ip(192, 168, 0, 1)]], false],
      ['IPv6 with no permitted IPv6 range', [[7, Buffer.from('20010db8000000010000000000000001', 'hex')]], false],
      ['email of another domain', [[1, Buffer.from('ops@example.org')]], false],
      ['URI on the domain itself, which ".example.com" leaves out', [[6, Buffer.from('https://example.com/')]], false],
      ['URI with an IP host', [[6, Buffer.from('https://10.0.0.1/')]], false],
      ['DNS names are unconstrained here', [[2, Buffer.from('anything.org')]], true],
    ];
    for (const [note, names, want] of cases) expect([note, verifyChain(ca + leafWith(...names))[0]]).toEqual([note, want]);
    // Comparisons add up over the leaf's names: one for the email, one for the URI.
    const ok = ca + leafWith([1, Buffer.from('ops@example.com')], [6, Buffer.from('spiffe://a.example.com/x')]);
    expect(verifyWith(ok, { MaxConstraintComparisons: 1 })[0]).toBe(false);
    expect(verifyWith(ok, { MaxConstraintComparisons: 2 })[0]).toBe(true);
  });

  it('verifies RSA, RSA-PSS and Ed25519 signatures and accepts a v1 root', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ed = generateKeyPairSync('ed25519');
    const leafKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    for (const [root, key, pss] of [
      ['RSA root', rsa, false],
      ['PSS root', rsa, true],
      ['Ed25519 root', ed, false],
    ] as const) {
      const rootCert = makeCert({ subject: commonName(root), issuer: commonName(root), publicKey: key.publicKey, signer: key.privateKey, pss, extensions: [basicConstraints(true)] });
      const leaf = makeCert({ subject: commonName('leaf'), issuer: commonName(root), publicKey: leafKey, signer: key.privateKey, pss, serial: 2 });
      expect([root, verifyChain(rootCert + leaf)[0]]).toEqual([root, true]);
      // A signature by another key fails.
      const other = generateKeyPairSync('ed25519');
      const forged = makeCert({ subject: commonName('leaf'), issuer: commonName(root), publicKey: leafKey, signer: other.privateKey, serial: 3 });
      expect([root, verifyChain(rootCert + forged)[0]]).toEqual([root, false]);
    }
    const v1Root = makeCert({ subject: commonName('v1 root'), issuer: commonName('v1 root'), publicKey: ed.publicKey, signer: ed.privateKey, v1: true });
    const leaf = makeCert({ subject: commonName('leaf'), issuer: commonName('v1 root'), publicKey: leafKey, signer: ed.privateKey, serial: 2 });
    const [ok, chain] = verifyChain(v1Root + leaf);
    expect(ok).toBe(true);
    expect(chain.map((c) => c.Version)).toEqual([3, 1]);
  });

  it('checks extended key usage down the chain, server auth unless told otherwise', () => {
    const clientOnly = leafUnderIntermediate([dnsNames('client.example.com'), extKeyUsage(CLIENT_AUTH)]);
    const chain = ROOT + INTERMEDIATE + clientOnly;
    expect(verifyChain(chain)[0]).toBe(false);
    expect(verifyWith(chain, { KeyUsages: ['KeyUsageClientAuth'] })[0]).toBe(true);
    expect(verifyWith(chain, { KeyUsages: SetValue.of(['KeyUsageAny']) })[0]).toBe(true);
    // No EKU extension at all allows any usage.
    expect(verifyChain(ROOT + INTERMEDIATE + leafUnderIntermediate([dnsNames('any.example.com')]))[0]).toBe(true);
  });
});

describe('crypto.x509.parse_and_verify_certificates_with_options', () => {
  it('checks DNS names and IP addresses against the SANs as Go does', () => {
    const cases: Array<[string, boolean]> = [
      ['leaf.example.com', true],
      ['LEAF.example.com.', true],
      ['x.api.example.com', true],
      ['a.b.api.example.com', false],
      ['api.example.com', false],
      ['other.example.com', false],
      ['10.0.0.1', true],
      ['[2001:db8::1]', true],
      ['2001:db8:0:0:0:0:0:1', true],
      ['10.0.0.2', false],
    ];
    for (const [name, want] of cases) expect([name, verifyWith(CHAIN, { DNSName: name })[0]]).toEqual([name, want]);
  });

  it('verifies at CurrentTime (ns) and with the given key usages; no URIStrings here', () => {
    const ns = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;
    expect(verifyWith(CHAIN, { CurrentTime: ns('2024-01-02T03:04:05Z') })[0]).toBe(true);
    expect(verifyWith(CHAIN, { CurrentTime: ns('2024-01-02T03:04:04Z') })[0]).toBe(false);
    expect(verifyWith(CHAIN, { CurrentTime: ns('2100-01-01T00:00:00Z') })[0]).toBe(false);
    expect(verifyWith(CHAIN, { KeyUsages: ['KeyUsageCodeSigning'] })[0]).toBe(false);
    const [ok, chain] = verifyWith(CHAIN, { DNSName: 'leaf.example.com', KeyUsages: ['KeyUsageServerAuth', 'KeyUsageClientAuth'], MaxConstraintComparisons: 10 });
    expect(ok).toBe(true);
    expect(chain[0]).not.toHaveProperty('URIStrings');
    expect(Object.keys(chain[0]).sort()).toEqual([...GO_CERTIFICATE_FIELDS].sort());
    expect(verifyWith('garbage', { DNSName: 'x' })).toEqual([false, []]);
  });

  it('refuses malformed options with OPA\'s messages', () => {
    const fails = (options: Obj) =>
      callError('crypto.x509.parse_and_verify_certificates_with_options', CHAIN, fromJS(options) as ObjectValue).message.replace(/^[^:]*: /, '');
    expect(fails({ DNSName: 1 })).toBe("'DNSName' should be a string");
    expect(fails({ CurrentTime: 'now' })).toBe("'CurrentTime' should be a number");
    expect(fails({ CurrentTime: 1.5 })).toBe("'CurrentTime' should be a valid int64 number");
    expect(fails({ MaxConstraintComparisons: 'x' })).toBe("'MaxConstraintComparisons' should be a number");
    expect(fails({ KeyUsages: 'KeyUsageAny' })).toBe("'KeyUsages' should be an Array or Set");
    expect(fails({ KeyUsages: ['1', 'KeyUsageAny', 'InvalidKeyUsage'] })).toBe("invalid entries for 'KeyUsages' found: [1 InvalidKeyUsage]");
    expect(fails({ Unknown: true })).toBe('invalid key option');
  });
});

describe('crypto.x509.parse_certificate_request', () => {
  const parse = (input: string) => js(call('crypto.x509.parse_certificate_request', input)) as Obj;

  it("gives Go's x509.CertificateRequest", () => {
    const csr = parse(CSR);
    expect(Object.keys(csr).sort()).toEqual([
      'Raw', 'RawTBSCertificateRequest', 'RawSubjectPublicKeyInfo', 'RawSubject', 'Version', 'Signature', 'SignatureAlgorithm', 'PublicKeyAlgorithm',
      'PublicKey', 'Subject', 'Attributes', 'Extensions', 'ExtraExtensions', 'DNSNames', 'EmailAddresses', 'IPAddresses', 'URIs',
    ].sort());
    const [leaf] = certs(LEAF);
    expect(csr).toMatchObject({
      Version: 0,
      SignatureAlgorithm: 10,
      PublicKeyAlgorithm: 3,
      PublicKey: leaf.PublicKey,
      RawSubjectPublicKeyInfo: leaf.RawSubjectPublicKeyInfo,
      RawSubject: leaf.RawSubject,
      Subject: leaf.Subject,
      DNSNames: ['leaf.example.com', '*.api.example.com'],
      EmailAddresses: ['ops@example.com'],
      IPAddresses: ['10.0.0.1', '2001:db8::1'],
      URIs: leaf.URIs,
      ExtraExtensions: null,
    });
    expect((csr.Extensions as Obj[]).map((e) => [(e.Id as number[]).join('.'), e.Critical])).toEqual([
      ['2.5.29.17', false],
      ['2.5.29.15', true],
      ['2.5.29.37', false],
    ]);
    // Only the extensionRequest parses as a pkix.AttributeTypeAndValueSET; a critical extension's
    // BOOLEAN lands in Value, which Go leaves nil.
    const attrs = csr.Attributes as Obj[];
    expect(attrs).toHaveLength(1);
    expect(attrs[0].Type).toEqual([1, 2, 840, 113549, 1, 9, 14]);
    const [[san, ku, eku]] = attrs[0].Value as Obj[][];
    expect(san).toEqual({ Type: [2, 5, 29, 17], Value: (csr.Extensions as Obj[])[0].Value });
    expect(ku).toEqual({ Type: [2, 5, 29, 15], Value: null });
    expect(eku.Type).toEqual([2, 5, 29, 37]);
  });

  it('takes base64 of PEM or DER, and refuses other PEM blocks', () => {
    const der = Buffer.from(CSR.split('\n').filter((l) => !l.startsWith('-----')).join(''), 'base64');
    expect(parse(b64(CSR)).Raw).toBe(der.toString('base64'));
    expect(parse(der.toString('base64')).Raw).toBe(der.toString('base64'));
    expect(callError('crypto.x509.parse_certificate_request', b64(LEAF)).message).toBe(
      'crypto.x509.parse_certificate_request: invalid PEM-encoded certificate signing request',
    );
    expect(callError('crypto.x509.parse_certificate_request', 'not base64').message).toMatch(/illegal base64 data at input byte 3/);
    expect(callError('crypto.x509.parse_certificate_request', b64('junk')).code).toBe('eval_builtin_error');
  });
});

describe('crypto.x509.parse_keypair', () => {
  const pair = (cert: string, key: string) => js(call('crypto.x509.parse_keypair', cert, key)) as Obj;
  const fails = (cert: string, key: string) => callError('crypto.x509.parse_keypair', cert, key).message;

  it("gives Go's tls.Certificate with the key as Go's ecdsa.PrivateKey", () => {
    const p = pair(LEAF, LEAF_KEY);
    const jwk = jwkOf(createPrivateKey(LEAF_KEY));
    expect(p).toEqual({
      Certificate: [derOf(LEAF).toString('base64')],
      PrivateKey: { Curve: {}, X: big(jwk.x), Y: big(jwk.y), D: big(jwk.d) },
      SupportedSignatureAlgorithms: null,
      OCSPStaple: null,
      SignedCertificateTimestamps: null,
      Leaf: expect.objectContaining({ DNSNames: ['leaf.example.com', '*.api.example.com'] }),
    });
    expect(p.Leaf).not.toHaveProperty('URIStrings');
    // Every certificate block is kept; the first is the leaf.
    expect((pair(LEAF + INTERMEDIATE, LEAF_KEY).Certificate as string[]).length).toBe(2);
  });

  it('takes base64 of PEM, and base64 DER (PKCS #8 for the key)', () => {
    const pkcs8 = createPrivateKey(LEAF_KEY).export({ format: 'der', type: 'pkcs8' });
    expect(cnOf(pair(b64(LEAF), b64(LEAF_KEY)).Leaf as Obj)).toBe('leaf.example.com');
    expect(cnOf(pair(derOf(LEAF).toString('base64'), pkcs8.toString('base64')).Leaf as Obj)).toBe('leaf.example.com');
  });

  it('reads RSA keys in PKCS #1 and matches them to the certificate', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const cert = makeCert({ subject: commonName('rsa'), issuer: commonName('rsa'), publicKey: rsa.publicKey, signer: rsa.privateKey });
    const key = rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
    const jwk = jwkOf(rsa.privateKey);
    expect(pair(cert, key).PrivateKey).toEqual({
      PublicKey: { N: big(jwk.n), E: 65537 },
      D: big(jwk.d),
      Primes: [big(jwk.p), big(jwk.q)],
      Precomputed: { Dp: big(jwk.dp), Dq: big(jwk.dq), Qinv: big(jwk.qi), CRTValues: [] },
    });
    expect(fails(LEAF, key)).toBe('crypto.x509.parse_keypair: tls: private key type does not match public key type');
  });

  it("fails with Go's tls messages", () => {
    expect(fails(LEAF, INTERMEDIATE_KEY)).toBe('crypto.x509.parse_keypair: tls: private key does not match public key');
    expect(fails(LEAF_KEY, LEAF)).toMatch(/PEM inputs may have been switched/);
    expect(fails(LEAF, LEAF)).toMatch(/found a certificate rather than a key/);
    expect(fails('not base64!', LEAF_KEY)).toMatch(/illegal base64 data at input byte 3/);
  });
});

describe('private keys', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ed = generateKeyPairSync('ed25519');
  const pkcs1 = rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
  const pkcs8 = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const edPem = ed.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const rsaJwk = jwkOf(rsa.privateKey);

  it('crypto.x509.parse_rsa_private_key gives the JWK of the first key OPA can read', () => {
    const want = { kty: 'RSA', n: rsaJwk.n, e: rsaJwk.e, d: rsaJwk.d, p: rsaJwk.p, q: rsaJwk.q, dp: rsaJwk.dp, dq: rsaJwk.dq, qi: rsaJwk.qi };
    const parse = (input: string) => js(call('crypto.x509.parse_rsa_private_key', input));
    expect(parse(pkcs1)).toEqual(want);
    expect(parse(pkcs8)).toEqual(want);
    expect(parse(b64(pkcs1))).toEqual(want);
    expect(parse(LEAF + pkcs1)).toEqual(want);
    // OPA's JWK of an EC key keeps only its type; a PEM without keys gives null.
    expect(parse(LEAF_KEY)).toEqual({ kty: 'EC' });
    expect(parse(LEAF)).toBeNull();
    expect(callError('crypto.x509.parse_rsa_private_key', edPem).message).toBe('crypto.x509.parse_rsa_private_key: invalid key type ed25519.PrivateKey');
    expect(callError('crypto.x509.parse_rsa_private_key', '').message).toBe('crypto.x509.parse_rsa_private_key: input PEM data was empty');
    expect(callError('crypto.x509.parse_rsa_private_key', 'bad input').message).toMatch(/illegal base64 data/);
  });

  it("crypto.parse_private_keys gives Go's key structs for every key block, other blocks skipped", () => {
    const mixed = `junk\n${ROOT}${LEAF_KEY}junk\n${pkcs1}${edPem}${pkcs8}`;
    const keys = js(call('crypto.parse_private_keys', mixed)) as unknown[];
    const ecJwk = jwkOf(createPrivateKey(LEAF_KEY));
    const edJwk = jwkOf(ed.privateKey);
    expect(keys).toHaveLength(4);
    expect(keys[0]).toEqual({ Curve: {}, X: big(ecJwk.x), Y: big(ecJwk.y), D: big(ecJwk.d) });
    expect((keys[1] as Obj).D).toBe(big(rsaJwk.d));
    expect(keys[2]).toBe(Buffer.concat([Buffer.from(edJwk.d ?? '', 'base64url'), Buffer.from(edJwk.x ?? '', 'base64url')]).toString('base64'));
    expect(keys[3]).toEqual(keys[1]);
    expect(js(call('crypto.parse_private_keys', b64(mixed)))).toEqual(keys);
    expect(js(call('crypto.parse_private_keys', CHAIN))).toEqual([]);
    expect(call('crypto.parse_private_keys', '')).toBeNull();
    const corrupted = '-----BEGIN PRIVATE KEY-----\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n-----END PRIVATE KEY-----\n';
    expect(callError('crypto.parse_private_keys', corrupted).message).toMatch(/^crypto\.parse_private_keys: asn1: structure error/);
  });
});

describe('in a policy', () => {
  const policy = {
    file: 'x509.rego',
    text: `package x509test

certs := crypto.x509.parse_certificates(input.chain)

verified := crypto.x509.parse_and_verify_certificates(input.chain)

default allow := false

allow if {
  [valid, chain] := verified
  valid
  chain[0].Subject.CommonName == "leaf.example.com"
  "leaf.example.com" in chain[0].DNSNames
  some uri in chain[0].URIStrings
  startswith(uri, "spiffe://example.com/")
}

csr_names := crypto.x509.parse_certificate_request(input.csr).DNSNames
`,
  };
  const run = (query: string, input: Obj, strict = false) =>
    runQuery({ modules: [policy], query, input: fromJS(input), engine: 'interp', strictBuiltinErrors: strict }).map((r) => toJS(r.bindings.x));

  it('evaluates the builtins end to end', () => {
    expect(run('x := data.x509test.allow', { chain: CHAIN })).toEqual([true]);
    expect(run('x := data.x509test.allow', { chain: LEAF + INTERMEDIATE + ROOT })).toEqual([false]);
    expect(run('x := [c.Subject.CommonName | some c in data.x509test.certs]', { chain: CHAIN })).toEqual([
      ['Regent Test Root CA', 'Regent Test Intermediate CA', 'leaf.example.com'],
    ]);
    expect(run('x := data.x509test.csr_names', { csr: CSR })).toEqual([['leaf.example.com', '*.api.example.com']]);
    expect(run('x := data.x509test.certs[2].SerialNumber', { chain: CHAIN })).toEqual([BigInt('0x0123456789ABCDEF0123')]);
  });

  it('makes bad input undefined, or an error with strict builtin errors', () => {
    expect(run('x := data.x509test.certs', { chain: 'garbage' })).toEqual([]);
    expect(() => run('x := data.x509test.certs', { chain: 'garbage' }, true)).toThrow(/crypto\.x509\.parse_certificates: illegal base64 data/);
  });
});
