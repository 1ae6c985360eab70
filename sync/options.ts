// The sidecar's settings, named after kube-mgmt's flags (see the design, §3 Sync).

/** `[group/]version/resource`, as `--replicate` takes it: `v1/pods`, `networking.k8s.io/v1/ingresses`. */
export interface ResourceSpec {
  group: string;
  version: string;
  resource: string;
  namespaced: boolean;
}

export interface SyncOptions {
  kubeconfig?: string;
  /** The service's API base, e.g. `http://localhost:8181/v1`. */
  opaUrl: string;
  opaAuthToken?: string;
  opaCaFile?: string;
  opaAllowInsecure: boolean;
  /** Namespaces whose ConfigMaps are loaded; `['*']` for all. */
  namespaces: string[];
  enablePolicies: boolean;
  enableData: boolean;
  policyLabel: string;
  policyValue: string;
  dataLabel: string;
  dataValue: string;
  replicate: ResourceSpec[];
  replicatePath: string;
  replicateIgnoreNamespaces: string[];
  /** `[host]:port` of the sidecar's own `/health` (ready after the first full sync), if any. */
  healthEndpoint?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** How often the service is checked for a restart (its session marker gone). */
  pollIntervalMs: number;
  /** Largest body of one data write; a bigger initial load is split by namespace and object. */
  maxWriteBytes: number;
}

export const STATUS_ANNOTATION = 'openpolicyagent.org/kube-mgmt-status';

export function parseResourceSpec(text: string, namespaced: boolean): ResourceSpec {
  const parts = text.split('/');
  if (parts.length === 2 && parts.every(Boolean)) return { group: '', version: parts[0], resource: parts[1], namespaced };
  if (parts.length === 3 && parts.every(Boolean)) return { group: parts[0], version: parts[1], resource: parts[2], namespaced };
  throw new Error(`invalid resource ${JSON.stringify(text)}: expected [group/]version/resource, e.g. v1/pods or networking.k8s.io/v1/ingresses`);
}

export function specName(spec: ResourceSpec): string {
  return [spec.group, spec.version, spec.resource].filter(Boolean).join('/');
}

/** The API path of a resource's collection, across namespaces or in one. */
export function collectionPath(spec: Pick<ResourceSpec, 'group' | 'version' | 'resource'>, namespace?: string): string {
  const base = spec.group ? `/apis/${spec.group}/${spec.version}` : `/api/${spec.version}`;
  return namespace === undefined ? `${base}/${spec.resource}` : `${base}/namespaces/${encodeURIComponent(namespace)}/${spec.resource}`;
}

/** `label=value` selector text; the label alone when the value is empty. */
export function labelSelector(label: string, value: string): string {
  return value ? `${label}=${value}` : label;
}
