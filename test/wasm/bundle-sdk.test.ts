// `regent build -t wasm` writes an OPA bundle whose policy.wasm the stock SDK loads in a plain
// script: no Regent code on the load path.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tar from 'tar';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'bin', 'regent.js');

const POLICY = `package example

default allow := false

allow if {
	input.user in data.admins
	count(input.roles) > 0
}

reasons contains msg if {
	not input.user in data.admins
	msg := concat(" ", ["user", input.user, "is not an admin"])
}
`;

describe('regent build -t wasm', () => {
  jest.setTimeout(60_000);
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regent-build-'));
    fs.writeFileSync(path.join(dir, 'example.rego'), POLICY);
    fs.writeFileSync(path.join(dir, 'data.json'), JSON.stringify({ admins: ['alice'] }));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes an OPA bundle that the stock SDK evaluates', async () => {
    const bundle = path.join(dir, 'bundle.tar.gz');
    execFileSync(process.execPath, [CLI, 'build', '-t', 'wasm', '-e', 'example/allow', '-e', 'example/reasons', '-o', bundle, dir], { cwd: dir });
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    await tar.x({ file: bundle, cwd: out });
    const manifest = JSON.parse(fs.readFileSync(path.join(out, '.manifest'), 'utf8'));
    expect(manifest.wasm).toEqual([
      { entrypoint: 'example/allow', module: '/policy.wasm' },
      { entrypoint: 'example/reasons', module: '/policy.wasm' },
    ]);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'data.json'), 'utf8'))).toEqual({ admins: ['alice'] });

    // A plain script: only the SDK and the bundle's files.
    const script = `
      const { loadPolicy } = require(${JSON.stringify(require.resolve('@open-policy-agent/opa-wasm'))});
      const fs = require('fs');
      (async () => {
        const policy = await loadPolicy(fs.readFileSync(${JSON.stringify(path.join(out, 'policy.wasm'))}));
        policy.setData(JSON.parse(fs.readFileSync(${JSON.stringify(path.join(out, 'data.json'))}, 'utf8')));
        const results = [
          policy.evaluate({ user: 'alice', roles: ['dev'] }, 'example/allow'),
          policy.evaluate({ user: 'bob', roles: ['dev'] }, 'example/allow'),
          policy.evaluate({ user: 'bob', roles: [] }, 'example/reasons'),
        ];
        process.stdout.write(JSON.stringify(results));
      })().catch((e) => { console.error(e); process.exit(1); });
    `;
    const results = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    expect(results).toEqual([[{ result: true }], [{ result: false }], [{ result: ['user bob is not an admin'] }]]);
  });
});
