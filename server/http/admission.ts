// The Kubernetes admission webhooks: an AdmissionReview in, an AdmissionReview out. The input
// document is the whole review; the decision comes from the admission package's rules:
//   deny contains msg            → allowed: false, status 403, messages sorted and joined by "; "
//   warn contains msg            → response.warnings
//   patch contains op            → JSONPatch (base64), only when allowed
//   audit_annotations[k] := v    → response.auditAnnotations
// POST /v1/admit (the ValidatingWebhookConfiguration, or a single webhook) reads them all.
// POST /v1/mutate (the MutatingWebhookConfiguration, as Gatekeeper splits them) reads only
// `patch`: Kubernetes calls mutating webhooks first, and `deny` there would reject a Pod before
// its defaults were applied; validation happens at /v1/admit on the mutated object.
import type { Request, Response, Router } from 'express';
import { JSONInput, type PolicyEngine } from '../engine/engine';
import { ObjectValue, SetValue, toJSONText, type Value } from '../value/value';
import { checkNesting } from './body';
import { apiRouter } from './path';

export interface AdmissionOptions {
  /** The package holding deny/warn/patch/audit_annotations (`kubernetes.admission`). */
  package: string[];
  /** Admit when evaluation fails (the default denies with the error). */
  failOpen: boolean;
}

const API_VERSIONS = new Set(['admission.k8s.io/v1', 'admission.k8s.io/v1beta1']);
const OPERATIONS = new Set(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);

interface Review {
  apiVersion: string;
  uid: string;
}

type Rule = 'deny' | 'warn' | 'patch' | 'audit_annotations';

/** The rules each endpoint's decision reads; each is evaluated on its own, so helper rules (and
 *  any test_ rules loaded beside the policy) are computed only as far as these need them. */
export const ADMIT_RULES: readonly Rule[] = ['deny', 'warn', 'patch', 'audit_annotations'];
export const MUTATE_RULES: readonly Rule[] = ['patch'];

/** The review, or a message naming what is missing or wrong. */
export function parseReview(text: string): Review | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    return `body is not JSON: ${(e as Error).message}`;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body must be an AdmissionReview object';
  const r = body as Record<string, unknown>;
  if (r.kind !== 'AdmissionReview') return `kind must be AdmissionReview (got ${JSON.stringify(r.kind ?? null)})`;
  if (typeof r.apiVersion !== 'string' || !API_VERSIONS.has(r.apiVersion)) {
    return `apiVersion must be admission.k8s.io/v1 or admission.k8s.io/v1beta1 (got ${JSON.stringify(r.apiVersion ?? null)})`;
  }
  const req = r.request;
  if (typeof req !== 'object' || req === null) return 'AdmissionReview is missing request';
  const { uid, operation, object } = req as Record<string, unknown>;
  if (typeof uid !== 'string' || uid === '') return 'AdmissionReview is missing request.uid';
  if (typeof operation !== 'string' || !OPERATIONS.has(operation)) {
    return `request.operation must be CREATE, UPDATE, DELETE or CONNECT (got ${JSON.stringify(operation ?? null)})`;
  }
  // The object being created or updated; only DELETE (which has oldObject) and CONNECT may lack it.
  if ((operation === 'CREATE' || operation === 'UPDATE') && (typeof object !== 'object' || object === null || Array.isArray(object))) {
    return `AdmissionReview is missing request.object (an ${operation} review carries the object)`;
  }
  try {
    checkNesting(body);
  } catch (e) {
    return (e as Error).message;
  }
  return { apiVersion: r.apiVersion, uid };
}

/** deny/warn values → their messages (strings, or objects with `msg`), sorted. */
export function messages(v: Value | undefined): string[] {
  if (!(v instanceof SetValue) && !Array.isArray(v)) return [];
  const items = v instanceof SetValue ? v.values() : v;
  return items
    .map((m) => {
      if (typeof m === 'string') return m;
      if (m instanceof ObjectValue && typeof m.get('msg') === 'string') return m.get('msg') as string;
      return toJSONText(m);
    })
    .sort();
}

