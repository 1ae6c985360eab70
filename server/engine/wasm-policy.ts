// A compiled policy running as WebAssembly through the stock `@open-policy-agent/opa-wasm` SDK:
// compile once, load once, evaluate many times. Regent's own code only supplies the host
// builtins the runtime does not implement natively.
import { loadPolicy, type LoadedPolicy } from '@open-policy-agent/opa-wasm';
import type { CompiledModules, CompiledQuery } from '../compiler/index';
import { compileQuery, planPolicy } from '../compiler/index';
import { parseQuery } from '../rego/index';
import { RegoError } from '../rego/errors';
import type { Location } from '../rego/ast';
import { BuiltinError } from '../builtins/types';
import { compileWasm } from '../wasm/codegen';
import { DEADLINE_BUILTIN, hostBuiltins, type HostState } from '../wasm/host-builtins';
import { toJSONText, type Value } from '../value/value';
import { readJSON } from '../value/json';

export interface WasmArtifact {
  wasm: Uint8Array;
  /** Entrypoint names in id order (`test/p`, or a query's plan name). */
  entrypoints: string[];
  /** Builtins run by the host: the name in the module's `builtins` export → the builtin. */
  hostBuiltins: Record<string, string>;
  /** Host builtin call sites, by the module's `regent_location` (index + 1). */
  locations: Location[];
}

/** Builtins the stock JS SDK implements itself and prefers over the custom ones it is given
 *  (its sprintf, for one, formats differently from OPA's). Regent's own engine compiles them
 *  under another name so its implementations run; bundles keep OPA's names for other SDKs. */
const SDK_OWN_BUILTINS = new Set(['sprintf', 'json.is_valid', 'regex.split', 'yaml.is_valid', 'yaml.marshal', 'yaml.unmarshal']);

export interface BuildOptions {
  /** For any OPA SDK (a bundle): OPA's builtin names throughout. Default: for Regent's engine. */
  portable?: boolean;
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
  opts: BuildOptions = {},
): Promise<WasmArtifact> {
  const planned = [
    ...entrypoints.map((e) => compileQuery(compiled, e, parseQuery(entrypointQuery(e), `entrypoint ${e}`))),
    ...queries,
  ];
  const policy = planPolicy(compiled, planned);
  const names = planned.map((q) => q.name);
  const hostName = (n: string): string => (!opts.portable && SDK_OWN_BUILTINS.has(n) ? `regent.${n}` : n);
  const { wasm, hostBuiltins: host, locations } = await compileWasm(policy, {
    entrypoints: names.map((n) => ({ name: n, plan: n })),
    hostName,
    deadlineBuiltin: opts.portable ? undefined : DEADLINE_BUILTIN,
  });
  return { wasm, entrypoints: names, hostBuiltins: Object.fromEntries(host.map((n) => [hostName(n), n])), locations };
}

export interface EvalOptions {
  strictBuiltinErrors?: boolean;
  /** Stop the evaluation with `eval_cancel_error` after this many milliseconds. */
  timeLimitMs?: number;
  print?: (message: string) => void;
  nowNs?: bigint;
  /** Lets `http.send` reach the network. */
  allowHttpSend?: boolean;
}

/** The largest linear memory a module may grow to: 2 GiB less a page, so every address is a
 *  non-negative i32. */
const MAX_PAGES = 32767;

/** Garbage tolerated in the data area beyond twice the document's own size. */
const COMPACT_SLACK = 4 << 20;
/** Linear memory tolerated beyond four times the data before a fresh instance is worth it. */
const RENEW_SLACK = 64 << 20;

interface AbiExports {
  opa_heap_ptr_get(): number;
  opa_heap_ptr_set(p: number): void;
  opa_malloc(n: number): number;
  opa_json_parse(p: number, n: number): number;
  opa_value_add_path(base: number, path: number, value: number): number;
  opa_value_remove_path(base: number, path: number): number;
  opa_eval(reserved: number, entrypoint: number, data: number, input: number, inputLen: number, heap: number, format: number): number;
  regent_set_strict(on: number): void;
  regent_set_host_arithmetic(on: number): void;
  regent_location: WebAssembly.Global;
  opa_json_dump(v: number): number;
}

/**
 * A module loaded by the stock SDK's `loadPolicy` (which wires the host builtins into its
 * imports). Data and evaluation then go straight through the ABI, as the SDK's own fast path
 * does, with two differences that matter to Regent: the input reaches the module as the exact
 * JSON bytes given, and results are decoded without losing integers beyond 2^53 (the SDK's
 * `JSON.parse` rounds them, e.g. nanosecond timestamps).
 */
