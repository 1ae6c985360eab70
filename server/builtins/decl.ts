// Shorthands for declaring builtin signatures in the shape of OPA's capabilities JSON.
// Only data is built here; nothing checks types (that is the compiler's job).
import type { FunctionType, Type } from './types';

export const ANY: Type = { type: 'any' };
export const NUMBER: Type = { type: 'number' };
export const STRING: Type = { type: 'string' };
export const BOOLEAN: Type = { type: 'boolean' };
export const NULL: Type = { type: 'null' };

export function arrayOf(t: Type): Type {
  return { type: 'array', dynamic: t };
}

export function tuple(...ts: Type[]): Type {
  return { type: 'array', static: ts };
}

export function setOf(t: Type): Type {
  return { type: 'set', of: t };
}

export function objectOf(key: Type, value: Type): Type {
  return { type: 'object', dynamic: { key, value } };
}

export function anyOf(...ts: Type[]): Type {
  return { type: 'any', of: ts };
}

export function fn(args: Type[], result: Type): FunctionType {
  return { type: 'function', args, result };
}

export const ANY_ARRAY = arrayOf(ANY);
export const ANY_SET = setOf(ANY);
export const ANY_OBJECT = objectOf(ANY, ANY);
export const STRING_ARRAY = arrayOf(STRING);
export const STRING_SET = setOf(STRING);
/** The collection types most functions over "a collection" accept. */
export const ANY_COLLECTION = anyOf(ANY_ARRAY, ANY_OBJECT, ANY_SET);
