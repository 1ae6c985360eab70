// The Rego front end's API: source text → AST. Every failure is a `RegoErrors` holding
// `rego_parse_error`s with locations; nothing else escapes, whatever the input.
import type { Body, Location, Module, SourceFile, Term } from './ast';
import { RegoError, RegoErrors } from './errors';
import { ParseFail } from './cursor';
import { ModuleParser } from './rules';

export interface ParseOptions {
  /** Rego syntax version; 1 (the default) is OPA 1.x syntax, 0 the original one. */
  regoVersion?: 0 | 1;
}

export { formatTerm } from './termutil';

/** Parses a module: `package`, imports and rules. */
export function parseModule(src: SourceFile, opts?: ParseOptions): Module {
  return guard(src.text, src.file, opts, (p) => p.parseModule());
}

/** Parses a query body: expressions separated by `;` or newlines (e.g. `data.test.p = x`). */
export function parseQuery(text: string, file = '', opts?: ParseOptions): Body {
  return guard(text, file, opts, (p) => p.parseQuery());
}

/** Parses a single term, e.g. `{"a": {1, 2}}` (conformance `input_term`). */
export function parseTerm(text: string, file = '', opts?: ParseOptions): Term {
  return guard(text, file, opts, (p) => {
    const body = p.parseQuery();
    const start: Location = body[0]?.loc ?? p.currentLoc();
    if (body.length !== 1) throw new ParseFail(`expected exactly one term but got ${body.length}`, start, 0);
    const e = body[0];
    const b = e.body;
    const isTerm =
      !e.negated &&
      e.with.length === 0 &&
      b.type === 'term' &&
      !(b.term.type === 'call' && b.term.op.terms.length === 1 && b.term.op.terms[0].type === 'var' && (b.term.op.terms[0].name === 'assign' || b.term.op.terms[0].name === 'eq'));
    if (!isTerm || b.type !== 'term') throw new ParseFail('expected term', start, 0);
    return b.term;
  });
}

function guard<T>(text: string, file: string, opts: ParseOptions | undefined, fn: (p: ModuleParser) => T): T {
  let p: ModuleParser | undefined;
  const where = (): Location => p?.currentLoc() ?? { file, row: 1, col: 1 };
  try {
    p = new ModuleParser(text, file, opts?.regoVersion ?? 1);
    return fn(p);
  } catch (e) {
    if (e instanceof RegoErrors) throw e;
    if (e instanceof ParseFail) throw new RegoErrors([new RegoError('rego_parse_error', e.message, e.loc)]);
    // The depth limit keeps recursion far from the stack's end; this is a last resort.
    if (e instanceof RangeError) throw new RegoErrors([new RegoError('rego_parse_error', 'max parsing recursion depth exceeded', where())]);
    // A bug in the parser: still report it as a parse error rather than crash the caller.
    const message = e instanceof Error ? e.message : String(e);
    throw new RegoErrors([new RegoError('rego_parse_error', `internal parser error: ${message}`, where())]);
  }
}
