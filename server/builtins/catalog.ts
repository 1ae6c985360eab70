// The builtin catalog: every family's builtins by name. It only lists; each family file holds
// its declarations and implementations side by side.
import type { Builtin } from './types';
import { AGGREGATES } from './aggregates';
import { ARITHMETIC } from './arithmetic';
import { ARRAYS } from './arrays';
import { BITS } from './bits';
import { COMPARISON } from './comparison';
import { CONVERSIONS } from './conversions';
import { CRYPTO } from './crypto';
import { GRAPH } from './graph';
import { JWT } from './jwt';
import { HTTP } from './http';
import { JSON_SCHEMA } from './jsonschema';
import { RUNTIME } from './runtime';
import { DEPRECATED } from './deprecated';
import { ENCODING } from './encoding';
import { GLOB } from './glob';
import { JSON_BUILTINS } from './json';
import { MEMBERSHIP } from './membership';
import { NET } from './net';
import { OBJECTS } from './objects';
import { REGEX } from './regex';
import { SEMVER } from './semver';
import { SETS } from './sets';
import { STRINGS } from './strings';
import { TIME } from './time';
import { TYPE_NAMES } from './typenames';
import { UNITS } from './units';
import { YAML_BUILTINS } from './yaml';
import { REGO } from './rego';
import { X509 } from './x509';
import { AWS } from './aws';
import { TEMPLATE } from './template';
import { UUID } from './uuid';
import { GRAPHQL } from './graphql';

const FAMILIES: ReadonlyArray<readonly Builtin[]> = [
  DEPRECATED,
  CRYPTO,
  GRAPH,
  JWT,
  HTTP,
  JSON_SCHEMA,
  RUNTIME,
  COMPARISON,
  ARITHMETIC,
  BITS,
  SETS,
  AGGREGATES,
  ARRAYS,
  TYPE_NAMES,
  CONVERSIONS,
  STRINGS,
  MEMBERSHIP,
  OBJECTS,
  ENCODING,
  JSON_BUILTINS,
  YAML_BUILTINS,
  REGEX,
  GLOB,
  NET,
  SEMVER,
  UNITS,
  TIME,
  REGO,
  X509,
  AWS,
  TEMPLATE,
  UUID,
  GRAPHQL,
];

function index(): Map<string, Builtin> {
  const m = new Map<string, Builtin>();
  for (const family of FAMILIES) {
    for (const b of family) {
      if (m.has(b.name)) throw new Error(`builtin ${b.name} is declared twice`);
      m.set(b.name, b);
    }
  }
  return m;
}

export const BUILTINS: ReadonlyMap<string, Builtin> = index();

export function lookupBuiltin(name: string): Builtin | undefined {
  return BUILTINS.get(name);
}
