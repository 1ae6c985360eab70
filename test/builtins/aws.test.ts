// providers.aws.sign_req. The signatures of AWS's published examples (the SigV4 test suite, the
// IAM and S3 documentation) pin the signing chain; for what OPA does its own way (raw query
// order, Go's escaped path, UNSIGNED-PAYLOAD, Go's JSON for `body`) the canonical request is
// written out here by hand and signed with the documented chain.
import { createHash, createHmac } from 'node:crypto';
import { call, callError, show, v } from './helpers';
import { runQuery } from '../../server/engine/query';
import { ObjectValue, type Value } from '../../server/value/value';

const SUITE_TIME_NS = BigInt(Date.UTC(2015, 7, 30, 12, 36, 0)) * 1_000_000n; // 20150830T123600Z
const S3_TIME_NS = BigInt(Date.UTC(2013, 4, 24)) * 1_000_000n; // 20130524T000000Z
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN =
  'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const config = (extra: Record<string, unknown> = {}): Value =>
  v({ aws_access_key: 'AKIDEXAMPLE', aws_secret_access_key: SECRET, aws_service: 'service', aws_region: 'us-east-1', ...extra });

function signed(req: Record<string, unknown>, cfg: Value = config(), ns: bigint = SUITE_TIME_NS): { req: ObjectValue; headers: ObjectValue } {
  const out = call('providers.aws.sign_req', v(req), cfg, ns) as ObjectValue;
  return { req: out, headers: out.get('headers') as ObjectValue };
}

const signature = (headers: ObjectValue): string => /Signature=([0-9a-f]{64})$/.exec(String(headers.get('Authorization')))?.[1] ?? '';

/** The documented SigV4 chain over a canonical request written out by hand. */
function expectedSignature(canonical: string, date: string, scope: string, secret = SECRET): string {
  const hex = (s: string) => createHash('sha256').update(s).digest('hex');
  const toSign = ['AWS4-HMAC-SHA256', date, scope, hex(canonical)].join('\n');
  let key: Buffer = createHmac('sha256', `AWS4${secret}`).update(scope.split('/')[0]).digest();
  for (const part of scope.split('/').slice(1)) key = createHmac('sha256', key).update(part).digest();
  return createHmac('sha256', key).update(toSign).digest('hex');
}

