// Certificates
import { type Value } from '../../value/value';
import { BIT_STRING, BOOL, Der, INTEGER, OCTET_STRING, OID, SEQUENCE, Tlv, bitString, ctx, ctxC, derInt, derOid, oidInts, smallInt } from './der';
import { GoError } from './errors';
import { PublicKey, algorithmIdentifier, parsePublicKey, signatureAlgorithm } from './keys-public';
import { Atv, nameJSON, parseName } from './names';
import { pemBlocks, stdBase64 } from './pem';
import { GoTime, derTime, isAscii } from './strings';
import { GoURL, ipString, parseIP, parseURL } from './urls';

export interface Extension {
  id: number[];
  critical: boolean;
  value: Buffer;
}

export interface IPNet {
  ip: Buffer;
  mask: Buffer;
}

export interface Subtrees {
  dns: string[];
  ips: IPNet[];
  emails: string[];
  uris: string[];
}

export interface SANs {
  dns: string[];
  emails: string[];
  ips: Buffer[];
  uris: GoURL[];
}

export interface Certificate {
  raw: Buffer;
  rawTBS: Buffer;
  rawSPKI: Buffer;
  rawSubject: Buffer;
  rawIssuer: Buffer;
  signature: Buffer;
  signatureAlgorithm: number;
  publicKey: PublicKey;
  version: number;
  serial: bigint;
  issuer: Atv[][];
  subject: Atv[][];
  notBefore: GoTime;
  notAfter: GoTime;
  keyUsage: number;
  extensions: Extension[];
  unhandledCritical: number[][];
  extKeyUsage: number[];
  unknownExtKeyUsage: number[][];
  basicConstraintsValid: boolean;
  isCA: boolean;
  maxPathLen: number;
  subjectKeyId?: Buffer;
  authorityKeyId?: Buffer;
  ocspServer: string[];
  issuingCertificateURL: string[];
  san: SANs;
  sanValue?: Buffer;
  permittedCritical: boolean;
  permitted: Subtrees;
  excluded: Subtrees;
  hasNameConstraints: boolean;
  crlDistributionPoints: string[];
  policyIdentifiers: number[][] | null;
  policies: string[];
  /** The policy fields with whether they were present, to tell an explicit 0 from none. */
  inhibitAnyPolicy: number;
  inhibitAnyPolicySet: boolean;
  inhibitPolicyMapping: number;
  inhibitPolicyMappingSet: boolean;
  requireExplicitPolicy: number;
  requireExplicitPolicySet: boolean;
  policyMappings: Array<[string, string]>;
}

export const EXT_KEY_USAGES: Record<string, number> = {
  '2.5.29.37.0': 0,
  '1.3.6.1.5.5.7.3.1': 1,
  '1.3.6.1.5.5.7.3.2': 2,
  '1.3.6.1.5.5.7.3.3': 3,
  '1.3.6.1.5.5.7.3.4': 4,
  '1.3.6.1.5.5.7.3.5': 5,
  '1.3.6.1.5.5.7.3.6': 6,
  '1.3.6.1.5.5.7.3.7': 7,
  '1.3.6.1.5.5.7.3.8': 8,
  '1.3.6.1.5.5.7.3.9': 9,
  '1.3.6.1.4.1.311.10.3.3': 10,
  '2.16.840.1.113730.4.1': 11,
  '1.3.6.1.4.1.311.2.1.22': 12,
  '1.3.6.1.4.1.311.61.1.1': 13,
};

export const KEY_USAGE_CERT_SIGN = 32;

/** Domain labels, last first, or undefined when Go's domainToReverseLabels refuses the name. */
export function reverseLabels(domain: string): string[] | undefined {
  if (domain === '') return [];
  const labels = domain.split('.').reverse();
  if (labels.some((l) => l === '' || [...l].some((c) => c.charCodeAt(0) < 33 || c.charCodeAt(0) > 126))) return undefined;
  return labels;
}