export class WasmPolicy {
  private readonly abi: AbiExports;
  /** `regent_arg0…3`: the latest host builtin call's argument addresses. */
  private readonly argGlobals: WebAssembly.Global[];
  private readonly memory: WebAssembly.Memory;
  private readonly baseHeap: number;
  private dataAddr: number;
  private dataHeap: number;
  /** The document `setData` was given (changed in place since, by the engine). */
  private document: Value | undefined;
  /** Data-area size beyond which `dataChanged` reloads the document instead. */
  private compactAt = COMPACT_SLACK;
  private readonly entrypointIds: Map<string, number>;

  private constructor(
    loaded: LoadedPolicy,
    private readonly state: HostState,
    readonly artifact: WasmArtifact,
  ) {
    const exports = (loaded as unknown as { wasmInstance: WebAssembly.Instance }).wasmInstance.exports;
    this.abi = exports as unknown as AbiExports;
    this.argGlobals = [0, 1, 2, 3].map((i) => exports[`regent_arg${i}`] as WebAssembly.Global);
    this.memory = loaded.mem;
    // Integers beyond i64 are computed here, exactly, as the interpreter computes them.
    this.abi.regent_set_host_arithmetic(1);
    this.baseHeap = this.abi.opa_heap_ptr_get();
    this.dataAddr = this.load(new TextEncoder().encode('{}'));
    this.dataHeap = this.abi.opa_heap_ptr_get();
    this.entrypointIds = new Map(artifact.entrypoints.map((e, i) => [e, i]));
  }

  /** `maxPages` bounds the linear memory (64 KiB pages): an evaluation needing more fails with
   *  an error instead of taking the process's memory. */
  static async load(artifact: WasmArtifact, limits: { maxPages?: number } = {}): Promise<WasmPolicy> {
    const state: HostState = { strict: false, ctx: newContext(), deadline: Infinity };
    // Addresses are i32s: past 2 GiB they would read as negative offsets.
    const maximum = Math.min(limits.maxPages ?? MAX_PAGES, MAX_PAGES);
    const loaded = await loadPolicy(artifact.wasm, { initial: 5, maximum }, hostBuiltins(artifact.hostBuiltins, state));
    const policy = new WasmPolicy(loaded, state, artifact);
    state.exactArg = (i) => policy.exactArg(i);
    return policy;
  }

  /** The current host call's i-th argument, dumped again and decoded without rounding. */
  private exactArg(i: number): Value {
    const addr = this.argGlobals[i].value as number;
    const at = this.abi.opa_json_dump(addr);
    const bytes = new Uint8Array(this.memory.buffer);
    return readJSON(new TextDecoder().decode(bytes.subarray(at, bytes.indexOf(0, at))));
  }

  /** Current size of the module's linear memory (for tests and metrics). */
  memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** Whether the linear memory (which never shrinks) is far larger than the data needs: after
   *  many writes and deletes, or one large evaluation. A fresh instance would return it. */
  oversized(): boolean {
    return this.memory.buffer.byteLength > 4 * (this.dataHeap - this.baseHeap) + RENEW_SLACK;
  }

  /** Replaces the base documents; everything allocated for earlier ones is reclaimed. If the
   *  module cannot load the new document, the previous one stays, intact. */
  setData(data: Value): void {
    const json = new TextEncoder().encode(toJSONText(data));
    // Loaded first past the current data, so a failure leaves that untouched; then again in place.
    this.abi.opa_heap_ptr_set(this.dataHeap);
    try {
      this.load(json);
    } finally {
      this.abi.opa_heap_ptr_set(this.dataHeap);
    }
    this.abi.opa_heap_ptr_set(this.baseHeap);
    this.dataAddr = this.load(json);
    this.dataHeap = this.abi.opa_heap_ptr_get();
    this.compactAt = 2 * (this.dataHeap - this.baseHeap) + COMPACT_SLACK;
    this.document = data;
  }

  /**
   * The engine changed `path` of the document last given to `setData` in place (`value`
   * undefined: removed). The module's copy is changed the same way with the ABI's
   * `opa_value_add_path`/`opa_value_remove_path`; what the change replaced stays allocated
   * until the data area has doubled, when the whole document is loaded afresh. `json`, when
   * the caller has it, is `value` as JSON text (so a large value is not written out again).
   */
  dataChanged(path: string[], value: Value | undefined, json?: string): void {
    if (this.document === undefined) return;
    if (this.dataHeap - this.baseHeap > this.compactAt) return this.setData(this.document);
    this.abi.opa_heap_ptr_set(this.dataHeap);
    const p = this.load(new TextEncoder().encode(JSON.stringify(path)));
    const rc =
      value === undefined
        ? this.abi.opa_value_remove_path(this.dataAddr, p)
        : this.abi.opa_value_add_path(this.dataAddr, p, this.load(new TextEncoder().encode(json ?? toJSONText(value))));
    this.dataHeap = this.abi.opa_heap_ptr_get();
    // A path through a non-object: the engine replaced it; reload rather than mirror that here.
    if (rc !== 0) this.setData(this.document);
  }

