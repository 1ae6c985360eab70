// The GraphQL builtins' implementations (graphql.ts declares them and loads this file, and with
// it graphql-js, on the first call). Parsing and validation use graphql-js (the reference implementation); OPA uses
// the Go library gqlparser, so the ASTs handed to and taken from policies are gqlparser's,
// serialised the way OPA does it: Go field names (`Operations`, `SelectionSet`, `Alias`, …,
// `Definitions`, `Kind`, `Fields`, …), no `Position`, and every null, empty array and empty
// object left out (empty strings, `false` and `0` stay, e.g. `"Name": ""`, `"Used": false`).
// Values carry `"ExpectedTypeHasDefault": false` as current OPA releases do (older ones did not).
// Fields that gqlparser fills in only while validating (`Definition`, …) are null when OPA
// serialises, so they never appear.
//
// Where this differs from OPA:
// - Messages: graphql-js wording, rewritten towards gqlparser's for the common syntax errors
//   (`Expected Name, found }`, `Unexpected $`, `expected at least one definition, …`). Only the
//   first validation error is reported. The schema-conversion prefix is OPA's verbatim; SDL
//   errors found while building a schema carry no location there.
// - Validation: graphql-js rules plus gqlparser's KnownRootType. As in gqlparser, a schema needs
//   no Query type, and extending a type that is never defined defines it. graphql-js also knows
//   the directive @oneOf, and extending a built-in type (`extend scalar String`) is refused.
// - AST objects as input: OPA decodes every selection as a field (gqlparser tries Field first,
//   which never fails); here an item with `TypeCondition` is an inline fragment, one with
//   `Alias`, `Arguments` or `SelectionSet` a field, any other a fragment spread, so the ASTs
//   parse_query returns (fragments included) validate as they do when given as text.
import {
  GraphQLError,
  GraphQLSchema,
  Kind,
  Lexer,
  OperationTypeNode,
  Source,
  TokenKind,
  buildASTSchema,
  isExecutableDefinitionNode,
  parse,
  validate,
  validateSchema,
  type ArgumentNode,
  type ConstDirectiveNode,
  type ConstValueNode,
  type DefinitionNode,
  type DirectiveDefinitionNode,
  type DirectiveNode,
  type DocumentNode,
  type EnumValueDefinitionNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  type ListTypeNode,
  type NamedTypeNode,
  type NameNode,
  type OperationTypeDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type StringValueNode,
  type Token,
  type TypeDefinitionNode,
  type TypeExtensionNode,
  type TypeNode,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';
import { BuiltinError, type BuiltinImpl } from './types';
import { builtinError, str, typeError } from './operands';
import { ObjectValue, toJS, toJSONText, type Value } from '../value/value';

/** A parse, decode or validation failure: an error for parse*, `false` for the others. */
class GqlError extends Error {}

// ---------------------------------------------------------------------------------------------
// Text → graphql-js AST

function isBlank(text: string): boolean {
  // gqlparser accepts a document without definitions; graphql-js refuses it.
  try {
    return new Lexer(new Source(text)).advance().kind === TokenKind.EOF;
  } catch {
    return false;
  }
}

function tokenDesc(t: Token): string {
  // Punctuators carry no value at run time, whatever the typings say.
  return t.value === undefined ? t.kind : `${t.kind} "${t.value}"`;
}

/** The token before the one starting at `offset`, and that one. */
function tokensAt(text: string, offset: number): [Token | undefined, Token | undefined] {
  const lexer = new Lexer(new Source(text));
  let prev: Token | undefined;
  try {
    for (let t = lexer.advance(); ; t = lexer.advance()) {
      if (t.start >= offset) return [prev, t];
      if (t.kind === TokenKind.EOF) return [prev, undefined];
      prev = t;
    }
  } catch {
    return [prev, undefined];
  }
}

const at = (loc: { line: number; column: number } | undefined): string => (loc ? ` at location ${loc.line}:${loc.column}` : '');

/** A graphql-js syntax error in OPA's form, with gqlparser's wording where it is known. */
function syntaxMessage(text: string, e: GraphQLError): string {
  let msg = e.message.replace(/^Syntax Error: /, '').replace(/\.$/, '');
  // graphql-js quotes punctuators (`found "}"`), gqlparser does not.
  msg = msg.replace(/(Expected|found|Unexpected) "(!|\$|&|\(|\)|\.\.\.|:|=|@|\[|\]|\{|\||\})"/g, '$1 $2');
  if (/^Unexpected variable "\$[^"]*" in constant value$/.test(msg)) msg = 'Unexpected $';
  const pos = e.positions?.[0];
  if (pos !== undefined) {
    const [prev, cur] = tokensAt(text, pos);
    if (msg.startsWith('Unexpected description') && cur) msg = `Unexpected ${tokenDesc(cur)}`;
    else if (
      cur &&
      ((msg === 'Expected Name, found }' && prev?.kind === TokenKind.BRACE_L) || (msg === 'Expected Name, found )' && prev?.kind === TokenKind.PAREN_L))
    ) {
      msg = `expected at least one definition, found ${cur.kind}`; // gqlparser: empty `{}` / `()`
    }
  }
  return `${msg} in GraphQL string${at(e.locations?.[0])}`;
}

/** Parses a query (executable definitions only) or a schema (type-system definitions only). */
function parseText(text: string, kind: 'query' | 'schema'): DocumentNode {
  if (isBlank(text)) return { kind: Kind.DOCUMENT, definitions: [] };
  let doc: DocumentNode;
  try {
    // Fragment variables: gqlparser parses them (experimental) into `VariableDefinition`.
    doc = parse(text, { allowLegacyFragmentVariables: true });
  } catch (e) {
    if (e instanceof GraphQLError) throw new GqlError(syntaxMessage(text, e));
    throw new GqlError(`${(e as Error).message} in GraphQL string`); // e.g. nesting too deep
  }
  const bad = unexpectedToken(doc, kind);
  if (bad) throw new GqlError(`Unexpected ${tokenDesc(bad)} in GraphQL string${at(bad)}`);
  return doc;
}

/**
 * The first token gqlparser would stop at that graphql-js took: graphql-js reads both kinds of
 * definition in one document, and (since 16.11) descriptions on operations, fragments and variables.
 */
function unexpectedToken(doc: DocumentNode, kind: 'query' | 'schema'): Token | undefined {
  for (const d of doc.definitions) {
    if (isExecutableDefinitionNode(d) !== (kind === 'query')) return d.loc?.startToken;
    if (d.kind !== Kind.OPERATION_DEFINITION && d.kind !== Kind.FRAGMENT_DEFINITION) continue;
    for (const node of [d, ...(d.variableDefinitions ?? [])]) if (node.description?.loc) return node.description.loc.startToken;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// graphql-js AST → gqlparser JSON (plain JS; nulls and empties are pruned afterwards)

type J = unknown;

/** gqlparser's ast.ValueKind numbering. */
const VALUE_KIND = { Variable: 0, Int: 1, Float: 2, String: 3, Block: 4, Boolean: 5, Null: 6, Enum: 7, List: 8, Object: 9 } as const;

function valueJSON(v: ValueNode): J {
  const value = (kind: number, raw: string, children?: J[]): J => ({ Raw: raw, Children: children, Kind: kind, ExpectedTypeHasDefault: false });
  switch (v.kind) {
    case Kind.VARIABLE:
      return value(VALUE_KIND.Variable, v.name.value);
    case Kind.INT:
      return value(VALUE_KIND.Int, v.value);
    case Kind.FLOAT:
      return value(VALUE_KIND.Float, v.value);
    case Kind.STRING:
      return value(v.block ? VALUE_KIND.Block : VALUE_KIND.String, v.value);
    case Kind.BOOLEAN:
      return value(VALUE_KIND.Boolean, String(v.value));
    case Kind.NULL:
      return value(VALUE_KIND.Null, 'null');
    case Kind.ENUM:
      return value(VALUE_KIND.Enum, v.value);
    case Kind.LIST:
      return value(VALUE_KIND.List, '', v.values.map((x) => ({ Name: '', Value: valueJSON(x) })));
    case Kind.OBJECT:
      return value(VALUE_KIND.Object, '', v.fields.map((f) => ({ Name: f.name.value, Value: valueJSON(f.value) })));
  }
}

function typeJSON(t: TypeNode): Record<string, J> {
  if (t.kind === Kind.NON_NULL_TYPE) return { ...typeJSON(t.type), NonNull: true };
  if (t.kind === Kind.LIST_TYPE) return { NamedType: '', Elem: typeJSON(t.type), NonNull: false };
  return { NamedType: t.name.value, NonNull: false };
}

const argsJSON = (as: readonly ArgumentNode[] | undefined): J[] | undefined => as?.map((a) => ({ Name: a.name.value, Value: valueJSON(a.value) }));

// Location is filled in by gqlparser's validator only; parsed ASTs carry "".
const directivesJSON = (ds: readonly DirectiveNode[] | undefined): J[] | undefined =>
  ds?.map((d) => ({ Name: d.name.value, Arguments: argsJSON(d.arguments), Location: '' }));

const varDefsJSON = (vs: readonly VariableDefinitionNode[] | undefined): J[] | undefined =>
  vs?.map((v) => ({
    Variable: v.variable.name.value,
    Type: typeJSON(v.type),
    DefaultValue: v.defaultValue && valueJSON(v.defaultValue),
    Directives: directivesJSON(v.directives),
    Used: false,
  }));

function selectionsJSON(set: SelectionSetNode | undefined): J[] | undefined {
  return set?.selections.map((s) => {
    switch (s.kind) {
      case Kind.FIELD:
        return {
          Alias: (s.alias ?? s.name).value,
          Name: s.name.value,
          Arguments: argsJSON(s.arguments),
          Directives: directivesJSON(s.directives),
          SelectionSet: selectionsJSON(s.selectionSet),
        };
      case Kind.FRAGMENT_SPREAD:
        return { Name: s.name.value, Directives: directivesJSON(s.directives) };
      case Kind.INLINE_FRAGMENT:
        return { TypeCondition: s.typeCondition?.name.value ?? '', Directives: directivesJSON(s.directives), SelectionSet: selectionsJSON(s.selectionSet) };
    }
  });
}

function queryJSON(doc: DocumentNode): J {
  const ops: J[] = [];
  const frags: J[] = [];
  for (const d of doc.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) {
      ops.push({
        Operation: d.operation,
        Name: d.name?.value ?? '',
        VariableDefinitions: varDefsJSON(d.variableDefinitions),
        Directives: directivesJSON(d.directives),
        SelectionSet: selectionsJSON(d.selectionSet),
      });
    } else if (d.kind === Kind.FRAGMENT_DEFINITION) {
      frags.push({
        Name: d.name.value,
        VariableDefinition: varDefsJSON(d.variableDefinitions), // sic: singular in gqlparser
        TypeCondition: d.typeCondition.name.value,
        Directives: directivesJSON(d.directives),
        SelectionSet: selectionsJSON(d.selectionSet),
      });
    }
  }
  return { Operations: ops, Fragments: frags };
}

const description = (d: StringValueNode | undefined): string => d?.value ?? '';

/** An argument or input field definition (gqlparser: ArgumentDefinition / FieldDefinition). */
const inputValueJSON = (a: InputValueDefinitionNode): J => ({
  Description: description(a.description),
  Name: a.name.value,
  DefaultValue: a.defaultValue && valueJSON(a.defaultValue),
  Type: typeJSON(a.type),
  Directives: directivesJSON(a.directives),
});

const fieldDefJSON = (f: FieldDefinitionNode): J => ({
  Description: description(f.description),
  Name: f.name.value,
  Arguments: f.arguments?.map(inputValueJSON),
  Type: typeJSON(f.type),
  Directives: directivesJSON(f.directives),
});

const TYPE_KIND: Partial<Record<Kind, string>> = {
  [Kind.SCALAR_TYPE_DEFINITION]: 'SCALAR',
  [Kind.SCALAR_TYPE_EXTENSION]: 'SCALAR',
  [Kind.OBJECT_TYPE_DEFINITION]: 'OBJECT',
  [Kind.OBJECT_TYPE_EXTENSION]: 'OBJECT',
  [Kind.INTERFACE_TYPE_DEFINITION]: 'INTERFACE',
  [Kind.INTERFACE_TYPE_EXTENSION]: 'INTERFACE',
  [Kind.UNION_TYPE_DEFINITION]: 'UNION',
  [Kind.UNION_TYPE_EXTENSION]: 'UNION',
  [Kind.ENUM_TYPE_DEFINITION]: 'ENUM',
  [Kind.ENUM_TYPE_EXTENSION]: 'ENUM',
  [Kind.INPUT_OBJECT_TYPE_DEFINITION]: 'INPUT_OBJECT',
  [Kind.INPUT_OBJECT_TYPE_EXTENSION]: 'INPUT_OBJECT',
};

/** gqlparser's one Definition struct for every type definition and extension. */
function definitionJSON(d: TypeDefinitionNode | TypeExtensionNode): J {
  const base = {
    Kind: TYPE_KIND[d.kind],
    Description: description('description' in d ? d.description : undefined),
    Name: d.name.value,
    Directives: directivesJSON(d.directives),
    BuiltIn: false,
  };
  switch (d.kind) {
    case Kind.OBJECT_TYPE_DEFINITION:
    case Kind.OBJECT_TYPE_EXTENSION:
    case Kind.INTERFACE_TYPE_DEFINITION:
    case Kind.INTERFACE_TYPE_EXTENSION:
      return { ...base, Interfaces: d.interfaces?.map((i) => i.name.value), Fields: d.fields?.map(fieldDefJSON) };
    case Kind.UNION_TYPE_DEFINITION:
    case Kind.UNION_TYPE_EXTENSION:
      return { ...base, Types: d.types?.map((t) => t.name.value) };
    case Kind.ENUM_TYPE_DEFINITION:
    case Kind.ENUM_TYPE_EXTENSION:
      return {
        ...base,
        EnumValues: d.values?.map((v) => ({ Description: description(v.description), Name: v.name.value, Directives: directivesJSON(v.directives) })),
      };
    case Kind.INPUT_OBJECT_TYPE_DEFINITION:
    case Kind.INPUT_OBJECT_TYPE_EXTENSION:
      return { ...base, Fields: d.fields?.map(inputValueJSON) };
    default:
      return base;
  }
}

function schemaJSON(doc: DocumentNode): J {
  const out: Record<string, J[]> = { Schema: [], SchemaExtension: [], Directives: [], Definitions: [], Extensions: [] };
  const opTypes = (ts: readonly OperationTypeDefinitionNode[] | undefined): J[] | undefined =>
    ts?.map((t) => ({ Operation: t.operation, Type: t.type.name.value }));
  for (const d of doc.definitions) {
    if (d.kind === Kind.SCHEMA_DEFINITION) {
      out.Schema.push({ Description: description(d.description), Directives: directivesJSON(d.directives), OperationTypes: opTypes(d.operationTypes) });
    } else if (d.kind === Kind.SCHEMA_EXTENSION) {
      out.SchemaExtension.push({ Description: '', Directives: directivesJSON(d.directives), OperationTypes: opTypes(d.operationTypes) });
    } else if (d.kind === Kind.DIRECTIVE_DEFINITION) {
      out.Directives.push({
        Description: description(d.description),
        Name: d.name.value,
        Arguments: d.arguments?.map(inputValueJSON),
        Locations: d.locations.map((l) => l.value),
        IsRepeatable: d.repeatable,
      });
    } else if (TYPE_KIND[d.kind] !== undefined) {
      const def = d as TypeDefinitionNode | TypeExtensionNode; // TYPE_KIND lists exactly these kinds
      (def.kind.endsWith('Extension') ? out.Extensions : out.Definitions).push(definitionJSON(def));
    }
  }
  return out;
}

/** OPA's pruning (pruneIrrelevantGraphQLASTNodes): drops nulls and, recursively, empty arrays and objects. */
function pruned(x: J): Value | undefined {
  if (x === null || x === undefined) return undefined;
  if (Array.isArray(x)) {
    const items = x.map(pruned).filter((v): v is Value => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (typeof x === 'object') {
    const o = new ObjectValue();
    for (const [k, v] of Object.entries(x)) {
      const p = pruned(v);
      if (p !== undefined) o.set(k, p);
    }
    return o.size > 0 ? o : undefined;
  }
  return x as Value; // strings, booleans and small integers only
}

const astValue = (x: J): Value => pruned(x) ?? new ObjectValue();

// ---------------------------------------------------------------------------------------------
// gqlparser JSON (an AST object from a policy) → graphql-js AST. Go's decoder is followed where
// cheap: missing or null fields are zero values, keys match case-insensitively, a value of the
// wrong type is an error.

type Obj = Record<string, unknown>;

function field(o: Obj, key: string): unknown {
  if (Object.hasOwn(o, key)) return o[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

function decodeError(key: string, want: string): GqlError {
  return new GqlError(`cannot decode GraphQL AST: field ${key} must be ${want}`);
}

function gStr(o: Obj, key: string): string {
  const v = field(o, key);
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw decodeError(key, 'a string');
  return v;
}

function gBool(o: Obj, key: string): boolean {
  const v = field(o, key);
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw decodeError(key, 'a boolean');
  return v;
}

function gObj(o: Obj, key: string): Obj | undefined {
  const v = field(o, key);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw decodeError(key, 'an object');
  return v as Obj;
}

function gList<T>(o: Obj, key: string, item: (x: Obj) => T): T[] {
  const v = field(o, key);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw decodeError(key, 'an array');
  return v.map((x: unknown) => {
    if (typeof x !== 'object' || x === null || Array.isArray(x)) throw decodeError(key, 'an array of objects');
    return item(x as Obj);
  });
}

function gStrings(o: Obj, key: string): string[] {
  const v = field(o, key);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw decodeError(key, 'an array of strings');
  return v as string[];
}

const name = (value: string): NameNode => ({ kind: Kind.NAME, value });
const named = (value: string): NamedTypeNode => ({ kind: Kind.NAMED_TYPE, name: name(value) });
const desc = (value: string): StringValueNode | undefined => (value === '' ? undefined : { kind: Kind.STRING, value });

function decodeValue(o: Obj): ValueNode {
  const raw = gStr(o, 'Raw');
  const kind = field(o, 'Kind') ?? 0;
  const children = (): Array<[string, ValueNode]> =>
    gList(o, 'Children', (c) => {
      const v = gObj(c, 'Value');
      if (!v) throw decodeError('Value', 'an object');
      return [gStr(c, 'Name'), decodeValue(v)];
    });
  switch (kind) {
    case VALUE_KIND.Variable:
      return { kind: Kind.VARIABLE, name: name(raw) };
    case VALUE_KIND.Int:
      return { kind: Kind.INT, value: raw };
    case VALUE_KIND.Float:
      return { kind: Kind.FLOAT, value: raw };
    case VALUE_KIND.String:
    case VALUE_KIND.Block:
      return { kind: Kind.STRING, value: raw, block: kind === VALUE_KIND.Block };
    case VALUE_KIND.Boolean:
      return { kind: Kind.BOOLEAN, value: raw === 'true' };
    case VALUE_KIND.Null:
      return { kind: Kind.NULL };
    case VALUE_KIND.Enum:
      return { kind: Kind.ENUM, value: raw };
    case VALUE_KIND.List:
      return { kind: Kind.LIST, values: children().map((c) => c[1]) };
    case VALUE_KIND.Object:
      return { kind: Kind.OBJECT, fields: children().map(([n, v]) => ({ kind: Kind.OBJECT_FIELD, name: name(n), value: v })) };
    default:
      throw decodeError('Kind', 'a value kind from 0 to 9');
  }
}

/** Values of schemas and default values take no variables (graphql-js's ConstValueNode). */
function decodeConst(o: Obj | undefined): ConstValueNode | undefined {
  return o && (decodeValue(o) as ConstValueNode);
}

function decodeType(o: Obj | undefined): TypeNode {
  if (!o) throw decodeError('Type', 'an object');
  const elem = gObj(o, 'Elem');
  const inner: ListTypeNode | NamedTypeNode = elem ? { kind: Kind.LIST_TYPE, type: decodeType(elem) } : named(gStr(o, 'NamedType'));
  return gBool(o, 'NonNull') ? { kind: Kind.NON_NULL_TYPE, type: inner } : inner;
}

const decodeArgs = (o: Obj): ArgumentNode[] =>
  gList(o, 'Arguments', (a) => ({ kind: Kind.ARGUMENT, name: name(gStr(a, 'Name')), value: decodeValue(gObj(a, 'Value') ?? {}) }));

// Directives in schemas take constant arguments only; the cast restates what graphql-js checks.
const decodeDirectives = (o: Obj): ConstDirectiveNode[] =>
  gList(o, 'Directives', (d) => ({ kind: Kind.DIRECTIVE, name: name(gStr(d, 'Name')), arguments: decodeArgs(d) }) as ConstDirectiveNode);

const decodeVarDefs = (o: Obj, key: string): VariableDefinitionNode[] =>
  gList(o, key, (v) => ({
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: name(gStr(v, 'Variable')) },
    type: decodeType(gObj(v, 'Type')),
    defaultValue: decodeConst(gObj(v, 'DefaultValue')),
    directives: decodeDirectives(v),
  }));

function decodeSelections(o: Obj): SelectionSetNode {
  const selections = gList(o, 'SelectionSet', (s): SelectionNode => {
    if (field(s, 'TypeCondition') !== undefined) {
      const cond = gStr(s, 'TypeCondition');
      return { kind: Kind.INLINE_FRAGMENT, typeCondition: cond === '' ? undefined : named(cond), directives: decodeDirectives(s), selectionSet: decodeSelections(s) };
    }
    if (field(s, 'Alias') === undefined && field(s, 'Arguments') === undefined && field(s, 'SelectionSet') === undefined) {
      return { kind: Kind.FRAGMENT_SPREAD, name: name(gStr(s, 'Name')), directives: decodeDirectives(s) };
    }
    const fieldName = gStr(s, 'Name');
    const alias = gStr(s, 'Alias');
    const sub = decodeSelections(s);
    return {
      kind: Kind.FIELD,
      alias: alias === '' || alias === fieldName ? undefined : name(alias),
      name: name(fieldName),
      arguments: decodeArgs(s),
      directives: decodeDirectives(s),
      selectionSet: sub.selections.length > 0 ? sub : undefined,
    };
  });
  return { kind: Kind.SELECTION_SET, selections };
}

const OPERATIONS = new Map<string, OperationTypeNode>([
  ['', OperationTypeNode.QUERY], // gqlparser's validator reads "" as query
  ['query', OperationTypeNode.QUERY],
  ['mutation', OperationTypeNode.MUTATION],
  ['subscription', OperationTypeNode.SUBSCRIPTION],
]);

function operationType(op: string): OperationTypeNode {
  const t = OPERATIONS.get(op);
  if (t === undefined) throw decodeError('Operation', 'query, mutation or subscription');
  return t;
}

function decodeQuery(o: Obj): DocumentNode {
  const ops = gList(o, 'Operations', (op): DefinitionNode => {
    const opName = gStr(op, 'Name');
    return {
      kind: Kind.OPERATION_DEFINITION,
      operation: operationType(gStr(op, 'Operation')),
      name: opName === '' ? undefined : name(opName),
      variableDefinitions: decodeVarDefs(op, 'VariableDefinitions'),
      directives: decodeDirectives(op),
      selectionSet: decodeSelections(op),
    };
  });
  const frags = gList(o, 'Fragments', (f): DefinitionNode => ({
    kind: Kind.FRAGMENT_DEFINITION,
    name: name(gStr(f, 'Name')),
    variableDefinitions: decodeVarDefs(f, 'VariableDefinition'),
    typeCondition: named(gStr(f, 'TypeCondition')),
    directives: decodeDirectives(f),
    selectionSet: decodeSelections(f),
  }));
  return { kind: Kind.DOCUMENT, definitions: [...ops, ...frags] };
}

const decodeInputValues = (o: Obj, key: string): InputValueDefinitionNode[] =>
  gList(o, key, (a) => ({
    kind: Kind.INPUT_VALUE_DEFINITION,
    description: desc(gStr(a, 'Description')),
    name: name(gStr(a, 'Name')),
    type: decodeType(gObj(a, 'Type')),
    defaultValue: decodeConst(gObj(a, 'DefaultValue')),
    directives: decodeDirectives(a),
  }));

function decodeDefinition(d: Obj, extension: boolean): DefinitionNode {
  const common = { name: name(gStr(d, 'Name')), directives: decodeDirectives(d) };
  const withDesc = extension ? common : { ...common, description: desc(gStr(d, 'Description')) };
  const interfaces = (): NamedTypeNode[] => gStrings(d, 'Interfaces').map(named);
  switch (gStr(d, 'Kind')) {
    case 'SCALAR':
      return { kind: extension ? Kind.SCALAR_TYPE_EXTENSION : Kind.SCALAR_TYPE_DEFINITION, ...withDesc };
    case 'OBJECT':
    case 'INTERFACE': {
      const fields = gList(d, 'Fields', (f): FieldDefinitionNode => ({
        kind: Kind.FIELD_DEFINITION,
        description: desc(gStr(f, 'Description')),
        name: name(gStr(f, 'Name')),
        arguments: decodeInputValues(f, 'Arguments'),
        type: decodeType(gObj(f, 'Type')),
        directives: decodeDirectives(f),
      }));
      const body = { ...withDesc, interfaces: interfaces(), fields };
      if (gStr(d, 'Kind') === 'OBJECT') return { kind: extension ? Kind.OBJECT_TYPE_EXTENSION : Kind.OBJECT_TYPE_DEFINITION, ...body };
      return { kind: extension ? Kind.INTERFACE_TYPE_EXTENSION : Kind.INTERFACE_TYPE_DEFINITION, ...body };
    }
    case 'UNION':
      return { kind: extension ? Kind.UNION_TYPE_EXTENSION : Kind.UNION_TYPE_DEFINITION, ...withDesc, types: gStrings(d, 'Types').map(named) };
    case 'ENUM': {
      const values = gList(d, 'EnumValues', (v): EnumValueDefinitionNode => ({
        kind: Kind.ENUM_VALUE_DEFINITION,
        description: desc(gStr(v, 'Description')),
        name: name(gStr(v, 'Name')),
        directives: decodeDirectives(v),
      }));
      return { kind: extension ? Kind.ENUM_TYPE_EXTENSION : Kind.ENUM_TYPE_DEFINITION, ...withDesc, values };
    }
    case 'INPUT_OBJECT':
      return { kind: extension ? Kind.INPUT_OBJECT_TYPE_EXTENSION : Kind.INPUT_OBJECT_TYPE_DEFINITION, ...withDesc, fields: decodeInputValues(d, 'Fields') };
    default:
      throw decodeError('Kind', 'SCALAR, OBJECT, INTERFACE, UNION, ENUM or INPUT_OBJECT');
  }
}

function decodeSchema(o: Obj): DocumentNode {
  const opTypes = (s: Obj): OperationTypeDefinitionNode[] =>
    gList(s, 'OperationTypes', (t) => ({ kind: Kind.OPERATION_TYPE_DEFINITION, operation: operationType(gStr(t, 'Operation')), type: named(gStr(t, 'Type')) }));
  const defs: DefinitionNode[] = [
    ...gList(o, 'Schema', (s): DefinitionNode => ({
      kind: Kind.SCHEMA_DEFINITION,
      description: desc(gStr(s, 'Description')),
      directives: decodeDirectives(s),
      operationTypes: opTypes(s),
    })),
    ...gList(o, 'SchemaExtension', (s): DefinitionNode => ({ kind: Kind.SCHEMA_EXTENSION, directives: decodeDirectives(s), operationTypes: opTypes(s) })),
    ...gList(o, 'Directives', (d): DirectiveDefinitionNode => ({
      kind: Kind.DIRECTIVE_DEFINITION,
      description: desc(gStr(d, 'Description')),
      name: name(gStr(d, 'Name')),
      arguments: decodeInputValues(d, 'Arguments'),
      repeatable: gBool(d, 'IsRepeatable'),
      locations: gStrings(d, 'Locations').map(name),
    })),
    ...gList(o, 'Definitions', (d) => decodeDefinition(d, false)),
    ...gList(o, 'Extensions', (d) => decodeDefinition(d, true)),
  ];
  return { kind: Kind.DOCUMENT, definitions: defs };
}

/** Decodes an AST object; a failure of any kind (deep nesting included) is the input's fault. */
function decodeObject(v: ObjectValue, decode: (o: Obj) => DocumentNode): DocumentNode {
  try {
    return decode(toJS(v) as Obj);
  } catch (e) {
    if (e instanceof GqlError) throw e;
    throw new GqlError(`cannot decode GraphQL AST: ${(e as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Schemas and validation

const EXTENSION_OF: Partial<Record<Kind, Kind>> = {
  [Kind.SCALAR_TYPE_EXTENSION]: Kind.SCALAR_TYPE_DEFINITION,
  [Kind.OBJECT_TYPE_EXTENSION]: Kind.OBJECT_TYPE_DEFINITION,
  [Kind.INTERFACE_TYPE_EXTENSION]: Kind.INTERFACE_TYPE_DEFINITION,
  [Kind.UNION_TYPE_EXTENSION]: Kind.UNION_TYPE_DEFINITION,
  [Kind.ENUM_TYPE_EXTENSION]: Kind.ENUM_TYPE_DEFINITION,
  [Kind.INPUT_OBJECT_TYPE_EXTENSION]: Kind.INPUT_OBJECT_TYPE_DEFINITION,
};

const BUILT_IN_TYPES = new Set(['Int', 'Float', 'String', 'Boolean', 'ID']);

/** gqlparser lets `extend type X` define X when nothing else does: the first such extension becomes its definition. */
function defineExtendedTypes(doc: DocumentNode): DocumentNode {
  const defined = new Set(BUILT_IN_TYPES);
  for (const d of doc.definitions) if (TYPE_KIND[d.kind] !== undefined && EXTENSION_OF[d.kind] === undefined) defined.add((d as TypeDefinitionNode).name.value);
  const definitions = doc.definitions.map((d): DefinitionNode => {
    const kind = EXTENSION_OF[d.kind];
    if (kind === undefined) return d;
    const ext = d as TypeExtensionNode;
    if (defined.has(ext.name.value)) return d;
    defined.add(ext.name.value);
    // An extension node has a definition's fields less the description: only the kind changes.
    return { ...ext, kind } as DefinitionNode;
  });
  return { ...doc, definitions };
}

// OPA's prefix (convertSchema), and gqlerror's `input:line:col: message` after it.
function conversionError(message: string, loc?: { line: number; column: number }): GqlError {
  const where = loc ? `input:${loc.line}:${loc.column}` : 'input';
  return new GqlError(`Error in gqlparser SchemaDocument to Schema conversion: ${where}: ${message}`);
}

const NO_QUERY_TYPE = 'Query root type must be provided.'; // gqlparser needs no Query type

function buildSchema(doc: DocumentNode): GraphQLSchema {
  let schema: GraphQLSchema;
  try {
    schema = buildASTSchema(defineExtendedTypes(doc));
  } catch (e) {
    // graphql-js joins the SDL errors, without locations.
    throw conversionError((e as Error).message.split('\n\n')[0]);
  }
  const errors = validateSchema(schema).filter((e) => e.message !== NO_QUERY_TYPE);
  if (errors.length > 0) throw conversionError(errors[0].message, errors[0].locations?.[0]);
  // Validation would otherwise refuse a schema without a Query type.
  return new GraphQLSchema({ ...schema.toConfig(), assumeValid: true });
}

function validationError(message: string, loc?: { line: number; column: number }): GqlError {
  return new GqlError(`${message.replace(/\.$/, '')} in GraphQL query string${at(loc)}`);
}

function validateQuery(query: DocumentNode, schema: GraphQLSchema): void {
  // gqlparser's KnownRootType; graphql-js leaves fields of a missing root type unchecked.
  for (const d of query.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION && !schema.getRootType(d.operation)) {
      throw validationError(`Schema does not support operation type "${d.operation}"`, d.loc?.startToken);
    }
  }
  let errors: readonly GraphQLError[];
  try {
    errors = validate(schema, query);
  } catch (e) {
    throw validationError((e as Error).message);
  }
  if (errors.length > 0) throw validationError(errors[0].message, errors[0].locations?.[0]);
}

interface SchemaEntry {
  doc: DocumentNode;
  ast: Value;
  /** The built schema, or why it cannot be built; computed on first use. */
  built?: GraphQLSchema | GqlError;
}

// Policies tend to pass the same schema on every call: keep the last few parsed and built.
const schemas = new Map<string, SchemaEntry>();

function schemaEntry(v: string | ObjectValue): SchemaEntry {
  const key = typeof v === 'string' ? `s${v}` : `o${toJSONText(v)}`;
  let e = schemas.get(key);
  if (!e) {
    const doc = typeof v === 'string' ? parseText(v, 'schema') : decodeObject(v, decodeSchema);
    e = { doc, ast: astValue(schemaJSON(doc)) };
    if (schemas.size >= 32) schemas.delete(schemas.keys().next().value as string);
    schemas.set(key, e);
  }
  return e;
}

function built(e: SchemaEntry): GraphQLSchema {
  if (e.built === undefined) {
    try {
      e.built = buildSchema(e.doc);
    } catch (err) {
      if (!(err instanceof GqlError)) throw err;
      e.built = err;
    }
  }
  if (e.built instanceof GqlError) throw e.built;
  return e.built;
}

// OPA reports these operands as 0 and 1 (builtins.NewOperandTypeErr(0, …)); kept for fidelity.
function queryOperand(name: string, v: Value): DocumentNode {
  if (typeof v === 'string') return parseText(v, 'query');
  if (v instanceof ObjectValue) return decodeObject(v, decodeQuery);
  throw typeError(name, 0, v, 'string', 'object');
}

function schemaOperand(name: string, v: Value): SchemaEntry {
  if (typeof v === 'string' || v instanceof ObjectValue) return schemaEntry(v);
  throw typeError(name, 1, v, 'string', 'object');
}

/** The query and schema operands once the query validates against the schema; throws otherwise. */
function validated(name: string, args: Value[]): [DocumentNode, SchemaEntry] {
  const query = queryOperand(name, args[0]);
  const schema = schemaOperand(name, args[1]);
  validateQuery(query, built(schema));
  return [query, schema];
}

const asts = ([query, schema]: [DocumentNode, SchemaEntry]): [Value, Value] => [astValue(queryJSON(query)), schema.ast];

/** Runs `f`, turning GraphQL failures into the builtin's error. */
function raising<T>(name: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof GqlError) throw builtinError(name, e.message);
    throw e;
  }
}

/** Runs `f`, turning GraphQL failures and operand type errors into `fallback`. */
function orElse<T>(fallback: () => T, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof GqlError || e instanceof BuiltinError) return fallback();
    throw e;
  }
}

/** The implementations of the builtins graphql.ts declares, by name. */
export const IMPLS: Readonly<Record<string, BuiltinImpl>> = {
  'graphql.parse_query': (args) => {
    const text = str('graphql.parse_query', args, 0);
    return raising('graphql.parse_query', () => astValue(queryJSON(parseText(text, 'query'))));
  },
  'graphql.parse_schema': (args) => {
    const text = str('graphql.parse_schema', args, 0);
    return raising('graphql.parse_schema', () => schemaEntry(text).ast);
  },
  'graphql.parse': (args) => raising('graphql.parse', () => asts(validated('graphql.parse', args))),
  'graphql.parse_and_verify': (args) =>
    orElse(
      () => [false, new ObjectValue(), new ObjectValue()],
      () => [true, ...asts(validated('graphql.parse_and_verify', args))],
    ),
  'graphql.is_valid': (args) => orElse(() => false, () => (validated('graphql.is_valid', args), true)),
  'graphql.schema_is_valid': (args) => orElse(() => false, () => (built(schemaOperand('graphql.schema_is_valid', args[0])), true)),
};
