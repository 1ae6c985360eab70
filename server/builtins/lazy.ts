// Loading what a builtin family needs on the family's first call instead of when the catalog is
// read: heavy npm packages (graphql-js, Ajv, re2-wasm, js-yaml) and the large reimplementations of
// Go libraries (text/template, crypto/x509). Every compile reads the catalog (names and
// declarations); few policies call these builtins, and loading them all costs a one-shot
// `regent eval` more than the evaluation itself.
import type { BuiltinImpl } from './types';

/** `load()`'s result, computed on the first call and kept. */
export function lazy<T>(load: () => T): () => T {
  let loaded: { value: T } | undefined;
  return () => (loaded ??= { value: load() }).value;
}

/**
 * For a family file that declares its builtins and keeps their implementations in a module of
 * their own: `load` requires that module and returns the implementations by builtin name; the
 * result makes the catalog's `impl` for a name, which loads the module on its first call.
 */
export function deferred(load: () => Readonly<Record<string, BuiltinImpl>>): (name: string) => BuiltinImpl {
  const impls = lazy(load);
  return (name) => (args, ctx) => impls()[name](args, ctx);
}

/** node:crypto, whose first load costs a one-shot evaluation more than all the small families
 *  together: the digest, HMAC, JWT, AWS-signing and random builtins load it on their first call. */
export const nodeCrypto = lazy(() => require('node:crypto') as typeof import('node:crypto'));
