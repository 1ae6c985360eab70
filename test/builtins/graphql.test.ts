// graphql.*: gqlparser-shaped ASTs (as OPA returns them) from graphql-js parsing and validation.
import { GRAPHQL } from '../../server/builtins/graphql';
import { BuiltinError } from '../../server/builtins/types';
import { runQuery } from '../../server/engine/query';
import { RegoError } from '../../server/rego/errors';
import { ObjectValue, toJS, type Value } from '../../server/value/value';
import { context, show, v } from './helpers';

// Called from the family itself, so these tests do not depend on the catalog's listing.
function call(name: string, ...args: Value[]): Value | undefined {
  const b = GRAPHQL.find((x) => x.name === name);
  if (b === undefined) throw new Error(`no builtin ${name}`);
  return b.impl(args, context());
}

const js = (name: string, ...args: Value[]): unknown => {
  const r = call(name, ...args);
  return r === undefined ? undefined : toJS(r);
};

function errorOf(name: string, ...args: Value[]): BuiltinError {
  try {
    throw new Error(`${name} returned ${show(call(name, ...args))}`);
  } catch (e) {
    if (e instanceof BuiltinError) return e;
    throw e;
  }
}

const SCHEMA = `
  type Employee {
    id: String!
    salary: Int!
  }
  schema {
    query: Query
  }
  type Query {
    employeeByID(id: String): Employee
  }
`;

const STAR_WARS = `
  enum Episode { NEWHOPE, EMPIRE, JEDI }
  interface Character { id: ID! name: String friends: [Character] }
  type Human implements Character { id: ID! name: String friends: [Character] height: Float }
  type Droid implements Character { id: ID! name: String friends: [Character] primaryFunction: String }
  union SearchResult = Human | Droid
  type Query {
    hero(episode: Episode!): Character
    search(text: String): [SearchResult]
  }
`;

const value = (kind: number, raw: string, extra: object = {}): object => ({ ExpectedTypeHasDefault: false, Kind: kind, Raw: raw, ...extra });

