// `regent sync` flags: kube-mgmt's defaults, resource specs and the mutually exclusive pairs.
import { Command } from 'commander';
import { syncCommand, syncOptions } from '../../server/cli/sync';
import { collectionPath, parseResourceSpec } from '../../sync/options';

function parse(args: string[]) {
  const cmd = syncCommand();
  let flags: unknown;
  cmd.action((f: unknown) => void (flags = f));
  new Command().addCommand(cmd).parse(['node', 'regent', 'sync', ...args]);
  return syncOptions(flags as Parameters<typeof syncOptions>[0]);
}

test('defaults follow kube-mgmt', () => {
  const o = parse([]);
  expect(o).toMatchObject({
    opaUrl: 'http://localhost:8181/v1',
    namespaces: ['opa'],
    enablePolicies: true,
    enableData: true,
    policyLabel: 'openpolicyagent.org/policy',
    policyValue: 'rego',
    dataLabel: 'openpolicyagent.org/data',
    dataValue: 'opa',
    replicate: [],
    replicatePath: 'kubernetes',
    logLevel: 'info',
  });
});

test('repeatable and comma-separated lists; namespaced and cluster resources', () => {
  const o = parse(['--namespaces', 'a,b', '--namespaces', 'c', '--replicate', 'v1/pods,networking.k8s.io/v1/ingresses', '--replicate-cluster', 'v1/namespaces', '--enable-data', 'false']);
  expect(o.namespaces).toEqual(['a', 'b', 'c']);
  expect(o.enableData).toBe(false);
  expect(o.replicate).toEqual([
    { group: '', version: 'v1', resource: 'pods', namespaced: true },
    { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', namespaced: true },
    { group: '', version: 'v1', resource: 'namespaces', namespaced: false },
  ]);
});

test('bad values are usage errors', () => {
  expect(() => parseResourceSpec('pods', true)).toThrow('expected [group/]version/resource');
  expect(() => parse(['--opa-auth-token', 't', '--opa-auth-token-file', '/dev/null'])).toThrow('cannot be used together');
  expect(() => parse(['--opa-allow-insecure', '--opa-ca-file', '/dev/null'])).toThrow('cannot be used together');
});

test('collection paths for core, grouped and namespaced resources', () => {
  expect(collectionPath({ group: '', version: 'v1', resource: 'pods' })).toBe('/api/v1/pods');
  expect(collectionPath({ group: 'example.com', version: 'v1', resource: 'widgets' }, 'team a')).toBe('/apis/example.com/v1/namespaces/team%20a/widgets');
});
