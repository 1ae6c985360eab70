// Scenario: the shipped policy library (policies/, package kubernetes.admission: deny, warn, patch
// and audit_annotations) over a Pod AdmissionReview with the shipped configuration and a
// replicated cluster, evaluated in-process by WASM and by the IR interpreter through the engine's
// Evaluator, beside the hand-written floor (bench/library-floor.ts).
//
// Before anything is timed, checkLibraryFloor() holds the floor to the engine: every review of
// policies/fixtures (raw, and as each case of expectations.yaml changes it), the bench's Pod, and
// variants of them (other namespaces, workload templates, updates, other kinds), under the data of
// each expectation scenario and two more (every knob set; no configuration at all). The same
// check runs in CI (test/bench/library-floor.test.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyPatch, type Operation } from 'fast-json-patch';
import * as yaml from 'js-yaml';
import { loadPaths } from '../server/cli/load-paths';
import { JSONInput, PolicyEngine } from '../server/engine/engine';
import { Evaluator, resultSets } from '../server/engine/evaluator';
import { PolicyBuilder, groupName, type ModuleText } from '../server/engine/policy-set';
import { fromJS, toJSONText, type ObjectValue, type Value } from '../server/value/value';
import { medianMicros } from './admission';
import { libraryDecision, type LibraryDecision } from './library-floor';

/* eslint-disable @typescript-eslint/no-explicit-any -- reviews are untyped JSON */
type J = any;

/** The repository root: the nearest directory above this file holding package.json. */
function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const REPO = repoRoot();
const POLICIES = path.join(REPO, 'policies');
const FIXTURES = path.join(POLICIES, 'fixtures');
const BENCH_REVIEW = path.join(REPO, 'bench', 'fixtures', 'pod-review.json');

const PACKAGE = ['kubernetes', 'admission'];
const DOCUMENTS = ['deny', 'warn', 'patch', 'audit_annotations'] as const;
const ENTRYPOINTS = DOCUMENTS.map((d) => [...PACKAGE, d].join('/'));

export interface LibraryDataSet {
  name: string;
  /** The base data document: policies/ as loaded, with data.config and data.kubernetes replaced. */
  data: Record<string, unknown>;
}

export interface LibraryCase {
  label: string;
  review: J;
}

interface ExpectationCase {
  review: string;
  namespace?: string;
  change?: Operation[];
}

interface ExpectationScenario {
  name: string;
  data: Record<string, string>;
  cases: ExpectationCase[];
}