export function parseSANs(value: Buffer): SANs {
  const out: SANs = { dns: [], emails: [], ips: [], uris: [] };
  const d = new Der(value, 'x509: invalid subject alternative names').enter(SEQUENCE);
  while (!d.empty) {
    const t = d.read(undefined, 'x509: invalid subject alternative name');
    const text = t.body.toString('latin1');
    switch (t.tag) {
      case ctx(1):
        if (!isAscii(t.body)) throw new GoError('x509: SAN rfc822Name is malformed');
        out.emails.push(text);
        break;
      case ctx(2):
        if (!isAscii(t.body)) throw new GoError('x509: SAN dNSName is malformed');
        out.dns.push(text);
        break;
      case ctx(6): {
        if (!isAscii(t.body)) throw new GoError('x509: SAN uniformResourceIdentifier is malformed');
        let u: GoURL;
        try {
          u = parseURL(text);
        } catch (e) {
          throw new GoError(`x509: cannot parse URI ${JSON.stringify(text)}: ${(e as Error).message}`);
        }
        const host = u.json.Host as string;
        if (host !== '' && reverseLabels(host) === undefined) throw new GoError(`x509: cannot parse URI ${JSON.stringify(text)}: invalid domain`);
        out.uris.push(u);
        break;
      }
      case ctx(7):
        if (t.body.length !== 4 && t.body.length !== 16) throw new GoError(`x509: cannot parse IP address of length ${t.body.length}`);
        out.ips.push(Buffer.from(t.body));
        break;
    }
  }
  return out;
}

export function emptySubtrees(): Subtrees {
  return { dns: [], ips: [], emails: [], uris: [] };
}

/** Name constraints; the result says whether a subtree of a kind Go ignores was present. */
export function parseNameConstraints(c: Certificate, e: Extension): boolean {
  const err = 'x509: invalid NameConstraints extension';
  const top = new Der(e.value, err);
  const seq = top.enter(SEQUENCE);
  if (!top.empty) throw new GoError(err);
  const permitted = seq.optional(ctxC(0));
  const excluded = seq.optional(ctxC(1));
  if (!seq.empty) throw new GoError(err);
  if ((permitted === undefined || permitted.body.length === 0) && (excluded === undefined || excluded.body.length === 0)) {
    throw new GoError('x509: empty name constraints extension');
  }
  let unhandled = false;
  const values = (t: Tlv | undefined): Subtrees => {
    const out = emptySubtrees();
    if (t === undefined) return out;
    const d = new Der(t.body, err);
    while (!d.empty) {
      const base = d.enter(SEQUENCE).read();
      const text = base.body.toString('latin1');
      const ia5 = () => {
        if (!isAscii(base.body)) throw new GoError('x509: invalid constraint value: IA5String contains invalid character');
      };
      switch (base.tag) {
        case ctx(2):
          ia5();
          if (reverseLabels(text.startsWith('.') ? text.slice(1) : text) === undefined) throw new GoError(`x509: failed to parse dnsName constraint ${JSON.stringify(text)}`);
          out.dns.push(text);
          break;
        case ctx(7): {
          const n = base.body.length;
          if (n !== 8 && n !== 32) throw new GoError(`x509: IP constraint contained value of length ${n}`);
          const ip = Buffer.from(base.body.subarray(0, n / 2));
          const mask = Buffer.from(base.body.subarray(n / 2));
          if (!/^1*0*$/.test([...mask].map((b) => b.toString(2).padStart(8, '0')).join(''))) {
            throw new GoError(`x509: IP constraint contained invalid mask ${mask.toString('hex')}`);
          }
          out.ips.push({ ip, mask });
          break;
        }
        case ctx(1): {
          ia5();
          const at = text.lastIndexOf('@');
          const domain = at >= 0 ? text.slice(at + 1) : text.startsWith('.') ? text.slice(1) : text;
          if ((at >= 0 && at === 0) || reverseLabels(domain) === undefined) throw new GoError(`x509: failed to parse rfc822Name constraint ${JSON.stringify(text)}`);
          out.emails.push(text);
          break;
        }
        case ctx(6):
          ia5();
          if (parseIP(text) !== undefined) throw new GoError(`x509: failed to parse URI constraint ${JSON.stringify(text)}: cannot be IP address`);
          if (reverseLabels(text.startsWith('.') ? text.slice(1) : text) === undefined) throw new GoError(`x509: failed to parse URI constraint ${JSON.stringify(text)}`);
          out.uris.push(text);
          break;
        default:
          unhandled = true;
      }
    }
    return out;
  };
  c.permitted = values(permitted);
  c.excluded = values(excluded);
  c.permittedCritical = e.critical;
  c.hasNameConstraints = true;
  return unhandled;
}

