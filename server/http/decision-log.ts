// Decision logs: one JSON line per decision (`decision_id`, `path`, `input`, `result`,
// `timestamp`, `metrics`), to stdout or a file, with `--decision-log-mask` paths removed from
// the input first (e.g. `/request/object/data` to keep Secret contents out of logs).
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { ObjectValue, toJSONText, type Value } from '../value/value';

export interface DecisionLogOptions {
  /** `console`, or `file:PATH`. */
  sink: string;
  /** JSON-pointer-like paths into the input to drop. */
  mask?: string[];
}

export class DecisionLogger {
  private readonly write: (line: string) => void;
  private readonly mask: string[][];

  constructor(opts: DecisionLogOptions) {
    if (opts.sink === 'console') this.write = (line) => process.stdout.write(line + '\n');
    else if (opts.sink.startsWith('file:')) {
      const fd = fs.openSync(opts.sink.slice(5), 'a');
      this.write = (line) => fs.writeSync(fd, line + '\n');
    } else throw new Error(`--decision-log must be console or file:PATH (got ${opts.sink})`);
    this.mask = (opts.mask ?? []).map((m) => m.split('/').filter((s) => s !== ''));
  }

  log(path: string, input: Value | undefined, result: Value | undefined, evalNs: number): void {
    const entry = new ObjectValue();
    entry.set('decision_id', randomUUID());
    entry.set('path', path);
    if (input !== undefined) entry.set('input', this.masked(input));
    if (result !== undefined) entry.set('result', result);
    entry.set('timestamp', new Date().toISOString());
    entry.set('metrics', ObjectValue.fromEntries([['timer_rego_query_eval_ns', evalNs]]));
    this.write(toJSONText(entry));
  }

  private masked(input: Value): Value {
    let out = input;
    for (const path of this.mask) out = without(out, path);
    return out;
  }
}

/** A copy of `v` without the value at `path` (unchanged if there is none). */
function without(v: Value, path: string[]): Value {
  if (!(v instanceof ObjectValue) || path.length === 0 || !v.has(path[0])) return v;
  const copy = v.clone();
  if (path.length === 1) copy.delete(path[0]);
  else copy.set(path[0], without(v.get(path[0]) as Value, path.slice(1)));
  return copy;
}
