// A compiled policy running as WebAssembly through the stock `@open-policy-agent/opa-wasm` SDK:
// compile once, load once, evaluate many times. Regent's own code only supplies the host
// builtins the runtime does not implement natively.
import { loadPolicy, type LoadedPolicy } from '@open-policy-agent/opa-wasm';
import type { CompiledModules, CompiledQuery } from '../compiler/index';
import { compileQuery, planPolicy } from '../compiler/index';
import { parseQuery } from '../rego/index';
import { RegoError } from '../rego/errors';
import { compileWasm } from '../wasm/codegen';
import { hostBuiltins, type HostState } from '../wasm/host-builtins';
import { fromJS, toJSONText, type Value } from '../value/value';

export interface WasmArtifact {
  wasm: Uint8Array;
  /** Entrypoint names in id order (`test/p`, or a query's plan name). */
  entrypoints: string[];
  hostBuiltins: string[];
}

/** The query a data-path entrypoint (`test/p`, `test`) evaluates: `result = data.test.p`. */
export function entrypointQuery(entrypoint: string): string {
  const path = entrypoint.split('/').filter((s) => s !== '');
  return 'result = data' + path.map((p) => `[${JSON.stringify(p)}]`).join('');
}

/** Compiles modules and entrypoints (data paths) plus extra queries into one wasm module. */
export async function buildWasm(
  compiled: CompiledModules,
  entrypoints: string[],
  queries: Array<CompiledQuery & { expressionValues?: boolean }> = [],
): Promise<WasmArtifact> {
  const planned = [
    ...entrypoints.map((e) => compileQuery(compiled, e, parseQuery(entrypointQuery(e), `entrypoint ${e}`))),
    ...queries,
  ];
  const policy = planPolicy(compiled, planned);
  const names = planned.map((q) => q.name);
  const { wasm, hostBuiltins: host } = await compileWasm(policy, { entrypoints: names.map((n) => ({ name: n, plan: n })) });
  return { wasm, entrypoints: names, hostBuiltins: host };
}

export interface EvalOptions {
  strictBuiltinErrors?: boolean;
  print?: (message: string) => void;
  nowNs?: bigint;
  /** Lets `http.send` reach the network. */
  allowHttpSend?: boolean;
}

export class WasmPolicy {
  private constructor(
    private readonly loaded: LoadedPolicy,
    private readonly state: HostState,
    readonly artifact: WasmArtifact,
  ) {}

  static async load(artifact: WasmArtifact): Promise<WasmPolicy> {
    const state: HostState = { strict: false, ctx: newContext() };
    const loaded = await loadPolicy(artifact.wasm, undefined, hostBuiltins(artifact.hostBuiltins, state));
    return new WasmPolicy(loaded, state, artifact);
  }

  /** Current size of the module's linear memory (for tests and metrics). */
  memoryBytes(): number {
    return this.loaded.mem.buffer.byteLength;
  }

  setData(data: Value): void {
    this.loaded.setData(jsonBuffer(data));
  }

  /** OPA's result set: one object per solution (`{"result": …}` for entrypoints). */
  evaluate(input: Value | undefined, entrypoint: string, opts: EvalOptions = {}): Value[] {
    return this.run(input === undefined ? undefined : jsonBuffer(input), entrypoint, opts);
  }

  /** Like `evaluate`, with the input as JSON bytes (e.g. a request body, never parsed in JS). */
  evaluateBytes(input: Uint8Array, entrypoint: string, opts: EvalOptions = {}): Value[] {
    return this.run(input.buffer.slice(input.byteOffset, input.byteOffset + input.byteLength) as ArrayBuffer, entrypoint, opts);
  }

  private run(input: ArrayBuffer | undefined, entrypoint: string, opts: EvalOptions): Value[] {
    this.state.strict = opts.strictBuiltinErrors ?? false;
    this.state.ctx = newContext(opts);
    try {
      const rs: unknown = this.loaded.evaluate(input, entrypoint);
      return (rs as unknown[]).map((r) => fromJS(r));
    } catch (e) {
      throw toRegoError(e);
    }
  }
}

function newContext(opts: EvalOptions = {}): HostState['ctx'] {
  return {
    nowNs: opts.nowNs ?? BigInt(Date.now()) * 1_000_000n,
    print: opts.print ?? ((m) => process.stderr.write(m + '\n')),
    cache: new Map(),
    http: { enabled: opts.allowHttpSend ?? false },
  };
}

/** Exact JSON text (big integers included) handed to the SDK as bytes. */
function jsonBuffer(v: Value): ArrayBuffer {
  const bytes = new TextEncoder().encode(toJSONText(v));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

const ABORT = /^(?:(.*?):(\d+):(\d+): )?(eval_[a-z_]+|rego_[a-z_]+): (.*)$/s;

/** The SDK rethrows `opa_abort` messages as strings; those of the runtime carry OPA's codes. */
export function toRegoError(e: unknown): RegoError {
  if (e instanceof RegoError) return e;
  if (e instanceof Error && e.name === 'BuiltinError') {
    const be = e as Error & { code: 'eval_builtin_error' | 'eval_type_error' };
    return new RegoError(be.code, be.message);
  }
  const text = typeof e === 'string' ? e : e instanceof Error ? e.message : String(e);
  const m = ABORT.exec(text);
  if (m) {
    const [, file, row, col, code, message] = m;
    const loc = file !== undefined ? { file, row: Number(row), col: Number(col) } : undefined;
    return new RegoError(code as RegoError['code'], message, loc);
  }
  return new RegoError('internal_error', `wasm evaluation failed: ${text}`);
}
