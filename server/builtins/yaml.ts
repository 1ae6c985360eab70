// YAML builtins. OPA converts through JSON with Go's YAML 1.1 library (sigs.k8s.io/yaml), so
// loading uses js-yaml's YAML 1.1 schema (yes/no are booleans) and dumping sorts keys, does not
// indent sequences under keys, and quotes strings that would read back as another type.
// js-yaml loads, and the schemas are built, on the first call.
import type * as Yaml from 'js-yaml';
import type { Builtin } from './types';
import { lazy } from './lazy';
import { ANY, BOOLEAN, STRING, fn } from './decl';
import { builtinError, str } from './operands';
import { formatG } from './gofmt';
import { ObjectValue, SetValue, fromJS, keyString, type Value } from '../value/value';

type ScalarTag = NonNullable<ReturnType<Yaml.Schema['lookupScalarTag']>>;

const INT_TAG = 'tag:yaml.org,2002:int';
const FLOAT_TAG = 'tag:yaml.org,2002:float';
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The schema's int tag, extended so integers beyond 2^53 load and dump exactly as bigints. */
function exactInts(yaml: typeof Yaml, schema: Yaml.Schema): ScalarTag {
  const base = schema.lookupScalarTag(INT_TAG) as ScalarTag;
  return yaml.defineScalarTag<unknown>(INT_TAG, {
    implicit: base.implicit,
    implicitFirstChars: base.implicitFirstChars,
    matchByTagPrefix: base.matchByTagPrefix,
    resolve: (src, explicit, name) => {
      const t = src.replace(/_/g, '');
      if (/^[-+]?\d+$/.test(t)) {
        const b = BigInt(t);
        if (b > MAX_SAFE || b < -MAX_SAFE) return b;
      }
      return base.resolve(src, explicit, name);
    },
    identify: (d: unknown) => typeof d === 'bigint' || base.identify(d),
    represent: (d: unknown) => (typeof d === 'bigint' ? d.toString() : base.represent(d)),
  });
}

/** The float tag printing like Go (1e+21, 1.5), not js-yaml's 1.e+21. */
function goFloats(yaml: typeof Yaml, schema: Yaml.Schema): ScalarTag {
  const base = schema.lookupScalarTag(FLOAT_TAG) as ScalarTag;
  return yaml.defineScalarTag<unknown>(FLOAT_TAG, {
    implicit: base.implicit,
    implicitFirstChars: base.implicitFirstChars,
    matchByTagPrefix: base.matchByTagPrefix,
    resolve: base.resolve,
    identify: base.identify,
    represent: (d: unknown) => (typeof d === 'number' && Number.isFinite(d) ? formatG(d) : base.represent(d)),
  });
}

const jsYaml = lazy(() => {
  const yaml = require('js-yaml') as typeof Yaml;
  return {
    yaml,
    // Timestamps stay strings: Go's YAML-to-JSON conversion does not turn them into dates.
    loadSchema: new yaml.Schema(
      yaml.YAML11_SCHEMA.withTags(exactInts(yaml, yaml.YAML11_SCHEMA)).tags.filter((t) => t.tagName !== 'tag:yaml.org,2002:timestamp'),
    ),
    dumpSchema: yaml.DUMP_SCHEMA.withTags(exactInts(yaml, yaml.DUMP_SCHEMA), goFloats(yaml, yaml.DUMP_SCHEMA)),
  };
});

/** Plain JS data as OPA's JSON conversion sees a value: sets as arrays, keys as strings. */
function toYAMLData(v: Value): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(toYAMLData);
  if (v instanceof SetValue) return v.values().map(toYAMLData);
  const o: Record<string, unknown> = {};
  for (const [k, x] of (v as ObjectValue).entries()) {
    // defineProperty, so a "__proto__" key is data and not the prototype.
    Object.defineProperty(o, keyString(k), { value: toYAMLData(x), enumerable: true, writable: true, configurable: true });
  }
  return o;
}

function load(s: string): Value {
  // Only the first document counts, as with Go's yaml.Unmarshal; an empty source is null.
  const { yaml, loadSchema } = jsYaml();
  const docs = yaml.loadAll(s, { schema: loadSchema });
  const doc = docs.length === 0 ? null : docs[0];
  // Aliases share nodes; expanded into a tree they can grow exponentially ("billion laughs").
  // Like Go's YAML library, refuse a document that expands far beyond its own size.
  const budget = { left: 10_000 + 100 * s.length };
  return fromYAMLData(doc, budget);
}

function fromYAMLData(x: unknown, budget: { left: number }): Value {
  if (--budget.left < 0) throw new Error('yaml: document contains excessive aliasing');
  if (typeof x === 'number' && !Number.isFinite(x)) throw new Error(`json: unsupported value: ${x}`);
  if (Array.isArray(x)) return x.map((v) => fromYAMLData(v, budget));
  if (x !== null && typeof x === 'object' && !(x instanceof Date)) {
    const o = new ObjectValue();
    for (const [k, v] of Object.entries(x as Record<string, unknown>)) o.set(k, fromYAMLData(v, budget));
    return o;
  }
  return fromJS(x);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}

export const YAML_BUILTINS: Builtin[] = [
  {
    name: 'yaml.marshal',
    decl: fn([ANY], STRING),
    impl: ([x]) => {
      const { yaml, dumpSchema } = jsYaml();
      return yaml.dump(toYAMLData(x), { schema: dumpSchema, sortKeys: true, seqNoIndent: true, lineWidth: -1 });
    },
  },
  {
    name: 'yaml.unmarshal',
    decl: fn([STRING], ANY),
    impl: (args) => {
      const s = str('yaml.unmarshal', args, 0);
      try {
        return load(s);
      } catch (e) {
        throw builtinError('yaml.unmarshal', message(e));
      }
    },
  },
  {
    name: 'yaml.is_valid',
    decl: fn([STRING], BOOLEAN),
    impl: ([s]) => {
      if (typeof s !== 'string') return false;
      try {
        load(s);
        return true;
      } catch {
        return false;
      }
    },
  },
];
