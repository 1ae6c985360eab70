// Where evaluations run: the seam between the engine (what to evaluate) and threads (where).
// `InlineRunner` evaluates on the calling thread (the CLI, tests, embedding); `WorkerPool` on
// worker threads with hard time and memory limits (the service, so that no evaluation can stall
// or crash the thread that answers HTTP). Requests and answers are plain data either way.
import type { RegoError } from '../../rego/errors';
import type { BuildRequest, PolicySet } from '../policy-set';
import type { EvalReply } from '../evaluator';
import type { EvalOptions } from '../wasm-policy';

/** `print` cannot cross threads: workers write to stderr. */
export type WireEvalOptions = Omit<EvalOptions, 'print'>;

export type Request =
  /** `input`: the input's JSON bytes as a latin1 string (one char per byte). A one-byte string
   *  crosses threads as a plain copy, where a Uint8Array view would take its whole underlying
   *  buffer along (often a socket's 64 KiB chunk). */
  | { t: 'eval'; entrypoints: string[]; input?: string; opts: WireEvalOptions }
  | { t: 'query'; text: string; input?: string; opts: WireEvalOptions };

/** `eval`: the evaluator's reply (result sets or a group's, as JSON text); `query`: the
 *  solutions as JSON text. */
export type Reply = EvalReply | string;

/** Ad-hoc queries come from any client with any cost: they may never take every worker. */
export type Lane = 'decision' | 'adhoc';

export interface Runner {
  /** Compiles modules into a policy set (off the serving thread where there is one). */
  build(request: BuildRequest): Promise<PolicySet>;
  /** Installs a built set everywhere evaluations run; resolves once every place has it. */
  install(set: PolicySet): Promise<void>;
  /** Replaces the base data (JSON text of an object). */
  setData(json: string): Promise<void>;
  /** Writes (json) or removes (undefined) the document at `path`; rejects, with nothing changed
   *  anywhere, when an evaluator cannot take it. */
  edit(path: string[], json: string | undefined): Promise<void>;
  run(request: Request, lane: Lane): Promise<Reply>;
  close(): Promise<void>;
}

/** A RegoError as plain data, to cross a thread boundary (see `wireError` / `fromWire`). */
export interface WireError {
  errors?: Array<ReturnType<RegoError['toJSON']>>;
  /** One RegoError (not a list of them), or a plain failure. */
  single?: boolean;
  message: string;
}
