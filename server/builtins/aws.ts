// providers.aws.sign_req(request, aws_config, time_ns): an http.send request object signed with
// AWS Signature Version 4, as OPA signs it. The result is the request with `headers` holding the
// request's own headers (non-string values as ""), `Authorization`, and the headers AWS needs:
// host, x-amz-date, for s3 and glacier x-amz-content-sha256, with a session token
// x-amz-security-token. Like OPA, the canonical request uses the URL's escaped path and raw query
// as written (queries are not sorted), and signs every request header but those proxies rewrite.
// `disable_payload_signing` signs UNSIGNED-PAYLOAD instead of the body's hash.
import type { Builtin } from './types';
import { nodeCrypto } from './lazy';
import { ANY_OBJECT, NUMBER, fn } from './decl';
import { builtinError, operandError, typeError } from './operands';
import { goJSON } from './json';
import { ObjectValue, SetValue, compareStrings, toRegoText, type Value } from '../value/value';

const NAME = 'providers.aws.sign_req';

const REQUIRED_CONFIG = ['aws_service', 'aws_access_key', 'aws_secret_access_key', 'aws_region'];

/** The request keys http.send accepts (OPA validates sign_req's request the same way). */
const REQUEST_KEYS = new Set([
  'method',
  'url',
  'body',
  'enable_redirect',
  'force_json_decode',
  'force_yaml_decode',
  'headers',
  'raw_body',
  'tls_use_system_certs',
  'tls_ca_cert',
  'tls_ca_cert_file',
  'tls_ca_cert_env_variable',
  'tls_client_cert',
  'tls_client_cert_file',
  'tls_client_cert_env_variable',
  'tls_client_key',
  'tls_client_key_file',
  'tls_client_key_env_variable',
  'tls_insecure_skip_verify',
  'tls_server_name',
  'timeout',
  'cache',
  'force_cache',
  'force_cache_duration_seconds',
  'raise_error',
  'caching_mode',
  'max_retry_attempts',
  'cache_ignored_headers',
]);

/** Headers that may change on the way to AWS, so never signed (as AWS's SDKs do). */
const IGNORED = new Set(['authorization', 'user-agent', 'x-amzn-trace-id']);

const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

const sha256 = (data: string | Buffer): string => nodeCrypto().createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => nodeCrypto().createHmac('sha256', key).update(data).digest();

/** A set of keys as OPA prints it in messages: `{"a", "b"}`, sorted. */
const setText = (keys: Value[]): string => toRegoText(SetValue.of(keys));

/** OPA's stringFromTerm: a string's value, anything else "". */
const stringOf = (v: Value | undefined): string => (typeof v === 'string' ? v : '');

// ---------------------------------------------------------------------------------------------
// Go's net/url, as far as signing needs it: Host, EscapedPath() and RawQuery.

class URLError extends Error {}

const isAlnum = (c: string): boolean => /^[A-Za-z0-9]$/.test(c);

/** url.shouldEscape for the path and host encodings. */
function shouldEscape(c: string, mode: 'path' | 'host'): boolean {
  if (isAlnum(c)) return false;
  if (mode === 'host') return !"!$&'()*+,;=:[]<>\"-._~".includes(c);
  if ('-_.~'.includes(c)) return false;
  if ('$&+,/:;=?@'.includes(c)) return c === '?';
  return true;
}

/** url.unescape: %XX decoding with Go's checks. */
function unescape(s: string, mode: 'path' | 'host'): string {
  const bytes = Buffer.from(s, 'utf8');
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x25) {
      const hex = bytes.subarray(i + 1, i + 3).toString('latin1');
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
        const bad = bytes.subarray(i, Math.min(i + 3, bytes.length)).toString('utf8');
        throw new URLError(`invalid URL escape ${JSON.stringify(bad)}`);
      }
      const v = parseInt(hex, 16);
      // In a host only %25 and escapes of bytes ≥ 0x80 are allowed (RFC 6874, RFC 3986 §3.2.2).
      if (mode === 'host' && v < 0x80 && hex !== '25') throw new URLError(`invalid URL escape ${JSON.stringify('%' + hex)}`);
      out.push(v);
      i += 2;
    } else {
      if (mode === 'host' && b < 0x80 && shouldEscape(String.fromCharCode(b), 'host')) {
        throw new URLError(`invalid character ${JSON.stringify(String.fromCharCode(b))} in host name`);
      }
      out.push(b);
    }
  }
  return Buffer.from(out).toString('utf8');
}

