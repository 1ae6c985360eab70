// deploy/ and docker-compose.yml: they parse, and their ports, paths, labels, flags and RBAC
// agree with each other and with what the commands accept (flags go through the real parsers).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { Command } from 'commander';
import { syncCommand, syncOptions } from '../../server/cli/sync';
import { runCommand, parseAddr } from '../../server/cli/run';

const ROOT = path.resolve(__dirname, '..', '..');
const DEPLOY = path.join(ROOT, 'deploy');

type Doc = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [k: string]: any }; // `any`: manifests are free-form YAML, checked field by field below

const docs: Doc[] = fs
  .readdirSync(DEPLOY)
  .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
  .flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(DEPLOY, f), 'utf8')) as Doc[]);
const find = (kind: string, name?: string): Doc => {
  const d = docs.find((x) => x.kind === kind && (name === undefined || x.metadata.name === name));
  if (!d) throw new Error(`no ${kind} ${name ?? ''} in deploy/`);
  return d;
};

/** Parses a command's arguments with the real commander definition, returning its flags. */
function flagsOf(make: () => Command, args: string[]): Record<string, unknown> {
  const cmd = make();
  let flags: Record<string, unknown> = {};
  let positional: string[] = [];
  cmd.action((...a: unknown[]) => {
    const opts = a.find((x) => x && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Command)) as Record<string, unknown>;
    flags = opts;
    positional = a.filter(Array.isArray).flat() as string[];
  });
  cmd.exitOverride();
  new Command().exitOverride().addCommand(cmd).parse(['node', 'regent', ...args]);
  return { ...flags, _: positional };
}

const deployment = find('Deployment', 'regent');
const containers: Doc[] = deployment.spec.template.spec.containers;
const service = containers.find((c) => c.args[0] === 'run')!;
const sidecar = containers.find((c) => c.args[0] === 'sync')!;

test('kustomization lists every manifest', () => {
  const k = yaml.load(fs.readFileSync(path.join(DEPLOY, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
  expect([...k.resources].sort()).toEqual(fs.readdirSync(DEPLOY).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort());
});

test('the Deployment runs the service and the sidecar with flags the commands accept', () => {
  const run = flagsOf(runCommand, service.args);
  expect(run.requireSync).toBe(true);
  expect(run._).toEqual(['policies/']);
  const port = parseAddr(String(run.addr)).port;
  expect(service.ports.map((p: { containerPort: number }) => p.containerPort)).toContain(port);
  expect(service.readinessProbe.httpGet).toMatchObject({ path: '/health', port, scheme: 'HTTPS' });

  const sync = syncOptions(flagsOf(syncCommand, sidecar.args) as unknown as Parameters<typeof syncOptions>[0]);
  const opa = new URL(sync.opaUrl);
  expect(Number(opa.port)).toBe(port);
  expect(opa.pathname).toBe('/v1');
  expect(sync.policyLabel).toBe('openpolicyagent.org/policy');
  expect(sync.namespaces).toEqual([deployment.metadata.namespace]);
  expect(sidecar.readinessProbe.httpGet).toMatchObject({ path: '/health', port: parseAddr(sync.healthEndpoint!).port });
  expect(deployment.spec.template.spec.serviceAccountName).toBe(find('ServiceAccount').metadata.name);
});

test('the sidecar may read every resource it replicates and annotate ConfigMaps', () => {
  const sync = syncOptions(flagsOf(syncCommand, sidecar.args) as unknown as Parameters<typeof syncOptions>[0]);
  const rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] = find('ClusterRole', 'regent-sync').rules;
  const allowed = (group: string, resource: string, verb: string): boolean => rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));
  for (const spec of sync.replicate) for (const verb of ['list', 'watch']) expect([spec.group, spec.resource, verb, allowed(spec.group, spec.resource, verb)]).toEqual([spec.group, spec.resource, verb, true]);
  for (const verb of ['list', 'watch', 'patch']) expect(allowed('', 'configmaps', verb)).toBe(true);
  const binding = find('ClusterRoleBinding', 'regent-sync');
  expect(binding.subjects[0]).toMatchObject({ kind: 'ServiceAccount', name: 'regent', namespace: 'opa' });
});

test('the Service selects the Pods and forwards to the service\'s port', () => {
  const svc = find('Service', 'regent');
  expect(deployment.spec.selector.matchLabels).toEqual(svc.spec.selector);
  expect(deployment.spec.template.metadata.labels).toMatchObject(svc.spec.selector);
  const port = parseAddr(String(flagsOf(runCommand, service.args).addr)).port;
  expect(svc.spec.ports[0].targetPort).toBe(port);
});

// Mutation has its own endpoint: mutating webhooks run first, and /v1/admit's deny rules would
// reject a Pod before its defaulting patch applied.
test('the webhooks call that Service (validating: POST /v1/admit, mutating: POST /v1/mutate) with admission.k8s.io/v1 reviews', () => {
  const svc = find('Service', 'regent');
  for (const [kind, endpoint] of [['ValidatingWebhookConfiguration', '/v1/admit'], ['MutatingWebhookConfiguration', '/v1/mutate']]) {
    for (const hook of find(kind).webhooks) {
      expect(hook.clientConfig.service).toEqual({ name: svc.metadata.name, namespace: svc.metadata.namespace, port: svc.spec.ports[0].port, path: endpoint });
      expect(hook.admissionReviewVersions).toEqual(['v1']);
      expect(hook.sideEffects).toBe('None');
      // Regent's own namespace is excluded, so a broken rollout cannot lock itself out.
      expect(hook.namespaceSelector.matchExpressions).toContainEqual({ key: 'openpolicyagent.org/webhook', operator: 'NotIn', values: ['ignore'] });
    }
  }
  expect(find('Namespace', 'opa').metadata.labels).toEqual({ 'openpolicyagent.org/webhook': 'ignore' });
  const pods = find('MutatingWebhookConfiguration').webhooks[0].rules[0];
  expect(pods).toMatchObject({ apiGroups: [''], resources: ['pods'] });
});

test('docker-compose runs the service and a sidecar pointed at it', () => {
  const compose = yaml.load(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { command: string[]; ports?: string[]; volumes?: string[] }> };
  const run = flagsOf(runCommand, compose.services.regent.command);
  const port = parseAddr(String(run.addr)).port;
  expect(compose.services.regent.ports).toEqual([`${port}:${port}`]);
  const sync = syncOptions(flagsOf(syncCommand, compose.services.sync.command) as unknown as Parameters<typeof syncOptions>[0]);
  expect(new URL(sync.opaUrl)).toMatchObject({ hostname: 'regent', port: String(port), pathname: '/v1' });
  expect(compose.services.sync.volumes?.[0]).toMatch(/:\/kube\/config:ro$/);
  expect(sync.kubeconfig).toBe('/kube/config');
});