/** Go's processExtensions: fills the certificate's fields from its extensions. */
export function processExtensions(c: Certificate): void {
  for (const e of c.extensions) {
    let unhandled = false;
    const id = e.id.join('.');
    if (e.id.length === 4 && e.id[0] === 2 && e.id[1] === 5 && e.id[2] === 29) {
      switch (e.id[3]) {
        case 15: {
          const bits = bitString(new Der(e.value, 'x509: invalid key usage').read(BIT_STRING), 'x509: invalid key usage');
          c.keyUsage = 0;
          for (let i = 0; i < 9; i++) if (bits.at(i)) c.keyUsage |= 1 << i;
          break;
        }
        case 19: {
          const err = 'x509: invalid basic constraints';
          const d = new Der(e.value, err).enter(SEQUENCE);
          const ca = d.optional(BOOL);
          if (ca !== undefined && (ca.body.length !== 1 || (ca.body[0] !== 0 && ca.body[0] !== 0xff))) throw new GoError(err);
          c.isCA = ca !== undefined && ca.body[0] === 0xff;
          const pathLen = d.optional(INTEGER);
          c.maxPathLen = pathLen === undefined ? -1 : smallInt(pathLen, err);
          if (c.maxPathLen < -1 || (pathLen !== undefined && c.maxPathLen < 0)) throw new GoError(err);
          c.basicConstraintsValid = true;
          break;
        }
        case 17:
          c.san = parseSANs(e.value);
          c.sanValue = e.value;
          unhandled = c.san.dns.length + c.san.emails.length + c.san.ips.length + c.san.uris.length === 0;
          break;
        case 30:
          unhandled = parseNameConstraints(c, e);
          break;
        case 31: {
          const err = 'x509: invalid CRL distribution point';
          const d = new Der(e.value, 'x509: invalid CRL distribution points').enter(SEQUENCE);
          while (!d.empty) {
            const dp = d.enter(SEQUENCE, err);
            const name = dp.optional(ctxC(0), err);
            if (name === undefined) continue;
            const full = new Der(name.body, err).enter(ctxC(0), err);
            while (full.peek() === ctx(6)) c.crlDistributionPoints.push(full.read(ctx(6), err).body.toString('latin1'));
          }
          break;
        }
        case 35: {
          if (e.critical) throw new GoError('x509: authority key identifier incorrectly marked critical');
          const d = new Der(e.value, 'x509: invalid authority key identifier').enter(SEQUENCE);
          const kid = d.optional(ctx(0));
          if (kid !== undefined) c.authorityKeyId = Buffer.from(kid.body);
          break;
        }
        case 36: {
          const err = 'x509: invalid policy constraints extension';
          const d = new Der(e.value, err).enter(SEQUENCE);
          const req = d.optional(ctx(0));
          if (req !== undefined) c.requireExplicitPolicy = smallInt(req, err);
          c.requireExplicitPolicySet = req !== undefined;
          const inhibit = d.optional(ctx(1));
          if (inhibit !== undefined) c.inhibitPolicyMapping = smallInt(inhibit, err);
          c.inhibitPolicyMappingSet = inhibit !== undefined;
          break;
        }
        case 37: {
          const err = 'x509: invalid extended key usages';
          const d = new Der(e.value, err).enter(SEQUENCE);
          while (!d.empty) {
            const oid = derOid(d.read(OID), err);
            if (oid.ints === undefined) throw new GoError(err);
            const known = EXT_KEY_USAGES[oid.text];
            if (known !== undefined) c.extKeyUsage.push(known);
            else c.unknownExtKeyUsage.push(oid.ints);
          }
          break;
        }
        case 14:
          if (e.critical) throw new GoError('x509: subject key identifier incorrectly marked critical');
          c.subjectKeyId = Buffer.from(new Der(e.value, 'x509: invalid subject key identifier').read(OCTET_STRING).body);
          break;
        case 32: {
          const err = 'x509: invalid certificate policies';
          const d = new Der(e.value, err).enter(SEQUENCE);
          c.policyIdentifiers = [];
          while (!d.empty) {
            const oid = derOid(d.enter(SEQUENCE).read(OID), err);
            if (c.policies.includes(oid.text)) throw new GoError(err);
            c.policies.push(oid.text);
            if (oid.ints !== undefined) c.policyIdentifiers.push(oid.ints);
          }
          break;
        }
        case 33: {
          const err = 'x509: invalid policy mappings extension';
          const d = new Der(e.value, err).enter(SEQUENCE);
          while (!d.empty) {
            const m = d.enter(SEQUENCE);
            c.policyMappings.push([derOid(m.read(OID), err).text, derOid(m.read(OID), err).text]);
          }
          break;
        }
        case 54: {
          const err = 'x509: invalid inhibit any policy extension';
          c.inhibitAnyPolicy = smallInt(new Der(e.value, err).read(INTEGER), err);
          c.inhibitAnyPolicySet = true;
          break;
        }
        default:
          unhandled = true;
      }
    } else if (id === '1.3.6.1.5.5.7.1.1') {
      if (e.critical) throw new GoError('x509: authority info access incorrectly marked critical');
      const err = 'x509: invalid authority info access';
      const d = new Der(e.value, err).enter(SEQUENCE);
      while (!d.empty) {
        const aia = d.enter(SEQUENCE);
        const method = derOid(aia.read(OID), err).text;
        const location = aia.optional(ctx(6));
        if (location === undefined) continue;
        if (method === '1.3.6.1.5.5.7.48.1') c.ocspServer.push(location.body.toString('latin1'));
        else if (method === '1.3.6.1.5.5.7.48.2') c.issuingCertificateURL.push(location.body.toString('latin1'));
      }
    } else unhandled = true;
    if (e.critical && unhandled) c.unhandledCritical.push(e.id);
  }
}

