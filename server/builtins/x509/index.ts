// X.509 certificates, certificate requests and private keys: crypto.x509.* and
// crypto.parse_private_keys.
//
// OPA answers with Go's crypto/x509 (and crypto/tls, crypto/rsa, …) structs marshalled to JSON.
// node:crypto's X509Certificate shows too little of a certificate (no raw names, key usage bits,
// policies, name constraints) and nothing of a CSR, so these modules read the DER themselves, with Go's
// rules, and builds the JSON Go would: Go's field names in Go's order, `null` for nil slices,
// base64 for byte slices, numbers for big.Int, RFC 3339 times. Chain verification follows Go's
// Certificate.Verify; node:crypto checks the signatures and parses private keys.
//
// The parts: pem (Go's base64 and PEM), der, strings (and times), names (pkix.Name), urls
// (net.IP, net/url), keys-public, certificate, verify, request (CSRs), keys-private, and
// builtins (the implementations), which loads with all of them on the first call.
import type { Builtin } from '../types';
import { ANY, BOOLEAN, STRING, arrayOf, fn, objectOf, tuple } from '../decl';
import { deferred } from '../lazy';

const loaded = deferred(() => (require('./builtins') as typeof import('./builtins')).IMPLS);

const CERT = objectOf(STRING, ANY);

export const X509: readonly Builtin[] = [
  { name: 'crypto.x509.parse_certificates', decl: fn([STRING], arrayOf(CERT)), impl: loaded('crypto.x509.parse_certificates') },
  {
    name: 'crypto.x509.parse_and_verify_certificates',
    decl: fn([STRING], tuple(BOOLEAN, arrayOf(CERT))),
    impl: loaded('crypto.x509.parse_and_verify_certificates'),
  },
  {
    name: 'crypto.x509.parse_and_verify_certificates_with_options',
    decl: fn([STRING, objectOf(STRING, ANY)], tuple(BOOLEAN, arrayOf(CERT))),
    impl: loaded('crypto.x509.parse_and_verify_certificates_with_options'),
  },
  { name: 'crypto.x509.parse_certificate_request', decl: fn([STRING], objectOf(STRING, ANY)), impl: loaded('crypto.x509.parse_certificate_request') },
  { name: 'crypto.x509.parse_keypair', decl: fn([STRING, STRING], objectOf(STRING, ANY)), impl: loaded('crypto.x509.parse_keypair') },
  { name: 'crypto.x509.parse_rsa_private_key', decl: fn([STRING], objectOf(STRING, ANY)), impl: loaded('crypto.x509.parse_rsa_private_key') },
  { name: 'crypto.parse_private_keys', decl: fn([STRING], arrayOf(objectOf(STRING, ANY))), impl: loaded('crypto.parse_private_keys') },
];
