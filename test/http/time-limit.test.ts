// --eval-time-limit: a runaway evaluation is stopped with eval_cancel_error and the service goes
// on answering; the interpreter honours the same limit.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { startServer } from '../../server/cli/run';
import { PolicyEngine } from '../../server/engine/engine';
import { ObjectValue } from '../../server/value/value';

// About 4.5 million loop iterations: seconds of work, far beyond the limits below.
const RUNAWAY = `package a
p := count([1 | some i in numbers.range(1, 3000); some j in numbers.range(1, 3000); i < j])
q := 1
`;

describe('evaluation time limit', () => {
  jest.setTimeout(60_000);

  it('stops a runaway HTTP evaluation with eval_cancel_error and keeps serving', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regent-limit-'));
    fs.writeFileSync(path.join(dir, 'a.rego'), RUNAWAY);
    const server = (await startServer([dir], {
      addr: '127.0.0.1:0', engine: 'wasm', maxRequestBytes: '1048576', admissionPackage: 'kubernetes.admission',
      authentication: 'off', authorization: 'off', evalTimeLimit: 100,
    })) as Server;
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const started = Date.now();
      const res = await fetch(`${base}/v1/data/a/p`);
      expect(res.status).toBe(500);
      const body = (await res.json()) as { errors: Array<{ code: string; message: string }> };
      expect(body.errors[0]).toEqual(expect.objectContaining({ code: 'eval_cancel_error', message: 'evaluation exceeded the time limit of 100 ms' }));
      expect(Date.now() - started).toBeLessThan(2000);
      expect(await (await fetch(`${base}/v1/data/a/q`)).json()).toEqual({ result: 1 });
    } finally {
      await new Promise((r) => server.close(r));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('applies to the interpreter too', async () => {
    const engine = new PolicyEngine('interp', { timeLimitMs: 100 });
    await engine.load([{ id: 'a.rego', text: RUNAWAY }], new ObjectValue());
    await expect(engine.evaluate(['a', 'p'], undefined)).rejects.toThrow('evaluation exceeded the time limit of 100 ms');
    expect(await engine.evaluate(['a', 'q'], undefined)).toBe(1);
  });
});
