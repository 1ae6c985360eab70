// A Kubernetes API test server: enough of the API's JSON (discovery, list with label selectors
// and pagination, watch streams with bookmarks, get, create, update, merge/JSON patch, delete)
// for the real @kubernetes/client-node to talk to it unchanged. Tests also use it to misbehave
// on purpose: drop every watch, compact the event log (410 on the next watch), or answer a
// watch with an HTTP error.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyPatch, type Operation } from 'fast-json-patch';
import { ConflictError, NotFoundError, ObjectStore, type KubeObject, type ResourceType, type StoredEvent } from './store';
import { matchesSelector, parseSelector, type Selector } from './selector';

export const TOKEN = 'regent-test-token';

/** Core objects the sidecar reads, plus one CRD (`widgets.example.com`). */
export const DEFAULT_TYPES: ResourceType[] = [
  { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true },
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', kind: 'Ingress', namespaced: true },
  { group: 'example.com', version: 'v1', resource: 'widgets', kind: 'Widget', namespaced: true },
];

interface Route {
  type: ResourceType;
  namespace?: string;
  name?: string;
}

export interface KubeApiOptions {
  types?: ResourceType[];
  /** Interval of BOOKMARK events on watches that allow them. */
  bookmarkMs?: number;
}

export class KubeApiServer {
  readonly store: ObjectStore;
  private server?: http.Server;
  private readonly watches = new Set<http.ServerResponse>();
  private nextWatchFailure?: { status: number; resource?: string };
  private readonly bookmarkMs: number;
  /** Requests served, by `METHOD kind` (`GET list pods`, `GET watch pods`, `PATCH configmaps`). */
  readonly requests = new Map<string, number>();

  constructor(opts: KubeApiOptions = {}) {
    this.store = new ObjectStore(opts.types ?? DEFAULT_TYPES);
    this.bookmarkMs = opts.bookmarkMs ?? 1000;
  }