describe('providers.aws.sign_req', () => {
  describe("AWS's published signatures", () => {
    it.each([
      ['get-vanilla', { method: 'GET', url: 'https://example.amazonaws.com/' }, 'host;x-amz-date', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
      ['post-vanilla', { method: 'POST', url: 'https://example.amazonaws.com/' }, 'host;x-amz-date', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'],
      ['get-utf8', { method: 'GET', url: 'https://example.amazonaws.com/ሴ' }, 'host;x-amz-date', '8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85'],
      ['post-vanilla-query', { method: 'POST', url: 'https://example.amazonaws.com/?Param1=value1' }, 'host;x-amz-date', '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11'],
      [
        'post-x-www-form-urlencoded',
        { method: 'POST', url: 'https://example.amazonaws.com/', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, raw_body: 'Param1=value1' },
        'content-type;host;x-amz-date',
        'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
      ],
    ])('%s', (_name, req, signedHeaders, sig) => {
      const { headers } = signed(req);
      expect(headers.get('Authorization')).toBe(`AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,SignedHeaders=${signedHeaders},Signature=${sig}`);
    });

    it('post-sts-header-before: the session token is sent and signed', () => {
      const { headers } = signed({ method: 'POST', url: 'https://example.amazonaws.com/' }, config({ aws_session_token: TOKEN }));
      expect(headers.get('x-amz-security-token')).toBe(TOKEN);
      expect(headers.get('Authorization')).toBe(
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,SignedHeaders=host;x-amz-date;x-amz-security-token,Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead',
      );
    });

    it("the IAM ListUsers example of AWS's SigV4 documentation", () => {
      const { req, headers } = signed(
        { method: 'GET', url: 'https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } },
        config({ aws_service: 'iam' }),
      );
      expect(headers.get('Authorization')).toBe(
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request,SignedHeaders=content-type;host;x-amz-date,Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
      );
      expect(req.get('url')).toBe('https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08');
      expect(req.get('method')).toBe('GET');
    });

    it("the S3 GetObject example of S3's documentation, with the request's headers kept", () => {
      const cfg = v({ aws_access_key: 'AKIAIOSFODNN7EXAMPLE', aws_secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', aws_service: 's3', aws_region: 'us-east-1' });
      const { headers } = signed({ method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/test.txt', headers: { Range: 'bytes=0-9' } }, cfg, S3_TIME_NS);
      expect(show(headers)).toBe(
        show(
          v({
            Range: 'bytes=0-9',
            Authorization:
              'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
            host: 'examplebucket.s3.amazonaws.com',
            'x-amz-content-sha256': EMPTY_SHA256,
            'x-amz-date': '20130524T000000Z',
          }),
        ),
      );
    });
  });

  describe('as OPA signs', () => {
    const scope = '20150830/us-east-1/service/aws4_request';

    it('signs the query as written (unsorted) and the path as Go escapes it', () => {
      const { headers } = signed({ method: 'GET', url: 'https://example.amazonaws.com/a b/../ሴ?Param2=value2&Param1=value1' });
      const canonical = ['GET', '/a%20b/../%E1%88%B4', 'Param2=value2&Param1=value1', 'host:example.amazonaws.com', 'x-amz-date:20150830T123600Z', '', 'host;x-amz-date', EMPTY_SHA256].join('\n');
      expect(signature(headers)).toBe(expectedSignature(canonical, '20150830T123600Z', scope));
    });

    it('signs an empty path as empty, a port as part of the host, and no userinfo', () => {
      const { headers } = signed({ method: 'GET', url: 'https://user:pw@example.amazonaws.com:8443' });
      expect(headers.get('host')).toBe('example.amazonaws.com:8443');
      const canonical = ['GET', '', '', 'host:example.amazonaws.com:8443', 'x-amz-date:20150830T123600Z', '', 'host;x-amz-date', EMPTY_SHA256].join('\n');
      expect(signature(headers)).toBe(expectedSignature(canonical, '20150830T123600Z', scope));
    });

    it('hashes `body` as Go marshals it, and UNSIGNED-PAYLOAD when payload signing is off', () => {
      const s3Scope = '20150830/us-east-1/s3/aws4_request';
      const json = '{"a":1,"b":"\\u003cx\\u003e"}';
      const bodyHash = createHash('sha256').update(json).digest('hex');
      const req = { method: 'PUT', url: 'https://b.s3.amazonaws.com/k', body: { b: '<x>', a: 1 } };
      const plain = signed(req, config({ aws_service: 's3' })).headers;
      expect(plain.get('x-amz-content-sha256')).toBe(bodyHash);
      const canonical = (hash: string) =>
        ['PUT', '/k', '', 'host:b.s3.amazonaws.com', `x-amz-content-sha256:${hash}`, 'x-amz-date:20150830T123600Z', '', 'host;x-amz-content-sha256;x-amz-date', hash].join('\n');
      expect(signature(plain)).toBe(expectedSignature(canonical(bodyHash), '20150830T123600Z', s3Scope));
      const unsigned = signed(req, config({ aws_service: 's3', disable_payload_signing: true })).headers;
      expect(unsigned.get('x-amz-content-sha256')).toBe('UNSIGNED-PAYLOAD');
      expect(signature(unsigned)).toBe(expectedSignature(canonical('UNSIGNED-PAYLOAD'), '20150830T123600Z', s3Scope));
    });

    it('prefers raw_body, signs headers lower-cased except those proxies change, and keeps them all', () => {
      const { headers } = signed({
        method: 'POST',
        url: 'https://example.amazonaws.com/',
        raw_body: 'x',
        body: { ignored: true },
        headers: { 'User-Agent': 'opa', 'X-Count': 5, 'X-Tag': 'a' },
      });
      expect(headers.get('User-Agent')).toBe('opa');
      expect(headers.get('X-Count')).toBe(''); // OPA reads non-string header values as ""
      const canonical = ['POST', '/', '', 'host:example.amazonaws.com', 'x-amz-date:20150830T123600Z', 'x-count:', 'x-tag:a', '', 'host;x-amz-date;x-count;x-tag', createHash('sha256').update('x').digest('hex')].join('\n');
      expect(signature(headers)).toBe(expectedSignature(canonical, '20150830T123600Z', scope));
    });

    it('dates instants before 1970 by flooring, as Go does, and ignores an empty session token', () => {
      const { headers } = signed({ method: 'GET', url: 'https://example.amazonaws.com/' }, config({ aws_session_token: '' }), -1n);
      expect(headers.get('x-amz-date')).toBe('19691231T235959Z');
      expect(headers.get('x-amz-security-token')).toBeUndefined();
    });
  });

  describe('errors, worded as OPA words them', () => {
    const req = v({ method: 'GET', url: 'https://x' });
    it.each<[string, Value[], string, string]>([
      ['config missing keys', [req, v({ aws_service: 's3' }), 0n], 'eval_type_error', 'operand 2 missing required AWS config parameters(s): {"aws_access_key", "aws_region", "aws_secret_access_key"}'],
      ['config values not strings', [req, config({ aws_region: 1 }), 0n], 'eval_type_error', 'operand 2 invalid values for required AWS config parameters(s): {"aws_region"}'],
      ['config not an object', [req, 'x', 0n], 'eval_type_error', 'operand 1 must be object but got string'],
      ['time not a number', [req, config(), 'now'], 'eval_type_error', 'operand 1 must be number but got string'],
      ['time not an integer', [req, config(), 1.5], 'eval_type_error', 'operand 3 could not convert time_ns value into a unix timestamp'],
      ['unknown request key', [v({ method: 'GET', url: 'https://x', colour: 'red' }), config(), 0n], 'eval_type_error', 'operand 1 invalid request parameters(s): {"colour"}'],
      ['request missing url', [v({ method: 'GET' }), config(), 0n], 'eval_type_error', 'operand 1 missing required request parameters(s): {"url"}'],
      ['headers not an object', [v({ method: 'GET', url: 'https://x', headers: 'h' }), config(), 0n], 'eval_type_error', 'operand 0 must be object but got string'],
      ['url not a string', [v({ method: 'GET', url: 1 }), config(), 0n], 'eval_type_error', 'operand 1 invalid values for required request parameters(s): {"url"}'],
      ['url with a bad escape', [v({ method: 'GET', url: 'https://x/%zz' }), config(), 0n], 'eval_builtin_error', 'parse "https://x/%zz": invalid URL escape "%zz"'],
      ['url with a bad port', [v({ method: 'GET', url: 'https://x:port/' }), config(), 0n], 'eval_builtin_error', 'parse "https://x:port/": invalid port ":port" after host'],
      ['disable_payload_signing not a boolean', [req, config({ disable_payload_signing: 'yes' }), 0n], 'eval_type_error', "operand 2 invalid value for 'disable_payload_signing' in AWS config"],
    ])('%s', (_name, args, code, message) => {
      const e = callError('providers.aws.sign_req', ...args);
      expect(e.code).toBe(code);
      expect(e.message).toBe(`providers.aws.sign_req: ${message}`);
    });
  });

  it('runs in a policy', () => {
    const module = `package aws
signed := providers.aws.sign_req({"method": "GET", "url": "https://example.amazonaws.com/"}, input.config, 1440938160000000000)`;
    const rs = runQuery({ modules: [{ file: 'aws.rego', text: module }], query: 'x := data.aws.signed.headers.Authorization', input: v({ config: { aws_access_key: 'AKIDEXAMPLE', aws_secret_access_key: SECRET, aws_service: 'service', aws_region: 'us-east-1' } }) });
    expect(rs[0].bindings.x).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,SignedHeaders=host;x-amz-date,Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });
});
