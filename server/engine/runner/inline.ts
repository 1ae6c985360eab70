// Evaluations on the calling thread: nothing to start, nothing to stop; a long evaluation blocks
// the caller until its time limit. For the CLI, tests and programs embedding the engine.
import { Evaluator, type EvaluatorLimits } from '../evaluator';
import { readJSON } from '../../value/json';
import { PolicyBuilder, type BuildRequest, type PolicySet } from '../policy-set';
import type { Reply, Request, Runner } from './runner';

export class InlineRunner implements Runner {
  private readonly evaluator: Evaluator;
  private readonly builder = new PolicyBuilder();

  constructor(limits: EvaluatorLimits = {}) {
    this.evaluator = new Evaluator(limits);
  }

  build(request: BuildRequest): Promise<PolicySet> {
    return this.builder.build(request);
  }

  install(set: PolicySet): Promise<void> {
    return this.evaluator.install(set);
  }

  async setData(json: string): Promise<void> {
    this.evaluator.setData(json);
  }

  async edit(path: string[], json: string | undefined): Promise<void> {
    this.evaluator.edit(path, json);
  }

  async run(r: Request): Promise<Reply> {
    return perform(this.evaluator, r);
  }

  async close(): Promise<void> {}
}

/** Carries out one request on an evaluator (here, or in a worker). */
export function perform(evaluator: Evaluator, r: Request): Reply {
  if (r.t === 'eval') {
    const input = r.input === undefined ? undefined : Buffer.from(r.input, 'latin1');
    return evaluator.evaluateRaw(r.entrypoints, input, r.opts);
  }
  return evaluator.query(r.text, r.input === undefined ? undefined : readJSON(r.input), r.opts);
}
