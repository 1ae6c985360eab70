// The object store behind the Kubernetes API test server: objects per resource, one
// cluster-wide resourceVersion counter, and an event log that watches replay from. `compact()`
// forgets the log, so a watch from an older resourceVersion gets 410 Gone, as after etcd
// compaction on a real API server.
import { randomUUID } from 'node:crypto';

export interface ResourceType {
  group: string;
  version: string;
  /** Plural, lower case: `pods`. */
  resource: string;
  kind: string;
  namespaced: boolean;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; uid?: string; labels?: Record<string, string>; annotations?: Record<string, string>; creationTimestamp?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  rv: number;
  resource: string;
  type: EventType;
  object: KubeObject;
  /** For MODIFIED: the object before, so that selector watches see objects enter and leave. */
  previous?: KubeObject;
}

export class ConflictError extends Error {}
export class NotFoundError extends Error {}

const key = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;

export class ObjectStore {
  private rv = 1;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private log: StoredEvent[] = [];
  /** Watches from a resourceVersion below this one have lost events: 410 Gone. */
  private horizon = 0;
  private readonly listeners = new Set<(e: StoredEvent) => void>();

  constructor(readonly types: ResourceType[]) {
    for (const t of types) this.objects.set(t.resource, new Map());
  }

  type(group: string, version: string, resource: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.version === version && t.resource === resource);
  }

  get resourceVersion(): number {
    return this.rv;
  }

  get oldestWatchable(): number {
    return this.horizon;
  }

  list(t: ResourceType, namespace?: string): KubeObject[] {
    const all = [...this.bucket(t).values()];
    const items = namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
    const keyed = items.map((o) => [key(o.metadata.namespace, o.metadata.name), o] as const);
    return keyed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o);
  }

  get(t: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.bucket(t).get(key(namespace, name));
  }

  create(t: ResourceType, obj: KubeObject): KubeObject {
    const k = key(obj.metadata.namespace, obj.metadata.name);
    if (this.bucket(t).has(k)) throw new ConflictError(`${t.resource} "${obj.metadata.name}" already exists`);
    const stored = this.stamp(t, obj);
    stored.metadata.uid = randomUUID();
    stored.metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    this.bucket(t).set(k, stored);
    this.record(t, 'ADDED', stored);
    return stored;
  }

  /** Replaces an object; a stale `metadata.resourceVersion` in the update is a conflict. */
  update(t: ResourceType, obj: KubeObject): KubeObject {
    const k = key(obj.metadata.namespace, obj.metadata.name);
    const old = this.bucket(t).get(k);
    if (!old) throw new NotFoundError(`${t.resource} "${obj.metadata.name}" not found`);
    const given = obj.metadata.resourceVersion;
    if (given !== undefined && given !== old.metadata.resourceVersion) {
      throw new ConflictError(`Operation cannot be fulfilled on ${t.resource} "${obj.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
    const stored = this.stamp(t, obj);
    stored.metadata.uid = old.metadata.uid;
    stored.metadata.creationTimestamp = old.metadata.creationTimestamp;
    this.bucket(t).set(k, stored);
    this.record(t, 'MODIFIED', stored, Number(stored.metadata.resourceVersion), old);
    return stored;
  }

  /** Creates or replaces (the test's own writes, without conflict checks). */
  apply(t: ResourceType, obj: KubeObject): KubeObject {
    const existing = this.get(t, obj.metadata.namespace, obj.metadata.name);
    if (!existing) return this.create(t, obj);
    return this.update(t, { ...obj, metadata: { ...obj.metadata, resourceVersion: undefined } });
  }

  delete(t: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const k = key(namespace, name);
    const old = this.bucket(t).get(k);
    if (!old) throw new NotFoundError(`${t.resource} "${name}" not found`);
    this.bucket(t).delete(k);
    // The DELETED event carries the object at its deletion's resourceVersion.
    const gone = { ...old, metadata: { ...old.metadata, resourceVersion: String(++this.rv) } };
    this.record(t, 'DELETED', gone, this.rv);
    return gone;
  }

  /** Events of one resource after `rv`, or undefined when the log no longer reaches back that far. */
  eventsSince(t: ResourceType, rv: number): StoredEvent[] | undefined {
    if (rv < this.horizon) return undefined;
    return this.log.filter((e) => e.rv > rv && e.resource === t.resource);
  }

  /** Forgets the event log (etcd compaction): older watches must relist. */
  compact(): void {
    this.log = [];
    this.horizon = this.rv;
  }

  subscribe(fn: (e: StoredEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private bucket(t: ResourceType): Map<string, KubeObject> {
    const b = this.objects.get(t.resource);
    if (!b) throw new NotFoundError(`the server could not find the requested resource ${t.resource}`);
    return b;
  }

  private stamp(t: ResourceType, obj: KubeObject): KubeObject {
    const copy = structuredClone(obj);
    copy.apiVersion = t.group ? `${t.group}/${t.version}` : t.version;
    copy.kind = t.kind;
    if (!t.namespaced) delete copy.metadata.namespace;
    copy.metadata.resourceVersion = String(++this.rv);
    return copy;
  }

  private record(t: ResourceType, type: EventType, object: KubeObject, rv = Number(object.metadata.resourceVersion), previous?: KubeObject): void {
    const e: StoredEvent = { rv, resource: t.resource, type, object, previous };
    this.log.push(e);
    for (const fn of this.listeners) fn(e);
  }
}
