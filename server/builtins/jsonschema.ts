// JSON Schema: json.verify_schema and json.match_schema, validated with Ajv (draft-07 and
// 2019-09 keywords; OPA uses gojsonschema, so error wording differs while the shape matches:
// `{"error", "type", "field", "desc"}`). Ajv loads on the first call.
import type { default as Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { Builtin } from './types';
import { lazy } from './lazy';
import { ANY, BOOLEAN, NULL, STRING, anyOf, arrayOf, fn, objectOf, tuple } from './decl';
import { builtinError, typeError } from './operands';
import { parseJSON } from './json';
import { ObjectValue, toJS, type Value } from '../value/value';

const ajv = lazy((): Ajv => {
  const { default: Ajv } = require('ajv') as typeof import('ajv');
  return new Ajv({ allErrors: true, strict: false, validateFormats: false });
});
const cache = new Map<string, ValidateFunction>();

/** A schema given as JSON text or as a value. */
function schemaJS(name: string, pos: number, v: Value): unknown {
  if (typeof v === 'string') {
    try {
      return toJS(parseJSON(v));
    } catch (e) {
      throw builtinError(name, `invalid JSON: ${(e as Error).message}`);
    }
  }
  if (v instanceof ObjectValue || typeof v === 'boolean') return toJS(v);
  throw typeError(name, pos, v, 'string', 'object', 'boolean');
}

function compile(schema: unknown): ValidateFunction {
  const key = JSON.stringify(schema);
  let v = cache.get(key);
  if (!v) {
    v = ajv().compile(schema as object);
    if (cache.size > 100) cache.delete(cache.keys().next().value as string);
    cache.set(key, v);
  }
  return v;
}

function field(e: ErrorObject): string {
  const path = e.instancePath.split('/').filter((s) => s !== '').join('.');
  const missing = e.keyword === 'required' ? (e.params as { missingProperty?: string }).missingProperty : undefined;
  if (missing !== undefined) return path === '' ? missing : `${path}.${missing}`;
  return path === '' ? '(root)' : path;
}

export const JSON_SCHEMA: readonly Builtin[] = [
  {
    name: 'json.verify_schema',
    decl: fn([anyOf(STRING, objectOf(ANY, ANY), BOOLEAN)], tuple(BOOLEAN, anyOf(NULL, STRING))),
    impl: (args) => {
      const schema = schemaJS('json.verify_schema', 1, args[0]);
      try {
        compile(schema);
        return [true, null];
      } catch (e) {
        return [false, (e as Error).message];
      }
    },
  },
  {
    name: 'json.match_schema',
    decl: fn([ANY, anyOf(STRING, objectOf(ANY, ANY), BOOLEAN)], tuple(BOOLEAN, arrayOf(objectOf(STRING, ANY)))),
    impl: (args) => {
      const name = 'json.match_schema';
      const doc = typeof args[0] === 'string' ? schemaJS(name, 1, args[0]) : toJS(args[0]);
      let validate: ValidateFunction;
      try {
        validate = compile(schemaJS(name, 2, args[1]));
      } catch (e) {
        throw builtinError(name, `invalid schema: ${(e as Error).message}`);
      }
      if (validate(doc)) return [true, []];
      const errors = (validate.errors ?? []).map((e) => {
        const f = field(e);
        const desc = e.message ?? e.keyword;
        return ObjectValue.fromEntries([
          ['error', `${f}: ${desc}`],
          ['type', e.keyword],
          ['field', f],
          ['desc', desc],
        ]);
      });
      return [false, errors];
    },
  },
];
