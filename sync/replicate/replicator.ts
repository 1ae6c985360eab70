// Replication of one resource into the service's data: `<replicate-path>/<resource>/<ns>/<name>`
// (cluster scope: `<replicate-path>/<resource>/<name>`). The replicator keeps the cluster's
// current objects; the first list (and every full resync, after the service restarted) writes
// them as one document, or in namespace- and object-sized pieces when that would be too big for
// one request; a relist writes only the difference, deleting what vanished; watch events become
// per-object writes through the coalescing writer.
import type { Logger } from 'pino';
import type { KubeObject } from '../kube/client';
import type { DataWriter } from '../opa/writer';
import type { ResourceSpec } from '../options';

export interface ReplicatorOptions {
  spec: ResourceSpec;
  /** `kubernetes` or `kubernetes/cluster`: where replicated resources go under data. */
  basePath: string[];
  ignoreNamespaces: Set<string>;
  maxWriteBytes: number;
}

export class Replicator {
  /** key → [object, its JSON], the cluster's state as last listed or watched. */
  private readonly objects = new Map<string, { obj: KubeObject; json: string }>();
  /** Objects per namespace, to know when a namespace's document empties. */
  private readonly perNamespace = new Map<string, number>();
  private loaded = false;

  constructor(
    private readonly opts: ReplicatorOptions,
    private readonly writer: DataWriter,
    private readonly log: Logger,
  ) {}

  get root(): string[] {
    return [...this.opts.basePath, this.opts.spec.resource];
  }

  get size(): number {
    return this.objects.size;
  }

  /** The whole state from a list: a full load the first time, the difference afterwards. */
  async replace(items: KubeObject[]): Promise<void> {
    this.log.debug({ resource: this.opts.spec.resource, objects: items.length }, 'listed');
    const fresh = new Map<string, { obj: KubeObject; json: string }>();
    for (const obj of items) if (this.wanted(obj)) fresh.set(this.key(obj), { obj, json: JSON.stringify(obj) });
    if (!this.loaded) {
      for (const [k, v] of fresh) this.remember(k, v);
      this.fullLoad();
      this.loaded = true;
    } else {
      let changed = 0;
      for (const [k, v] of this.objects) {
        if (!fresh.has(k)) {
          this.remove(v.obj);
          changed++;
        }
      }
      for (const [k, v] of fresh) {
        if (this.objects.get(k)?.json !== v.json) {
          this.remember(k, v);
          this.writer.put(this.pathOf(v.obj), v.obj);
          changed++;
        }
      }
      this.log.info({ resource: this.opts.spec.resource, objects: fresh.size, changed }, 'relisted and reconciled');
    }
    const failed = await this.writer.flush();
    if (failed > 0) {
      // The service does not hold what the cache says: load everything again at the relist.
      this.loaded = false;
      throw new Error(`${failed} of the writes to the service failed`);
    }
  }

  event(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject): void {
    if (!this.wanted(obj)) return;
    if (type === 'DELETED') {
      if (this.objects.has(this.key(obj))) this.remove(obj);
      return;
    }
    this.remember(this.key(obj), { obj, json: JSON.stringify(obj) });
    this.writer.put(this.pathOf(obj), obj);
  }

  /** Writes everything again (the service restarted and lost its data). */
  resync(): void {
    if (this.loaded) this.fullLoad();
  }

  private remember(key: string, entry: { obj: KubeObject; json: string }): void {
    if (!this.objects.has(key)) this.count(entry.obj.metadata.namespace, +1);
    this.objects.set(key, entry);
  }

  private remove(obj: KubeObject): void {
    this.objects.delete(this.key(obj));
    const ns = obj.metadata.namespace;
    // The last object of a namespace takes the namespace's document with it, so that the data
    // holds exactly the cluster's objects.
    if (this.count(ns, -1) === 0 && this.opts.spec.namespaced && ns !== undefined) this.writer.delete([...this.root, ns]);
    else this.writer.delete(this.pathOf(obj));
  }

  private count(ns: string | undefined, delta: number): number {
    const key = ns ?? '';
    const n = (this.perNamespace.get(key) ?? 0) + delta;
    if (n > 0) this.perNamespace.set(key, n);
    else this.perNamespace.delete(key);
    return n;
  }

  private fullLoad(): void {
    const doc: Record<string, unknown> = {};
    let bytes = 2;
    for (const { obj, json } of this.objects.values()) {
      bytes += json.length + obj.metadata.name.length + 8;
      if (this.opts.spec.namespaced) ((doc[obj.metadata.namespace ?? ''] ??= {}) as Record<string, unknown>)[obj.metadata.name] = obj;
      else doc[obj.metadata.name] = obj;
    }
    if (bytes <= this.opts.maxWriteBytes) {
      this.writer.put(this.root, doc);
      return;
    }
    // Too big for one request: an empty document first, then namespaces that fit, then the
    // objects of those that do not (the writer orders children after their parent).
    this.writer.put(this.root, {});
    if (!this.opts.spec.namespaced) {
      for (const { obj } of this.objects.values()) this.writer.put(this.pathOf(obj), obj);
      return;
    }
    const sizes = new Map<string, number>();
    for (const { obj, json } of this.objects.values()) {
      const ns = obj.metadata.namespace ?? '';
      sizes.set(ns, (sizes.get(ns) ?? 0) + json.length + obj.metadata.name.length + 8);
    }
    for (const [ns, members] of Object.entries(doc)) {
      if ((sizes.get(ns) ?? 0) <= this.opts.maxWriteBytes) this.writer.put([...this.root, ns], members);
      else for (const [name, obj] of Object.entries(members as Record<string, unknown>)) this.writer.put([...this.root, ns, name], obj);
    }
  }

  private wanted(obj: KubeObject): boolean {
    const ns = obj.metadata?.namespace;
    return !(ns !== undefined && this.opts.ignoreNamespaces.has(ns));
  }

  private key(obj: KubeObject): string {
    return this.opts.spec.namespaced ? `${obj.metadata.namespace ?? ''}/${obj.metadata.name}` : obj.metadata.name;
  }

  private pathOf(obj: KubeObject): string[] {
    return this.opts.spec.namespaced ? [...this.root, obj.metadata.namespace ?? '', obj.metadata.name] : [...this.root, obj.metadata.name];
  }
}
