// The hand-written floor for the admission benchmark: bench/fixtures/admission.rego's twenty
// checks as plain TypeScript over the parsed AdmissionReview. Nothing can evaluate that policy
// faster than this, so Regent's engines are reported as ratios against it.

/* eslint-disable @typescript-eslint/no-explicit-any -- the floor reads untyped JSON on purpose */
type J = any;

const ALLOWED_REGISTRIES = ['registry.example.com/', 'gcr.io/company/'];
const ALLOWED_CAPS = new Set(['NET_BIND_SERVICE', 'CHOWN']);

export function floorDeny(review: J): string[] {
  const pod = review?.request?.object;
  const spec = pod?.spec ?? {};
  const all: J[] = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  const deny = new Set<string>();
  for (const c of all) {
    const sc = c.securityContext ?? {};
    if (sc.privileged !== undefined && sc.privileged !== false) deny.add(`container ${c.name}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) deny.add(`container ${c.name}: allowPrivilegeEscalation must be false`);
    for (const p of c.ports ?? []) if (typeof p.hostPort === 'number' && p.hostPort > 0) deny.add(`container ${c.name}: hostPort ${p.hostPort}`);
    if (sc.runAsUser === 0) deny.add(`container ${c.name}: runs as root`);
    if (!truthy(sc.runAsNonRoot) && !truthy(spec.securityContext?.runAsNonRoot)) deny.add(`container ${c.name}: runAsNonRoot not set`);
    for (const cap of sc.capabilities?.add ?? []) if (!ALLOWED_CAPS.has(cap)) deny.add(`container ${c.name}: capability ${cap}`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) deny.add(`container ${c.name}: must drop ALL`);
    if (typeof c.image === 'string' && c.image.endsWith(':latest')) deny.add(`container ${c.name}: latest tag`);
    if (typeof c.image !== 'string' || !ALLOWED_REGISTRIES.some((r) => c.image.startsWith(r))) deny.add(`container ${c.name}: registry not allowed`);
    if (sc.procMount === 'Unmasked') deny.add(`container ${c.name}: procMount Unmasked`);
  }
  for (const c of spec.containers ?? []) {
    if (!truthy(c.resources?.limits?.cpu)) deny.add(`container ${c.name}: no cpu limit`);
    if (!truthy(c.resources?.limits?.memory)) deny.add(`container ${c.name}: no memory limit`);
    if (!truthy(c.securityContext?.readOnlyRootFilesystem)) deny.add(`container ${c.name}: root filesystem writable`);
  }
  if (truthy(spec.hostNetwork)) deny.add('hostNetwork');
  if (truthy(spec.hostPID)) deny.add('hostPID');
  if (truthy(spec.hostIPC)) deny.add('hostIPC');
  for (const v of spec.volumes ?? []) if (truthy(v.hostPath)) deny.add(`volume ${v.name}: hostPath`);
  if (spec.securityContext?.seccompProfile?.type !== 'RuntimeDefault') deny.add('pod: seccomp profile must be RuntimeDefault');
  for (const s of spec.securityContext?.sysctls ?? []) {
    if (!String(s.name).startsWith('net.ipv4.ip_local_port_range')) deny.add(`sysctl ${s.name} not allowed`);
  }
  if (!truthy(pod?.metadata?.labels?.app)) deny.add('pod: missing app label');
  return [...deny].sort();
}

/** Rego's truthiness for a ref used as an expression: defined and not false. */
function truthy(x: unknown): boolean {
  return x !== undefined && x !== false;
}
