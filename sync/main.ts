// `regent sync`: the kube-mgmt-compatible sidecar. It watches labelled ConfigMaps (policies and
// data) and replicated resources through the Kubernetes API, and drives the policy service
// through OPA's REST API only; it imports nothing from the service.
import * as http from 'node:http';
import pino, { type Logger } from 'pino';
import { ConfigMapSync } from './configmaps/configmap-sync';
import { DataLoader, PolicyLoader } from './configmaps/loaders';
import { KubeClient, loadKubeConfig } from './kube/client';
import { Reflector } from './kube/reflector';
import { OpaClient } from './opa/client';
import { DataWriter } from './opa/writer';
import { collectionPath, labelSelector, specName, type SyncOptions } from './options';
import { Replicator } from './replicate/replicator';
import { ServiceSession } from './session';

export interface SyncHandle {
  /** Resolves after the first full sync of every source. */
  ready: Promise<void>;
  isReady(): boolean;
  stop(): Promise<void>;
}

export function createLogger(level: SyncOptions['logLevel']): Logger {
  return pino({ level, base: { component: 'regent-sync' } }, pino.destination(2));
}

export async function startSync(opts: SyncOptions, log: Logger = createLogger(opts.logLevel)): Promise<SyncHandle> {
  const kube = new KubeClient(loadKubeConfig(opts.kubeconfig));
  const opa = new OpaClient({ url: opts.opaUrl, token: opts.opaAuthToken, caFile: opts.opaCaFile, allowInsecure: opts.opaAllowInsecure });
  const writer = new DataWriter(opa, 8, (path, err) => log.warn({ path: path.join('/'), err: err.message }, 'data write failed'));
  const session = new ServiceSession(opa, log);
  const reflectors: Reflector[] = [];
  const configMapSyncs: ConfigMapSync[] = [];
  const replicators: Replicator[] = [];
  let stopped = false;
  let ready = false;

  const namespaces = opts.namespaces.includes('*') ? [undefined] : opts.namespaces;
  const configMaps = [
    { enabled: opts.enablePolicies, loader: new PolicyLoader(opa), selector: labelSelector(opts.policyLabel, opts.policyValue) },
    { enabled: opts.enableData, loader: new DataLoader(opa), selector: labelSelector(opts.dataLabel, opts.dataValue) },
  ];
  for (const { enabled, loader, selector } of configMaps) {
    if (!enabled) continue;
    const cms = new ConfigMapSync(loader, kube, log.child({ source: `${loader.kind}-configmaps` }));
    configMapSyncs.push(cms);
    for (const ns of namespaces) {
      const path = collectionPath({ group: '', version: 'v1', resource: 'configmaps' }, ns);
      reflectors.push(new Reflector(kube, { path, selector }, cms.handlers(ns), log.child({ source: `${loader.kind}-configmaps` })));
    }
  }
  const basePath = opts.replicatePath.split(/[./]/).filter(Boolean);
  for (const spec of opts.replicate) {
    const r = new Replicator({ spec, basePath, ignoreNamespaces: new Set(opts.replicateIgnoreNamespaces), maxWriteBytes: opts.maxWriteBytes }, writer, log.child({ source: specName(spec) }));
    replicators.push(r);
    reflectors.push(new Reflector(kube, { path: collectionPath(spec) }, { replace: (items) => r.replace(items), event: (t, o) => r.event(t, o) }, log.child({ source: specName(spec) })));
  }

  const resyncAll = async (): Promise<void> => {
    writer.discardPending();
    await Promise.all(configMapSyncs.map((c) => c.resync()));
    for (const r of replicators) r.resync();
    const failed = await writer.flush();
    if (failed > 0) throw new Error(`${failed} data writes failed`);
  };

  await session.waitForService(Math.min(opts.pollIntervalMs, 1000), () => stopped);
  const runs = reflectors.map((r) => r.run());
  const readyPromise = (async () => {
    await Promise.all(reflectors.map((r) => r.waitForSync()));
    await Promise.all(configMapSyncs.map((c) => c.idle()));
    await writer.flush();
    await session.markSynced();
    ready = true;
    log.info({ sources: reflectors.length, replicated: Object.fromEntries(replicators.map((r) => [r.root.join('/'), r.size])) }, 'first full sync complete');
    session.monitor(opts.pollIntervalMs, resyncAll);
  })();
  readyPromise.catch((e: unknown) => log.error({ err: (e as Error).message }, 'first sync failed'));

  const health = opts.healthEndpoint ? await serveHealth(opts.healthEndpoint, () => ready) : undefined;

  return {
    ready: readyPromise,
    isReady: () => ready,
    async stop() {
      stopped = true;
      session.stop();
      for (const r of reflectors) r.stop();
      await Promise.all(runs);
      await new Promise<void>((resolve) => (health ? health.close(() => resolve()) : resolve()));
      opa.close();
    },
  };
}

/** `GET /health`: 200 once the first full sync is done, 503 before (a readiness probe). */
async function serveHealth(addr: string, isReady: () => boolean): Promise<http.Server> {
  const i = addr.lastIndexOf(':');
  const host = i > 0 ? addr.slice(0, i) : undefined;
  const port = Number(addr.slice(i + 1));
  const server = http.createServer((req, res) => {
    const ok = isReady();
    res.writeHead(req.url === '/health' ? (ok ? 200 : 503) : 404, { 'content-type': 'application/json' });
    res.end(req.url === '/health' ? JSON.stringify(ok ? {} : { error: 'the first sync is not complete' }) : '{}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}
