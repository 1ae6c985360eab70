// Chain verification (Go's Certificate.Verify with OPA's pools: first the root, last the leaf)
import { createPublicKey, verify, constants } from 'node:crypto';
import { builtinError } from '../operands';
import { ObjectValue, SetValue, type Value } from '../../value/value';
import { Certificate, IPNet, KEY_USAGE_CERT_SIGN, reverseLabels } from './certificate';
import { GoError } from './errors';
import { DSA, SIG_BY_ALGO, signatureAlgorithm } from './keys-public';
import { GoURL, ip16, parseIP } from './urls';

export interface VerifyOptions {
  dnsName: string;
  /** Unix nanoseconds; the wall clock when absent, as Go's time.Now(). */
  currentTime?: bigint;
  keyUsages: number[];
  maxConstraintComparisons: number;
}

export const KEY_USAGE_NAMES: Record<string, number> = {
  KeyUsageAny: 0,
  KeyUsageServerAuth: 1,
  KeyUsageClientAuth: 2,
  KeyUsageCodeSigning: 3,
  KeyUsageEmailProtection: 4,
  KeyUsageIPSECEndSystem: 5,
  KeyUsageIPSECTunnel: 6,
  KeyUsageIPSECUser: 7,
  KeyUsageTimeStamping: 8,
  KeyUsageOCSPSigning: 9,
  KeyUsageMicrosoftServerGatedCrypto: 10,
  KeyUsageNetscapeServerGatedCrypto: 11,
  KeyUsageMicrosoftCommercialCodeSigning: 12,
  KeyUsageMicrosoftKernelCodeSigning: 13,
};

/** checkSignature, refusing MD2/MD5 and (as Go does when building chains) SHA-1. */
export function checkSignature(child: Certificate, parent: Certificate): boolean {
  const alg = SIG_BY_ALGO.get(child.signatureAlgorithm);
  const pk = parent.publicKey;
  if (alg === undefined || alg.key !== pk.algorithm || alg.key === DSA) return false;
  if (alg.hash === 'md2' || alg.hash === 'md5' || alg.hash === 'sha1') return false;
  // Go refuses RSA keys under 1024 bits.
  if (pk.rsaN !== undefined && pk.rsaN.toString(2).length < 1024) return false;
  try {
    const key = createPublicKey({ key: parent.rawSPKI, format: 'der', type: 'spki' });
    if (alg.pss) {
      const saltLength = { sha256: 32, sha384: 48, sha512: 64 }[alg.hash as 'sha256' | 'sha384' | 'sha512'];
      return verify(alg.hash, child.rawTBS, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, child.signature);
    }
    return verify(alg.hash, child.rawTBS, key, child.signature);
  } catch {
    return false;
  }
}

/** CheckSignatureFrom: the parent must be allowed to sign certificates. */
export function checkSignatureFrom(child: Certificate, parent: Certificate): boolean {
  if ((parent.version === 3 && !parent.basicConstraintsValid) || (parent.basicConstraintsValid && !parent.isCA)) return false;
  if (parent.keyUsage !== 0 && (parent.keyUsage & KEY_USAGE_CERT_SIGN) === 0) return false;
  if (parent.publicKey.algorithm === 0) return false;
  return checkSignature(child, parent);
}

export function matchDomainConstraint(domain: string, constraint: string): boolean {
  if (constraint === '') return true;
  const labels = reverseLabels(domain);
  if (labels === undefined) throw new GoError(`x509: internal error: cannot parse domain ${JSON.stringify(domain)}`);
  const subdomainsOnly = constraint.startsWith('.');
  const want = reverseLabels(subdomainsOnly ? constraint.slice(1) : constraint);
  if (want === undefined) throw new GoError(`x509: internal error: cannot parse domain ${JSON.stringify(constraint)}`);
  if (labels.length < want.length || (subdomainsOnly && labels.length === want.length)) return false;
  return want.every((l, i) => l.toLowerCase() === labels[i].toLowerCase());
}

export function matchEmailConstraint(mailbox: { local: string; domain: string }, constraint: string): boolean {
  const at = constraint.lastIndexOf('@');
  if (at >= 0) return mailbox.local === constraint.slice(0, at) && mailbox.domain.toLowerCase() === constraint.slice(at + 1).toLowerCase();
  return matchDomainConstraint(mailbox.domain, constraint);
}

export function matchURIConstraint(uri: GoURL, constraint: string): boolean {
  let host = uri.json.Host as string;
  if (host === '') throw new GoError(`URI with empty host (${JSON.stringify(uri.text)}) cannot be matched against constraints`);
  if (host.includes(':') && !host.endsWith(']')) host = host.slice(0, host.lastIndexOf(':'));
  if ((host.startsWith('[') && host.endsWith(']')) || parseIP(host) !== undefined) {
    throw new GoError(`URI with IP (${JSON.stringify(uri.text)}) cannot be matched against constraints`);
  }
  return matchDomainConstraint(host, constraint);
}

