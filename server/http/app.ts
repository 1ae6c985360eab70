// The express application: OPA's REST API over a PolicyEngine.
import express, { type Request, type Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { inputValue, navigate, type PolicyEngine } from '../engine/engine';
import { dataRoutes } from './data';
import { policyRoutes } from './policies';
import { queryRoutes } from './query';
import { ADMISSION_ENDPOINTS, ADMIT_RULES, MUTATE_RULES, admissionRoutes, type AdmissionOptions, type admit } from './admission';
import { auditRoutes } from './audit';
import { Metrics } from './metrics';
import { AUTHZ_DECISION, authMiddleware, type AuthOptions } from './authz';
import { DecisionLogger, type DecisionLogOptions } from './decision-log';
import { errorAnswer } from './errors';
import { requestPath } from './path';

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

/** The service's request handler: every request's path is read once (path.ts), and refused
 *  with 400 unless it reads one way only; then the admission webhook's hot path (see
 *  `admissionFastPath`) or the express app answers. */
export type ServiceHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Reads a request's body into req.body, decompressing gzip, deflate and br; the limit applies to
 *  the decompressed bytes, so a gzip bomb is refused as soon as it inflates past it. */
type BodyReader = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

export function createApp(engine: PolicyEngine, opts: AppOptions = {}): ServiceHandler {
  const app = express();
  app.disable('x-powered-by');
  // Decisions are computed per request: hashing each body for an ETag is wasted work.
  app.set('etag', false);
  // As OPA's routes: `/V1/POLICIES` is not `/v1/policies`.
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  const limit = opts.maxRequestBytes ?? 8 * 1024 * 1024;
  const readBody = express.raw({ type: () => true, limit }) as BodyReader;
  const metrics = new Metrics();
  engine.onCompile = (seconds) => metrics.compile.observe(seconds);
  engine.onEval = (seconds) => metrics.eval.observe(seconds);
  app.use(metrics.middleware());
  if (opts.decisionLog) {
    const logger = new DecisionLogger(opts.decisionLog);
    engine.onDecision = (path, input, result, ns) => logger.log(path.join('/'), inputValue(input), result, ns);
  }
  const auth = opts.auth ?? { authentication: 'off', authorization: 'off' };
  app.use(authMiddleware(engine, auth));
  app.use(readBody);
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
  app.use((err: unknown, _req: Request, res: Response, next: (e?: unknown) => void) => {
    if (res.headersSent) return next(err);
    const { status, body } = errorAnswer(err);
    res.status(status).json(body);
  });
  // The fast path consults no authorization policy: with one, the webhooks go through express's
  // middleware like every other request.
  const fast = auth.authorization === 'off';
  return (req, res) => {
    let path: string;
    try {
      path = '/' + requestPath(req).join('/');
    } catch (e) {
      const { status, body } = errorAnswer(e);
      // Answered before the body is read: Node then drops the connection, so say so (a client
      // that reused it would see its next request fail).
      res.setHeader('connection', 'close');
      replyJSON(res, status, body);
      return metrics.observe('other', req.method ?? '', status, process.hrtime.bigint());
    }
    const decide = fast && req.method === 'POST' ? ADMISSION_ENDPOINTS.get(path) : undefined;
    if (decide === undefined) return void app(req, res);
    admissionFastPath(req, res, decide, path, { engine, admission, readBody, metrics });
  };
}

function replyJSON(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * `POST /v1/admit` and `POST /v1/mutate` without express: its router and middleware cost several
 * times the decision itself, and the webhooks are what a cluster waits on. Same body reader,
 * answers, limits and metrics as the express routes (`admit`/`mutate` do the work for both).
 */
function admissionFastPath(
  req: IncomingMessage,
  res: ServerResponse,
  decide: typeof admit,
  path: string,
  ctx: { engine: PolicyEngine; admission: AdmissionOptions; readBody: BodyReader; metrics: Metrics },
): void {
  const start = process.hrtime.bigint();
  const reply = (status: number, body: unknown): void => {
    replyJSON(res, status, body);
    ctx.metrics.observe(path, 'POST', status, start);
  };
  ctx.readBody(req, res, (err) => {
    if (err !== undefined) {
      const { status, body } = errorAnswer(err);
      return reply(status, body);
    }
    const body = (req as IncomingMessage & { body?: unknown }).body;
    decide(ctx.engine, ctx.admission, Buffer.isBuffer(body) ? body : Buffer.alloc(0)).then(
      (answer) => reply(answer.status, answer.body),
      (e: unknown) => reply(500, { code: 'internal_error', message: e instanceof Error ? e.message : String(e) }),
    );
  });
}
