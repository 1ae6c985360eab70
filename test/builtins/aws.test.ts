// providers.aws.sign_req against AWS's own Signature Version 4 example (the IAM ListUsers
// request of the SigV4 documentation, with its published signature).
import { call, callError } from './helpers';
import { ObjectValue, fromJS } from '../../server/value/value';

const EXAMPLE_TIME_NS = BigInt(Date.UTC(2015, 7, 30, 12, 36, 0)) * 1_000_000n; // 20150830T123600Z

const config = (extra: Record<string, string> = {}) =>
  fromJS({ aws_access_key: 'AKIDEXAMPLE', aws_secret_access_key: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', aws_service: 'iam', aws_region: 'us-east-1', ...extra });

describe('providers.aws.sign_req', () => {
  it("reproduces AWS's published example signature", () => {
    const req = fromJS({
      method: 'GET',
      url: 'https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    });
    const signed = call('providers.aws.sign_req', req, config(), EXAMPLE_TIME_NS) as ObjectValue;
    const headers = signed.get('headers') as ObjectValue;
    expect(headers.get('Authorization')).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request,SignedHeaders=content-type;host;x-amz-date,Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
    expect(headers.get('x-amz-date')).toBe('20150830T123600Z');
    expect(headers.get('host')).toBe('iam.amazonaws.com');
    expect(signed.get('url')).toBe('https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08');
  });

  it('adds the payload hash for s3 and the session token when there is one', () => {
    const req = fromJS({ method: 'PUT', url: 'https://b.s3.amazonaws.com/k', raw_body: 'hello' });
    const headers = (call('providers.aws.sign_req', req, config({ aws_service: 's3', aws_session_token: 'TOKEN' }), EXAMPLE_TIME_NS) as ObjectValue).get('headers') as ObjectValue;
    expect(headers.get('x-amz-content-sha256')).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(headers.get('x-amz-security-token')).toBe('TOKEN');
    expect(String(headers.get('Authorization'))).toContain('SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,');
  });

  it('names missing configuration', () => {
    const req = fromJS({ method: 'GET', url: 'https://x' });
    expect(callError('providers.aws.sign_req', req, fromJS({ aws_service: 's3' }), 0n).message).toBe(
      'providers.aws.sign_req: operand 2 missing required AWS config parameters(s): {"aws_access_key", "aws_secret_access_key", "aws_region"}',
    );
  });
});
