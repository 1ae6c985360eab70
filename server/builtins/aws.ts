// providers.aws.sign_req(request, aws_config, time_ns): an http.send request object signed with
// AWS Signature Version 4, as OPA signs it: the headers AWS needs (host, x-amz-date, for s3 and
// glacier x-amz-content-sha256, x-amz-security-token with a session token) plus Authorization.
// The request's own headers are signed too (except those proxies rewrite) and kept in the
// result; OPA's own implementation fails on a request that carries headers.
import { createHash, createHmac } from 'node:crypto';
import type { Builtin } from './types';
import { ANY_OBJECT, NUMBER, fn } from './decl';
import { bigInt, builtinError, obj } from './operands';
import { ObjectValue, toJSONText, type Value } from '../value/value';

const REQUIRED = ['aws_service', 'aws_access_key', 'aws_secret_access_key', 'aws_region'];

/** Headers that may change on the way to AWS, so never signed (as AWS's SDKs do). */
const IGNORED = new Set(['authorization', 'user-agent', 'x-amzn-trace-id']);

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

function requiredString(o: ObjectValue, key: string, operand: number): string {
  const v = o.get(key);
  if (typeof v !== 'string') throw builtinError('providers.aws.sign_req', `operand ${operand} invalid value for ${key}`);
  return v;
}

function sign(args: Value[]): Value {
  const name = 'providers.aws.sign_req';
  const req = obj(name, args, 0);
  const config = obj(name, args, 1);
  const missing = REQUIRED.filter((k) => config.get(k) === undefined);
  if (missing.length > 0) throw builtinError(name, `operand 2 missing required AWS config parameters(s): {${missing.map((k) => `"${k}"`).join(', ')}}`);
  const [service, accessKey, secretKey, region] = REQUIRED.map((k) => requiredString(config, k, 2));
  const token = config.get('aws_session_token');
  const ns = bigInt(name, args, 2);
  const url = new URL(requiredString(req, 'url', 1));
  const method = requiredString(req, 'method', 1);
  const rawBody = req.get('raw_body');
  const bodyValue = req.get('body');
  const body = typeof rawBody === 'string' ? rawBody : bodyValue !== undefined ? toJSONText(bodyValue) : '';
  const headersIn = req.get('headers') ?? new ObjectValue();
  if (!(headersIn instanceof ObjectValue)) throw builtinError(name, 'operand 1 headers must be an object');

  const iso = new Date(Number(ns / 1_000_000n)).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const date = iso.slice(0, 8);
  const bodyHash = sha256(body);
  const aws: Record<string, string> = { host: url.host, 'x-amz-date': iso };
  if (service === 's3' || service === 'glacier') aws['x-amz-content-sha256'] = bodyHash;
  if (typeof token === 'string' && token !== '') aws['x-amz-security-token'] = token;

  const toSign = new Map(Object.entries(aws));
  for (const [k, v] of headersIn.entries()) {
    const lower = String(k).toLowerCase();
    if (!IGNORED.has(lower) && typeof v === 'string') toSign.set(lower, v);
  }
  const names = [...toSign.keys()].sort();
  const canonical = [method, url.pathname, url.search.slice(1), ...names.map((k) => `${k}:${toSign.get(k)}`), '', names.join(';'), bodyHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', iso, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${secretKey}`, date);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');

  const headers = headersIn.clone();
  for (const [k, v] of Object.entries(aws)) headers.set(k, v);
  headers.set('Authorization', `AWS4-HMAC-SHA256 Credential=${accessKey}/${scope},SignedHeaders=${names.join(';')},Signature=${signature}`);
  const out = req.clone();
  out.set('headers', headers);
  return out;
}

export const AWS: readonly Builtin[] = [{ name: 'providers.aws.sign_req', decl: fn([ANY_OBJECT, ANY_OBJECT, NUMBER], ANY_OBJECT), impl: sign }];
