// `regent sync [kube-mgmt flags]`: the Kubernetes sidecar (sync/). Flags, defaults and their
// checks follow kube-mgmt's, so an existing kube-mgmt container spec works with this command.
import * as fs from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { SyncHandle } from '../../sync/main';
import { parseResourceSpec, type ResourceSpec, type SyncOptions } from '../../sync/options';
import { parseDurationMs } from './options';

/** What commander hands over: the options' own fields, plus the flags that become them. */
type SyncFlags = Omit<SyncOptions, 'opaAllowInsecure' | 'pollIntervalMs' | 'maxWriteBytes'> & {
  opaAuthTokenFile?: string;
  opaAllowInsecure?: boolean;
  replicateCluster: ResourceSpec[];
  pollInterval: number;
  maxWriteBytes: string;
};

/** kube-mgmt's string slices: repeatable, and each value may be a comma list. */
const list = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];

const resources =
  (namespaced: boolean) =>
  (value: string, previous: ResourceSpec[] = []): ResourceSpec[] => {
    try {
      return [...previous, ...value.split(',').filter(Boolean).map((v) => parseResourceSpec(v.trim(), namespaced))];
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };

const bool = (value: string): boolean => {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InvalidArgumentError(`expected true or false, got ${value}`);
};

export function syncOptions(flags: SyncFlags): SyncOptions {
  if (flags.opaAuthToken && flags.opaAuthTokenFile) throw new Error('--opa-auth-token and --opa-auth-token-file cannot be used together');
  if (flags.opaAllowInsecure && flags.opaCaFile) throw new Error('--opa-allow-insecure and --opa-ca-file cannot be used together');
  const token = flags.opaAuthTokenFile ? fs.readFileSync(flags.opaAuthTokenFile, 'utf8').split('\n')[0] : flags.opaAuthToken;
  return {
    kubeconfig: flags.kubeconfig,
    opaUrl: flags.opaUrl,
    opaAuthToken: token || undefined,
    opaCaFile: flags.opaCaFile,
    opaAllowInsecure: flags.opaAllowInsecure ?? false,
    namespaces: flags.namespaces.length > 0 ? flags.namespaces : ['opa'],
    enablePolicies: flags.enablePolicies,
    enableData: flags.enableData,
    policyLabel: flags.policyLabel,
    policyValue: flags.policyValue,
    dataLabel: flags.dataLabel,
    dataValue: flags.dataValue,
    replicate: [...flags.replicate, ...flags.replicateCluster],
    replicatePath: flags.replicatePath,
    replicateIgnoreNamespaces: flags.replicateIgnoreNamespaces,
    healthEndpoint: flags.healthEndpoint,
    logLevel: flags.logLevel,
    pollIntervalMs: flags.pollInterval,
    maxWriteBytes: Number(flags.maxWriteBytes),
  };
}

export function syncCommand(): Command {
  return new Command('sync')
    .description('keep a Regent (or OPA) service in step with a Kubernetes cluster, as kube-mgmt does')
    .option('--kubeconfig <file>', 'kubeconfig to use (default: in-cluster, else $KUBECONFIG or ~/.kube/config)')
    .option('--opa-url <url>', 'the service\'s API base', 'http://localhost:8181/v1')
    .option('--opa-auth-token <token>', 'Bearer token for the service')
    .option('--opa-auth-token-file <file>', 'file whose first line is the token')
    .option('--opa-ca-file <file>', 'CA certificate (PEM) of the service\'s HTTPS')
    .option('--opa-allow-insecure', 'skip verifying the service\'s certificate')
    .addOption(new Option('--namespaces <list>', 'namespaces to load policy and data ConfigMaps from; * for all').argParser(list).default([], 'opa'))
    .option('--enable-policies <bool>', 'load policies from labelled ConfigMaps', bool, true)
    .option('--enable-data <bool>', 'load data from labelled ConfigMaps', bool, true)
    .option('--policy-label <label>', 'label of policy ConfigMaps', 'openpolicyagent.org/policy')
    .option('--policy-value <value>', 'its value', 'rego')
    .option('--data-label <label>', 'label of data ConfigMaps', 'openpolicyagent.org/data')
    .option('--data-value <value>', 'its value', 'opa')
    .addOption(new Option('--replicate <[group/]version/resource>', 'replicate a namespaced resource (repeatable)').argParser(resources(true)).default([], 'none'))
    .addOption(new Option('--replicate-cluster <[group/]version/resource>', 'replicate a cluster-scoped resource (repeatable)').argParser(resources(false)).default([], 'none'))
    .option('--replicate-path <path>', 'where replicated resources go under data', 'kubernetes')
    .addOption(new Option('--replicate-ignore-namespaces <list>', 'namespaces left out of replication').argParser(list).default([], 'none'))
    .option('--health-endpoint <addr>', 'serve GET /health on [host]:port: 200 once the first full sync is done')
    .addOption(new Option('--log-level <level>', 'log level').choices(['debug', 'info', 'warn', 'error']).default('info'))
    .addOption(new Option('--poll-interval <duration>', 'how often to check that the service still holds the synced state').argParser(parseDurationMs).default(1000, '1s'))
    .option('--max-write-bytes <n>', 'largest data write; bigger initial loads are split', String(4 * 1024 * 1024))
    .action(async (flags: SyncFlags) => {
      let handle: SyncHandle;
      try {
        // Loaded here: the Kubernetes client is large, and no other command needs it.
        const { startSync } = await import('../../sync/main.js');
        handle = await startSync(syncOptions(flags));
      } catch (e) {
        process.stderr.write(`regent sync: ${(e as Error).message}\n`);
        process.exit(1);
      }
      const stop = (): void => void handle.stop().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
