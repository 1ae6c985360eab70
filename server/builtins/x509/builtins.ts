// The implementations of the builtins index.ts declares (and describes).
import type { BuiltinImpl } from '../types';
import { builtinError, obj, str } from '../operands';
import { fromJS, type Value } from '../../value/value';
import { Certificate, certificateJSON, certificatesFrom } from './certificate';
import { GoError } from './errors';
import { goPrivateKeyJSON, jwkJSON, keyPairJSON, privateKeysFrom } from './keys-private';
import { pemDecode, stdBase64 } from './pem';
import { certificateRequestJSON } from './request';
import { verifyChain, verifyOptions, type VerifyOptions } from './verify';

/** Runs `body`, turning Go-worded failures into the builtin's error. */
function guarded<T>(name: string, body: () => T): T {
  try {
    return body();
  } catch (e) {
    if (e instanceof GoError) throw builtinError(name, e.message);
    throw e;
  }
}

const notVerified = (): Value => [false, []];

/** The verified chain as the parse_and_verify builtins answer; not verified when the input does
 *  not parse (the options are read only after it does) or no chain verifies. */
function verified(input: string, options: () => VerifyOptions, uriStrings: boolean): Value {
  let certs: Certificate[];
  try {
    certs = certificatesFrom(input);
  } catch (e) {
    if (e instanceof GoError) return notVerified();
    throw e;
  }
  const chain = verifyChain(certs, options());
  return chain === undefined ? notVerified() : [true, fromJS(chain.map((c) => certificateJSON(c, uriStrings)))];
}

export const IMPLS: Readonly<Record<string, BuiltinImpl>> = {
  'crypto.x509.parse_certificates': (args) => {
    const name = 'crypto.x509.parse_certificates';
    const input = str(name, args, 0);
    return guarded(name, () => fromJS(certificatesFrom(input).map((c) => certificateJSON(c, true))));
  },
  'crypto.x509.parse_and_verify_certificates': (args) => {
    const input = str('crypto.x509.parse_and_verify_certificates', args, 0);
    return verified(input, () => ({ dnsName: '', keyUsages: [], maxConstraintComparisons: 0 }), true);
  },
  'crypto.x509.parse_and_verify_certificates_with_options': (args) => {
    const name = 'crypto.x509.parse_and_verify_certificates_with_options';
    const input = str(name, args, 0);
    const options = obj(name, args, 1);
    // Unlike the builtin without options, OPA adds no URIStrings here.
    return verified(input, () => verifyOptions(name, options), false);
  },
  'crypto.x509.parse_certificate_request': (args) => {
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
  'crypto.x509.parse_keypair': (args) => {
    const name = 'crypto.x509.parse_keypair';
    const cert = str(name, args, 0);
    const key = str(name, args, 1);
    return guarded(name, () => fromJS(keyPairJSON(cert, key)));
  },
  'crypto.x509.parse_rsa_private_key': (args) => {
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
  'crypto.parse_private_keys': (args) => {
    const name = 'crypto.parse_private_keys';
    const input = str(name, args, 0);
    if (input === '') return null;
    // OPA marshals the Go key structs here, not JWKs.
    return guarded(name, () => fromJS(privateKeysFrom(input).map(goPrivateKeyJSON)));
  },
};
