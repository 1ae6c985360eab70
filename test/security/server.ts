// A Regent service on a real listening socket, and a client that sends request targets byte for
// byte (no URL normalisation: encoded slashes, dot segments and broken escapes reach the server
// exactly as a hostile client would send them).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';
import { PolicyEngine } from '../../server/engine/engine';
import { createApp, type AppOptions } from '../../server/http/app';
import { ObjectValue, fromJS } from '../../server/value/value';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  json: any; // `any`: each test reads the fields its endpoint answers with
}

export interface Service {
  engine: PolicyEngine;
  port: number;
  send(method: string, target: string, opts?: { body?: string | Buffer; headers?: Record<string, string> }): Promise<Reply>;
  close(): Promise<void>;
}

export interface ServiceSpec {
  policies: Record<string, string>;
  data?: unknown;
  workers?: number;
  app?: AppOptions;
}

export async function startService(spec: ServiceSpec): Promise<Service> {
  const engine = new PolicyEngine(process.env.REGENT_ENGINE === 'interp' ? 'interp' : 'wasm', {}, { workers: spec.workers ?? 0 });
  await engine.load(
    Object.entries(spec.policies).map(([id, text]) => ({ id, text })),
    fromJS(spec.data ?? {}) as ObjectValue,
  );
  const server = http.createServer(createApp(engine, spec.app));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  return {
    engine,
    port,
    send: (method, target, opts = {}) => send(agent, port, method, target, opts),
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.close();
    },
  };
}

function send(agent: http.Agent, port: number, method: string, target: string, opts: { body?: string | Buffer; headers?: Record<string, string> }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: target, agent, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

export const gzip = (text: string | Buffer): Buffer => zlib.gzipSync(text);

/** JSON headers, and `Authorization: Bearer token` when a token is given. */
export function json(token?: string): Record<string, string> {
  return { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
}