  /** OPA's result set: one object per solution (`{"result": …}` for entrypoints). The input
   *  may be JSON bytes already (a request body), which then go to the module untouched. */
  evaluate(input: Value | Uint8Array | undefined, entrypoint: string, opts: EvalOptions = {}): Value[] {
    const rs = readJSON(this.evaluateJSON(input, entrypoint, opts));
    if (!Array.isArray(rs)) throw new RegoError('internal_error', 'the wasm module returned a malformed result set');
    return rs;
  }

  /** The result set as the module writes it (JSON text), for callers that pass it on. */
  evaluateJSON(input: Value | Uint8Array | undefined, entrypoint: string, opts: EvalOptions = {}): string {
    if (input === undefined || input instanceof Uint8Array) return this.run(input, entrypoint, opts);
    return this.run(new TextEncoder().encode(toJSONText(input)), entrypoint, opts);
  }

  /** Copies JSON bytes into the module and parses them there. */
  private load(json: Uint8Array): number {
    const at = this.abi.opa_malloc(json.byteLength);
    new Uint8Array(this.memory.buffer).set(json, at);
    const v = this.abi.opa_json_parse(at, json.byteLength);
    if (v === 0) throw new RegoError('internal_error', 'the wasm module could not parse a JSON document');
    return v;
  }

  private run(input: Uint8Array | undefined, entrypoint: string, opts: EvalOptions): string {
    const id = this.entrypointIds.get(entrypoint);
    if (id === undefined) throw new RegoError('internal_error', `the wasm module has no entrypoint ${entrypoint}`);
    this.state.strict = opts.strictBuiltinErrors ?? false;
    this.state.ctx = newContext(opts);
    this.state.timeLimitMs = opts.timeLimitMs;
    this.state.deadline = opts.timeLimitMs === undefined ? Infinity : performance.now() + opts.timeLimitMs;
    this.abi.regent_set_strict(this.state.strict ? 1 : 0);
    // The input goes right after the data; the evaluation's heap starts after the input.
    const len = input?.byteLength ?? 0;
    const short = this.dataHeap + len - this.memory.buffer.byteLength;
    if (short > 0) this.memory.grow(Math.ceil(short / 65536));
    if (input) new Uint8Array(this.memory.buffer).set(input, this.dataHeap);
    try {
      const out = this.abi.opa_eval(0, id, this.dataAddr, this.dataHeap, len, this.dataHeap + len, 0);
      const bytes = new Uint8Array(this.memory.buffer);
      return DECODER.decode(bytes.subarray(out, bytes.indexOf(0, out)));
    } catch (e) {
      const at = this.abi.regent_location.value as number;
      throw toRegoError(e, this.artifact.locations[at - 1]);
    } finally {
      this.abi.opa_heap_ptr_set(this.dataHeap);
    }
  }
}

/** The NUL-terminated JSON result set at `at`, integers kept exact. */
const DECODER = new TextDecoder();

function newContext(opts: EvalOptions = {}): HostState['ctx'] {
  return {
    nowNs: opts.nowNs ?? BigInt(Date.now()) * 1_000_000n,
    print: opts.print ?? ((m) => process.stderr.write(m + '\n')),
    cache: new Map(),
    // Unset (the CLI): http.send stays off, DNS lookups work; the service sets it either way.
      http: opts.allowHttpSend === undefined ? undefined : { enabled: opts.allowHttpSend },
  };
}

const ABORT = /^(?:(.*?):(\d+):(\d+): )?(eval_[a-z_]+|rego_[a-z_]+): (.*)$/s;

/** The SDK rethrows `opa_abort` messages as strings; those of the runtime carry OPA's codes. */
export function toRegoError(e: unknown, hostCallSite?: Location): RegoError {
  if (e instanceof RegoError) return e;
  if (e instanceof BuiltinError) return new RegoError(e.code, e.message, hostCallSite);
  const text = typeof e === 'string' ? e : e instanceof Error ? e.message : String(e);
  const m = ABORT.exec(text);
  if (m) {
    const [, file, row, col, code, message] = m;
    const loc = file !== undefined ? { file, row: Number(row), col: Number(col) } : undefined;
    return new RegoError(code as RegoError['code'], message, loc);
  }
  return new RegoError('internal_error', `wasm evaluation failed: ${text}`);
}