export function matchIPConstraint(ip: Buffer, n: IPNet): boolean {
  return ip.length === n.ip.length && [...ip].every((b, i) => (b & n.mask[i]) === (n.ip[i] & n.mask[i]));
}

/** The leaf's names against one CA's name constraints (Go's checkNameConstraints per SAN). */
export function nameConstraintsAllow(ca: Certificate, leaf: Certificate, max: number): boolean {
  let count = 0;
  const check = <N, C>(name: N, match: (n: N, c: C) => boolean, permitted: C[], excluded: C[]): boolean => {
    count += excluded.length;
    if (count > max || excluded.some((c) => match(name, c))) return false;
    count += permitted.length;
    if (count > max) return false;
    return permitted.length === 0 || permitted.some((c) => match(name, c));
  };
  try {
    for (const email of leaf.san.emails) {
      const at = email.lastIndexOf('@');
      if (at <= 0) return false;
      const mailbox = { local: email.slice(0, at), domain: email.slice(at + 1) };
      if (!check(mailbox, matchEmailConstraint, ca.permitted.emails, ca.excluded.emails)) return false;
    }
    for (const dns of leaf.san.dns) {
      if (reverseLabels(dns) === undefined) return false;
      if (!check(dns, matchDomainConstraint, ca.permitted.dns, ca.excluded.dns)) return false;
    }
    for (const uri of leaf.san.uris) if (!check(uri, matchURIConstraint, ca.permitted.uris, ca.excluded.uris)) return false;
    for (const ip of leaf.san.ips) if (!check(ip, matchIPConstraint, ca.permitted.ips, ca.excluded.ips)) return false;
  } catch {
    return false;
  }
  return true;
}

export type CertType = 'leaf' | 'intermediate' | 'root';

/** Go's isValid: c as the next certificate of `chain` (leaf first). */
export function isValid(c: Certificate, type: CertType, chain: Certificate[], opts: VerifyOptions, now: bigint): boolean {
  if (c.unhandledCritical.length > 0) return false;
  if (chain.length > 0 && !chain[chain.length - 1].rawIssuer.equals(c.rawSubject)) return false;
  if (now < c.notBefore.ns || now > c.notAfter.ns) return false;
  if (type !== 'leaf' && c.hasNameConstraints && chain[0].sanValue !== undefined) {
    if (!nameConstraintsAllow(c, chain[0], opts.maxConstraintComparisons || 250000)) return false;
  }
  if (type === 'intermediate' && (!c.basicConstraintsValid || !c.isCA)) return false;
  return !(c.basicConstraintsValid && c.maxPathLen >= 0 && chain.length - 1 > c.maxPathLen);
}

/** Issuers of `c` in `pool`, the likeliest (matching key identifiers) first, as CertPool orders them. */
export function potentialParents(c: Certificate, pool: Certificate[]): Certificate[] {
  const named = pool.filter((p) => p.rawSubject.equals(c.rawIssuer));
  const rank = (p: Certificate) => {
    const skid = p.subjectKeyId ?? Buffer.alloc(0);
    const akid = c.authorityKeyId ?? Buffer.alloc(0);
    if (skid.equals(akid)) return 0;
    return skid.length === 0 || akid.length === 0 ? 1 : 2;
  };
  return named.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i).map((x) => x.p);
}

export function alreadyInChain(c: Certificate, chain: Certificate[]): boolean {
  return chain.some(
    (x) => x.rawSubject.equals(c.rawSubject) && x.rawSPKI.equals(c.rawSPKI) && (x.sanValue === undefined) === (c.sanValue === undefined) && (x.sanValue === undefined || x.sanValue.equals(c.sanValue as Buffer)),
  );
}

export function buildChains(chain: Certificate[], roots: Certificate[], intermediates: Certificate[], opts: VerifyOptions, now: bigint, budget: { checks: number }): Certificate[][] {
  const c = chain[chain.length - 1];
  const chains: Certificate[][] = [];
  const consider = (type: CertType, parent: Certificate) => {
    if (parent.publicKey.json === null || alreadyInChain(parent, chain)) return;
    if (++budget.checks > 100) return;
    if (!checkSignatureFrom(c, parent) || !isValid(parent, type, chain, opts, now)) return;
    if (type === 'root') chains.push([...chain, parent]);
    else chains.push(...buildChains([...chain, parent], roots, intermediates, opts, now, budget));
  };
  for (const r of potentialParents(c, roots)) consider('root', r);
  for (const i of potentialParents(c, intermediates)) consider('intermediate', i);
  return chains;
}

