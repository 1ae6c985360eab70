// GraphQL: graphql.parse_query, parse_schema, parse, parse_and_verify, is_valid and
// schema_is_valid, with gqlparser's ASTs as OPA has them. The implementations (gqlparser.ts,
// which says where they differ from OPA) need graphql-js: they load on the first call.
import type { Builtin } from './types';
import { ANY_OBJECT, BOOLEAN, STRING, anyOf, fn, tuple } from './decl';
import { deferred } from './lazy';

const loaded = deferred(() => (require('./gqlparser') as typeof import('./gqlparser')).IMPLS);

const QUERY_OR_SCHEMA = anyOf(STRING, ANY_OBJECT);

export const GRAPHQL: readonly Builtin[] = [
  { name: 'graphql.parse_query', decl: fn([STRING], ANY_OBJECT), impl: loaded('graphql.parse_query') },
  { name: 'graphql.parse_schema', decl: fn([STRING], ANY_OBJECT), impl: loaded('graphql.parse_schema') },
  { name: 'graphql.parse', decl: fn([QUERY_OR_SCHEMA, QUERY_OR_SCHEMA], tuple(ANY_OBJECT, ANY_OBJECT)), impl: loaded('graphql.parse') },
  {
    name: 'graphql.parse_and_verify',
    decl: fn([QUERY_OR_SCHEMA, QUERY_OR_SCHEMA], tuple(BOOLEAN, ANY_OBJECT, ANY_OBJECT)),
    impl: loaded('graphql.parse_and_verify'),
  },
  { name: 'graphql.is_valid', decl: fn([QUERY_OR_SCHEMA, QUERY_OR_SCHEMA], BOOLEAN), impl: loaded('graphql.is_valid') },
  { name: 'graphql.schema_is_valid', decl: fn([QUERY_OR_SCHEMA], BOOLEAN), impl: loaded('graphql.schema_is_valid') },
];
