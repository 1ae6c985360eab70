// http.send: OPA's synchronous HTTP client builtin (the request runs on blocking.ts's worker).
// Off unless the caller enables it (`ctx.http`), because a policy that can reach the network
// must be the operator's choice.
import { runBlocking } from './blocking';
import type { Builtin, BuiltinContext } from './types';
import { ANY, ANY_OBJECT, fn } from './decl';
import { builtinError, typeError } from './operands';
import { ObjectValue, fromJS, toJS, type Value } from '../value/value';
import { readJSON } from '../value/json';

interface Response {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
}

/** OPA's `timeout` option: a number of ns or a Go duration string (`"5s"`). */
function timeoutMs(v: Value | undefined): number {
  if (v === undefined) return 5000;
  if (typeof v === 'number') return Math.max(1, v / 1e6);
  if (typeof v === 'string') {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(v);
    if (m) return Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60000);
  }
  throw builtinError('http.send', `invalid timeout: ${String(toJS(v))}`);
}

function httpSend(args: Value[], ctx: BuiltinContext): Value {
  const name = 'http.send';
  const r = args[0];
  if (!(r instanceof ObjectValue)) throw typeError(name, 1, r, 'object');
  const raiseError = r.get('raise_error') !== false;
  const fail = (message: string): Value => {
    if (raiseError) throw builtinError(name, message);
    return ObjectValue.fromEntries([['status_code', 0], ['error', ObjectValue.fromEntries([['message', message]])]]);
  };
  if (!ctx.http?.enabled) return fail('http.send is disabled (enable it with the service\'s --allow-http-send)');
  const method = String(r.get('method') ?? '').toUpperCase();
  const url = r.get('url');
  if (typeof url !== 'string' || method === '') throw builtinError(name, 'request must have "method" and "url"');
  const headers: Record<string, string> = {};
  const h = r.get('headers');
  if (h instanceof ObjectValue) for (const [k, v] of h.entries()) headers[String(k)] = String(toJS(v));
  let body: string | undefined;
  const raw = r.get('raw_body');
  if (typeof raw === 'string') body = raw;
  else if (r.get('body') !== undefined) {
    body = JSON.stringify(toJS(r.get('body') as Value));
    headers['content-type'] ??= 'application/json';
  }
  const timeout = timeoutMs(r.get('timeout'));
  const init = { method, headers, body, redirect: r.get('enable_redirect') === true ? 'follow' : 'manual' };
  const outcome = runBlocking<Response>({ kind: 'fetch', url, init, timeoutMs: timeout }, timeout + 1000);
  if (!outcome.ok) return fail(outcome.error);
  const reply = outcome.value;
  const out = new ObjectValue();
  out.set('status', `${reply.status} ${reply.statusText ?? ''}`.trim());
  out.set('status_code', reply.status ?? 0);
  out.set('headers', fromJS(reply.headers ?? {}));
  out.set('raw_body', reply.body ?? '');
  const json = (reply.headers?.['content-type'] ?? '').includes('json') || r.get('force_json_decode') === true;
  if (json) {
    try {
      out.set('body', readJSON(reply.body ?? ''));
    } catch {
      // OPA leaves `body` out when a JSON response does not parse.
    }
  }
  return out;
}

export const HTTP: readonly Builtin[] = [{ name: 'http.send', decl: fn([ANY_OBJECT], ANY), impl: httpSend, nondeterministic: true }];
