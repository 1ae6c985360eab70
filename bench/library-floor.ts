// The hand-written floor for the library scenario: the shipped policy library's package
// kubernetes.admission (policies/) as plain TypeScript. Given an AdmissionReview and the base data
// document (knobs under data.config, replicated objects under data.kubernetes), it makes the same
// decision: deny and warn messages, the JSON Patch operations of the mutating webhook and the
// audit annotations, with the same texts. bench/library.ts checks it against the engine before
// timing it.
//
// Written the way one would by hand: the knobs are merged with their defaults and turned into
// Sets once per data document (cached by identity, so replace data rather than edit it in place),
// then one pass over the containers per concern. Rego's reading of absent fields (a missing value
// makes a check silent, `not x` holds for missing or false) is kept where the library relies on
// it; lists are read as arrays only.

/* eslint-disable @typescript-eslint/no-explicit-any -- the floor reads untyped JSON on purpose */
type J = any;

export interface PatchOp {
  op: 'add';
  path: string;
  value: unknown;
}

export interface LibraryDecision {
  deny: string[];
  warn: string[];
  patch: PatchOp[];
  audit_annotations: Record<string, string>;
}

const LEVELS: Record<string, number> = { privileged: 0, baseline: 1, restricted: 2 };

const POD_SECURITY_DEFAULTS = {
  default_profile: 'baseline',
  default_warn_profile: 'privileged',
  exempt_users: [],
  exempt_runtime_classes: [],
  baseline_capabilities: ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'],
  restricted_capabilities: ['NET_BIND_SERVICE'],
  host_port_ranges: [],
  allowed_host_paths: [],
  allowed_sysctls: [
    'kernel.shm_rmid_forced',
    'net.ipv4.ip_local_port_range',
    'net.ipv4.ip_local_reserved_ports',
    'net.ipv4.ip_unprivileged_port_start',
    'net.ipv4.ping_group_range',
    'net.ipv4.tcp_syncookies',
    'net.ipv4.tcp_keepalive_time',
    'net.ipv4.tcp_fin_timeout',
    'net.ipv4.tcp_keepalive_intvl',
    'net.ipv4.tcp_keepalive_probes',
  ],
  selinux_types: ['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'],
  restricted_volume_types: ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'],
  user_ranges: [],
  group_ranges: [{ min: 1, max: 65535 }],
  read_only_root_filesystem: false,
};
const IMAGES_DEFAULTS = { allowed_registries: null, forbid_latest: true, require_digest: false, private_registries: [] };
const RUNTIME_DEFAULTS = {
  untrusted_namespaces: [],
  untrusted_label: 'regent.dev/untrusted',
  sandbox_handlers: ['runsc', 'kata', 'kata-qemu', 'kata-fc', 'kata-clh'],
  allowed_runtime_classes: [],
};
const NETWORK_DEFAULTS = { require_network_policy: false, node_port_namespaces: [] };

const CONTAINER_FIELDS = ['containers', 'initContainers', 'ephemeralContainers'];
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);
const HOST_NAMESPACE_FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'];
const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const SECCOMP_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_REQUIRED_OK = new Set(['RuntimeDefault', 'Localhost', 'Unconfined']);
const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io']);

interface Range {
  min: J;
  max: J;
}

interface HostPath {
  /** `trim_suffix(path_prefix, "/") + "/"`, for whole-segment prefix tests. */
  under: string | undefined;
  readOnly: boolean;
}

interface PrivateRegistry {
  registry: J;
  under: string | undefined;
  secrets: Set<J>;
  anySecret: boolean;
  text: string;
}

/** data.config read once: defaults merged in, lists as Sets, the texts messages quote. */
interface Prepared {
  exemptNamespaces: Set<J>;
  ps: {
    defaultProfile: J;
    defaultWarnProfile: J;
    exemptUsers: Set<J>;
    exemptRuntimeClasses: Set<J>;
    baselineCaps: Set<J>;
    baselineCapsText: string;
    restrictedCaps: Set<J>;
    restrictedCapsText: string;
    hostPortRanges: Range[];
    hostPortsText: string;
    hostPaths: HostPath[];
    hostPathsText: string;
    sysctls: Set<J>;
    sysctlsText: string;
    selinuxTypes: Set<J>;
    selinuxTypesText: string;
    volumeTypes: Set<J>;
    volumeTypesText: string;
    userRanges: Range[];
    userRangesText: string;
    groupRanges: Range[];
    groupRangesText: string;
    readOnlyRoot: boolean;
  };
  images: {
    /** Allowed prefixes (`under` form), or undefined when any registry is allowed. */
    allowed: string[] | undefined;
    allowedText: string;
    forbidLatest: boolean;
    requireDigest: boolean;
    privates: PrivateRegistry[];
  };
  runtime: {
    untrustedNamespaces: Set<J>;
    untrustedLabel: J;
    handlers: Set<J>;
    handlersText: string;
    allowedClasses: Set<J>;
  };
  network: {
    requireNetworkPolicy: boolean;
    nodePortNamespaces: Set<J>;
    nodePortText: string;
  };
  mutationEnabled: boolean;
}

const preparedByData = new WeakMap<object, Prepared>();