/** Go's VerifyHostname: IPs against IP SANs, names against DNS SANs (wildcards in the first label). */
export function verifyHostname(c: Certificate, host: string): boolean {
  const candidateIP = host.length >= 3 && host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const ip = parseIP(candidateIP);
  if (ip !== undefined) return c.san.ips.some((x) => ip16(x).equals(ip));
  const lower = (s: string) => s.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
  const validHostname = (h: string, pattern: boolean) => {
    if (!pattern) h = h.replace(/\.$/, '');
    if (h === '' || h === '*') return false;
    return h.split('.').every((part, i) => part !== '' && ((pattern && i === 0 && part === '*') || /^[a-zA-Z0-9_][a-zA-Z0-9_-]*$/.test(part)));
  };
  const name = lower(host);
  const validName = validHostname(name, false);
  return c.san.dns.some((pattern) => {
    if (validName && validHostname(pattern, true)) {
      const p = lower(pattern).split('.');
      const h = name.replace(/\.$/, '').split('.');
      return p.length === h.length && p.every((part, i) => (i === 0 && part === '*') || part === h[i]);
    }
    return !['', '.'].includes(pattern) && !['', '.'].includes(name) && lower(pattern) === name;
  });
}

/** Extended key usages are enforced down the chain: each certificate that lists some must allow the requested ones. */
export function chainAllowsKeyUsage(chain: Certificate[], usages: number[]): boolean {
  const remaining = [...usages];
  for (let i = chain.length - 1; i >= 0; i--) {
    const c = chain[i];
    if (c.extKeyUsage.length === 0 && c.unknownExtKeyUsage.length === 0) continue;
    if (c.extKeyUsage.includes(0)) continue;
    for (let j = remaining.length - 1; j >= 0; j--) if (!c.extKeyUsage.includes(remaining[j])) remaining.splice(j, 1);
    if (remaining.length === 0) return false;
  }
  return true;
}

/** OPA's verifyX509CertificateChain: the verified chain, leaf first, or undefined. */
export function verifyChain(certs: Certificate[], opts: VerifyOptions): Certificate[] | undefined {
  if (certs.length < 2) return undefined;
  const now = opts.currentTime ?? BigInt(Date.now()) * 1_000_000n;
  const dedupe = (cs: Certificate[]) => cs.filter((c, i) => cs.findIndex((x) => x.raw.equals(c.raw)) === i);
  const roots = [certs[0]];
  const intermediates = dedupe(certs.slice(1, -1));
  const leaf = certs[certs.length - 1];
  if (!isValid(leaf, 'leaf', [], opts, now)) return undefined;
  if (opts.dnsName !== '' && !verifyHostname(leaf, opts.dnsName)) return undefined;
  const candidates = leaf.raw.equals(certs[0].raw) ? [[leaf]] : buildChains([leaf], roots, intermediates, opts, now, { checks: 0 });
  const usages = opts.keyUsages.length === 0 ? [KEY_USAGE_NAMES.KeyUsageServerAuth] : opts.keyUsages;
  if (usages.includes(KEY_USAGE_NAMES.KeyUsageAny)) return candidates[0];
  return candidates.find((chain) => chainAllowsKeyUsage(chain, usages));
}

/** OPA's extractVerifyOpts. */
export function verifyOptions(name: string, options: ObjectValue): VerifyOptions {
  const opts: VerifyOptions = { dnsName: '', keyUsages: [], maxConstraintComparisons: 0 };
  const int64 = (v: Value) => (typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : undefined);
  for (const [k, v] of options.entries()) {
    if (typeof k !== 'string') continue;
    switch (k) {
      case 'DNSName':
        if (typeof v !== 'string') throw builtinError(name, "'DNSName' should be a string");
        opts.dnsName = v.replace(/^"+|"+$/g, '');
        break;
      case 'CurrentTime': {
        if (typeof v !== 'number' && typeof v !== 'bigint') throw builtinError(name, "'CurrentTime' should be a number");
        const ns = int64(v);
        if (ns === undefined || ns >= 1n << 63n || ns < -(1n << 63n)) throw builtinError(name, "'CurrentTime' should be a valid int64 number");
        opts.currentTime = ns;
        break;
      }
      case 'MaxConstraintComparisons': {
        if (typeof v !== 'number' && typeof v !== 'bigint') throw builtinError(name, "'MaxConstraintComparisons' should be a number");
        const n = int64(v);
        if (n === undefined || n >= 1n << 63n || n < -(1n << 63n)) throw builtinError(name, "'MaxConstraintComparisons' should be a valid number");
        opts.maxConstraintComparisons = Number(n);
        break;
      }
      case 'KeyUsages': {
        if (!Array.isArray(v) && !(v instanceof SetValue)) throw builtinError(name, "'KeyUsages' should be an Array or Set");
        const invalid: string[] = [];
        for (const u of Array.isArray(v) ? v : v.values()) {
          if (typeof u !== 'string') continue;
          const usage = u.replace(/^"+|"+$/g, '');
          if (Object.hasOwn(KEY_USAGE_NAMES, usage)) opts.keyUsages.push(KEY_USAGE_NAMES[usage]);
          else invalid.push(usage);
        }
        if (invalid.length > 0) throw builtinError(name, `invalid entries for 'KeyUsages' found: [${invalid.join(' ')}]`);
        break;
      }
      default:
        throw builtinError(name, 'invalid key option');
    }
  }
  return opts;
}
