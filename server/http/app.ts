// The express application: OPA's REST API over a PolicyEngine.
import express, { type Request, type Response } from 'express';
import type { PolicyEngine } from '../engine/engine';
import { dataRoutes } from './data';
import { policyRoutes } from './policies';
import { queryRoutes } from './query';
import { admissionRoutes, type AdmissionOptions } from './admission';
import { Metrics } from './metrics';
import { authMiddleware, type AuthOptions } from './authz';
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
}

export function createApp(engine: PolicyEngine, opts: AppOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const limit = opts.maxRequestBytes ?? 8 * 1024 * 1024;
  const metrics = new Metrics();
  engine.onCompile = (seconds) => metrics.compile.observe(seconds);
  engine.onEval = (seconds) => metrics.eval.observe(seconds);
  app.use(metrics.middleware());
  if (opts.decisionLog) {
    const logger = new DecisionLogger(opts.decisionLog);
    engine.onDecision = (path, input, result, ns) => logger.log(path.join('/'), input, result, ns);
  }
  app.use(authMiddleware(engine, opts.auth ?? { authentication: 'off', authorization: 'off' }));
  app.use(express.raw({ type: () => true, limit }));
  app.get('/metrics', async (_req: Request, res: Response) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/health', (req: Request, res: Response) => {
    if (!engine.ready) return void res.status(500).json({ error: 'policies are not loaded yet' });
    // As OPA: `?plugins` also requires every plugin to be OK (here: the file watcher's last reload).
    const failing = [...(opts.plugins ?? new Map()).entries()].filter(([, s]) => s.state !== 'OK');
    if (req.query.plugins !== undefined && failing.length > 0) {
      return void res.status(500).json({ error: 'not all plugins in OK state', plugins: Object.fromEntries(failing) });
    }
    res.status(200).json({});
  });
  app.use(policyRoutes(engine));
  app.use(admissionRoutes(engine, { package: ['kubernetes', 'admission'], failOpen: false, ...opts.admission }));
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
  return app;
}