function readJSON(file: string): J {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function expectations(): ExpectationScenario[] {
  return (yaml.load(fs.readFileSync(path.join(FIXTURES, 'expectations.yaml'), 'utf8')) as { scenarios: ExpectationScenario[] }).scenarios;
}

export function libraryModules(): ModuleText[] {
  return loadPaths([POLICIES], { data: false }).modules.map((m) => ({ id: m.file, text: m.text }));
}

/**
 * The data of each expectation scenario, built as test/policies/fixtures.e2e.test.ts builds it
 * (policies/ loaded whole, then each `data` key replaced by its file, as PUT /v1/data/<key>
 * does), then two more: every knob away from its default, and no data.config at all.
 */
export function libraryDataSets(): LibraryDataSet[] {
  const { data: base } = loadPaths([POLICIES]);
  const sets = expectations().map((s) => ({
    name: s.name,
    data: { ...base, ...Object.fromEntries(Object.entries(s.data).map(([key, file]) => [key, readJSON(path.join(FIXTURES, file))])) },
  }));
  const cluster = readJSON(path.join(FIXTURES, 'cluster', 'cluster.json'));
  const knobs = {
    exempt_namespaces: ['kube-system', 'tools'],
    pod_security: {
      default_profile: 'restricted',
      default_warn_profile: 'restricted',
      exempt_users: ['ops-admin'],
      exempt_runtime_classes: ['trusted-vm'],
      host_port_ranges: [
        { min: 8000, max: 8100 },
        { min: 9901, max: 9901 },
      ],
      allowed_host_paths: [{ path_prefix: '/var/log/', read_only: true }, { path_prefix: '/data' }],
      allowed_sysctls: ['kernel.shm_rmid_forced', 'net.core.somaxconn'],
      selinux_types: ['container_t', 'spc_t'],
      user_ranges: [{ min: 1000, max: 1999 }],
      group_ranges: [
        { min: 1000, max: 2999 },
        { min: 5000, max: 5000 },
      ],
      read_only_root_filesystem: true,
    },
    images: {
      allowed_registries: ['registry.example.com', 'docker.io/library/', 'myprivateregistry.com:5000/', 'localhost:5000'],
      forbid_latest: true,
      require_digest: true,
      private_registries: [{ registry: 'myprivateregistry.com:5000/', pull_secrets: ['private-reg-cred', 'backup-cred'] }, { registry: 'registry.example.com/team' }],
    },
    runtime: { untrusted_namespaces: ['apps', 'payments'], untrusted_label: 'example.com/untrusted', allowed_runtime_classes: ['plain'] },
    network: { require_network_policy: true, node_port_namespaces: ['edge', 'apps'] },
    mutation: { enabled: false },
  };
  const ingress = (ns: string, name: string, hosts: string[]): J => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: ns },
    spec: { rules: hosts.map((host) => ({ host })) },
  });
  const richCluster = {
    ...cluster,
    namespaces: {
      ...cluster.namespaces,
      tools: { metadata: { name: 'tools', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } },
      odd: { metadata: { name: 'odd', labels: { 'pod-security.kubernetes.io/enforce': 'strict', 'pod-security.kubernetes.io/warn': 'privileged', 'example.com/untrusted': 'true' } } },
    },
    runtimeclasses: { ...cluster.runtimeclasses, 'trusted-vm': { metadata: { name: 'trusted-vm' }, handler: 'runc' }, nameless: { metadata: { name: 'nameless' } } },
    ingresses: {
      apps: { shop: ingress('apps', 'shop', ['shop.example.com']) },
      'team-a': { store: ingress('team-a', 'store', ['shop.example.com', 'www.example.com']) },
      'team-c': { blog: ingress('team-c', 'blog', ['blog.example.com', 'www.example.com']) },
    },
  };
  sets.push({ name: 'every knob set', data: { ...base, config: knobs, kubernetes: richCluster } });
  const { config: _config, ...noConfig } = base;
  sets.push({ name: 'no data.config (the defaults)', data: { ...noConfig, kubernetes: richCluster } });
  return sets;
}

// ---------------------------------------------------------------------------------------------
// The reviews.

function clone<T>(x: T): T {
  return structuredClone(x);
}

function podReview(namespace: string, pod: J, username = 'alice'): J {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `synthetic-${pod.metadata.name}`,
      kind: { group: '', version: 'v1', kind: pod.kind ?? 'Pod' },
      namespace,
      operation: 'CREATE',
      userInfo: { username, groups: ['system:authenticated'] },
      object: { apiVersion: 'v1', kind: 'Pod', ...pod, metadata: { namespace, ...pod.metadata } },
    },
  };
}

