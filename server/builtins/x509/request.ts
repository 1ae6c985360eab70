// Certificate requests (encoding/asn1 rules, as Go's ParseCertificateRequest uses)
import { type Value } from '../../value/value';
import { Extension, b64, extensionJSON, orNull, parseSANs } from './certificate';
import { BIT_STRING, BOOL, Der, INTEGER, OCTET_STRING, OID, SEQUENCE, SET, Tlv, bitString, ctxC, derOid, oidInts, smallInt } from './der';
import { GoError } from './errors';
import { PublicKey, algorithmIdentifier, parsePublicKey, signatureAlgorithm } from './keys-public';
import { nameJSON, parseName } from './names';
import { asn1Any } from './strings';
import { ipString } from './urls';

/** pkix.AttributeTypeAndValueSET, or undefined for attributes of another shape (Go skips them). */
export function attributeJSON(attr: Tlv): Record<string, unknown> | undefined {
  try {
    const d = new Der(attr.body, 'attribute');
    const type = oidInts(d.read(OID), 'attribute');
    const set = d.enter(SET);
    const value: unknown[][] = [];
    while (!set.empty) {
      const seq = set.enter(SEQUENCE);
      const atvs: unknown[] = [];
      while (!seq.empty) {
        const atv = seq.enter(SEQUENCE);
        const t = oidInts(atv.read(OID), 'attribute');
        // Trailing members (an extension's value after its critical flag) are ignored, as asn1 does.
        atvs.push({ Type: t, Value: asn1Any(atv.read()) });
      }
      value.push(atvs);
    }
    return { Type: type, Value: value };
  } catch {
    return undefined;
  }
}

/** The extensions requested with the PKCS #9 extensionRequest attribute. */
export function requestedExtensions(attrs: Tlv[]): Extension[] {
  const out: Extension[] = [];
  const seen = new Set<string>();
  for (const attr of attrs) {
    let values: Der;
    try {
      const d = new Der(attr.body, 'attribute');
      if (derOid(d.read(OID), 'attribute').text !== '1.2.840.113549.1.9.14') continue;
      values = d.enter(SET);
      if (values.empty) continue;
    } catch {
      continue;
    }
    const exts = values.enter(SEQUENCE, 'asn1: structure error: tags don\'t match');
    while (!exts.empty) {
      const e = new Der(exts.read(SEQUENCE, 'asn1: structure error: tags don\'t match').body, 'asn1: structure error: tags don\'t match');
      const id = oidInts(e.read(OID), 'asn1: structure error: tags don\'t match');
      const crit = e.optional(BOOL);
      const value = e.read(OCTET_STRING).body;
      const key = id.join('.');
      if (seen.has(key)) throw new GoError('x509: certificate request contains duplicate requested extensions');
      seen.add(key);
      out.push({ id, critical: crit !== undefined && crit.body[0] !== 0, value });
    }
  }
  return out;
}

/** x509.CertificateRequest as Go marshals it. */
export function certificateRequestJSON(der: Buffer): Record<string, unknown> {
  const err = 'asn1: structure error: tags don\'t match';
  const top = new Der(der, err);
  const csr = top.read(SEQUENCE);
  if (!top.empty) throw new GoError('asn1: syntax error: trailing data');
  const d = new Der(csr.body, err);
  const tbsTlv = d.read(SEQUENCE);
  const sigAI = algorithmIdentifier(d.read(SEQUENCE).body, err);
  const signature = bitString(d.read(BIT_STRING), 'asn1: syntax error: invalid padding bits in BIT STRING').bytes;
  const tbs = new Der(tbsTlv.body, err);
  const versionTlv = tbs.read(INTEGER);
  if (versionTlv.body.length > 8) throw new GoError('asn1: structure error: integer too large');
  const version = smallInt(versionTlv, err);
  const subjectTlv = tbs.read();
  const spki = tbs.read(SEQUENCE);
  const attrsTlv = tbs.read(ctxC(0));
  const attrs: Tlv[] = [];
  for (const a = new Der(attrsTlv.body, err); !a.empty; ) attrs.push(a.read());
  const publicKey = parsePublicKey(spki);
  if (subjectTlv.tag !== SEQUENCE) throw new GoError(err);
  const subject = parseName(subjectTlv.body, false);
  const extensions = requestedExtensions(attrs);
  const sanExt = extensions.find((e) => e.id.join('.') === '2.5.29.17');
  const san = sanExt === undefined ? { dns: [], emails: [], ips: [], uris: [] } : parseSANs(sanExt.value);
  return {
    Raw: b64(csr.raw),
    RawTBSCertificateRequest: b64(tbsTlv.raw),
    RawSubjectPublicKeyInfo: b64(spki.raw),
    RawSubject: b64(subjectTlv.raw),
    Version: version,
    Signature: b64(signature),
    SignatureAlgorithm: signatureAlgorithm(sigAI),
    PublicKeyAlgorithm: publicKey.algorithm,
    PublicKey: publicKey.json,
    Subject: nameJSON(subject),
    Attributes: orNull(attrs.map(attributeJSON).filter((a) => a !== undefined)),
    Extensions: orNull(extensions.map(extensionJSON)),
    ExtraExtensions: null,
    DNSNames: orNull(san.dns),
    EmailAddresses: orNull(san.emails),
    IPAddresses: orNull(san.ips.map(ipString)),
    URIs: orNull(san.uris.map((u) => u.json)),
  };
}