describe('graphql.parse_query', () => {
  it('returns operations and selections with gqlparser field names, nulls and empties pruned', () => {
    expect(js('graphql.parse_query', '{hero {name}}')).toEqual({
      Operations: [{ Name: '', Operation: 'query', SelectionSet: [{ Alias: 'hero', Name: 'hero', SelectionSet: [{ Alias: 'name', Name: 'name' }] }] }],
    });
  });

  it('covers variables, arguments, aliases, directives and fragments', () => {
    const ast = js(
      'graphql.parse_query',
      `query HeroForEpisode($ep: Episode! = JEDI, $ids: [ID!]) {
        main: hero(episode: $ep) @include(if: true) {
          name
          ... on Droid { primaryFunction }
          ...humanFields
        }
      }
      fragment humanFields on Human { height }`,
    );
    expect(ast).toEqual({
      Operations: [
        {
          Name: 'HeroForEpisode',
          Operation: 'query',
          VariableDefinitions: [
            { DefaultValue: value(7, 'JEDI'), Type: { NamedType: 'Episode', NonNull: true }, Used: false, Variable: 'ep' },
            { Type: { Elem: { NamedType: 'ID', NonNull: true }, NamedType: '', NonNull: false }, Used: false, Variable: 'ids' },
          ],
          SelectionSet: [
            {
              Alias: 'main',
              Name: 'hero',
              Arguments: [{ Name: 'episode', Value: value(0, 'ep') }],
              Directives: [{ Arguments: [{ Name: 'if', Value: value(5, 'true') }], Location: '', Name: 'include' }],
              SelectionSet: [
                { Alias: 'name', Name: 'name' },
                { SelectionSet: [{ Alias: 'primaryFunction', Name: 'primaryFunction' }], TypeCondition: 'Droid' },
                { Name: 'humanFields' },
              ],
            },
          ],
        },
      ],
      Fragments: [{ Name: 'humanFields', SelectionSet: [{ Alias: 'height', Name: 'height' }], TypeCondition: 'Human' }],
    });
  });

  it('maps every value kind to gqlparser numbering, with Raw and Children', () => {
    const ast = js('graphql.parse_query', '{ f(a: 1, b: 2.5, c: "s", d: """block""", e: false, n: null, o: {k: [RED, $v]}) }') as {
      Operations: Array<{ SelectionSet: Array<{ Arguments: unknown[] }> }>;
    };
    expect(ast.Operations[0].SelectionSet[0].Arguments).toEqual([
      { Name: 'a', Value: value(1, '1') },
      { Name: 'b', Value: value(2, '2.5') },
      { Name: 'c', Value: value(3, 's') },
      { Name: 'd', Value: value(4, 'block') },
      { Name: 'e', Value: value(5, 'false') },
      { Name: 'n', Value: value(6, 'null') },
      {
        Name: 'o',
        Value: value(9, '', {
          Children: [{ Name: 'k', Value: value(8, '', { Children: [{ Name: '', Value: value(7, 'RED') }, { Name: '', Value: value(0, 'v') }] }) }],
        }),
      },
    ]);
  });

  it('keeps fragment variables, inline fragments without a type and anonymous mutations', () => {
    expect(js('graphql.parse_query', 'fragment a($v: Boolean = false) on t { f(v: $v) }')).toEqual({
      Fragments: [
        {
          Name: 'a',
          SelectionSet: [{ Alias: 'f', Arguments: [{ Name: 'v', Value: value(0, 'v') }], Name: 'f' }],
          TypeCondition: 't',
          VariableDefinition: [{ DefaultValue: value(5, 'false'), Type: { NamedType: 'Boolean', NonNull: false }, Used: false, Variable: 'v' }],
        },
      ],
    });
    expect(js('graphql.parse_query', 'mutation { ... @skip(if: $x) { id } }')).toEqual({
      Operations: [
        {
          Name: '',
          Operation: 'mutation',
          SelectionSet: [
            { Directives: [{ Arguments: [{ Name: 'if', Value: value(0, 'x') }], Location: '', Name: 'skip' }], SelectionSet: [{ Alias: 'id', Name: 'id' }], TypeCondition: '' },
          ],
        },
      ],
    });
  });

  it('an empty document is an empty object', () => {
    expect(js('graphql.parse_query', '  # only a comment\n')).toEqual({});
  });

  it.each([
    ['{', 'graphql.parse_query: Expected Name, found <EOF> in GraphQL string at location 1:2'],
    ['{ field: {} }', 'graphql.parse_query: Expected Name, found { in GraphQL string at location 1:10'],
    ['notanoperation Foo { field }', 'graphql.parse_query: Unexpected Name "notanoperation" in GraphQL string at location 1:1'],
    ['...', 'graphql.parse_query: Unexpected ... in GraphQL string at location 1:1'],
    ['{ ...MissingOn }\nfragment MissingOn Type', 'graphql.parse_query: Expected "on", found Name "Type" in GraphQL string at location 2:20'],
    ['query Foo($x: Complex = { a: { b: [ $var ] } }) { field }', 'graphql.parse_query: Unexpected $ in GraphQL string at location 1:37'],
    ['{...{__typename{...{}}}}', 'graphql.parse_query: expected at least one definition, found } in GraphQL string at location 1:21'],
    ['{__typename{...}}', 'graphql.parse_query: Expected {, found } in GraphQL string at location 1:16'],
    ['type Query { a: Int }', 'graphql.parse_query: Unexpected Name "type" in GraphQL string at location 1:1'],
    ['{ a }\n"described" query B { b }', 'graphql.parse_query: Unexpected String "described" in GraphQL string at location 2:1'],
    ['query ("d" $v: Int) { a }', 'graphql.parse_query: Unexpected String "d" in GraphQL string at location 1:8'],
  ])('%j is a builtin error', (text, message) => {
    const e = errorOf('graphql.parse_query', text);
    expect(e.code).toBe('eval_builtin_error');
    expect(e.message).toBe(message);
  });

  it('refuses a non-string operand with OPA\'s type error', () => {
    expect(errorOf('graphql.parse_query', 1).message).toBe('graphql.parse_query: operand 1 must be string but got number');
  });
});

