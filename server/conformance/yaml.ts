// YAML/JSON loading that keeps integer precision. OPA reads case files and data documents as
// arbitrary-precision JSON numbers; js-yaml's stock int tag would round integers beyond 2^53, so
// we replace it with one that yields a bigint whenever the number is not exactly representable.
import { CORE_SCHEMA, NOT_RESOLVED, defineScalarTag, floatCoreTag, intCoreTag, load } from 'js-yaml';
import { numberFromText } from '../value/value';

const INT_TAG = 'tag:yaml.org,2002:int';

/** The exact integer for YAML integer text (`-12`, `+7`, `0x1F`, `0o17`, `0b101`). */
function exactInteger(source: string): bigint {
  const negative = source.startsWith('-');
  const digits = source.replace(/^[-+]/, '');
  const magnitude = BigInt(digits); // BigInt understands the 0x/0o/0b prefixes itself
  return negative ? -magnitude : magnitude;
}

const preciseIntTag = defineScalarTag<number | bigint>(INT_TAG, {
  implicit: true,
  implicitFirstChars: intCoreTag.implicitFirstChars,
  resolve: (source, isExplicit, tagName) => {
    const n = intCoreTag.resolve(source, isExplicit, tagName);
    if (n === NOT_RESOLVED) return NOT_RESOLVED;
    return Number.isSafeInteger(n) ? n : exactInteger(source);
  },
  identify: (x: unknown) => typeof x === 'bigint' || intCoreTag.identify(x),
  represent: (x: unknown) => String(x),
});

const FLOAT_TAG = 'tag:yaml.org,2002:float';
const DECIMAL = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** Decimal floats by numberFromText's rule, as JSON's are (`1e400` is that integer, not the
 *  string js-yaml makes of a float it cannot hold); `.inf` and `.nan` as YAML has them. */
const preciseFloatTag = defineScalarTag<number | bigint>(FLOAT_TAG, {
  implicit: true,
  implicitFirstChars: floatCoreTag.implicitFirstChars,
  resolve: (source, isExplicit, tagName) => {
    if (DECIMAL.test(source)) return numberFromText(source.replace(/^\+/, ''));
    return floatCoreTag.resolve(source, isExplicit, tagName);
  },
  identify: (x: unknown) => floatCoreTag.identify(x),
  represent: (x: unknown) => String(x),
});

const SCHEMA = CORE_SCHEMA.withTags(preciseIntTag, preciseFloatTag);

/**
 * Parses one YAML (or JSON) document into plain JS data: objects, arrays, strings, booleans,
 * null, numbers, and bigints for integers that a JS number cannot hold exactly.
 * With `json: true` duplicate keys override instead of failing, as `JSON.parse` does.
 */
export function parseYaml(text: string, file?: string, opts: { json?: boolean } = {}): unknown {
  return load(text, { schema: SCHEMA, filename: file, json: opts.json ?? false });
}