/** An answer: the HTTP status and the JSON body (an AdmissionReview, or OPA's error body). */
export interface Answer {
  status: number;
  body: unknown;
}

/** Validates one review given as the request's raw bytes (`POST /v1/admit`); independent of the
 *  HTTP framework. */
export function admit(engine: PolicyEngine, opts: AdmissionOptions, body: Buffer): Promise<Answer> {
  return decide(engine, opts, body, ADMIT_RULES);
}

/** Mutates one review (`POST /v1/mutate`): always allowed, with the `patch` ops if any. */
export function mutate(engine: PolicyEngine, opts: AdmissionOptions, body: Buffer): Promise<Answer> {
  return decide(engine, opts, body, MUTATE_RULES);
}

/** The webhook endpoints and their deciders, for the express routes and app.ts's fast path. */
export const ADMISSION_ENDPOINTS: ReadonlyMap<string, typeof admit> = new Map([
  ['/v1/admit', admit],
  ['/v1/mutate', mutate],
]);

/** Evaluates `rules` of the admission package for one review and builds the response; a rule
 *  not in `rules` is simply absent (so no deny means allowed). */
async function decide(engine: PolicyEngine, opts: AdmissionOptions, body: Buffer, rules: readonly Rule[]): Promise<Answer> {
  const review = parseReview(body.toString('utf8'));
  if (typeof review === 'string') return { status: 400, body: { code: 'invalid_parameter', message: review } };
  const response: Record<string, unknown> = { uid: review.uid };
  const answer = (): Answer => ({ status: 200, body: { apiVersion: review.apiVersion, kind: 'AdmissionReview', response } });
  // The review's own bytes are the input: the module parses them, JS never re-encodes them.
  const input = new JSONInput(body);
  const doc = new ObjectValue();
  const start = process.hrtime.bigint();
  try {
    const values = await engine.evaluateEach(
      rules.map((rule) => [...opts.package, rule]),
      input,
    );
    rules.forEach((rule, i) => {
      const v = values[i];
      if (v !== undefined) doc.set(rule, v);
    });
    // One decision per review in the decision log, as the package's document (the rules read).
    engine.onDecision?.(opts.package, input, doc, Number(process.hrtime.bigint() - start));
  } catch (e) {
    const text = e instanceof Error ? e.toString() : String(e);
    response.allowed = opts.failOpen;
    if (!opts.failOpen) response.status = { code: 500, message: `policy evaluation failed: ${text}` };
    else response.warnings = [`policy evaluation failed (admitted by --admission-fail-open): ${text}`];
    return answer();
  }
  const deny = messages(doc.get('deny'));
  const warn = messages(doc.get('warn'));
  response.allowed = deny.length === 0;
  if (deny.length > 0) response.status = { code: 403, reason: 'Forbidden', message: deny.join('; ') };
  if (warn.length > 0) response.warnings = warn;
  const patch = doc.get('patch');
  const ops = patch instanceof SetValue ? patch.values() : Array.isArray(patch) ? patch : [];
  if (deny.length === 0 && ops.length > 0) {
    response.patchType = 'JSONPatch';
    response.patch = Buffer.from(toJSONText(ops)).toString('base64');
  }
  const audit = doc.get('audit_annotations');
  if (audit instanceof ObjectValue && audit.size > 0) {
    response.auditAnnotations = Object.fromEntries(audit.entries().map(([k, v]) => [String(k), typeof v === 'string' ? v : toJSONText(v)]));
  }
  return answer();
}

export function admissionRoutes(engine: PolicyEngine, opts: AdmissionOptions): Router {
  const r = apiRouter();
  for (const [path, handle] of ADMISSION_ENDPOINTS) {
    r.post(path, async (req: Request, res: Response) => {
      const { status, body } = await handle(engine, opts, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
      res.status(status).json(body);
    });
  }
  return r;
}