describe('graphql.parse_schema', () => {
  it('returns definitions, directives and schema definitions', () => {
    const ast = js(
      'graphql.parse_schema',
      `
      """
      A greeting
      """
      type Hello implements & Wo & rld @deprecated {
        world(flag: Boolean = true, things: [String]): String!
      }
      input In { x: Int = 3 }
      enum Color { RED "dark" BLUE }
      union U = | A | B
      scalar S
      directive @foo(a: Int) repeatable on FIELD | QUERY
      schema { query: Hello }
      extend schema @foo
      extend type Hello { more: Int }
      `,
    );
    expect(ast).toEqual({
      Definitions: [
        {
          BuiltIn: false,
          Description: 'A greeting',
          Directives: [{ Location: '', Name: 'deprecated' }],
          Fields: [
            {
              Arguments: [
                { DefaultValue: value(5, 'true'), Description: '', Name: 'flag', Type: { NamedType: 'Boolean', NonNull: false } },
                { Description: '', Name: 'things', Type: { Elem: { NamedType: 'String', NonNull: false }, NamedType: '', NonNull: false } },
              ],
              Description: '',
              Name: 'world',
              Type: { NamedType: 'String', NonNull: true },
            },
          ],
          Interfaces: ['Wo', 'rld'],
          Kind: 'OBJECT',
          Name: 'Hello',
        },
        {
          BuiltIn: false,
          Description: '',
          Fields: [{ DefaultValue: value(1, '3'), Description: '', Name: 'x', Type: { NamedType: 'Int', NonNull: false } }],
          Kind: 'INPUT_OBJECT',
          Name: 'In',
        },
        {
          BuiltIn: false,
          Description: '',
          EnumValues: [
            { Description: '', Name: 'RED' },
            { Description: 'dark', Name: 'BLUE' },
          ],
          Kind: 'ENUM',
          Name: 'Color',
        },
        { BuiltIn: false, Description: '', Kind: 'UNION', Name: 'U', Types: ['A', 'B'] },
        { BuiltIn: false, Description: '', Kind: 'SCALAR', Name: 'S' },
      ],
      Directives: [
        {
          Arguments: [{ Description: '', Name: 'a', Type: { NamedType: 'Int', NonNull: false } }],
          Description: '',
          IsRepeatable: true,
          Locations: ['FIELD', 'QUERY'],
          Name: 'foo',
        },
      ],
      Schema: [{ Description: '', OperationTypes: [{ Operation: 'query', Type: 'Hello' }] }],
      SchemaExtension: [{ Description: '', Directives: [{ Location: '', Name: 'foo' }] }],
      Extensions: [
        { BuiltIn: false, Description: '', Fields: [{ Description: '', Name: 'more', Type: { NamedType: 'Int', NonNull: false } }], Kind: 'OBJECT', Name: 'Hello' },
      ],
    });
  });

  it.each([
    ['type Hello {}', 'graphql.parse_schema: expected at least one definition, found } in GraphQL string at location 1:13'],
    ['extend type Hello', 'graphql.parse_schema: Unexpected <EOF> in GraphQL string at location 1:18'],
    ['\n  "Description"\n  extend type Hello { world: String }', 'graphql.parse_schema: Unexpected String "Description" in GraphQL string at location 2:3'],
    ['extend "Description" type Hello { a: Int }', 'graphql.parse_schema: Unexpected String "Description" in GraphQL string at location 1:8'],
    ['union Hello = Wo || Rld', 'graphql.parse_schema: Expected Name, found | in GraphQL string at location 1:19'],
    ['input Hello {\n  world(foo: Int): String\n}', 'graphql.parse_schema: Expected :, found ( in GraphQL string at location 2:8'],
    ['directive @foo on FIELD | INCORRECT_LOCATION', 'graphql.parse_schema: Unexpected Name "INCORRECT_LOCATION" in GraphQL string at location 1:27'],
    ['type Query { a: Int }\n{ a }', 'graphql.parse_schema: Unexpected { in GraphQL string at location 2:1'],
  ])('%j is a builtin error', (text, message) => {
    const e = errorOf('graphql.parse_schema', text);
    expect(e.code).toBe('eval_builtin_error');
    expect(e.message).toBe(message);
  });
});