export function parseExtension(body: Buffer): Extension {
  const d = new Der(body, 'x509: malformed extension');
  const id = oidInts(d.read(OID, 'x509: malformed extension OID field'), 'x509: malformed extension OID field');
  const crit = d.optional(BOOL, 'x509: malformed extension critical field');
  if (crit !== undefined && (crit.body.length !== 1 || (crit.body[0] !== 0 && crit.body[0] !== 0xff))) throw new GoError('x509: malformed extension critical field');
  const value = d.read(OCTET_STRING, 'x509: malformed extension value field').body;
  return { id, critical: crit !== undefined && crit.body[0] === 0xff, value };
}

/** One certificate from the start of `der` (Go's parseCertificate); `raw` tells its length. */
export function parseCertificate(der: Buffer): Certificate {
  const outer = new Der(der, 'x509: malformed certificate').read(SEQUENCE);
  const input = new Der(outer.body, 'x509: malformed certificate');
  const tbsTlv = input.read(SEQUENCE, 'x509: malformed tbs certificate');
  const tbs = new Der(tbsTlv.body, 'x509: malformed tbs certificate');
  const versionTlv = tbs.optional(ctxC(0), 'x509: malformed version');
  const version = (versionTlv === undefined ? 0 : smallInt(new Der(versionTlv.body, 'x509: malformed version').read(INTEGER), 'x509: malformed version')) + 1;
  if (version < 1) throw new GoError('x509: malformed version');
  if (version > 3) throw new GoError('x509: invalid version');
  const serial = derInt(tbs.read(INTEGER, 'x509: malformed serial number'), 'x509: malformed serial number');
  if (serial < 0n) throw new GoError('x509: negative serial number');
  const sigAI = tbs.read(SEQUENCE, 'x509: malformed signature algorithm identifier');
  const outerSigAI = input.read(SEQUENCE, 'x509: malformed algorithm identifier');
  if (!sigAI.body.equals(outerSigAI.body)) throw new GoError("x509: inner and outer signature algorithm identifiers don't match");
  const signatureAlg = signatureAlgorithm(algorithmIdentifier(sigAI.body, 'x509: malformed OID'));
  const issuerTlv = tbs.read(SEQUENCE, 'x509: malformed issuer');
  const issuer = parseName(issuerTlv.body, true);
  const validity = tbs.enter(SEQUENCE, 'x509: malformed validity');
  const notBefore = derTime(validity.read(undefined, 'x509: unsupported time format'));
  const notAfter = derTime(validity.read(undefined, 'x509: unsupported time format'));
  const subjectTlv = tbs.read(SEQUENCE, 'x509: malformed issuer');
  const subject = parseName(subjectTlv.body, true);
  const spki = tbs.read(SEQUENCE, 'x509: malformed spki');
  const c: Certificate = {
    raw: outer.raw, rawTBS: tbsTlv.raw, rawSPKI: spki.raw, rawSubject: subjectTlv.raw, rawIssuer: issuerTlv.raw,
    signature: Buffer.alloc(0), signatureAlgorithm: signatureAlg, publicKey: parsePublicKey(spki), version, serial, issuer, subject, notBefore, notAfter,
    keyUsage: 0, extensions: [], unhandledCritical: [], extKeyUsage: [], unknownExtKeyUsage: [], basicConstraintsValid: false, isCA: false, maxPathLen: 0,
    ocspServer: [], issuingCertificateURL: [], san: { dns: [], emails: [], ips: [], uris: [] }, permittedCritical: false, permitted: emptySubtrees(),
    excluded: emptySubtrees(), hasNameConstraints: false, crlDistributionPoints: [], policyIdentifiers: null, policies: [], inhibitAnyPolicy: 0,
    inhibitAnyPolicySet: false, inhibitPolicyMapping: 0, inhibitPolicyMappingSet: false, requireExplicitPolicy: 0, requireExplicitPolicySet: false,
    policyMappings: [],
  };
  if (version > 1) {
    tbs.optional(ctx(1), 'x509: malformed issuerUniqueID');
    tbs.optional(ctx(2), 'x509: malformed subjectUniqueID');
    const exts = version === 3 ? tbs.optional(ctxC(3), 'x509: malformed extensions') : undefined;
    if (exts !== undefined) {
      const d = new Der(exts.body, 'x509: malformed extensions').enter(SEQUENCE);
      const seen = new Set<string>();
      while (!d.empty) {
        const ext = parseExtension(d.read(SEQUENCE, 'x509: malformed extension').body);
        const key = ext.id.join('.');
        if (seen.has(key)) throw new GoError(`x509: certificate contains duplicate extension with OID "${key}"`);
        seen.add(key);
        c.extensions.push(ext);
      }
      processExtensions(c);
    }
  }
  c.signature = Buffer.from(bitString(input.read(BIT_STRING, 'x509: malformed signature'), 'x509: malformed signature').bytes);
  return c;
}