/** The library's decision for one AdmissionReview over the base data document. */
export function libraryDecision(review: J, data: J): LibraryDecision {
  const cfg = prepared(data);
  const deny = new Set<string>();
  const warn = new Set<string>();
  const patch: PatchOp[] = [];
  const audit: Record<string, string> = {};
  const result = (): LibraryDecision => ({ deny: [...deny], warn: [...warn], patch, audit_annotations: audit });

  const req = review?.request;
  if (!isObject(req)) return result();
  const op = req.operation;
  const obj = req.object;
  const namespace = req.namespace !== undefined ? req.namespace : obj?.metadata?.namespace;
  if (op !== 'CREATE' && op !== 'UPDATE') return result();
  if (namespace !== undefined && cfg.exemptNamespaces.has(namespace)) return result();
  if (req.subResource === 'status') return result();
  // From here on the request is `checked`.
  const kind = req.kind?.kind;
  const cluster = data?.kubernetes;

  // The Pod (or template) and where it lives.
  const base = podBase(kind);
  const pod = base === undefined || !isObject(obj) ? undefined : objectGet(obj, base, null);
  const podSpec = isObject(pod) ? pod.spec : undefined;
  const hasPod = truthy(podSpec);

  // Network rules need no Pod.
  if (kind === 'Service') nodePort(obj, namespace, cfg, deny);
  else if (kind === 'Ingress') ingressHosts(obj, namespace, cluster?.ingresses, deny);
  if (hasPod && op === 'CREATE' && namespace !== undefined && !(count(own(cluster?.networkpolicies, namespace)) > 0)) {
    (cfg.network.requireNetworkPolicy ? deny : warn).add(`pod: namespace ${fmtS(namespace)} has no NetworkPolicy, so any Pod may reach this one`);
  }

  const mutates = cfg.mutationEnabled && op === 'CREATE' && kind === 'Pod';
  const specSegments = base === undefined ? undefined : [...base, 'spec'];
  const podChecked = hasPod && !(op === 'UPDATE' && deepEqual(specSegments && isObject(req.oldObject) ? objectGet(req.oldObject, specSegments, null) : undefined, podSpec));
  if (!podChecked && !mutates) return result();

  const spec: PodView = podView(base as string[], pod, podSpec);
  const labels = namespaceLabels(cluster, namespace);
  const enforce = level(labels !== undefined && own(labels, 'pod-security.kubernetes.io/enforce') !== undefined ? own(labels, 'pod-security.kubernetes.io/enforce') : cfg.ps.defaultProfile);

  if (podChecked) {
    const warnLevel = level(labels !== undefined && own(labels, 'pod-security.kubernetes.io/warn') !== undefined ? own(labels, 'pod-security.kubernetes.io/warn') : cfg.ps.defaultWarnProfile);
    const exempt = cfg.ps.exemptUsers.has(req.userInfo?.username) || (isObject(podSpec) && cfg.ps.exemptRuntimeClasses.has(podSpec.runtimeClassName));
    if (!exempt) {
      audit['pod-security-profile'] = enforce;
      podSecurity(spec, cfg.ps, sink(1, enforce, warnLevel, deny, warn), sink(2, enforce, warnLevel, deny, warn));
    }
    images(spec, cfg.images, deny);
    if (cfg.runtime.untrustedNamespaces.has(namespace) || (labels !== undefined && own(labels, cfg.runtime.untrustedLabel) === 'true')) {
      runtimeClass(spec, namespace, cfg.runtime, cluster?.runtimeclasses, deny);
    }
  }
  if (mutates && enforce !== 'privileged') mutation(spec, patch);
  return result();
}

// ---------------------------------------------------------------------------------------------
// The Pod as the rules see it (lib.kubernetes).

interface ContainerView {
  name: J;
  /** Field path for messages, e.g. spec.containers[0]. */
  path: string;
  /** JSON pointer for patches, e.g. /spec/containers/0. */
  pointer: string;
  /** object.get(container, "securityContext", {}). */
  sc: J;
  c: J;
}

interface PodView {
  spec: J;
  specPath: string;
  specPointer: string;
  metadataPath: string;
  /** object.get(pod, ["metadata", "annotations"], {}); undefined when there is no Pod object. */
  annotations: J;
  /** object.get(pod_spec, "securityContext", {}); undefined when the spec is not an object. */
  sc: J;
  windows: boolean;
  containers: ContainerView[];
}

function podBase(kind: J): string[] | undefined {
  if (kind === 'Pod') return [];
  if (kind === 'PodTemplate') return ['template'];
  if (WORKLOAD_KINDS.has(kind)) return ['spec', 'template'];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template'];
  return undefined;
}

