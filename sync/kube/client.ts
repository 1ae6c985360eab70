// The sidecar's Kubernetes client: @kubernetes/client-node loads the configuration (kubeconfig
// file, in-cluster service account, $KUBECONFIG) and its authentication, and streams watches;
// list and patch are plain JSON requests on the same credentials, which is all a generic
// `[group/]version/resource` (CRDs included) needs.
import * as http from 'node:http';
import * as https from 'node:https';
import { KubeConfig, Watch } from '@kubernetes/client-node';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

export interface ObjectList {
  items: KubeObject[];
  resourceVersion: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** An API error: `status` is the HTTP status (or the watch ERROR event's code). */
export class KubeError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const PAGE_SIZE = 500;

export function loadKubeConfig(file?: string): KubeConfig {
  const kc = new KubeConfig();
  if (file) kc.loadFromFile(file);
  else if (process.env.KUBERNETES_SERVICE_HOST && !process.env.KUBECONFIG) kc.loadFromCluster();
  else kc.loadFromDefault();
  if (!kc.getCurrentCluster()) throw new Error('no Kubernetes cluster in the configuration (give --kubeconfig, set $KUBECONFIG, or run in a cluster)');
  return kc;
}

export class KubeClient {
  private readonly watcher: Watch;

  constructor(private readonly kc: KubeConfig) {
    this.watcher = new Watch(kc);
  }

  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? '';
  }

  async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const url = new URL(this.server.replace(/\/$/, '') + path);
    const opts: https.RequestOptions = { method, headers: { accept: 'application/json' } };
    await this.kc.applyToHTTPSOptions(opts);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    if (payload) opts.headers = { ...opts.headers, 'content-type': contentType, 'content-length': payload.length };
    const send = url.protocol === 'http:' ? http.request : https.request;
    return new Promise<T>((resolve, reject) => {
      const req = send(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            try {
              resolve(JSON.parse(text) as T);
            } catch {
              reject(new KubeError(status, `${method} ${path}: the answer is not JSON`));
            }
            return;
          }
          let message = text.trim() || res.statusMessage || 'request failed';
          try {
            message = (JSON.parse(text) as { message?: string }).message ?? message;
          } catch {
            // not a Status object: keep the text
          }
          reject(new KubeError(status, `${method} ${path}: ${status} ${message}`));
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Every object of a collection, page by page, with the list's resourceVersion. */
  async list(path: string, selector?: string): Promise<ObjectList> {
    const items: KubeObject[] = [];
    let cont: string | undefined;
    let resourceVersion = '';
    do {
      const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (selector) q.set('labelSelector', selector);
      if (cont) q.set('continue', cont);
      const page = await this.request<{ kind?: string; apiVersion?: string; items?: KubeObject[]; metadata?: { resourceVersion?: string; continue?: string } }>('GET', `${path}?${q}`);
      // The API server leaves kind and apiVersion off list items; policies expect them (as
      // client-go's unstructured lists fill them in, and watch events carry them).
      const kind = page.kind?.replace(/List$/, '');
      for (const item of page.items ?? []) items.push({ ...(kind ? { kind } : {}), ...(page.apiVersion ? { apiVersion: page.apiVersion } : {}), ...item });
      resourceVersion ||= page.metadata?.resourceVersion ?? '';
      cont = page.metadata?.continue || undefined;
    } while (cont);
    return { items, resourceVersion };
  }

  /**
   * Streams a collection's changes after `resourceVersion`. `done` is called once, with null
   * when the server ended the stream and with the error when it failed. The result stops it.
   */
  async watch(
    path: string,
    params: { resourceVersion: string; selector?: string; timeoutSeconds: number },
    onEvent: (type: WatchEventType, obj: KubeObject) => void,
    done: (err: Error | null) => void,
  ): Promise<() => void> {
    const controller = await this.watcher.watch(
      path,
      { resourceVersion: params.resourceVersion, labelSelector: params.selector, allowWatchBookmarks: true, timeoutSeconds: params.timeoutSeconds },
      (type: string, obj: KubeObject) => onEvent(type as WatchEventType, obj),
      (err: unknown) => done(err ? toError(err) : null),
    );
    return () => controller.abort();
  }

  mergePatch(path: string, patch: unknown): Promise<KubeObject> {
    return this.request<KubeObject>('PATCH', path, patch, 'application/merge-patch+json');
  }
}

function toError(err: unknown): Error {
  if (err instanceof Error) {
    const status = (err as { statusCode?: number }).statusCode;
    return status ? new KubeError(status, err.message) : err;
  }
  return new Error(String(err));
}
