// GET /metrics: Prometheus text from prom-client — request counts and latencies per route,
// plus the engine's compile and evaluation histograms.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { NextFunction, Request, Response } from 'express';

export class Metrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by handler, method and status code',
    labelNames: ['handler', 'method', 'code'],
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by handler',
    labelNames: ['handler', 'method'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly compile = new Histogram({
    name: 'regent_compile_seconds',
    help: 'Time to compile and load the policy set after a change',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly eval = new Histogram({
    name: 'regent_eval_seconds',
    help: 'Time to evaluate a decision',
    buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Records one finished request that started at `start` (hrtime). */
  observe(handler: string, method: string, status: number, start: bigint): void {
    this.requests.inc({ handler, method, code: String(status) });
    this.latency.observe({ handler, method }, Number(process.hrtime.bigint() - start) / 1e9);
  }

  /** Express middleware recording every request under its API handler name. */
  middleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const start = process.hrtime.bigint();
      res.on('finish', () => this.observe(handlerOf(req.path), req.method, res.statusCode, start));
      next();
    };
  }
}

/** The API a path belongs to, so labels stay few whatever the data paths are. */
function handlerOf(path: string): string {
  for (const h of ['/v1/data', '/v0/data', '/v1/policies', '/v1/query', '/v1/admit', '/v1/mutate', '/health', '/metrics']) if (path === h || path.startsWith(h + '/')) return h;
  return path === '/' ? '/' : 'other';
}
