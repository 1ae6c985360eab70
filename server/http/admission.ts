// POST /v1/admit: a Kubernetes AdmissionReview in, an AdmissionReview out. The input document is
// the whole review; the decision comes from the admission package's rules:
//   deny contains msg            → allowed: false, status 403, messages sorted and joined by "; "
//   warn contains msg            → response.warnings
//   patch contains op            → JSONPatch (base64), only when allowed
//   audit_annotations[k] := v    → response.auditAnnotations
import { Router, type Request, type Response } from 'express';
import type { PolicyEngine } from '../engine/engine';
import { ObjectValue, SetValue, fromJS, toJSONText, type Value } from '../value/value';
import { bodyText } from './body';
import { sendError } from './errors';

export interface AdmissionOptions {
  /** The package holding deny/warn/patch/audit_annotations (`kubernetes.admission`). */
  package: string[];
  /** Admit when evaluation fails (the default denies with the error). */
  failOpen: boolean;
}

const API_VERSIONS = new Set(['admission.k8s.io/v1', 'admission.k8s.io/v1beta1']);

interface Review {
  apiVersion: string;
  uid: string;
  input: Value;
}

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
  const uid = (req as Record<string, unknown>).uid;
  if (typeof uid !== 'string' || uid === '') return 'AdmissionReview is missing request.uid';
  return { apiVersion: r.apiVersion, uid, input: fromJS(body) };
}

function messages(v: Value | undefined): string[] {
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

export function admissionRoutes(engine: PolicyEngine, opts: AdmissionOptions): Router {
  const r = Router();
  r.post('/v1/admit', (req: Request, res: Response) => {
    const review = parseReview(bodyText(req));
    if (typeof review === 'string') return sendError(res, 400, 'invalid_parameter', review);
    const response: Record<string, unknown> = { uid: review.uid };
    let decision: Value | undefined;
    try {
      decision = engine.evaluate(opts.package, review.input);
    } catch (e) {
      const text = e instanceof Error ? e.toString() : String(e);
      response.allowed = opts.failOpen;
      if (!opts.failOpen) response.status = { code: 500, message: `policy evaluation failed: ${text}` };
      else response.warnings = [`policy evaluation failed (admitted by --admission-fail-open): ${text}`];
      return res.json({ apiVersion: review.apiVersion, kind: 'AdmissionReview', response });
    }
    const doc = decision instanceof ObjectValue ? decision : new ObjectValue();
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
    res.json({ apiVersion: review.apiVersion, kind: 'AdmissionReview', response });
  });
  return r;
}
