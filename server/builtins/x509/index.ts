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
// (net.IP, net/url), keys-public, certificate, verify, request (CSRs), keys-private.
import type { Builtin } from '../types';
import { ANY, BOOLEAN, STRING, arrayOf, fn, objectOf, tuple } from '../decl';
import { builtinError, obj, str } from '../operands';
import { fromJS, type Value } from '../../value/value';
import { Certificate, certificateJSON, certificatesFrom } from './certificate';
import { GoError } from './errors';
import { goPrivateKeyJSON, jwkJSON, keyPairJSON, privateKeysFrom } from './keys-private';
import { pemDecode, stdBase64 } from './pem';
import { certificateRequestJSON } from './request';
import { verifyChain, verifyOptions } from './verify';

/** Runs `body`, turning Go-worded failures into the builtin's error. */
export function guarded<T>(name: string, body: () => T): T {
  try {
    return body();
  } catch (e) {
    if (e instanceof GoError) throw builtinError(name, e.message);
    throw e;
  }
}

export const CERT = objectOf(STRING, ANY);
export const notVerified = (): Value => [false, []];

export const X509: readonly Builtin[] = [
  {
    name: 'crypto.x509.parse_certificates',
    decl: fn([STRING], arrayOf(CERT)),
    impl: (args) => {
      const name = 'crypto.x509.parse_certificates';
      const input = str(name, args, 0);
      return guarded(name, () => fromJS(certificatesFrom(input).map((c) => certificateJSON(c, true))));
    },
  },
  {
    name: 'crypto.x509.parse_and_verify_certificates',
    decl: fn([STRING], tuple(BOOLEAN, arrayOf(CERT))),
    impl: (args) => {
      const input = str('crypto.x509.parse_and_verify_certificates', args, 0);
      let certs: Certificate[];
      try {
        certs = certificatesFrom(input);
      } catch (e) {
        if (e instanceof GoError) return notVerified();
        throw e;
      }
      const chain = verifyChain(certs, { dnsName: '', keyUsages: [], maxConstraintComparisons: 0 });
      return chain === undefined ? notVerified() : [true, fromJS(chain.map((c) => certificateJSON(c, true)))];
    },
  },
  {
    name: 'crypto.x509.parse_and_verify_certificates_with_options',
    decl: fn([STRING, objectOf(STRING, ANY)], tuple(BOOLEAN, arrayOf(CERT))),
    impl: (args) => {
      const name = 'crypto.x509.parse_and_verify_certificates_with_options';
      const input = str(name, args, 0);
      const options = obj(name, args, 1);
      let certs: Certificate[];
      try {
        certs = certificatesFrom(input);
      } catch (e) {
        if (e instanceof GoError) return notVerified();
        throw e;
      }
      const chain = verifyChain(certs, verifyOptions(name, options));
      // Unlike the builtin without options, OPA adds no URIStrings here.
      return chain === undefined ? notVerified() : [true, fromJS(chain.map((c) => certificateJSON(c, false)))];
    },
  },
  {
    name: 'crypto.x509.parse_certificate_request',
    decl: fn([STRING], objectOf(STRING, ANY)),
    impl: (args) => {
      const name = 'crypto.x509.parse_certificate_request';
      const input = str(name, args, 0);
      return guarded(name, () => {
        let der = input.startsWith('-----BEGIN CERTIFICATE REQUEST-----') ? Buffer.from(input, 'latin1') : stdBase64(input);
        const pem = pemDecode(der.toString('latin1'));
        if (pem !== undefined && pem.block.type !== 'CERTIFICATE REQUEST') throw new GoError('invalid PEM-encoded certificate signing request');
        if (pem !== undefined) der = pem.block.bytes;
        return fromJS(certificateRequestJSON(der));
      });
    },
  },
  {
    name: 'crypto.x509.parse_keypair',
    decl: fn([STRING, STRING], objectOf(STRING, ANY)),
    impl: (args) => {
      const name = 'crypto.x509.parse_keypair';
      const cert = str(name, args, 0);
      const key = str(name, args, 1);
      return guarded(name, () => fromJS(keyPairJSON(cert, key)));
    },
  },
  {
    name: 'crypto.x509.parse_rsa_private_key',
    decl: fn([STRING], objectOf(STRING, ANY)),
    impl: (args) => {
      const name = 'crypto.x509.parse_rsa_private_key';
      const input = str(name, args, 0);
      return guarded(name, () => {
        if (input === '') throw new GoError('input PEM data was empty');
        const text = input.startsWith('-----BEGIN') ? input : stdBase64(input).toString('latin1');
        // Despite the name, OPA takes the first key of any kind it can read.
        const keys = privateKeysFrom(text);
        return keys.length === 0 ? null : fromJS(jwkJSON(keys[0]));
      });
    },
  },
  {
    name: 'crypto.parse_private_keys',
    decl: fn([STRING], arrayOf(objectOf(STRING, ANY))),
    impl: (args) => {
      const name = 'crypto.parse_private_keys';
      const input = str(name, args, 0);
      if (input === '') return null;
      // OPA marshals the Go key structs here, not JWKs.
      return guarded(name, () => fromJS(privateKeysFrom(input).map(goPrivateKeyJSON)));
    },
  },
];
