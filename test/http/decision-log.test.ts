// Decision logs: one JSON line per decision, masked input, none for internal authz checks.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { PolicyEngine } from '../../server/engine/engine';
import { createApp } from '../../server/http/app';
import { ObjectValue } from '../../server/value/value';

describe('decision logs', () => {
  it('writes one masked JSON line per decision', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regent-log-'));
    const file = path.join(dir, 'decisions.log');
    try {
      const e = new PolicyEngine();
      await e.load([{ id: 'p.rego', text: 'package p\nallow if input.user == "alice"' }], new ObjectValue());
      const app = createApp(e, { decisionLog: { sink: `file:${file}`, mask: ['/secret'] } });
      await request(app).post('/v1/data/p/allow').send({ input: { user: 'alice', secret: 'hunter2' } }).expect(200, { result: true });
      await request(app).post('/v1/data/p/allow').send({ input: { user: 'bob' } }).expect(200, {});
      const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatchObject({ path: 'p/allow', input: { user: 'alice' }, result: true });
      expect(lines[0].input.secret).toBeUndefined();
      expect(lines[0].decision_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(typeof lines[0].metrics.timer_rego_query_eval_ns).toBe('number');
      expect(lines[1].result).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