/** Pods written to reach every check and every patch of the library. */
function syntheticReviews(): LibraryCase[] {
  const everything = podReview('apps', {
    metadata: {
      name: 'everything',
      annotations: {
        'container.apparmor.security.beta.kubernetes.io/app': 'unconfined',
        'container.apparmor.security.beta.kubernetes.io/init': 'runtime/default',
        'container.apparmor.security.beta.kubernetes.io/sidecar': 'Unconfined',
        'container.seccomp.security.alpha.kubernetes.io/init': 'unconfined',
        'container.seccomp.security.alpha.kubernetes.io/sidecar': 'localhost/profiles/audit.json',
        'seccomp.security.alpha.kubernetes.io/pod': 'docker/default',
      },
    },
    spec: {
      hostNetwork: true,
      hostPID: false,
      hostIPC: true,
      runtimeClassName: 'plain',
      imagePullSecrets: [{ name: 'other-cred' }],
      securityContext: {
        runAsUser: 0,
        runAsGroup: 0,
        fsGroup: 70000,
        supplementalGroups: [0, 1500, 99999],
        windowsOptions: { hostProcess: true },
        appArmorProfile: { type: 'Unconfined' },
        seLinuxOptions: { type: 'spc_t', user: 'system_u', role: 'sysadm_r' },
        sysctls: [{ name: 'kernel.shm_rmid_forced', value: '1' }, { name: 'net.core.somaxconn', value: '1024' }, { value: 'nameless' }],
        seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/p.json' },
      },
      initContainers: [
        { name: 'init', image: 'busybox:latest', securityContext: { runAsUser: 1500, capabilities: { add: ['cap_chown', 'CAP_SYS_ADMIN'], drop: ['all'] }, procMount: 'Unmasked' } },
      ],
      containers: [
        {
          name: 'app',
          image: 'registry.example.com/team/app@sha256:0123abcd',
          ports: [
            { containerPort: 80, hostPort: 80 },
            { containerPort: 8080, hostPort: 8050 },
            { containerPort: 9090, hostPort: 0 },
          ],
          securityContext: {
            privileged: true,
            allowPrivilegeEscalation: true,
            runAsNonRoot: false,
            readOnlyRootFilesystem: true,
            seccompProfile: { type: 'Unconfined' },
            appArmorProfile: { type: 'Unconfined' },
            windowsOptions: { hostProcess: true },
            seLinuxOptions: { type: 'container_t', level: 's0:c1' },
            capabilities: { add: ['NET_BIND_SERVICE', 'SETUID', 'NET_RAW'] },
          },
          volumeMounts: [
            { name: 'logs', mountPath: '/logs', readOnly: true },
            { name: 'data', mountPath: '/data' },
          ],
        },
        {
          name: 'sidecar',
          image: 'myprivateregistry.com:5000/tools/sidecar:1.0',
          securityContext: { allowPrivilegeEscalation: 'no', runAsUser: 1200, runAsGroup: 2500, capabilities: { drop: 'ALL' }, seLinuxOptions: { user: '', role: '' } },
          volumeMounts: [{ name: 'logs', mountPath: '/logs' }],
        },
        { name: 'proxy', image: 'localhost:5000/proxy', securityContext: null },
        { name: 'tagged', image: 'gcr.io/google-samples/hello-app:1.0@sha256:feed', securityContext: { runAsNonRoot: true, capabilities: { drop: ['NET_RAW'] } } },
        { image: 'nameless:1.0' },
      ],
      ephemeralContainers: [{ name: 'debug', image: 'index.docker.io/busybox:1.36', securityContext: { seccompProfile: { type: 'RuntimeDefault' }, capabilities: { add: ['SYS_PTRACE'] } } }],
      volumes: [
        { name: 'logs', hostPath: { path: '/var/log/app' } },
        { name: 'data', hostPath: { path: '/data/x', type: 'Directory' } },
        { name: 'sock', hostPath: { path: '/var/run/docker.sock' } },
        { name: 'nfs', nfs: { server: 'nfs.example.com', path: '/' } },
        { name: 'cfg', configMap: { name: 'cfg' } },
        { name: 'scratch', emptyDir: {} },
      ],
    },
  });
  // Legacy annotations and the Pod's own settings inherited by its containers.
  const legacy = podReview('apps', {
    metadata: { name: 'legacy', annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined', 'container.seccomp.security.alpha.kubernetes.io/b': 'runtime/default' } },
    spec: {
      securityContext: { runAsNonRoot: true, runAsGroup: 3000, seLinuxOptions: { type: '' } },
      containers: [
        { name: 'a', image: 'docker.io/nginx:1.27', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } },
        { name: 'b', image: 'docker.io/library/nginx', securityContext: { runAsUser: 0, allowPrivilegeEscalation: false } },
        { name: 'c', image: 'nginx:latest@sha256:beef', securityContext: { runAsNonRoot: false, runAsUser: 2000 } },
      ],
    },
  });
  // Every mutation case: parents present or absent, SYS_ADMIN, a drop list without ALL, root.
  const mutations = podReview('apps', {
    metadata: { name: 'mutations' },
    spec: {
      securityContext: { fsGroup: 2000 },
      containers: [
        { name: 'admin', image: 'registry.example.com/a:1', securityContext: { capabilities: { add: ['SYS_ADMIN'] } } },
        { name: 'narrow', image: 'registry.example.com/b:1', securityContext: { capabilities: { drop: ['NET_RAW'] } } },
        { name: 'nonroot', image: 'registry.example.com/c:1', securityContext: { runAsNonRoot: true } },
        { name: 'empty-caps', image: 'registry.example.com/d:1', securityContext: { allowPrivilegeEscalation: true, capabilities: {} } },
        { name: 'privileged', image: 'registry.example.com/e:1', securityContext: { privileged: true } },
        { name: 'admin-bare', image: 'registry.example.com/f:1', securityContext: { capabilities: { add: ['sys_admin'], drop: ['cap_all'] } } },
      ],
      initContainers: [{ name: 'root', image: 'registry.example.com/g:1', securityContext: { runAsUser: 0 } }],
    },
  });
  const windows = podReview('secure', {
    metadata: { name: 'windows' },
    spec: { os: { name: 'windows' }, containers: [{ name: 'iis', image: 'mcr.microsoft.com/windows/servercore/iis:2022' }] },
  });
  const bare = podReview('apps', { metadata: { name: 'bare' } });
  const service = (ns: string, type: string): LibraryCase => ({
    label: `service ${type} in ${ns}`,
    review: {
      request: {
        uid: 'svc',
        kind: { group: '', version: 'v1', kind: 'Service' },
        namespace: ns,
        operation: 'CREATE',
        object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns }, spec: { type, ports: [{ port: 80 }] } },
      },
    },
  });
  const ingress = (ns: string, name: string, hosts: Array<string | undefined>): LibraryCase => ({
    label: `ingress ${ns}/${name}`,
    review: {
      request: {
        uid: 'ing',
        kind: { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' },
        namespace: ns,
        operation: 'UPDATE',
        object: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: ns }, spec: { rules: hosts.map((host) => (host === undefined ? {} : { host })) } },
      },
    },
  });
  return [
    { label: 'everything', review: everything },
    { label: 'legacy annotations', review: legacy },
    { label: 'mutations', review: mutations },
    { label: 'windows', review: windows },
    { label: 'Pod without a spec', review: bare },
    { label: 'everything by an exempt user', review: { ...everything, request: { ...everything.request, userInfo: { username: 'ops-admin' } } } },
    { label: 'everything with an exempt runtime class', review: variant(everything, (r) => (r.request.object.spec.runtimeClassName = 'trusted-vm')) },
    { label: 'everything with a nameless runtime class', review: variant(everything, (r) => (r.request.object.spec.runtimeClassName = 'nameless')) },
    { label: 'everything without a runtime class', review: variant(everything, (r) => delete r.request.object.spec.runtimeClassName) },
    { label: 'everything with the private pull secret', review: variant(everything, (r) => (r.request.object.spec.imagePullSecrets = [{ name: 'backup-cred' }])) },
    { label: 'everything with no pull secret', review: variant(everything, (r) => delete r.request.object.spec.imagePullSecrets) },
    service('apps', 'NodePort'),
    service('secure', 'NodePort'),
    service('edge', 'NodePort'),
    service('secure', 'ClusterIP'),
    ingress('apps', 'shop', ['shop.example.com', 'new.example.com', undefined]),
    ingress('team-b', 'all', ['shop.example.com', 'www.example.com']),
    ingress('team-a', 'store', ['shop.example.com']),
  ];
}