function podView(base: string[], pod: J, spec: J): PodView {
  const specPath = base.length === 0 ? 'spec' : `${base.join('.')}.spec`;
  const specPointer = base.length === 0 ? '/spec' : `/${base.join('/')}/spec`;
  const specIsObject = isObject(spec);
  const containers: ContainerView[] = [];
  if (specIsObject) {
    for (const field of CONTAINER_FIELDS) {
      const list = spec[field];
      if (!Array.isArray(list)) continue;
      for (let i = 0; i < list.length; i++) {
        const c = list[i];
        if (!isObject(c) || c.name === undefined) continue;
        containers.push({ name: c.name, path: `${specPath}.${field}[${i}]`, pointer: `${specPointer}/${field}/${i}`, sc: c.securityContext !== undefined ? c.securityContext : {}, c });
      }
    }
  }
  return {
    spec,
    specPath,
    specPointer,
    metadataPath: base.length === 0 ? 'metadata' : `${base.join('.')}.metadata`,
    annotations: isObject(pod) ? objectGet(pod, ['metadata', 'annotations'], {}) : undefined,
    sc: specIsObject ? (spec.securityContext !== undefined ? spec.securityContext : {}) : undefined,
    windows: spec?.os?.name === 'windows',
    containers,
  };
}

function namespaceLabels(cluster: J, namespace: J): J {
  const labels = own(own(cluster?.namespaces, namespace), 'metadata')?.labels;
  return labels === undefined ? {} : labels;
}

interface Setting {
  value: J;
  path: string;
}

/** A security setting as Kubernetes resolves it (container over Pod), with its field path. */
function setting(pod: PodView, c: ContainerView, field: string): Setting | undefined {
  const mine = c.sc?.[field];
  if (mine !== undefined) return { value: mine, path: `${c.path}.securityContext.${field}` };
  const v = pod.sc?.[field];
  return v === undefined ? undefined : { value: v, path: `${pod.specPath}.securityContext.${field}` };
}

// ---------------------------------------------------------------------------------------------
// Pod security (kubernetes.admission.pod_security).

/** Where a violation of a check of `checkLevel` goes: denied, warned about, or nowhere. */
interface Sink {
  to: Set<string>;
  suffix: string;
}

function sink(checkLevel: number, enforce: string, warnLevel: string, deny: Set<string>, warn: Set<string>): Sink | undefined {
  if (checkLevel <= LEVELS[enforce]) return { to: deny, suffix: ` [profile ${enforce}]` };
  if (checkLevel <= LEVELS[warnLevel]) return { to: warn, suffix: ` [would violate profile ${warnLevel}]` };
  return undefined;
}

function podSecurity(pod: PodView, ps: Prepared['ps'], b: Sink | undefined, r: Sink | undefined): void {
  if (b) baseline(pod, ps, b);
  if (r) restricted(pod, ps, r);
}

function baseline(pod: PodView, ps: Prepared['ps'], out: Sink): void {
  const add = (msg: string): void => void out.to.add(msg + out.suffix);
  const { spec, specPath, sc: podSc } = pod;
  for (const field of HOST_NAMESPACE_FIELDS) {
    if (spec?.[field] === true) add(`pod: ${specPath}.${field} is true; sharing the node's namespaces is not allowed`);
  }
  if (podSc?.windowsOptions?.hostProcess === true) add(`pod: ${specPath}.securityContext.windowsOptions.hostProcess is true; host processes are not allowed`);
  if (podSc?.appArmorProfile?.type === 'Unconfined') add(`pod: ${specPath}.securityContext.appArmorProfile.type is Unconfined; AppArmor must not be disabled`);
  if (podSc?.seLinuxOptions !== undefined) seLinux('pod', `${specPath}.securityContext.seLinuxOptions`, podSc.seLinuxOptions, ps, add);

  for (const c of pod.containers) {
    const sc = c.sc;
    const name = fmtS(c.name);
    if (sc?.privileged === true) add(`container ${name}: ${c.path}.securityContext.privileged is true; privileged containers are not allowed`);
    if (sc?.windowsOptions?.hostProcess === true) add(`container ${name}: ${c.path}.securityContext.windowsOptions.hostProcess is true; host processes are not allowed`);
    const caps = sc?.capabilities?.add;
    if (Array.isArray(caps)) {
      for (let i = 0; i < caps.length; i++) {
        if (!ps.baselineCaps.has(capability(caps[i]))) {
          add(`container ${name}: ${c.path}.securityContext.capabilities.add[${i}] ${fmtS(caps[i])} is not allowed (baseline allows: ${ps.baselineCapsText})`);
        }
      }
    }
    const ports = c.c.ports;
    if (Array.isArray(ports)) {
      for (let i = 0; i < ports.length; i++) {
        const hostPort = ports[i]?.hostPort;
        if (hostPort === undefined || hostPort === 0 || inRanges(hostPort, ps.hostPortRanges)) continue;
        add(`container ${name}: ${c.path}.ports[${i}].hostPort ${fmtD(hostPort)} is not allowed (allowed host ports: ${ps.hostPortsText})`);
      }
    }
    if (sc?.appArmorProfile?.type === 'Unconfined') add(`container ${name}: ${c.path}.securityContext.appArmorProfile.type is Unconfined; AppArmor must not be disabled`);
    if (sc?.seLinuxOptions !== undefined) seLinux(`container ${name}`, `${c.path}.securityContext.seLinuxOptions`, sc.seLinuxOptions, ps, add);
    const procMount = sc?.procMount;
    if (procMount !== undefined && procMount !== 'Default') add(`container ${name}: ${c.path}.securityContext.procMount ${fmtS(procMount)} is not allowed (only Default)`);
    const profile = seccomp(pod, c);
    if (profile?.type === 'Unconfined') add(`container ${name}: ${profile.path} is Unconfined; seccomp must not be disabled`);
    if (ps.readOnlyRoot && sc?.readOnlyRootFilesystem !== true) add(`container ${name}: ${c.path}.securityContext.readOnlyRootFilesystem must be true`);
  }

  const volumes = spec?.volumes;
  if (Array.isArray(volumes)) {
    for (let i = 0; i < volumes.length; i++) {
      const v = volumes[i];
      const path = v?.hostPath?.path;
      if (!truthy(v?.hostPath) || v.name === undefined || path === undefined || hostPathAllowed(pod, v, ps)) continue;
      add(`pod: ${specPath}.volumes[${i}] (${fmtS(v.name)}) mounts the node's path ${fmtS(path)}; hostPath volumes are not allowed (allowed: ${ps.hostPathsText})`);
    }
  }
  const annotations = pod.annotations;
  if (isObject(annotations)) {
    for (const key of Object.keys(annotations)) {
      if (!key.startsWith(APPARMOR_PREFIX) || annotationType(annotations[key]) !== 'Unconfined') continue;
      add(`container ${key.slice(APPARMOR_PREFIX.length)}: ${pod.metadataPath}.annotations[${key}] is unconfined; AppArmor must not be disabled`);
    }
  }
  const sysctls = podSc?.sysctls;
  if (Array.isArray(sysctls)) {
    for (let i = 0; i < sysctls.length; i++) {
      const name = sysctls[i]?.name;
      if (name === undefined || ps.sysctls.has(name)) continue;
      add(`pod: ${specPath}.securityContext.sysctls[${i}] ${fmtS(name)} is not allowed (allowed: ${ps.sysctlsText})`);
    }
  }
}

