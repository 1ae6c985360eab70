// The compiled runtime (dist/wasm/runtime.wasm, built from server/wasm/runtime by `npm run build`)
// and where its heap starts, read once by instantiating it with inert imports.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface RuntimeImage {
  bytes: Uint8Array;
  /** The heap start the runtime's own start function sets (after its static data). */
  heapBase: number;
}

let image: RuntimeImage | undefined;

function locate(): string {
  const candidates = [
    path.resolve(__dirname, '../../wasm/runtime.wasm'), // running from dist/server/wasm
    path.resolve(__dirname, '../../dist/wasm/runtime.wasm'), // running from sources (tests)
  ];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`the wasm runtime is not built (looked for ${candidates.join(', ')}); run npm run build`);
  return found;
}

export function loadRuntimeImage(): RuntimeImage {
  if (image) return image;
  const bytes = new Uint8Array(fs.readFileSync(locate()));
  const mod = new WebAssembly.Module(bytes);
  const env: Record<string, WebAssembly.ImportValue> = {};
  for (const imp of WebAssembly.Module.imports(mod)) {
    if (imp.kind === 'memory') env[imp.name] = new WebAssembly.Memory({ initial: 256 });
    else if (imp.kind === 'function') env[imp.name] = () => 0;
  }
  const inst = new WebAssembly.Instance(mod, { env });
  const g = inst.exports.regent_heap_base;
  if (!(g instanceof WebAssembly.Global)) throw new Error('the wasm runtime does not export regent_heap_base');
  image = { bytes, heapBase: Number(g.value) };
  return image;
}