/**
 * Values the API server would not let through (it decodes objects to their types first), sent
 * anyway: the decisions still agree, texts included. Lists written as objects are left out: the
 * library iterates them, the floor reads lists as arrays only.
 */
function malformedReviews(): LibraryCase[] {
  const pod = (ns: string, spec: J, metadata: J = {}): J => ({
    request: { kind: { kind: 'Pod' }, namespace: ns, operation: 'CREATE', userInfo: { username: 'x' }, object: { kind: 'Pod', metadata: { name: 'odd', namespace: ns, ...metadata }, spec } },
  });
  const withContext = (sc: J, more: J = {}): J => ({ containers: [{ name: 'c', image: 'registry.example.com/a:1', securityContext: sc, ...more }] });
  const bare = (request: J): J => ({ request: { kind: { kind: 'Pod' }, namespace: 'apps', operation: 'CREATE', ...request } });
  const cases: Array<[string, J]> = [
    ['allowPrivilegeEscalation an object', pod('secure', withContext({ allowPrivilegeEscalation: { b: 1, a: [1, 'x', null, true] } }))],
    ['allowPrivilegeEscalation null', pod('secure', withContext({ allowPrivilegeEscalation: null }))],
    ['allowPrivilegeEscalation 1.5', pod('secure', withContext({ allowPrivilegeEscalation: 1.5 }))],
    ['hostPorts not integers', pod('apps', withContext({}, { ports: [{ hostPort: null }, { hostPort: '80' }, { hostPort: 80.5 }] }))],
    ['runAsUser null', pod('secure', withContext({ runAsUser: null }))],
    ['runAsUser "0"', pod('secure', withContext({ runAsUser: '0' }))],
    ['runAsGroup null', pod('secure', withContext({ runAsGroup: null, runAsUser: 10 }))],
    ['capabilities as strings', pod('apps', withContext({ capabilities: { add: 'SYS_TIME', drop: 'ALL' } }))],
    ['capabilities not strings', pod('apps', withContext({ capabilities: { add: [5, null, true, { a: 1 }] } }))],
    ['securityContext false', pod('apps', withContext(false))],
    ['securityContext an array', pod('apps', withContext([1]))],
    ['procMount null', pod('apps', withContext({ procMount: null }))],
    ['container names not strings', pod('apps', { containers: [{ name: 5, image: 'alpine', securityContext: { privileged: true } }, { name: 1.5, image: 'alpine' }] })],
    ['images oddly written', pod('apps', { containers: ['5', 'a@b@c', 'alpine:', 'a:b:c', 'localhost/x', 'docker.io/a/b:1', ''].map((image, i) => ({ name: `c${i}`, image: image === '5' ? 5 : image })) })],
    ['runtimeClassName null', pod('sandbox', { runtimeClassName: null, containers: [] })],
    ['runtimeClassName false', pod('sandbox', { runtimeClassName: false, containers: [] })],
    ['runtimeClassName 5', pod('sandbox', { runtimeClassName: 5, containers: [] })],
    ['spec null', pod('apps', null)],
    ['spec an array', pod('apps', [1])],
    ['spec a string', pod('apps', 'x')],
    ['namespace null', bare({ namespace: null, object: { metadata: {}, spec: { containers: [] } } })],
    ['no namespace anywhere', bare({ namespace: undefined, object: { metadata: {}, spec: { containers: [{ name: 'a', image: 'x' }] } } })],
    ['annotations null', pod('apps', withContext({}), { annotations: null })],
    ['annotations an array', pod('apps', withContext({}), { annotations: ['x'] })],
    ['metadata null', bare({ object: { metadata: null, spec: { containers: [{ name: 'a', image: 'x' }] } } })],
    ['object null', bare({ object: null })],
    ['no object', bare({})],
    ['SELinux options oddly typed', pod('apps', { securityContext: { seLinuxOptions: null }, containers: [{ name: 'c', image: 'x', securityContext: { seLinuxOptions: { type: 5, user: null, role: false } } }] })],
    ['sysctls oddly typed', pod('apps', { securityContext: { sysctls: [{ name: 5 }, 'x', null] }, containers: [] })],
    ['volumes oddly typed', pod('secure', { volumes: [{ name: 'a', hostPath: null }, { name: 'b', hostPath: { path: 5 } }, ['x'], { name: 5, nfs: {} }, { hostPath: { path: '/x' } }], containers: [] })],
    ['groups not integers', pod('secure', { securityContext: { fsGroup: '5', supplementalGroups: [null, 1.5, 'x', true, { a: 1 }] }, containers: [] })],
    ['imagePullSecrets an object', pod('apps', { imagePullSecrets: { a: { name: 'private-reg-cred' } }, containers: [{ name: 'c', image: 'myprivateregistry.com:5000/x:1' }] })],
    ['seccomp annotations odd', pod('secure', withContext({}), { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'Unconfined', 'container.seccomp.security.alpha.kubernetes.io/c': 'localhost' } })],
    ['operation CONNECT', bare({ operation: 'CONNECT', object: { spec: {} } })],
    ['UPDATE of a null template spec', { request: { kind: { kind: 'Deployment' }, namespace: 'apps', operation: 'UPDATE', oldObject: { spec: { template: { spec: null } } }, object: { spec: { template: { spec: null } } } } }],
    ['Deployment without a template', { request: { kind: { kind: 'Deployment' }, namespace: 'apps', operation: 'CREATE', object: { spec: {} } } }],
    ['no request', {}],
  ];
  return cases.map(([label, review]) => ({ label: `malformed: ${label}`, review }));
}