function escapePath(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    out += b < 0x80 && !shouldEscape(c, 'path') ? c : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** url.validEncoded for a path: only characters a path may hold unescaped. */
function validEncodedPath(s: string): boolean {
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if ("!$&'()*+,;=:@[]%".includes(c)) continue;
    if (b >= 0x80 || shouldEscape(c, 'path')) return false;
  }
  return true;
}

/** url.Parse(raw), reduced to what the signature reads. Errors carry Go's messages. */
function parseURL(raw: string): { host: string; escapedPath: string; rawQuery: string } {
  const fail = (msg: string): never => {
    throw new URLError(`parse ${JSON.stringify(rest0)}: ${msg}`);
  };
  const hash = raw.indexOf('#');
  const rest0 = hash >= 0 ? raw.slice(0, hash) : raw;
  let rest = rest0;
  if (/[\x00-\x1f\x7f]/.test(rest)) fail('net/url: invalid control character in URL');
  if (rest === '*') return { host: '', escapedPath: '*', rawQuery: '' };
  // Scheme: a letter, then letters, digits, + - . up to a colon.
  let scheme = '';
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (m) {
    scheme = m[1].toLowerCase();
    rest = rest.slice(m[0].length);
  } else if (rest.startsWith(':')) fail('missing protocol scheme');
  let rawQuery = '';
  if (rest.endsWith('?') && rest.split('?').length === 2) rest = rest.slice(0, -1);
  else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (scheme !== '') return { host: '', escapedPath: '', rawQuery }; // opaque
    if (rest.split('/')[0].includes(':')) fail('first path segment in URL cannot contain colon');
  }
  let host = '';
  if ((scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    const at = authority.lastIndexOf('@');
    const userinfo = at >= 0 ? authority.slice(0, at) : '';
    host = at >= 0 ? authority.slice(at + 1) : authority;
    if (userinfo !== '' && !/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) fail('net/url: invalid userinfo');
    try {
      host = parseHost(host);
    } catch (e) {
      if (e instanceof URLError) fail(e.message);
      throw e;
    }
  }
  let path: string;
  try {
    path = unescape(rest, 'path');
  } catch (e) {
    if (e instanceof URLError) fail(e.message);
    throw e;
  }
  // EscapedPath(): the path as written when that is a valid encoding of it, else re-escaped.
  const escapedPath = validEncodedPath(rest) && unescape(rest, 'path') === path ? rest : escapePath(path);
  return { host, escapedPath, rawQuery };
}

function parseHost(host: string): string {
  const validPort = (p: string): boolean => p === '' || /^:[0-9]*$/.test(p);
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) throw new URLError("missing ']' in host");
    const port = host.slice(close + 1);
    if (!validPort(port)) throw new URLError(`invalid port ${JSON.stringify(port)} after host`);
    // A zone (%25…) follows its own escaping rules; keep such a literal as written.
    if (host.slice(0, close).includes('%25')) return host;
  }
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && !validPort(host.slice(colon))) throw new URLError(`invalid port ${JSON.stringify(host.slice(colon))} after host`);
  return unescape(host, 'host');
}

// ---------------------------------------------------------------------------------------------