function seLinux(subject: string, path: string, options: J, ps: Prepared['ps'], add: (msg: string) => void): void {
  const type = options?.type;
  if (type !== undefined && type !== '' && !ps.selinuxTypes.has(type)) add(`${subject}: ${path}.type ${fmtS(type)} is not allowed (allowed: ${ps.selinuxTypesText})`);
  for (const field of ['user', 'role']) {
    const value = options?.[field];
    if (value !== undefined && value !== '') add(`${subject}: ${path}.${field} ${fmtS(value)} must not be set`);
  }
}

/** PodSecurityPolicy's allowedHostPaths: under an allowed prefix, read-only mounts where asked. */
function hostPathAllowed(pod: PodView, volume: J, ps: Prepared['ps']): boolean {
  const path = volume?.hostPath?.path;
  if (typeof path !== 'string') return false;
  for (const allowed of ps.hostPaths) {
    if (allowed.under === undefined || !`${path}/`.startsWith(allowed.under)) continue;
    if (!allowed.readOnly || !writableMount(pod, volume.name)) return true;
  }
  return false;
}

function writableMount(pod: PodView, name: J): boolean {
  for (const c of pod.containers) {
    const mounts = c.c.volumeMounts;
    if (!Array.isArray(mounts)) continue;
    for (const m of mounts) if (deepEqual(m?.name, name) && m?.readOnly !== true) return true;
  }
  return false;
}

function restricted(pod: PodView, ps: Prepared['ps'], out: Sink): void {
  const add = (msg: string): void => void out.to.add(msg + out.suffix);
  const { spec, specPath, sc: podSc } = pod;
  const volumes = spec?.volumes;
  if (Array.isArray(volumes)) {
    for (let i = 0; i < volumes.length; i++) {
      const v = volumes[i];
      if (!isObject(v) || v.name === undefined) continue;
      for (const type of Object.keys(v)) {
        if (type === 'name' || ps.volumeTypes.has(type)) continue;
        if (type === 'hostPath' && !hostPathAllowed(pod, v, ps)) continue; // baseline's to report
        add(`pod: ${specPath}.volumes[${i}] (${fmtS(v.name)}) has type ${type}, which is not allowed (allowed: ${ps.volumeTypesText})`);
      }
    }
  }

  for (const c of pod.containers) {
    const sc = c.sc;
    const name = fmtS(c.name);
    if (!pod.windows && sc?.allowPrivilegeEscalation !== false) {
      const shown = sc?.allowPrivilegeEscalation === undefined ? 'not set' : fmtV(sc.allowPrivilegeEscalation);
      add(`container ${name}: ${c.path}.securityContext.allowPrivilegeEscalation must be false (it is ${shown})`);
    }
    const user = setting(pod, c, 'runAsUser');
    if (user === undefined) {
      if (setting(pod, c, 'runAsNonRoot')?.value !== true) add(`container ${name}: ${c.path}.securityContext.runAsNonRoot must be true, or runAsUser non-zero (the image may run as root)`);
    } else if (user.value === 0) {
      add(`container ${name}: ${user.path} is 0; containers must not run as root`);
    } else if (ps.userRanges.length > 0 && !inRanges(user.value, ps.userRanges)) {
      add(`container ${name}: ${user.path} ${fmtD(user.value)} is outside the allowed users (${ps.userRangesText})`);
    }
    if (!pod.windows) {
      const profile = seccomp(pod, c) ?? { type: 'not set', path: `${c.path}.securityContext.seccompProfile.type` };
      if (!SECCOMP_REQUIRED_OK.has(profile.type)) add(`container ${name}: ${profile.path} must be RuntimeDefault or Localhost (it is ${fmtS(profile.type)})`);
      if (!hasCapability(sc?.capabilities?.drop, 'ALL')) add(`container ${name}: ${c.path}.securityContext.capabilities.drop must include ALL`);
      const caps = sc?.capabilities?.add;
      if (Array.isArray(caps)) {
        for (let i = 0; i < caps.length; i++) {
          const cap = capability(caps[i]);
          if (cap === undefined || !ps.baselineCaps.has(cap) || ps.restrictedCaps.has(cap)) continue;
          add(`container ${name}: ${c.path}.securityContext.capabilities.add[${i}] ${fmtS(caps[i])} is not allowed (restricted allows: ${ps.restrictedCapsText})`);
        }
      }
    }
    const group = setting(pod, c, 'runAsGroup');
    if (group !== undefined && !inRanges(group.value, ps.groupRanges)) add(`container ${name}: ${group.path} ${fmtD(group.value)} is outside the allowed groups (${ps.groupRangesText})`);
  }

  const fsGroup = podSc?.fsGroup;
  if (fsGroup !== undefined && !inRanges(fsGroup, ps.groupRanges)) add(`pod: ${specPath}.securityContext.fsGroup ${fmtD(fsGroup)} is outside the allowed groups (${ps.groupRangesText})`);
  const groups = podSc?.supplementalGroups;
  if (Array.isArray(groups)) {
    for (let i = 0; i < groups.length; i++) {
      if (!inRanges(groups[i], ps.groupRanges)) add(`pod: ${specPath}.securityContext.supplementalGroups[${i}] ${fmtD(groups[i])} is outside the allowed groups (${ps.groupRangesText})`);
    }
  }
}