function variant(review: J, change: (r: J) => unknown): J {
  const r = clone(review);
  change(r);
  return r;
}

function inNamespace(review: J, namespace: string): J {
  return variant(review, (r) => {
    r.request.namespace = namespace;
    if (r.request.object?.metadata) r.request.object.metadata.namespace = namespace;
  });
}

/** The Pod as the template of a workload of `kind`. */
function asWorkload(review: J, kind: string): J {
  return variant(review, (r) => {
    const pod = r.request.object;
    const template = { metadata: { ...pod.metadata, labels: { app: pod.metadata.name } }, spec: pod.spec };
    const metadata = { name: pod.metadata.name, namespace: pod.metadata.namespace };
    const apiVersion = kind === 'CronJob' || kind === 'Job' ? 'batch/v1' : kind === 'PodTemplate' ? 'v1' : 'apps/v1';
    r.request.kind = { group: apiVersion.includes('/') ? apiVersion.split('/')[0] : '', version: 'v1', kind };
    r.request.object =
      kind === 'PodTemplate'
        ? { apiVersion, kind, metadata, template }
        : kind === 'CronJob'
          ? { apiVersion, kind, metadata, spec: { schedule: '@hourly', jobTemplate: { spec: { template } } } }
          : { apiVersion, kind, metadata, spec: { replicas: 2, template } };
  });
}