/** x509.ParseCertificates: DER certificates one after the other. */
export function parseCertificates(der: Buffer): Certificate[] {
  const out: Certificate[] = [];
  for (let rest = der; rest.length > 0; ) {
    const c = parseCertificate(rest);
    out.push(c);
    rest = rest.subarray(c.raw.length);
  }
  return out;
}

export const b64 = (b: Buffer) => b.toString('base64');
export const orNull = <T>(xs: T[]): T[] | null => (xs.length === 0 ? null : xs);

export function extensionJSON(e: Extension): Record<string, unknown> {
  return { Id: e.id, Critical: e.critical, Value: b64(e.value) };
}

export function ipNetJSON(n: IPNet): Record<string, unknown> {
  return { IP: ipString(n.ip), Mask: b64(n.mask) };
}

/** x509.Certificate as Go marshals it; OPA adds URIStrings for some builtins. */
export function certificateJSON(c: Certificate, uriStrings: boolean): Record<string, unknown> {
  const json: Record<string, unknown> = {
    Raw: b64(c.raw),
    RawTBSCertificate: b64(c.rawTBS),
    RawSubjectPublicKeyInfo: b64(c.rawSPKI),
    RawSubject: b64(c.rawSubject),
    RawIssuer: b64(c.rawIssuer),
    Signature: b64(c.signature),
    SignatureAlgorithm: c.signatureAlgorithm,
    PublicKeyAlgorithm: c.publicKey.algorithm,
    PublicKey: c.publicKey.json,
    Version: c.version,
    SerialNumber: c.serial,
    Issuer: nameJSON(c.issuer),
    Subject: nameJSON(c.subject),
    NotBefore: c.notBefore.text,
    NotAfter: c.notAfter.text,
    KeyUsage: c.keyUsage,
    Extensions: orNull(c.extensions.map(extensionJSON)),
    ExtraExtensions: null,
    UnhandledCriticalExtensions: orNull(c.unhandledCritical),
    ExtKeyUsage: orNull(c.extKeyUsage),
    UnknownExtKeyUsage: orNull(c.unknownExtKeyUsage),
    BasicConstraintsValid: c.basicConstraintsValid,
    IsCA: c.isCA,
    MaxPathLen: c.maxPathLen,
    MaxPathLenZero: c.basicConstraintsValid && c.maxPathLen === 0,
    SubjectKeyId: c.subjectKeyId === undefined ? null : b64(c.subjectKeyId),
    AuthorityKeyId: c.authorityKeyId === undefined ? null : b64(c.authorityKeyId),
    OCSPServer: orNull(c.ocspServer),
    IssuingCertificateURL: orNull(c.issuingCertificateURL),
    DNSNames: orNull(c.san.dns),
    EmailAddresses: orNull(c.san.emails),
    IPAddresses: orNull(c.san.ips.map(ipString)),
    URIs: orNull(c.san.uris.map((u) => u.json)),
    PermittedDNSDomainsCritical: c.permittedCritical,
    PermittedDNSDomains: orNull(c.permitted.dns),
    ExcludedDNSDomains: orNull(c.excluded.dns),
    PermittedIPRanges: orNull(c.permitted.ips.map(ipNetJSON)),
    ExcludedIPRanges: orNull(c.excluded.ips.map(ipNetJSON)),
    PermittedEmailAddresses: orNull(c.permitted.emails),
    ExcludedEmailAddresses: orNull(c.excluded.emails),
    PermittedURIDomains: orNull(c.permitted.uris),
    ExcludedURIDomains: orNull(c.excluded.uris),
    CRLDistributionPoints: orNull(c.crlDistributionPoints),
    PolicyIdentifiers: c.policyIdentifiers,
    Policies: orNull(c.policies),
    InhibitAnyPolicy: c.inhibitAnyPolicy,
    InhibitAnyPolicyZero: c.inhibitAnyPolicySet && c.inhibitAnyPolicy === 0,
    InhibitPolicyMapping: c.inhibitPolicyMapping,
    InhibitPolicyMappingZero: c.inhibitPolicyMappingSet && c.inhibitPolicyMapping === 0,
    RequireExplicitPolicy: c.requireExplicitPolicy,
    RequireExplicitPolicyZero: c.requireExplicitPolicySet && c.requireExplicitPolicy === 0,
    PolicyMappings: orNull(c.policyMappings.map(([i, s]) => ({ IssuerDomainPolicy: i, SubjectDomainPolicy: s }))),
  };
  if (uriStrings) json.URIStrings = orNull(c.san.uris.map((u) => u.text));
  return json;
}

/**
 * OPA's getX509CertsFromString: PEM text, or base64 of PEM or of concatenated DER. PEM may hold
 * certificates only.
 */
export function certificatesFrom(input: string): Certificate[] {
  let text = input;
  if (!text.startsWith('-----BEGIN')) {
    const der = stdBase64(text);
    if (!der.subarray(0, 10).equals(Buffer.from('-----BEGIN'))) return parseCertificates(der);
    text = der.toString('latin1');
  }
  const ders: Buffer[] = [];
  for (const b of pemBlocks(text)) {
    if (b.type !== 'CERTIFICATE') throw new GoError(`PEM block type is '${b.type}', expected CERTIFICATE`);
    ders.push(b.bytes);
  }
  return parseCertificates(Buffer.concat(ders));
}