interface Seccomp {
  type: J;
  path: string;
}

/** The seccomp profile type as Kubernetes resolves it: container field, container annotation,
 *  Pod field, Pod annotation. */
function seccomp(pod: PodView, c: ContainerView): Seccomp | undefined {
  const mine = c.sc?.seccompProfile?.type;
  if (mine !== undefined) return { type: mine, path: `${c.path}.securityContext.seccompProfile.type` };
  const annotations = pod.annotations;
  if (isObject(annotations)) {
    const key = SECCOMP_CONTAINER_PREFIX + fmtS(c.name);
    const v = ownKey(annotations, key);
    if (v !== undefined) return { type: annotationType(v), path: `${pod.metadataPath}.annotations[${key}]` };
  }
  const podType = pod.sc?.seccompProfile?.type;
  if (podType !== undefined) return { type: podType, path: `${pod.specPath}.securityContext.seccompProfile.type` };
  const v = isObject(annotations) ? ownKey(annotations, SECCOMP_POD_ANNOTATION) : undefined;
  if (v !== undefined) return { type: annotationType(v), path: `${pod.metadataPath}.annotations[${SECCOMP_POD_ANNOTATION}]` };
  return undefined;
}

/** The seccomp or AppArmor profile type of a legacy annotation value. */
function annotationType(value: J): J {
  if (value === 'runtime/default' || value === 'docker/default') return 'RuntimeDefault';
  if (typeof value === 'string' && value.startsWith('localhost/')) return 'Localhost';
  if (value === 'unconfined') return 'Unconfined';
  return value;
}

/** A capability name without the optional CAP_ prefix, in upper case. */
function capability(name: J): string | undefined {
  if (typeof name !== 'string') return undefined;
  const upper = name.toUpperCase();
  return upper.startsWith('CAP_') ? upper.slice(4) : upper;
}

function hasCapability(names: J, cap: string): boolean {
  if (Array.isArray(names)) {
    for (const n of names) if (capability(n) === cap) return true;
  } else if (isObject(names)) {
    for (const n of Object.values(names)) if (capability(n) === cap) return true;
  }
  return false;
}