/** Requests other than a CREATE of the object: updates with and without a spec change, others. */
function otherRequests(review: J): Array<[string, J]> {
  return [
    [
      'UPDATE, labels only',
      variant(review, (r) => {
        r.request.operation = 'UPDATE';
        r.request.oldObject = clone(r.request.object);
        r.request.object.metadata.labels = { changed: 'true' };
      }),
    ],
    [
      'UPDATE, spec changed',
      variant(review, (r) => {
        r.request.operation = 'UPDATE';
        r.request.oldObject = clone(r.request.object);
        (r.request.object.spec ??= {}).terminationGracePeriodSeconds = 5;
      }),
    ],
    ['UPDATE, no oldObject', variant(review, (r) => (r.request.operation = 'UPDATE'))],
    ['DELETE', variant(review, (r) => (r.request.operation = 'DELETE'))],
    [
      'status write',
      variant(review, (r) => {
        r.request.operation = 'UPDATE';
        r.request.subResource = 'status';
      }),
    ],
    ['namespace from the object', variant(review, (r) => delete r.request.namespace)],
  ];
}

/**
 * Every review the floor is checked on: the bench's Pod; each fixture review as it is and as each
 * expectation case changes it; Pods written for the checks the fixtures miss; and variants of
 * the Pods in every namespace of the clusters, as workload templates and as other requests.
 */