describe('graphql.schema_is_valid', () => {
  it.each([
    ['', true],
    ['type Hello { world: String }', true], // no Query type needed, as in gqlparser
    ['extend type Hello { world: String }', true], // extending an undefined type defines it
    ['extend type User { id: ID! }\nunion E = User\nextend type Query { e: E }', true],
    ['type Query { x: Int }\ndirective @d(a: String = "b") on SCHEMA\nextend schema @d', true],
    ['type Hello {}', false],
    ['extend type Hello implements Greeting', false],
    ['schema { query: Query }', false],
    ['type Hello implements World { field: String }', false],
    ['interface IA { id: ID! }\ninterface IIA implements IA { id: ID! }\ntype A implements IIA { id: ID! }', false],
    ['union Hello = World', false],
    ['extend scalar Foo @deprecated\nextend type Foo @deprecated', false],
  ])('%j', (schema, want) => {
    expect(call('graphql.schema_is_valid', schema)).toBe(want);
  });

  it('takes a schema text or AST, and is false for other operand types', () => {
    expect(call('graphql.schema_is_valid', SCHEMA)).toBe(true);
    expect(call('graphql.schema_is_valid', STAR_WARS)).toBe(true);
    expect(call('graphql.schema_is_valid', call('graphql.parse_schema', SCHEMA)!)).toBe(true);
    expect(call('graphql.schema_is_valid', v({ Definitions: [{ Kind: 'NOPE', Name: 'X' }] }))).toBe(false);
    expect(call('graphql.schema_is_valid', 42)).toBe(false);
  });
});

describe('graphql.is_valid', () => {
  const SCHEMAS = { employees: SCHEMA, starWars: STAR_WARS, noQueryType: 'type T { a: Int }', broken: 'type Broken {' };
  it.each<[string, keyof typeof SCHEMAS, boolean]>([
    ['query { employeeByID(id: "alice") { salary } }', 'employees', true],
    ['{ employeeByID(id: "alice") { salary bonus } }', 'employees', false],
    ['{ employeeByID(id: 1) { salary } }', 'employees', false],
    ['{ employeeByID(id: "alice") }', 'employees', false],
    ['query($e: Episode! = JEDI) { hero(episode: $e) { name ... on Droid { primaryFunction } } }', 'starWars', true],
    ['{ hero { name } }', 'starWars', false], // required argument missing
    ['{ search(text: "an") { __typename ... on Human { height } } }', 'starWars', true],
    ['query Foo($flag: Boolean!) { ...Bar }\nfragment Bar on Query { search @include(if: $flag) { __typename } }', 'starWars', true],
    ['query Foo($unused: Int) { search { __typename } }', 'starWars', false],
    ['mutation { x }', 'starWars', false], // no Mutation type
    ['', 'noQueryType', true],
    ['{ a }', 'noQueryType', false],
    ['{', 'employees', false],
    ['{ a }', 'broken', false],
  ])('%j against %s', (query, schema, want) => {
    expect(call('graphql.is_valid', query, SCHEMAS[schema])).toBe(want);
  });

  it('takes AST objects for both operands', () => {
    const q = call('graphql.parse_query', '{ search(text: "x") { ...H ... on Droid { name } } }\nfragment H on Human { height }')!;
    const s = call('graphql.parse_schema', STAR_WARS)!;
    expect(call('graphql.is_valid', q, s)).toBe(true);
    expect(call('graphql.is_valid', q, STAR_WARS)).toBe(true);
    const mutation = v({ Operations: [{ Name: '', Operation: 'mutation', SelectionSet: [{ Alias: 'x', Name: 'x', Arguments: [{ Name: 'a', Value: { Kind: 7, Raw: 'b' } }] }] }] });
    expect(call('graphql.is_valid', mutation, 'type Query { q: Int }\ntype Mutation { x: String! }')).toBe(false);
  });

  it('is false, never an error, for wrong operand types and malformed ASTs', () => {
    expect(call('graphql.is_valid', 1, SCHEMA)).toBe(false);
    expect(call('graphql.is_valid', '{ a }', null)).toBe(false);
    expect(call('graphql.is_valid', v({ Operations: 'x' }), SCHEMA)).toBe(false);
    expect(call('graphql.is_valid', v({ Operations: [{ Operation: 'fetch' }] }), SCHEMA)).toBe(false);
  });
});

