// Option definitions shared by several commands.
import { InvalidArgumentError, Option } from 'commander';
import type { EngineName } from '../engine/query';

/** The executor when `--engine` is not given, except for the one-shot commands below: WASM, what
 *  the service (`regent run`) serves with, and so what `regent conformance` measures. */
export const PRODUCTION_ENGINE: EngineName = 'wasm';

/** The executor of the one-shot commands, `regent eval` and `regent test`: the interpreter, as
 *  `opa eval` and `opa test` interpret. Compiling to WASM (binaryen alone takes about a second to
 *  load) costs more than one evaluation or one test run gains. */
export const ONE_SHOT_ENGINE: EngineName = 'interp';

const ENGINES: readonly EngineName[] = ['interp', 'wasm'];

export function engineOption(defaultEngine: EngineName = PRODUCTION_ENGINE): Option {
  return new Option('--engine <engine>', 'executor for the compiled plan').choices(ENGINES).default(defaultEngine);
}

/** Commander's accumulator for repeatable options (`-d a -d b`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Parses a `--filter` argument, turning a bad pattern into a usage error. */
export function regexArgument(value: string): RegExp {
  try {
    return new RegExp(value);
  } catch (e) {
    throw new InvalidArgumentError(e instanceof Error ? e.message : String(e));
  }
}

/** `250ms`, `10s`, `1m` (or plain milliseconds) → milliseconds; `0` means no limit. */
export function parseDurationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError(`expected a duration like 500ms, 10s or 1m, got ${text}`);
  const n = Number(m[1]);
  return m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n;
}
