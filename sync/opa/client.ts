// The sidecar's view of the policy service: OPA's REST API only (so it drives OPA as well as
// Regent). Requests keep their connections alive; errors carry the service's own message.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';

export interface OpaClientOptions {
  /** API base, e.g. `http://localhost:8181/v1`. */
  url: string;
  token?: string;
  caFile?: string;
  allowInsecure?: boolean;
}

/** A failed request: `status` 0 when the service could not be reached at all. */
export class OpaError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The service's JSON error body, when it sent one. */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

export class OpaClient {
  private readonly base: URL;
  private readonly agent: http.Agent;

  constructor(private readonly opts: OpaClientOptions) {
    this.base = new URL(opts.url.replace(/\/+$/, '') + '/');
    this.agent =
      this.base.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, maxSockets: 16, ca: opts.caFile ? fs.readFileSync(opts.caFile) : undefined, rejectUnauthorized: !opts.allowInsecure })
        : new http.Agent({ keepAlive: true, maxSockets: 16 });
  }

  putPolicy(id: string, text: string): Promise<void> {
    return this.send('PUT', `policies/${encodePath(id)}`, text, 'text/plain').then(() => undefined);
  }

  /** Removes a policy; one that is not there counts as removed. */
  async deletePolicy(id: string): Promise<void> {
    await this.send('DELETE', `policies/${encodePath(id)}`, undefined, undefined, [404]);
  }

  putData(path: string[], value: unknown): Promise<void> {
    return this.sendJSON('PUT', dataPath(path), value).then(() => undefined);
  }

  /** Removes a document; one that is not there counts as removed. */
  async deleteData(path: string[]): Promise<void> {
    await this.send('DELETE', dataPath(path), undefined, undefined, [404]);
  }

  /** The document at `path`, or undefined. */
  async getData(path: string[]): Promise<unknown> {
    const text = await this.send('GET', dataPath(path));
    return (JSON.parse(text) as { result?: unknown }).result;
  }

  private sendJSON(method: string, path: string, value: unknown): Promise<string> {
    return this.send(method, path, JSON.stringify(value), 'application/json');
  }

  private send(method: string, path: string, body?: string, contentType?: string, okStatuses: number[] = []): Promise<string> {
    const url = new URL(path, this.base);
    const payload = body === undefined ? undefined : Buffer.from(body);
    const headers: http.OutgoingHttpHeaders = {};
    if (payload) Object.assign(headers, { 'content-type': contentType, 'content-length': payload.length });
    if (this.opts.token) headers.authorization = `Bearer ${this.opts.token}`;
    const request = url.protocol === 'https:' ? https.request : http.request;
    return new Promise<string>((resolve, reject) => {
      const req = request(url, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(new OpaError(0, e.message)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if ((status >= 200 && status < 300) || okStatuses.includes(status)) return resolve(text);
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          reject(new OpaError(status, errorMessage(parsed) ?? (text.trim() || `${method} ${url.pathname}: HTTP ${status}`), parsed));
        });
      });
      req.on('error', (e) => reject(new OpaError(0, `${method} ${url.pathname}: ${e.message}`)));
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** OPA's error body → one line: the message plus its first detailed error, with location. */
function errorMessage(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as { code?: string; message?: string; errors?: { message?: string; location?: { file?: string; row?: number; col?: number } }[] };
  if (!b.message) return undefined;
  const details = (b.errors ?? []).map((e) => {
    const loc = e.location ? `${e.location.file ?? ''}:${e.location.row ?? 0}:${e.location.col ?? 0}: ` : '';
    return loc + (e.message ?? '');
  });
  return details.length > 0 ? `${b.message}: ${details.join('; ')}` : b.message;
}

const encodePath = (id: string): string => id.split('/').map(encodeURIComponent).join('/');

function dataPath(path: string[]): string {
  return path.length === 0 ? 'data' : `data/${path.map(encodeURIComponent).join('/')}`;
}