export function libraryCorpus(): LibraryCase[] {
  const cases: LibraryCase[] = [{ label: 'bench/fixtures/pod-review.json', review: readJSON(BENCH_REVIEW) }];
  const reviewsDir = path.join(FIXTURES, 'reviews');
  for (const name of fs.readdirSync(reviewsDir).sort()) cases.push({ label: name, review: readJSON(path.join(reviewsDir, name, 'review.json')) });
  const pods = [...cases];
  for (const s of expectations()) {
    s.cases.forEach((c, i) => {
      let review = readJSON(path.join(FIXTURES, c.review));
      if (c.namespace) review = inNamespace(review, c.namespace);
      if (c.change) review.request.object = applyPatch(review.request.object, c.change, true, false).newDocument;
      cases.push({ label: `${s.name}: case ${i} (${c.review})`, review });
    });
  }
  const synthetic = syntheticReviews();
  cases.push(...synthetic, ...malformedReviews());
  pods.push(...synthetic.slice(0, 4));
  for (const p of pods) {
    for (const ns of ['apps', 'secure', 'sandbox', 'legacy', 'kube-system', 'tools', 'odd', 'payments']) cases.push({ label: `${p.label} in ${ns}`, review: inNamespace(p.review, ns) });
    for (const kind of ['Deployment', 'StatefulSet', 'CronJob', 'PodTemplate']) cases.push({ label: `${p.label} as a ${kind}`, review: asWorkload(p.review, kind) });
    for (const [what, review] of [...otherRequests(p.review), ...otherRequests(asWorkload(p.review, 'Job'))]) cases.push({ label: `${p.label}: ${what}`, review });
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// The check.

/** A decision in comparable form: messages sorted, patch operations as sorted canonical JSON. */
interface Comparable {
  deny: unknown;
  warn: unknown;
  patch: unknown;
  audit_annotations: unknown;
}

function canonical(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonical).join(',')}]`;
  if (typeof x === 'object' && x !== null) {
    return `{${Object.keys(x)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((x as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(x) ?? 'undefined';
}

function comparable(d: Record<string, unknown>): Comparable {
  const sorted = (x: unknown): unknown => (Array.isArray(x) ? [...x].sort() : x);
  return {
    deny: sorted(d.deny),
    warn: sorted(d.warn),
    patch: Array.isArray(d.patch) ? d.patch.map(canonical).sort() : d.patch,
    audit_annotations: canonical(d.audit_annotations),
  };
}

export interface Mismatch {
  dataSet: string;
  review: string;
  document: string;
  floor: unknown;
  engine: unknown;
}

function differences(dataSet: string, review: string, floor: LibraryDecision, engine: Record<string, unknown>): Mismatch[] {
  const f = comparable(floor as unknown as Record<string, unknown>);
  const e = comparable(engine);
  return DOCUMENTS.flatMap((d) => (canonical(f[d]) === canonical(e[d]) ? [] : [{ dataSet, review, document: d, floor: f[d], engine: e[d] }]));
}

function plain(v: Value | undefined): unknown {
  return v === undefined ? undefined : JSON.parse(toJSONText(v));
}

/** Compares the floor with Regent's engine (WASM, in-process) on every review under every data set. */
export async function checkLibraryFloor(): Promise<{ decisions: number; mismatches: Mismatch[] }> {
  const engine = new PolicyEngine('wasm');
  // As the admission webhook does: the four documents compiled ahead as one evaluation.
  engine.declareGroup(DOCUMENTS.map((d) => [...PACKAGE, d]));
  const mismatches: Mismatch[] = [];
  let decisions = 0;
  try {
    const corpus = libraryCorpus().map((c) => ({ label: c.label, text: JSON.stringify(c.review) }));
    const modules = libraryModules();
    let loaded = false;
    for (const set of libraryDataSets()) {
      const data = fromJS(set.data) as ObjectValue;
      if (loaded) await engine.setData(data);
      else await engine.load(modules, data);
      await engine.settled();
      loaded = true;
      for (const c of corpus) {
        const results = await engine.evaluateEach(
          DOCUMENTS.map((d) => [...PACKAGE, d]),
          new JSONInput(new TextEncoder().encode(c.text)),
        );
        const got = Object.fromEntries(DOCUMENTS.map((d, i) => [d, plain(results[i])]));
        mismatches.push(...differences(set.name, c.label, libraryDecision(JSON.parse(c.text), set.data), got));
        decisions++;
      }
    }
  } finally {
    await engine.close();
  }
  return { decisions, mismatches };
}

/** The first mismatches, each as what only the floor has and what only the engine has. */
export function describeMismatches(mismatches: Mismatch[], most = 10): string {
  const only = (a: unknown, b: unknown): unknown => (Array.isArray(a) && Array.isArray(b) ? a.filter((x) => !b.includes(x)) : a);
  return mismatches
    .slice(0, most)
    .map((m) => `  [${m.dataSet}] ${m.review}: ${m.document}\n    floor only:  ${JSON.stringify(only(m.floor, m.engine))}\n    engine only: ${JSON.stringify(only(m.engine, m.floor))}`)
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// The scenario.

/** An Evaluator with the four documents compiled ahead as one group, as the service compiles
 *  them: `wasm` builds the WASM module, `interp` stops at the IR plan. */
async function evaluator(modules: ModuleText[], engine: 'wasm' | 'interp', dataJSON: string): Promise<Evaluator> {
  const ev = new Evaluator();
  const set = await new PolicyBuilder().build({ version: 1, modules, engine, compile: [groupName(ENTRYPOINTS)], stage: engine === 'wasm' ? 'wasm' : 'plan' });
  await ev.install(set);
  ev.setData(dataJSON);
  return ev;
}

/** One evaluation's four documents from the Evaluator's result sets (`[{"result": …}]` each). */
function evaluatorDecision(texts: string[]): Record<string, unknown> {
  return Object.fromEntries(DOCUMENTS.map((d, i) => [d, (JSON.parse(texts[i]) as Array<{ result?: unknown }>)[0]?.result]));
}

export async function scenarioLibrary(iterations: number): Promise<void> {
  const { decisions, mismatches } = await checkLibraryFloor();
  if (mismatches.length > 0) {
    throw new Error(`bench: the library floor disagrees with the engine on ${mismatches.length} documents:\n${describeMismatches(mismatches)}`);
  }

  // The bench's Pod under the shipped configuration with the lab's replicated cluster.
  const shipped = libraryDataSets().find((s) => s.name.startsWith('the shipped configuration'));
  if (!shipped) throw new Error('bench: expectations.yaml has no shipped-configuration scenario');
  const data = shipped.data;
  const modules = libraryModules();
  const dataJSON = toJSONText(fromJS(data));
  const reviewText = fs.readFileSync(BENCH_REVIEW, 'utf8');
  const review: unknown = JSON.parse(reviewText);
  const bytes = new TextEncoder().encode(reviewText);
  const wasm = await evaluator(modules, 'wasm', dataJSON);
  const interp = await evaluator(modules, 'interp', dataJSON);

  // The three agree on this input before any of them is timed.
  const want = libraryDecision(review, data);
  for (const [name, ev] of [['wasm', wasm], ['interpreter', interp]] as const) {
    const diff = differences('shipped', 'pod-review.json', want, evaluatorDecision(ev.evaluate(ENTRYPOINTS, bytes, {})));
    if (diff.length > 0) throw new Error(`bench: ${name} disagrees with the library floor:\n${describeMismatches(diff)}`);
  }

  const floorParsed = medianMicros(() => void libraryDecision(review, data), iterations);
  const floorText = medianMicros(() => void libraryDecision(JSON.parse(reviewText), data), iterations);
  const floorTextOut = medianMicros(() => void JSON.stringify(libraryDecision(JSON.parse(reviewText), data)), iterations);
  // What a worker does (JSON text in, the module's JSON text out), and that plus the parse the
  // HTTP thread makes of it (the decision's values out).
  const wasmText = medianMicros(() => void wasm.evaluateRaw(ENTRYPOINTS, bytes, {}), iterations);
  const wasmValues = medianMicros(() => void resultSets(wasm.evaluateRaw(ENTRYPOINTS, bytes, {}), ENTRYPOINTS.length), iterations);
  const interpText = medianMicros(() => void interp.evaluateRaw(ENTRYPOINTS, bytes, {}), iterations);

  const row = (label: string, us: number, floor: number): string =>
    `  ${label.padEnd(52)} ${us.toFixed(1).padStart(9)} µs   ${(us / floor).toFixed(2).padStart(6)}× floor`;
  console.log(
    `scenario 2b: the shipped library (policies/: kubernetes.admission's deny, warn, patch, audit_annotations in one evaluation) ` +
      `over the Pod AdmissionReview with the shipped config: ${want.deny.length} denials, ${want.warn.length} warnings, ${want.patch.length} patch ops; ` +
      `median of ${iterations}. The floor agreed with the engine on ${decisions} decisions first; the engines take and give JSON text.`,
  );
  console.log(row('floor: hand-written TypeScript, parsed input', floorParsed, floorParsed));
  console.log(row('floor: hand-written TypeScript, JSON text in', floorText, floorText));
  console.log(row('floor: hand-written TypeScript, JSON text in and out', floorTextOut, floorText));
  console.log(row('wasm (Evaluator), JSON text in and out', wasmText, floorText));
  console.log(row('wasm (Evaluator), JSON text in, values out', wasmValues, floorText));
  console.log(row('IR interpreter (Evaluator), JSON text in and out', interpText, floorText));
}
