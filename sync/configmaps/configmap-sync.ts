// Keeps the service in step with the labelled ConfigMaps of the watched namespaces, for one
// loader (policies or data): changes are applied one at a time, in order; each load's outcome
// is written back as the `openpolicyagent.org/kube-mgmt-status` annotation. Modules that import
// each other across ConfigMaps converge: whenever one loads, the failed ones are tried again.
import type { Logger } from 'pino';
import type { KubeClient } from '../kube/client';
import type { ReflectorHandlers } from '../kube/reflector';
import { collectionPath, STATUS_ANNOTATION } from '../options';
import type { ConfigMap, ConfigMapLoader, LoadResult } from './loaders';

interface Loaded {
  cm: ConfigMap;
  /** The ConfigMap's data as loaded: an event with the same data (our own status patch) is a no-op. */
  fingerprint: string;
  ok: boolean;
}

const keyOf = (cm: ConfigMap): string => `${cm.metadata.namespace}/${cm.metadata.name}`;
const fingerprint = (cm: ConfigMap): string => JSON.stringify(cm.data ?? {});

export class ConfigMapSync {
  private readonly loaded = new Map<string, Loaded>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly loader: ConfigMapLoader,
    private readonly kube: KubeClient,
    private readonly log: Logger,
  ) {}

  /** Reflector handlers for one watched namespace (undefined: all namespaces). */
  handlers(namespace?: string): ReflectorHandlers {
    return {
      replace: (items) => this.enqueue(() => this.replaceAll(namespace, items as ConfigMap[])),
      event: (type, obj) => void this.enqueue(() => (type === 'DELETED' ? this.remove(obj as ConfigMap) : this.apply(obj as ConfigMap))),
    };
  }

  /** Loads every ConfigMap again (the service restarted). */
  resync(): Promise<void> {
    return this.enqueue(async () => {
      const all = [...this.loaded.values()].map((l) => l.cm);
      this.loaded.clear();
      for (const cm of all) await this.apply(cm);
    });
  }

  /** Resolves when every change queued so far has been applied. */
  idle(): Promise<void> {
    return this.enqueue(async () => undefined);
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work).catch((e: unknown) => this.log.error({ err: (e as Error).message, kind: this.loader.kind }, 'ConfigMap sync step failed'));
    this.queue = next;
    return next;
  }

  private async replaceAll(namespace: string | undefined, items: ConfigMap[]): Promise<void> {
    const present = new Set(items.map(keyOf));
    for (const [key, l] of [...this.loaded]) {
      if ((namespace === undefined || l.cm.metadata.namespace === namespace) && !present.has(key)) await this.remove(l.cm);
    }
    for (const cm of items) await this.apply(cm);
  }

  private async apply(cm: ConfigMap): Promise<void> {
    const key = keyOf(cm);
    const previous = this.loaded.get(key);
    if (previous && previous.fingerprint === fingerprint(cm)) {
      previous.cm = cm;
      return;
    }
    const result = await this.loader.load(cm, previous?.cm);
    this.loaded.set(key, { cm, fingerprint: fingerprint(cm), ok: result.ok });
    this.log.info({ kind: this.loader.kind, configmap: key, ok: result.ok }, result.ok ? 'loaded' : 'load failed');
    await this.setStatus(cm, result);
    if (result.ok) await this.retryFailed();
  }

  /** Tries the failed ConfigMaps again while any of them succeeds. */
  private async retryFailed(): Promise<void> {
    for (let progress = true; progress; ) {
      progress = false;
      for (const [key, l] of this.loaded) {
        if (l.ok) continue;
        const result = await this.loader.load(l.cm);
        if (!result.ok) continue;
        l.ok = true;
        progress = true;
        this.log.info({ kind: this.loader.kind, configmap: key }, 'loaded on retry');
        await this.setStatus(l.cm, result);
      }
    }
  }

  private async remove(cm: ConfigMap): Promise<void> {
    const key = keyOf(cm);
    const previous = this.loaded.get(key);
    this.loaded.delete(key);
    if (!previous) return;
    try {
      await this.loader.unload(previous.cm);
      this.log.info({ kind: this.loader.kind, configmap: key }, 'unloaded');
    } catch (e) {
      this.log.warn({ kind: this.loader.kind, configmap: key, err: (e as Error).message }, 'unload failed');
    }
  }

  private async setStatus(cm: ConfigMap, result: LoadResult): Promise<void> {
    const text = JSON.stringify(result.ok ? { status: 'ok' } : { status: 'error', error: result.error });
    if (cm.metadata.annotations?.[STATUS_ANNOTATION] === text) return;
    const path = `${collectionPath({ group: '', version: 'v1', resource: 'configmaps' }, cm.metadata.namespace)}/${encodeURIComponent(cm.metadata.name)}`;
    try {
      await this.kube.mergePatch(path, { metadata: { annotations: { [STATUS_ANNOTATION]: text } } });
    } catch (e) {
      this.log.warn({ configmap: keyOf(cm), err: (e as Error).message }, 'could not set the status annotation');
    }
  }
}