function inRanges(n: J, ranges: Range[]): boolean {
  if (typeof n !== 'number') return false;
  for (const r of ranges) if (typeof r?.min === 'number' && typeof r.max === 'number' && n >= r.min && n <= r.max) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Images (kubernetes.admission.images).

interface ImageRef {
  name: string;
  tag: string;
  digest: string;
}

function images(pod: PodView, cfg: Prepared['images'], deny: Set<string>): void {
  for (const c of pod.containers) {
    const image = c.c.image;
    if (typeof image !== 'string') continue;
    const ref = reference(image);
    if (ref === undefined) continue;
    const name = fmtS(c.name);
    if (cfg.allowed !== undefined && !underAny(ref.name, cfg.allowed)) {
      const named = image.startsWith(ref.name) ? image : `${image} (${ref.name})`;
      deny.add(`container ${name}: ${c.path}.image ${named} comes from a registry that is not allowed (allowed: ${cfg.allowedText})`);
    }
    if (cfg.forbidLatest && ref.digest === '' && (ref.tag === '' || ref.tag === 'latest')) {
      const text = ref.tag === '' ? 'has no tag (so it means :latest)' : 'uses the mutable tag latest';
      deny.add(`container ${name}: ${c.path}.image ${image} ${text}; name a version (or a digest)`);
    }
    if (cfg.requireDigest && ref.digest === '') deny.add(`container ${name}: ${c.path}.image ${image} is not pinned by digest (@sha256:…)`);
    for (const p of cfg.privates) {
      if (p.under === undefined || !`${ref.name}/`.startsWith(p.under)) continue;
      if (!hasPullSecret(pod.spec, p)) deny.add(`container ${name}: ${c.path}.image ${image} comes from the private registry ${fmtS(p.registry)} and needs ${pod.specPath}.imagePullSecrets (${p.text})`);
    }
  }
}

/** Any pull secret when the registry names none, else one of those it names. */
function hasPullSecret(spec: J, p: PrivateRegistry): boolean {
  const secrets = isObject(spec) ? spec.imagePullSecrets : undefined;
  if (p.anySecret) return count(secrets === undefined ? [] : secrets) > 0;
  for (const s of items(secrets)) if (p.secrets.has(s?.name)) return true;
  return false;
}

function underAny(name: string, prefixes: string[]): boolean {
  const n = `${name}/`;
  for (const p of prefixes) if (n.startsWith(p)) return true;
  return false;
}

/** registry/repository (normalised as Docker reads it), tag and digest of an image reference. */
function reference(image: string): ImageRef | undefined {
  let nameTag = image;
  let digest = '';
  const at = image.indexOf('@');
  if (at >= 0) {
    if (image.indexOf('@', at + 1) >= 0) return undefined;
    nameTag = image.slice(0, at);
    digest = image.slice(at + 1);
  }
  let name = nameTag;
  let tag = '';
  const last = nameTag.slice(nameTag.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  if (colon >= 0) {
    const next = last.indexOf(':', colon + 1);
    tag = next >= 0 ? last.slice(colon + 1, next) : last.slice(colon + 1);
    if (nameTag.endsWith(`:${tag}`)) name = nameTag.slice(0, nameTag.length - tag.length - 1);
  }
  return { name: normalised(name), tag, digest };
}

function normalised(name: string): string {
  const slash = name.indexOf('/');
  if (slash >= 0) {
    const host = name.slice(0, slash);
    if (host.includes('.') || host.includes(':') || host === 'localhost') return DOCKER_HUB_HOSTS.has(host) ? dockerHub(name.slice(slash + 1)) : name;
  }
  return dockerHub(name);
}

function dockerHub(path: string): string {
  return path.includes('/') ? `docker.io/${path}` : `docker.io/library/${path}`;
}

// ---------------------------------------------------------------------------------------------
// Runtime (kubernetes.admission.runtime) and network (kubernetes.admission.network).

function runtimeClass(pod: PodView, namespace: J, cfg: Prepared['runtime'], classes: J, deny: Set<string>): void {
  const name = pod.spec?.runtimeClassName;
  if (!truthy(name)) {
    deny.add(`pod: ${pod.specPath}.runtimeClassName is not set; namespace ${fmtS(namespace)} is untrusted and needs a sandboxed runtime class (handlers: ${cfg.handlersText})`);
  }
  if (name === undefined) return;
  const cls = own(classes, name);
  if (!truthy(cls)) {
    deny.add(`pod: ${pod.specPath}.runtimeClassName ${fmtS(name)} does not exist (no RuntimeClass of that name in data.kubernetes.runtimeclasses)`);
  }
  const handler = cls?.handler;
  if (cls === undefined || handler === undefined || cfg.allowedClasses.has(name) || cfg.handlers.has(handler)) return;
  deny.add(`pod: ${pod.specPath}.runtimeClassName ${fmtS(name)} runs with handler ${fmtS(handler)}, which is not a sandbox (handlers: ${cfg.handlersText})`);
}

function nodePort(obj: J, namespace: J, cfg: Prepared, deny: Set<string>): void {
  const name = obj?.metadata?.name;
  if (obj?.spec?.type !== 'NodePort' || namespace === undefined || name === undefined || cfg.network.nodePortNamespaces.has(namespace)) return;
  deny.add(`service ${fmtS(name)}: spec.type NodePort is not allowed in namespace ${fmtS(namespace)} (allowed in: ${cfg.network.nodePortText})`);
}

function ingressHosts(obj: J, namespace: J, ingresses: J, deny: Set<string>): void {
  const rules = obj?.spec?.rules;
  const self = obj?.metadata?.name;
  if (!Array.isArray(rules) || self === undefined || !isObject(ingresses)) return;
  for (let i = 0; i < rules.length; i++) {
    const host = rules[i]?.host;
    if (host === undefined) continue;
    for (const ns of Object.keys(ingresses)) {
      const byName = ingresses[ns];
      if (!isObject(byName)) continue;
      for (const name of Object.keys(byName)) {
        if (ns === namespace && name === self) continue;
        const others = byName[name]?.spec?.rules;
        if (!Array.isArray(others) || !others.some((r) => deepEqual(r?.host, host))) continue;
        deny.add(`ingress ${fmtS(self)}: spec.rules[${i}].host ${fmtS(host)} is already used by ingress ${ns}/${name}`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Mutation defaults (kubernetes.admission.mutation), for a new Pod outside privileged namespaces.

function mutation(pod: PodView, patch: PatchOp[]): void {
  const podSc = pod.sc;
  const defaults: Record<string, unknown> = {};
  let runsAsRoot = false;
  for (const c of pod.containers) if (setting(pod, c, 'runAsUser')?.value === 0) runsAsRoot = true;
  if (!(isObject(podSc) && podSc.runAsNonRoot !== undefined) && !runsAsRoot) defaults.runAsNonRoot = true;
  if (!pod.windows && !truthy(podSc?.seccompProfile) && !truthy(isObject(pod.annotations) ? ownKey(pod.annotations, SECCOMP_POD_ANNOTATION) : undefined)) {
    defaults.seccompProfile = { type: 'RuntimeDefault' };
  }
  if (truthy(pod.spec?.securityContext)) {
    for (const field of Object.keys(defaults)) patch.push({ op: 'add', path: `${pod.specPointer}/securityContext/${field}`, value: defaults[field] });
  } else if (Object.keys(defaults).length > 0) {
    patch.push({ op: 'add', path: `${pod.specPointer}/securityContext`, value: defaults });
  }
  if (pod.windows) return;

  for (const c of pod.containers) {
    const sc = c.sc;
    if (sc?.privileged === true) continue;
    const caps = sc?.capabilities;
    // The API server rejects allowPrivilegeEscalation: false beside an added SYS_ADMIN.
    const escalation = !hasCapability(caps?.add, 'SYS_ADMIN');
    const at = `${c.pointer}/securityContext`;
    if (!truthy(c.c.securityContext)) {
      patch.push({ op: 'add', path: at, value: escalation ? { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } : { capabilities: { drop: ['ALL'] } } });
    } else {
      if (escalation && !(isObject(sc) && sc.allowPrivilegeEscalation !== undefined)) patch.push({ op: 'add', path: `${at}/allowPrivilegeEscalation`, value: false });
      if (!truthy(caps)) patch.push({ op: 'add', path: `${at}/capabilities`, value: { drop: ['ALL'] } });
    }
    if (truthy(caps) && !truthy(caps.drop)) patch.push({ op: 'add', path: `${at}/capabilities/drop`, value: ['ALL'] });
    if (caps?.drop !== undefined && !hasCapability(caps.drop, 'ALL')) patch.push({ op: 'add', path: `${at}/capabilities/drop/-`, value: 'ALL' });
  }
}

// ---------------------------------------------------------------------------------------------
// The knobs, read once per data document.

function prepared(data: J): Prepared {
  const key = isObject(data) ? data : EMPTY;
  let p = preparedByData.get(key);
  if (!p) {
    p = prepare(isObject(data) ? data.config : undefined);
    preparedByData.set(key, p);
  }
  return p;
}

const EMPTY = {};

/** `settings(name, defaults)`: the knobs of one concern over their defaults. */
function settings<T extends object>(config: J, name: string, defaults: T): T {
  const knobs = config?.[name];
  return truthy(knobs) && isObject(knobs) ? (union(defaults, knobs) as T) : defaults;
}

function prepare(config: J): Prepared {
  const ps = settings(config, 'pod_security', POD_SECURITY_DEFAULTS) as J;
  const img = settings(config, 'images', IMAGES_DEFAULTS) as J;
  const rt = settings(config, 'runtime', RUNTIME_DEFAULTS) as J;
  const net = settings(config, 'network', NETWORK_DEFAULTS) as J;
  const exempt = config?.exempt_namespaces;
  const hostPortRanges = list(ps.host_port_ranges);
  const groupRanges = list(ps.group_ranges);
  const userRanges = list(ps.user_ranges);
  return {
    exemptNamespaces: new Set(exempt === undefined ? ['kube-system'] : items(exempt)),
    ps: {
      defaultProfile: ps.default_profile,
      defaultWarnProfile: ps.default_warn_profile,
      exemptUsers: new Set(items(ps.exempt_users)),
      exemptRuntimeClasses: new Set(items(ps.exempt_runtime_classes)),
      baselineCaps: new Set(items(ps.baseline_capabilities)),
      baselineCapsText: listing(ps.baseline_capabilities),
      restrictedCaps: new Set(items(ps.restricted_capabilities)),
      restrictedCapsText: listing(ps.restricted_capabilities),
      hostPortRanges,
      hostPortsText: hostPortRanges.length === 0 ? 'none' : rangesText(hostPortRanges),
      hostPaths: list(ps.allowed_host_paths).map((a: J) => ({ under: typeof a?.path_prefix === 'string' ? `${trimSuffix(a.path_prefix, '/')}/` : undefined, readOnly: a?.read_only === true })),
      hostPathsText: listing(list(ps.allowed_host_paths).flatMap((a: J) => (a?.path_prefix === undefined ? [] : [a.path_prefix]))),
      sysctls: new Set(items(ps.allowed_sysctls)),
      sysctlsText: listing(ps.allowed_sysctls),
      selinuxTypes: new Set(items(ps.selinux_types)),
      selinuxTypesText: listing(ps.selinux_types),
      volumeTypes: new Set(items(ps.restricted_volume_types)),
      volumeTypesText: listing(ps.restricted_volume_types),
      userRanges,
      userRangesText: rangesText(userRanges),
      groupRanges,
      groupRangesText: rangesText(groupRanges),
      readOnlyRoot: ps.read_only_root_filesystem === true,
    },
    images: {
      allowed: Array.isArray(img.allowed_registries) ? img.allowed_registries.filter((p: J) => typeof p === 'string').map((p: string) => `${trimSuffix(p, '/')}/`) : undefined,
      allowedText: Array.isArray(img.allowed_registries) ? listing(img.allowed_registries) : '',
      forbidLatest: img.forbid_latest === true,
      requireDigest: img.require_digest === true,
      privates: list(img.private_registries).map((p: J) => {
        const secrets = isObject(p) && p.pull_secrets !== undefined ? p.pull_secrets : [];
        return {
          registry: p?.registry,
          under: typeof p?.registry === 'string' ? `${trimSuffix(p.registry, '/')}/` : undefined,
          secrets: new Set(items(secrets)),
          anySecret: count(secrets) === 0,
          text: count(secrets) === 0 ? 'any secret' : `one of: ${items(secrets).join(', ')}`,
        };
      }),
    },
    runtime: {
      untrustedNamespaces: new Set(items(rt.untrusted_namespaces)),
      untrustedLabel: rt.untrusted_label,
      handlers: new Set(items(rt.sandbox_handlers)),
      handlersText: items(rt.sandbox_handlers).join(', '),
      allowedClasses: new Set(items(rt.allowed_runtime_classes)),
    },
    network: {
      requireNetworkPolicy: net.require_network_policy === true,
      nodePortNamespaces: new Set(items(net.node_port_namespaces)),
      nodePortText: listing(net.node_port_namespaces),
    },
    mutationEnabled: settings(config, 'mutation', { enabled: true }).enabled === true,
  };
}

function listing(xs: J): string {
  return count(xs) === 0 ? 'none' : items(xs).join(', ');
}

function rangesText(ranges: Range[]): string {
  return ranges.flatMap((r) => (r?.min === undefined || r.max === undefined ? [] : [`${fmtD(r.min)}-${fmtD(r.max)}`])).join(', ');
}

function level(value: J): string {
  return typeof value === 'string' && value in LEVELS ? value : 'restricted';
}

// ---------------------------------------------------------------------------------------------
// JSON as Rego reads it.

function isObject(x: unknown): x is Record<string, J> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Defined and not false: a reference used as a condition. */
function truthy(x: unknown): boolean {
  return x !== undefined && x !== false;
}

/** An object's member under a key that comes from the data (never the prototype's). */
function own(o: J, key: J): J {
  return isObject(o) && typeof key === 'string' && Object.hasOwn(o, key) ? o[key] : undefined;
}

function ownKey(o: Record<string, J>, key: string): J {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

/** object.get(o, path, fallback) for an object `o`. */
function objectGet(o: J, path: string[], fallback: J): J {
  let v = o;
  for (const k of path) {
    v = own(v, k);
    if (v === undefined) return fallback;
  }
  return v;
}

function count(x: J): number {
  if (Array.isArray(x) || typeof x === 'string') return x.length;
  if (isObject(x)) return Object.keys(x).length;
  return 0;
}

/** The members of a collection (`some x in xs`). */
function items(x: J): J[] {
  if (Array.isArray(x)) return x;
  if (isObject(x)) return Object.values(x);
  return [];
}

function list(x: J): J[] {
  return Array.isArray(x) ? x : [];
}

function trimSuffix(s: string, suffix: string): string {
  return s.endsWith(suffix) ? s.slice(0, s.length - suffix.length) : s;
}

/** object.union: the right side wins, objects on both sides merge. */
function union(a: J, b: J): J {
  if (!isObject(a) || !isObject(b)) return b;
  const out: Record<string, J> = { ...a };
  for (const k of Object.keys(b)) out[k] = Object.hasOwn(a, k) ? union(a[k], b[k]) : b[k];
  return out;
}

function deepEqual(a: J, b: J): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
}

/** sprintf's %s: strings as they are; a number as Go prints one given to %s; the rest as Rego
 *  prints it. (The API server lets through no such values; the engine's texts are kept anyway.) */
function fmtS(x: J): string {
  if (typeof x === 'string') return x;
  if (typeof x === 'number') return Number.isInteger(x) ? `%!s(int=${x})` : `%!s(float64=${x})`;
  return regoText(x);
}

/** sprintf's %d: integers; anything else as Go's complaint about it. */
function fmtD(x: J): string {
  if (typeof x === 'number') return Number.isInteger(x) ? String(x) : `%!d(float64=${x})`;
  return `%!d(string=${typeof x === 'string' ? x : regoText(x)})`;
}

/** sprintf's %v. */
function fmtV(x: J): string {
  return typeof x === 'string' ? x : typeof x === 'number' ? String(x) : regoText(x);
}

function regoText(x: J): string {
  if (x === null || x === undefined) return 'null';
  if (typeof x === 'string') return JSON.stringify(x);
  if (typeof x !== 'object') return String(x);
  if (Array.isArray(x)) return `[${x.map(regoText).join(', ')}]`;
  return `{${Object.keys(x)
    .sort()
    .map((k) => `${JSON.stringify(k)}: ${regoText(x[k])}`)
    .join(', ')}}`;
}
