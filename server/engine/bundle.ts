// OPA-format bundles: a gzipped tar with `/.manifest`, `/data.json`, the policy modules, and for
// the wasm target `/policy.wasm` listed under the manifest's `wasm` entrypoints, so any OPA Wasm
// SDK (or OPA itself) can load what `regent build` writes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tar from 'tar';
import type { SourceFile } from '../rego/ast';

export interface BundleContents {
  /** Present for the wasm target. */
  wasm?: { bytes: Uint8Array; entrypoints: string[] };
  /** Present for the plan target (OPA's `plan.json`). */
  plan?: string;
  /** Base data as JSON text. */
  dataJSON: string;
  modules: SourceFile[];
  revision?: string;
}

interface Manifest {
  revision: string;
  roots: string[];
  wasm?: Array<{ entrypoint: string; module: string }>;
}

export async function writeBundle(file: string, contents: BundleContents): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regent-bundle-'));
  try {
    const entries: string[] = [];
    const put = (name: string, data: string | Uint8Array): void => {
      const target = path.join(dir, name);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, data);
      entries.push(name);
    };
    const manifest: Manifest = { revision: contents.revision ?? '', roots: [''] };
    if (contents.wasm) {
      put('policy.wasm', contents.wasm.bytes);
      manifest.wasm = contents.wasm.entrypoints.map((entrypoint) => ({ entrypoint, module: '/policy.wasm' }));
    }
    if (contents.plan !== undefined) put('plan.json', contents.plan);
    put('data.json', contents.dataJSON);
    contents.modules.forEach((m, i) => put(bundlePath(m.file, i), m.text));
    put('.manifest', JSON.stringify(manifest));
    await tar.c({ gzip: true, file, cwd: dir, portable: true }, entries);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Where a module goes in the bundle: its relative path, kept inside the archive. */
function bundlePath(file: string, i: number): string {
  const rel = path.normalize(file).replace(/^(\.\.(\/|\\|$))+/, '').replace(/^[/\\]+/, '');
  return rel.endsWith('.rego') && rel !== '' ? rel : `module-${i}.rego`;
}
