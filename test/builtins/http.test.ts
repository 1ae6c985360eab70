// http.send against a real HTTP server on loopback; off unless the context enables it.
import { spawn, type ChildProcess } from 'node:child_process';
import { lookupBuiltin } from '../../server/builtins/catalog';
import { BuiltinError } from '../../server/builtins/types';
import { fromJS, toJS } from '../../server/value/value';
import { context } from './helpers';

const send = lookupBuiltin('http.send')!.impl;

describe('http.send', () => {
  // The server runs in another process: http.send blocks this thread while it waits.
  let child: ChildProcess;
  let url: string;
  beforeAll(async () => {
    const script = `
      const http = require('node:http');
      const server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ method: req.method, path: req.url, got: body ? JSON.parse(body) : null }));
        });
      });
      server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
    `;
    child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
    url = `http://127.0.0.1:${port}`;
  });
  afterAll(() => {
    child.kill();
  });

  it('is disabled unless enabled', () => {
    expect(() => send([fromJS({ method: 'get', url })], context())).toThrow(BuiltinError);
    const r = toJS(send([fromJS({ method: 'get', url, raise_error: false })], context())!) as { status_code: number };
    expect(r.status_code).toBe(0);
  });

  it('sends the request and decodes a JSON response', () => {
    const ctx = { ...context(), http: { enabled: true } };
    const r = toJS(send([fromJS({ method: 'post', url: `${url}/x`, body: { a: 1 } })], ctx)!) as Record<string, unknown>;
    expect(r.status_code).toBe(200);
    expect(r.body).toEqual({ method: 'POST', path: '/x', got: { a: 1 } });
  });

  it('reports an unreachable host as an error, or in the response with raise_error false', () => {
    const ctx = { ...context(), http: { enabled: true } };
    expect(() => send([fromJS({ method: 'get', url: 'http://127.0.0.1:1/', timeout: '2s' })], ctx)).toThrow(BuiltinError);
    const r = toJS(send([fromJS({ method: 'get', url: 'http://127.0.0.1:1/', timeout: '2s', raise_error: false })], ctx)!) as Record<string, unknown>;
    expect(r.status_code).toBe(0);
  });
});
