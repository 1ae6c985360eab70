// GET /v1/audit: every replicated object (`data.kubernetes.<resource>…`, as `regent sync` and
// kube-mgmt lay it out) is put to the admission package's `deny` rules as if it were being
// created now, and the objects some rule rejects are listed. An admin sees what a new policy
// would reject before enforcing it.
import type { Request, Response, Router } from 'express';
import { JSONInput, navigate, type PolicyEngine } from '../engine/engine';
import { ObjectValue, toJSONText, type Value } from '../value/value';
import { messages, type AdmissionOptions } from './admission';
import { sendThrown } from './errors';
import { apiRouter } from './path';

export interface Violation {
  apiVersion: string;
  kind: string;
  /** The replicated resource the object came from (`pods`). */
  resource: string;
  namespace?: string;
  name: string;
  messages: string[];
  /** Set instead of messages when the evaluation itself failed. */
  error?: string;
}

export interface AuditReport {
  /** Objects evaluated. */
  checked: number;
  violations: Violation[];
}

export interface AuditFilter {
  namespace?: string;
  kind?: string;
}

interface Found {
  resource: string;
  namespace?: string;
  name: string;
  obj: ObjectValue;
}

/** Objects under the replication root: `<resource>.<ns>.<name>` or, cluster scope, `<resource>.<name>`. */
function replicated(root: Value | undefined): Found[] {
  const out: Found[] = [];
  if (!(root instanceof ObjectValue)) return out;
  for (const [resource, byKey] of root.entries()) {
    if (typeof resource !== 'string' || !(byKey instanceof ObjectValue)) continue;
    for (const [k, v] of byKey.entries()) {
      if (typeof k !== 'string' || !(v instanceof ObjectValue)) continue;
      if (v.get('metadata') instanceof ObjectValue) out.push({ resource, name: k, obj: v });
      else for (const [name, obj] of v.entries()) if (typeof name === 'string' && obj instanceof ObjectValue) out.push({ resource, namespace: k, name, obj });
    }
  }
  return out;
}

/** `apps/v1` → group apps; `v1` → the core group. */
function groupVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export async function audit(engine: PolicyEngine, opts: AdmissionOptions, rootPath: string[], filter: AuditFilter = {}): Promise<AuditReport> {
  const report: AuditReport = { checked: 0, violations: [] };
  for (const f of replicated(navigate(engine.getData(), rootPath))) {
    const kind = typeof f.obj.get('kind') === 'string' ? (f.obj.get('kind') as string) : '';
    const apiVersion = typeof f.obj.get('apiVersion') === 'string' ? (f.obj.get('apiVersion') as string) : '';
    if (filter.namespace !== undefined && f.namespace !== filter.namespace) continue;
    if (filter.kind !== undefined && kind !== filter.kind) continue;
    report.checked++;
    const { group, version } = groupVersion(apiVersion);
    const request = {
      uid: `audit/${f.resource}/${f.namespace ?? ''}/${f.name}`,
      operation: 'CREATE',
      kind: { group, version, kind },
      resource: { group, version, resource: f.resource },
      ...(f.namespace !== undefined ? { namespace: f.namespace } : {}),
      name: f.name,
      userInfo: { username: 'regent:audit' },
      dryRun: true,
    };
    // The object is spliced in as text: it is already a value, and may be large.
    const head = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request }).slice(0, -2);
    const input = new JSONInput(Buffer.from(`${head},"object":${toJSONText(f.obj)}}}`));
    const entry: Violation = { apiVersion, kind, resource: f.resource, ...(f.namespace !== undefined ? { namespace: f.namespace } : {}), name: f.name, messages: [] };
    try {
      entry.messages = messages(await engine.evaluate([...opts.package, 'deny'], input, { internal: true }));
    } catch (e) {
      entry.error = e instanceof Error ? e.toString() : String(e);
    }
    if (entry.messages.length > 0 || entry.error) report.violations.push(entry);
  }
  const key = (v: Violation): string => `${v.kind}\u0000${v.namespace ?? ''}\u0000${v.name}`;
  report.violations.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return report;
}

export function auditRoutes(engine: PolicyEngine, opts: AdmissionOptions): Router {
  const r = apiRouter();
  r.get('/v1/audit', async (req: Request, res: Response) => {
    const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
    const root = (str(req.query.path) ?? 'kubernetes').split(/[./]/).filter(Boolean);
    try {
      const report = await audit(engine, opts, root, { namespace: str(req.query.namespace), kind: str(req.query.kind) });
      res.status(200).json({ result: report });
    } catch (e) {
      sendThrown(res, e, 'eval');
    }
  });
  return r;
}
