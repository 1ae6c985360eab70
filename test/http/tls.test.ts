// regent run over HTTPS with a generated certificate, and the certificate reloaded on change.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as https from 'node:https';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { startServer } from '../../server/cli/run';

function makeCert(dir: string, cn: string): void {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${cn}`,
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
}

function peerCN(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const cn = sock.getPeerCertificate().subject.CN;
      sock.end();
      resolve(String(Array.isArray(cn) ? cn[0] : cn));
    });
    sock.on('error', reject);
  });
}

describe('TLS', () => {
  jest.setTimeout(30_000);
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regent-tls-'));
    fs.writeFileSync(path.join(dir, 'p.rego'), 'package p\nx := 1\n');
    makeCert(dir, 'first');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('serves HTTPS and picks up a rotated certificate', async () => {
    const server = await startServer([path.join(dir, 'p.rego')], {
      addr: '127.0.0.1:0', engine: 'wasm', maxRequestBytes: '1048576', admissionPackage: 'kubernetes.admission',
      authentication: 'off', authorization: 'off',
      tlsCertFile: path.join(dir, 'cert.pem'), tlsPrivateKeyFile: path.join(dir, 'key.pem'),
    });
    try {
      const port = (server.address() as AddressInfo).port;
      const body = await new Promise<string>((resolve, reject) => {
        https.get({ host: '127.0.0.1', port, path: '/v1/data/p/x', rejectUnauthorized: false }, (res) => {
          let data = '';
          res.on('data', (c) => (data += c));
          res.on('end', () => resolve(data));
        }).on('error', reject);
      });
      expect(JSON.parse(body)).toEqual({ result: 1 });
      expect(await peerCN(port)).toBe('first');
      makeCert(dir, 'second');
      let cn = '';
      for (let i = 0; i < 50 && cn !== 'second'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        cn = await peerCN(port);
      }
      expect(cn).toBe('second');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