  async start(port = 0): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    const a = this.server?.address();
    if (!a || typeof a === 'string') throw new Error('the test API server is not listening');
    return `http://127.0.0.1:${a.port}`;
  }

  async stop(): Promise<void> {
    this.dropWatches();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
  }

  /** A kubeconfig file pointing at this server (plain HTTP, so TLS verification is off). */
  writeKubeconfig(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regent-kube-'))): string {
    const file = path.join(dir, 'kubeconfig.yaml');
    fs.writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: test`,
        '  cluster:',
        `    server: ${this.url}`,
        '    insecure-skip-tls-verify: true',
        'users:',
        '- name: test',
        '  user:',
        `    token: ${TOKEN}`,
        'contexts:',
        '- name: test',
        '  context: {cluster: test, user: test}',
        'current-context: test',
        '',
      ].join('\n'),
    );
    return file;
  }

  /** Cuts every open watch stream, as a load balancer or an API server restart does. */
  dropWatches(): void {
    for (const res of this.watches) res.destroy();
    this.watches.clear();
  }

  /** Ends every open watch stream cleanly, as the server does when a watch's timeoutSeconds expire. */
  endWatches(): void {
    for (const res of this.watches) res.end();
    this.watches.clear();
  }

  /** The next watch request (of `resource`, when given) is answered with this HTTP status (e.g.
   *  410, 500). Naming the resource keeps a test deterministic: another source's watch may
   *  otherwise reconnect first and take the failure. */
  failNextWatch(status: number, resource?: string): void {
    this.nextWatchFailure = { status, resource };
  }

  get openWatches(): number {
    return this.watches.size;
  }

  count(what: string): number {
    return this.requests.get(what) ?? 0;
  }

  private tally(what: string): void {
    this.requests.set(what, this.count(what) + 1);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return status(res, 401, 'Unauthorized', 'Unauthorized');
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/api' || url.pathname === '/apis' || url.pathname.split('/').length === 4 || url.pathname === '/api/v1') {
        const discovery = this.discovery(url.pathname);
        if (discovery) return json(res, 200, discovery);
      }
      const route = this.route(url.pathname);
      if (!route) return status(res, 404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);
      const method = req.method ?? 'GET';
      const body = method === 'GET' || method === 'DELETE' ? undefined : await readBody(req);
      this.tally(`${method} ${route.name === undefined && method === 'GET' ? (url.searchParams.get('watch') === 'true' ? 'watch ' : 'list ') : ''}${route.type.resource}`);
      if (method === 'GET' && route.name === undefined) {
        const selector = parseSelector(url.searchParams.get('labelSelector') ?? '');
        if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') return this.watch(req, res, route, selector, url.searchParams);
        return this.list(res, route, selector, url.searchParams);
      }
      if (method === 'POST' && route.name === undefined) {
        const obj = JSON.parse(body ?? '{}') as KubeObject;
        if (route.type.namespaced) obj.metadata.namespace = route.namespace;
        return json(res, 201, this.store.create(route.type, obj));
      }
      if (route.name === undefined) return status(res, 405, 'MethodNotAllowed', `${method} is not supported on a collection`);
      const current = this.store.get(route.type, route.namespace, route.name);
      switch (method) {
        case 'GET':
          if (!current) throw new NotFoundError(`${route.type.resource} "${route.name}" not found`);
          return json(res, 200, current);
        case 'PUT': {
          const obj = JSON.parse(body ?? '{}') as KubeObject;
          obj.metadata = { ...obj.metadata, name: route.name, namespace: route.namespace };
          return json(res, 200, this.store.update(route.type, obj));
        }
        case 'PATCH': {
          if (!current) throw new NotFoundError(`${route.type.resource} "${route.name}" not found`);
          const patched = patchObject(current, String(req.headers['content-type'] ?? ''), body ?? '');
          if (patched === undefined) return status(res, 415, 'UnsupportedMediaType', `the body of the request was in an unknown format: ${req.headers['content-type']}`);
          patched.metadata = { ...patched.metadata, name: route.name, namespace: route.namespace, resourceVersion: undefined };
          return json(res, 200, this.store.update(route.type, patched));
        }
        case 'DELETE':
          return json(res, 200, this.store.delete(route.type, route.namespace, route.name));
        default:
          return status(res, 405, 'MethodNotAllowed', `${method} is not supported`);
      }
    } catch (e) {
      if (e instanceof NotFoundError) return status(res, 404, 'NotFound', e.message);
      if (e instanceof ConflictError) return status(res, 409, 'Conflict', e.message);
      if (e instanceof SyntaxError) return status(res, 400, 'BadRequest', e.message);
      return status(res, 500, 'InternalError', (e as Error).message);
    }
  }

  /** `/api/v1/pods`, `/api/v1/namespaces/ns/pods/name`, `/apis/group/version/…`. */
  private route(pathname: string): Route | undefined {
    const parts = pathname.split('/').filter(Boolean);
    let group: string;
    let rest: string[];
    if (parts[0] === 'api') [group, rest] = ['', parts.slice(1)];
    else if (parts[0] === 'apis' && parts.length > 2) [group, rest] = [parts[1], parts.slice(2)];
    else return undefined;
    const [version, ...tail] = rest;
    const find = (resource: string | undefined) => (resource === undefined ? undefined : this.store.type(group, version, resource));
    // namespaces/<ns>/<resource>[/<name>] addresses a namespaced resource; anything else is
    // <resource>[/<name>] (the namespaces resource itself included).
    if (tail[0] === 'namespaces' && tail.length >= 3) {
      const type = find(tail[2]);
      if (!type?.namespaced || tail.length > 4) return undefined;
      return { type, namespace: tail[1], name: tail[3] };
    }
    const type = find(tail[0]);
    if (!type || tail.length > 2) return undefined;
    if (type.namespaced && tail.length === 2) return undefined;
    return { type, name: tail[1] };
  }

  private discovery(pathname: string): object | undefined {
    const types = this.store.types;
    if (pathname === '/api') return { kind: 'APIVersions', versions: ['v1'] };
    if (pathname === '/apis') {
      const groups = [...new Set(types.filter((t) => t.group).map((t) => `${t.group}/${t.version}`))];
      return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map((gv) => ({ name: gv.split('/')[0], versions: [{ groupVersion: gv, version: gv.split('/')[1] }] })) };
    }
    const gv = pathname.startsWith('/api/') ? pathname.slice('/api/'.length) : pathname.slice('/apis/'.length);
    const matching = types.filter((t) => (t.group ? `${t.group}/${t.version}` : t.version) === gv);
    if (matching.length === 0) return undefined;
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: gv,
      resources: matching.map((t) => ({ name: t.resource, namespaced: t.namespaced, kind: t.kind, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] })),
    };
  }

  private list(res: http.ServerResponse, route: Route, selector: Selector, params: URLSearchParams): void {
    const all = this.store.list(route.type, route.namespace).filter((o) => matchesSelector(selector, o.metadata.labels));
    // `continue` is the offset into the list, pinned to the resourceVersion of its first page.
    const [offsetText, pinnedRV] = (params.get('continue') ?? '0:').split(':');
    const offset = Number(offsetText) || 0;
    const limit = Number(params.get('limit') ?? 0);
    const page = limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset);
    const rv = pinnedRV || String(this.store.resourceVersion);
    const more = limit > 0 && offset + limit < all.length;
    json(res, 200, {
      kind: `${route.type.kind}List`,
      apiVersion: route.type.group ? `${route.type.group}/${route.type.version}` : route.type.version,
      metadata: { resourceVersion: rv, ...(more ? { continue: `${offset + limit}:${rv}` } : {}) },
      items: page,
    });
  }

  private watch(req: http.IncomingMessage, res: http.ServerResponse, route: Route, selector: Selector, params: URLSearchParams): void {
    const failure = this.nextWatchFailure;
    if (failure && (failure.resource === undefined || failure.resource === route.type.resource)) {
      const code = failure.status;
      this.nextWatchFailure = undefined;
      return status(res, code, code === 410 ? 'Expired' : 'InternalError', code === 410 ? 'too old resource version' : 'watch refused by the test server');
    }
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    const send = (type: string, object: unknown): void => {
      if (!res.writableEnded) res.write(JSON.stringify({ type, object }) + '\n');
    };
    const rvParam = params.get('resourceVersion');
    const inScope = (o: KubeObject): boolean => route.namespace === undefined || o.metadata.namespace === route.namespace;
    const matches = (o: KubeObject | undefined): boolean => o !== undefined && inScope(o) && matchesSelector(selector, o.metadata.labels);
    const deliver = (e: StoredEvent): void => {
      if (e.resource !== route.type.resource) return;
      const now = matches(e.object);
      const before = e.type === 'MODIFIED' ? matches(e.previous) : now;
      if (now && before) send(e.type, e.object);
      else if (now) send('ADDED', e.object);
      else if (before) send('DELETED', e.object);
    };
    if (!rvParam || rvParam === '0') {
      for (const o of this.store.list(route.type, route.namespace)) if (matches(o)) send('ADDED', o);
    } else {
      const missed = this.store.eventsSince(route.type, Number(rvParam));
      if (missed === undefined) {
        send('ERROR', { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${rvParam} (${this.store.oldestWatchable})`, reason: 'Expired', code: 410 });
        return void res.end();
      }
      for (const e of missed) deliver(e);
    }
    const unsubscribe = this.store.subscribe(deliver);
    this.watches.add(res);
    const bookmarks =
      params.get('allowWatchBookmarks') === 'true'
        ? setInterval(() => send('BOOKMARK', { kind: route.type.kind, apiVersion: route.type.version, metadata: { resourceVersion: String(this.store.resourceVersion) } }), this.bookmarkMs)
        : undefined;
    const timeout = Number(params.get('timeoutSeconds') ?? 0);
    const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
    const cleanup = (): void => {
      unsubscribe();
      clearInterval(bookmarks);
      clearTimeout(timer);
      this.watches.delete(res);
    };
    res.on('close', cleanup);
    req.on('close', cleanup);
  }
}

function patchObject(current: KubeObject, contentType: string, body: string): KubeObject | undefined {
  const copy = structuredClone(current);
  if (contentType.startsWith('application/json-patch+json')) return applyPatch(copy, JSON.parse(body) as Operation[], true, false).newDocument;
  if (contentType.startsWith('application/merge-patch+json') || contentType.startsWith('application/strategic-merge-patch+json')) {
    return mergePatch(copy, JSON.parse(body)) as KubeObject;
  }
  return undefined;
}

/** RFC 7386: objects merge, null deletes, anything else replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: http.ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function status(res: http.ServerResponse, code: number, reason: string, message: string): void {
  json(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}
