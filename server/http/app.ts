// The express application: OPA's REST API over a PolicyEngine.
import express, { type Request, type Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { inputValue, navigate, type PolicyEngine } from '../engine/engine';
import { dataRoutes } from './data';
import { policyRoutes } from './policies';
import { queryRoutes } from './query';
import { ADMISSION_ENDPOINTS, ADMIT_RULES, MUTATE_RULES, admissionRoutes, type AdmissionOptions } from './admission';
import { auditRoutes } from './audit';
import { Metrics } from './metrics';
import { AUTHZ_DECISION, authMiddleware, type AuthOptions } from './authz';
import { DecisionLogger, type DecisionLogOptions } from './decision-log';

/** States of the service's moving parts (OPA calls them plugins), for `GET /health?plugins`. */
export type PluginStatuses = Map<string, { state: 'OK' | 'NOT_READY' | 'ERROR'; message?: string }>;

export interface AppOptions {
  plugins?: PluginStatuses;
  /** Largest request body accepted (bytes); larger bodies get 413. */
  maxRequestBytes?: number;
  admission?: Partial<AdmissionOptions>;
  auth?: AuthOptions;
  decisionLog?: DecisionLogOptions;
  /** `/health` waits for the sidecar's first full sync (its marker in the data, see below). */
  requireSync?: boolean;
}

/** Where `regent sync` records a completed full sync (sync/session.ts writes it). */
const SYNC_MARKER = ['system', 'regent', 'sync', 'ready'];

/** The service's request handler: the express app, with the admission webhook's hot path in
 *  front of it (see `admissionFastPath`). */
export type ServiceHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function createApp(engine: PolicyEngine, opts: AppOptions = {}): ServiceHandler {
  const app = express();
  app.disable('x-powered-by');
  // Decisions are computed per request: hashing each body for an ETag is wasted work.
  app.set('etag', false);
  const limit = opts.maxRequestBytes ?? 8 * 1024 * 1024;
  const metrics = new Metrics();
  engine.onCompile = (seconds) => metrics.compile.observe(seconds);
  engine.onEval = (seconds) => metrics.eval.observe(seconds);
  app.use(metrics.middleware());
  if (opts.decisionLog) {
    const logger = new DecisionLogger(opts.decisionLog);
    engine.onDecision = (path, input, result, ns) => logger.log(path.join('/'), inputValue(input), result, ns);
  }
  app.use(authMiddleware(engine, opts.auth ?? { authentication: 'off', authorization: 'off' }));
  app.use(express.raw({ type: () => true, limit }));
  app.get('/metrics', async (_req: Request, res: Response) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/health', (req: Request, res: Response) => {
    if (!engine.ready) return void res.status(500).json({ error: 'policies are not loaded yet' });
    if (opts.requireSync && navigate(engine.getData(), SYNC_MARKER) !== true) {
      return void res.status(500).json({ error: 'waiting for the first full sync of the Kubernetes sidecar (regent sync)' });
    }
    // As OPA: `?plugins` also requires every plugin to be OK (here: the file watcher's last reload).
    const failing = [...(opts.plugins ?? new Map()).entries()].filter(([, s]) => s.state !== 'OK');
    if (req.query.plugins !== undefined && failing.length > 0) {
      return void res.status(500).json({ error: 'not all plugins in OK state', plugins: Object.fromEntries(failing) });
    }
    res.status(200).json({});
  });
  app.use(policyRoutes(engine));
  const admission: AdmissionOptions = { package: ['kubernetes', 'admission'], failOpen: false, ...opts.admission };
  // The decisions this app serves most, compiled ahead (each webhook's rules as one evaluation).
  for (const rules of [ADMIT_RULES, MUTATE_RULES]) engine.declareGroup(rules.map((r) => [...admission.package, r]));
  engine.declareGroup([['system', 'main']]);
  if (opts.auth?.authorization === 'basic') engine.declareGroup([AUTHZ_DECISION]);
  app.use(admissionRoutes(engine, admission));
  app.use(auditRoutes(engine, admission));
  app.use(queryRoutes(engine));
  app.use(dataRoutes(engine));
  app.use((req: Request, res: Response) => {
    res.status(404).json({ code: 'resource_not_found', message: `${req.method} ${req.path} is not an API endpoint` });
  });
  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, next: (e?: unknown) => void) => {
    if (res.headersSent) return next(err);
    if (err.type === 'entity.too.large') return void res.status(413).json({ code: 'invalid_parameter', message: `request body exceeds ${limit} bytes` });
    res.status(err.status ?? 500).json({ code: err.status === 400 ? 'invalid_parameter' : 'internal_error', message: err.message });
  });
  // Requests that need authentication go through express's middleware like every other.
  if ((opts.auth?.authentication ?? 'off') !== 'off') return app;
  return admissionFastPath(app, { engine, admission, limit, metrics });
}

/**
 * `POST /v1/admit` and `POST /v1/mutate` without express: its router and middleware cost several
 * times the decision itself, and the webhooks are what a cluster waits on. Same answers, limits
 * and metrics as the express routes (`admit`/`mutate` do the work for both); every other request
 * goes to express.
 */
function admissionFastPath(
  app: express.Express,
  ctx: { engine: PolicyEngine; admission: AdmissionOptions; limit: number; metrics: Metrics },
): ServiceHandler {
  return (req, res) => {
    const url = req.url ?? '';
    const q = url.indexOf('?'); // the API server calls webhooks with ?timeout=10s
    const path = q < 0 ? url : url.slice(0, q);
    const decide = req.method === 'POST' ? ADMISSION_ENDPOINTS.get(path) : undefined;
    if (decide === undefined) return void app(req, res);
    const start = process.hrtime.bigint();
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
      ctx.metrics.observe(path, 'POST', status, start);
    };
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= ctx.limit) chunks.push(c);
    });
    req.on('end', () => {
      if (size > ctx.limit) return reply(413, { code: 'invalid_parameter', message: `request body exceeds ${ctx.limit} bytes` });
      decide(ctx.engine, ctx.admission, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).then(
        ({ status, body }) => reply(status, body),
        (e: unknown) => reply(500, { code: 'internal_error', message: e instanceof Error ? e.message : String(e) }),
      );
    });
    req.on('error', () => res.destroy());
  };
}