describe('graphql.parse and graphql.parse_and_verify', () => {
  const query = 'query { employeeByID(id: "alice") { salary } }';
  const queryAST = {
    Operations: [
      {
        Name: '',
        Operation: 'query',
        SelectionSet: [{ Alias: 'employeeByID', Arguments: [{ Name: 'id', Value: value(3, 'alice') }], Name: 'employeeByID', SelectionSet: [{ Alias: 'salary', Name: 'salary' }] }],
      },
    ],
  };

  it('return the ASTs of a valid query and its schema', () => {
    const schemaAST = js('graphql.parse_schema', SCHEMA);
    expect(js('graphql.parse', query, SCHEMA)).toEqual([queryAST, schemaAST]);
    expect(js('graphql.parse_and_verify', query, SCHEMA)).toEqual([true, queryAST, schemaAST]);
    // ASTs in, the same ASTs out.
    const [q, s] = call('graphql.parse', query, SCHEMA) as Value[];
    expect(show(call('graphql.parse', q, s))).toBe(show([q, s]));
    expect(js('graphql.parse', '', 'type T { a: Int }')).toEqual([{}, expect.any(Object)]);
  });

  it('parse_and_verify answers [false, {}, {}] on any failure', () => {
    const unverified = show([false, new ObjectValue(), new ObjectValue()]);
    expect(show(call('graphql.parse_and_verify', '{ employeeByID { bonus } }', SCHEMA))).toBe(unverified);
    expect(show(call('graphql.parse_and_verify', '{', SCHEMA))).toBe(unverified);
    expect(show(call('graphql.parse_and_verify', query, 'type {'))).toBe(unverified);
    expect(show(call('graphql.parse_and_verify', query, 7))).toBe(unverified);
  });

  it('parse reports validation errors with OPA\'s wording and location', () => {
    const e = errorOf('graphql.parse', '\n  query SomeOperation {\n    hero {\n      name\n    }\n  }', STAR_WARS);
    expect(e.code).toBe('eval_builtin_error');
    expect(e.message).toBe('graphql.parse: Field "hero" argument "episode" of type "Episode!" is required, but it was not provided in GraphQL query string at location 3:5');
    expect(errorOf('graphql.parse', 'mutation { x }', STAR_WARS).message).toBe(
      'graphql.parse: Schema does not support operation type "mutation" in GraphQL query string at location 1:1',
    );
  });

  it('parse reports parse, schema and operand errors', () => {
    expect(errorOf('graphql.parse', '{', SCHEMA).message).toBe('graphql.parse: Expected Name, found <EOF> in GraphQL string at location 1:2');
    expect(errorOf('graphql.parse', query, 'type Hello implements World { f: Int }').message).toMatch(
      /^graphql\.parse: Error in gqlparser SchemaDocument to Schema conversion: input.*World/,
    );
    const e = errorOf('graphql.parse', 1, SCHEMA);
    expect([e.code, e.message]).toEqual(['eval_type_error', 'graphql.parse: operand 0 must be one of {string, object} but got number']);
  });
});

describe('graphql builtins in a policy', () => {
  const module = `package gql

schema := \`${STAR_WARS}\`

request := graphql.parse(input.query, schema)

allowed if {
  graphql.schema_is_valid(schema)
  graphql.is_valid(input.query, schema)
  some op in request[0].Operations
  op.Operation == "query"
  every sel in op.SelectionSet { sel.Name != "search" }
}

verified := graphql.parse_and_verify(input.query, schema)[0]
`;

  const evalRule = (rule: string, query: string, strict = false): Value | undefined => {
    const rs = runQuery({
      modules: [{ file: 'gql.rego', text: module }],
      query: `x := data.gql.${rule}`,
      input: v({ query }),
      engine: 'interp',
      strictBuiltinErrors: strict,
    });
    return rs.length === 0 ? undefined : rs[0].bindings.x;
  };

  it('evaluates GraphQL decisions', () => {
    expect(evalRule('allowed', '{ hero(episode: JEDI) { name } }')).toBe(true);
    expect(evalRule('allowed', '{ search(text: "x") { __typename } }')).toBeUndefined();
    expect(evalRule('verified', '{ hero { name } }')).toBe(false);
  });

  it('a parse failure is an eval_builtin_error with strict builtin errors', () => {
    expect(evalRule('request', '{ hero { name } }')).toBeUndefined();
    const failure = (query: string): unknown => {
      try {
        return evalRule('request', query, true);
      } catch (e) {
        return e;
      }
    };
    expect(failure('{ hero { name } }')).toBeInstanceOf(RegoError);
    expect(failure('{')).toMatchObject({ code: 'eval_builtin_error', message: expect.stringContaining('graphql.parse: Expected Name, found <EOF> in GraphQL string at location 1:2') });
  });
});