/** Go's time.Unix(0, ns).UTC() formatted as 20060102T150405Z. */
function amzDate(ns: bigint): string {
  let ms = ns / 1_000_000n;
  if (ns % 1_000_000n < 0n) ms -= 1n; // floor, as Go does for instants before 1970
  const d = new Date(Number(ms));
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}T${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

function sign(args: Value[]): Value {
  // The operand numbers in messages are OPA's, including its slips (config and time_ns are
  // reported as operand 1, a bad headers value as operand 0).
  const [req, config, time] = args;
  if (!(req instanceof ObjectValue)) throw typeError(NAME, 1, req, 'object');
  if (!(config instanceof ObjectValue)) throw typeError(NAME, 1, config, 'object');
  const missing = REQUIRED_CONFIG.filter((k) => config.get(k) === undefined);
  if (missing.length > 0) throw operandError(NAME, 2, `missing required AWS config parameters(s): ${setText(missing)}`);
  const invalid = REQUIRED_CONFIG.filter((k) => typeof config.get(k) !== 'string');
  if (invalid.length > 0) throw operandError(NAME, 2, `invalid values for required AWS config parameters(s): ${setText(invalid)}`);
  const [service, accessKey, secretKey, region] = REQUIRED_CONFIG.map((k) => config.get(k) as string);
  const token = stringOf(config.get('aws_session_token'));

  if (typeof time !== 'number' && typeof time !== 'bigint') throw typeError(NAME, 1, time, 'number');
  const ns = typeof time === 'bigint' ? time : Number.isInteger(time) ? BigInt(time) : undefined;
  if (ns === undefined || ns < INT64_MIN || ns > INT64_MAX) throw operandError(NAME, 3, 'could not convert time_ns value into a unix timestamp');

  const badKeys = req.keys().filter((k) => typeof k !== 'string' || !REQUEST_KEYS.has(k));
  if (badKeys.length > 0) throw operandError(NAME, 1, `invalid request parameters(s): ${setText(badKeys)}`);
  const absent = ['method', 'url'].filter((k) => req.get(k) === undefined);
  if (absent.length > 0) throw operandError(NAME, 1, `missing required request parameters(s): ${setText(absent)}`);
  const headersIn = req.get('headers') ?? new ObjectValue();
  if (!(headersIn instanceof ObjectValue)) throw typeError(NAME, 0, headersIn, 'object');
  const badParams = ['method', 'url'].filter((k) => typeof req.get(k) !== 'string');
  if (badParams.length > 0) throw operandError(NAME, 1, `invalid values for required request parameters(s): ${setText(badParams)}`);
  let url: ReturnType<typeof parseURL>;
  try {
    url = parseURL(req.get('url') as string);
  } catch (e) {
    if (e instanceof URLError) throw builtinError(NAME, e.message);
    throw e;
  }
  const method = req.get('method') as string;
  const rawBody = req.get('raw_body');
  const body = req.get('body');
  const payload = rawBody !== undefined ? stringOf(rawBody) : body !== undefined ? goJSON(body) : '';
  const unsigned = config.get('disable_payload_signing');
  if (unsigned !== undefined && typeof unsigned !== 'boolean') throw operandError(NAME, 2, "invalid value for 'disable_payload_signing' in AWS config");

  // The request's headers as OPA reads them: string keys and values, anything else as "".
  const headers = new Map<string, string>();
  for (const [k, v] of headersIn.entries()) headers.set(stringOf(k), stringOf(v));

  const date = amzDate(ns);
  const day = date.slice(0, 8);
  const contentHash = unsigned === true ? UNSIGNED_PAYLOAD : sha256(payload);
  const aws = new Map<string, string>([
    ['host', url.host],
    ['x-amz-date', date],
  ]);
  if (service === 's3' || service === 'glacier') aws.set('x-amz-content-sha256', contentHash);
  if (token !== '') aws.set('x-amz-security-token', token);

  const toSign = new Map(aws);
  for (const [k, v] of headers) if (!IGNORED.has(k.toLowerCase())) toSign.set(k.toLowerCase(), v);
  const names = [...toSign.keys()].sort(compareStrings);
  const canonical = [method, url.escapedPath, url.rawQuery, ...names.map((k) => `${k}:${toSign.get(k)}`), '', names.join(';'), contentHash].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${secretKey}`, day);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const signature = nodeCrypto().createHmac('sha256', key).update(stringToSign).digest('hex');

  const out = new ObjectValue();
  for (const [k, v] of headers) out.set(k, v);
  out.set('Authorization', `AWS4-HMAC-SHA256 Credential=${accessKey}/${scope},SignedHeaders=${names.join(';')},Signature=${signature}`);
  for (const [k, v] of aws) out.set(k, v);
  const signed = req.clone();
  signed.set('headers', out);
  return signed;
}

export const AWS: readonly Builtin[] = [{ name: NAME, decl: fn([ANY_OBJECT, ANY_OBJECT, NUMBER], ANY_OBJECT), impl: sign }];
