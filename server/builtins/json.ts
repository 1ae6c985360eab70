// JSON builtins: marshal/unmarshal with Go's encoding/json conventions (HTML-safe escapes, keys
// sorted as strings, sets as arrays), validation, and the json.filter/remove/patch family.
import { BuiltinError, type Builtin } from './types';
import { ANY, ANY_ARRAY, ANY_OBJECT, BOOLEAN, STRING, anyOf, arrayOf, fn, objectOf } from './decl';
import { arr, builtinError, obj, operandError, str, typeError } from './operands';
import { findPath } from './objects';
import {
  ObjectValue,
  SetValue,
  compareStrings,
  equal,
  keyString,
  numberToText,
  typeOf,
  type Value,
} from '../value/value';
import { JSONSyntaxError, NumberTooBig, readJSON } from '../value/json';

// ---------------------------------------------------------------------------------------------
// Encoding

const HEX = '0123456789abcdef';

/** A JSON string literal as Go writes it: <, >, & and U+2028/9 escaped, bad surrogates → U+FFFD. */
export function goQuote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        out += s[i] + s[i + 1];
        i++;
      } else out += '\\ufffd';
      continue;
    }
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += '\\\\';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x08:
        out += '\\b';
        break;
      case 0x0c:
        out += '\\f';
        break;
      default:
        if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
          out += '\\u' + HEX[(c >> 12) & 15] + HEX[(c >> 8) & 15] + HEX[(c >> 4) & 15] + HEX[c & 15];
        } else out += s[i];
    }
  }
  return out + '"';
}

/** Object entries as Go's map[string]any marshals them: stringified keys, sorted bytewise. */
function jsonEntries(o: ObjectValue): Array<[string, Value]> {
  const m = new Map<string, Value>();
  for (const [k, v] of o.entries()) m.set(keyString(k), v);
  return Array.from(m.entries()).sort((a, b) => compareStrings(a[0], b[0]));
}

/** Go's json.Marshal (indent === undefined) or json.MarshalIndent(v, prefix, indent). */
export function goJSON(v: Value, prefix = '', indent?: string, depth = 0): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw new BuiltinError('eval_builtin_error', `json: unsupported value: ${v}`);
      return numberToText(v);
    case 'bigint':
      return v.toString();
    case 'string':
      return goQuote(v);
  }
  const pretty = indent !== undefined;
  const nl = (d: number): string => (pretty ? '\n' + prefix + (indent as string).repeat(d) : '');
  if (Array.isArray(v) || v instanceof SetValue) {
    const items = Array.isArray(v) ? v : v.values();
    if (items.length === 0) return '[]';
    return '[' + items.map((x) => nl(depth + 1) + goJSON(x, prefix, indent, depth + 1)).join(',') + nl(depth) + ']';
  }
  const entries = jsonEntries(v);
  if (entries.length === 0) return '{}';
  const sep = pretty ? ': ' : ':';
  const parts = entries.map(([k, x]) => nl(depth + 1) + goQuote(k) + sep + goJSON(x, prefix, indent, depth + 1));
  return '{' + parts.join(',') + nl(depth) + '}';
}

function marshalWithOptions(args: Value[]): string {
  const name = 'json.marshal_with_options';
  const opts = obj(name, args, 1);
  let prefix = '';
  let indent = '\t';
  let implicitPretty = false;
  let explicitPretty: boolean | undefined;
  opts.keys().forEach((k, idx) => {
    const v = opts.get(k) as Value;
    if (typeof k !== 'string') {
      throw operandError(name, 2, `failed to stringify key ${keyString(k)} at index ${idx}: operand ${idx} must be string but got ${typeOf(k)}`);
    }
    switch (k) {
      case 'prefix':
      case 'indent':
        if (typeof v !== 'string') {
          throw operandError(name, 2, `key ${k} failed cast to string: operand ${idx} must be string but got ${typeOf(v)}`);
        }
        if (k === 'prefix') prefix = v;
        else indent = v;
        implicitPretty = true;
        break;
      case 'pretty':
        if (typeof v !== 'boolean') throw operandError(name, 2, `key ${k} failed cast to bool`);
        explicitPretty = v;
        break;
      default:
        throw operandError(name, 2, `object contained unknown key ${k}`);
    }
  });
  const pretty = explicitPretty ?? implicitPretty;
  // MarshalIndent does not prefix the first line; OPA adds it.
  return pretty ? prefix + goJSON(args[0], prefix, indent) : goJSON(args[0]);
}


// ---------------------------------------------------------------------------------------------
// Decoding: the one exact reader (server/value/json.ts), with Go's syntax error texts.

/** JSON text → value, integers exact; throws JSONSyntaxError (Go's texts) or NumberTooBig. */
export function parseJSON(text: string): Value {
  return readJSON(text);
}

function unmarshal(name: string, s: string): Value {
  try {
    return parseJSON(s);
  } catch (e) {
    if (e instanceof JSONSyntaxError || e instanceof NumberTooBig) throw builtinError(name, e.message);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// json.filter / json.remove / json.patch: paths are "/a/b" strings (~0, ~1 escapes) or arrays.

function parsePath(name: string, p: Value): Value[] {
  if (typeof p === 'string') {
    if (p === '') return [];
    return p
      .replace(/^\/+/, '')
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  if (Array.isArray(p)) return p;
  throw operandError(
    name,
    2,
    `must be one of {set, array} containing string paths or array of path segments but got ${typeOf(p)}`,
  );
}

function jsonPaths(name: string, v: Value): Value[][] {
  if (Array.isArray(v)) return v.map((p) => parsePath(name, p));
  if (v instanceof SetValue) return v.values().map((p) => parsePath(name, p));
  throw typeError(name, 2, v, 'set', 'array');
}

/** Paths as a tree of objects whose leaves are null ("take/drop everything below"). */
function pathsToTree(paths: Value[][]): ObjectValue {
  const root = new ObjectValue();
  for (const path of paths) {
    if (path.length === 0) continue;
    let node = root;
    let done = false;
    for (let i = 0; i < path.length - 1 && !done; i++) {
      const child = node.get(path[i]);
      if (child === undefined) {
        const o = new ObjectValue();
        node.set(path[i], o);
        node = o;
      } else if (child === null) done = true;
      else node = child as ObjectValue;
    }
    if (!done) node.set(path[path.length - 1], null);
  }
  return root;
}

/** OPA's Object.Filter: keep only what the filter tree names; array indexes are string keys. */
function filterValue(v: Value, filter: Value): Value {
  if (filter === null) return v;
  const f = filter as ObjectValue;
  if (Array.isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const sub = f.get(String(i));
      if (sub !== undefined) out.push(filterValue(x, sub));
    });
    return out;
  }
  if (v instanceof SetValue) {
    const out = new SetValue();
    for (const x of v.values()) {
      const sub = f.get(x);
      if (sub !== undefined) out.add(filterValue(x, sub));
    }
    return out;
  }
  if (v instanceof ObjectValue) {
    const out = new ObjectValue();
    for (const [k, x] of v.entries()) {
      const sub = f.get(k);
      if (sub !== undefined) out.set(k, filterValue(x, sub));
    }
    return out;
  }
  return v;
}

/** Drops what the tree's null leaves name; undefined means "removed entirely". */
function removeValue(v: Value, tree: Value | undefined): Value | undefined {
  if (tree === undefined) return v;
  if (tree === null) return undefined;
  if (!(tree instanceof ObjectValue)) return v;
  if (v instanceof ObjectValue) {
    const out = new ObjectValue();
    for (const [k, x] of v.entries()) {
      const r = removeValue(x, tree.get(k));
      if (r !== undefined) out.set(k, r);
    }
    return out;
  }
  if (v instanceof SetValue) {
    const out = new SetValue();
    for (const x of v.values()) {
      const r = removeValue(x, tree.get(x));
      if (r !== undefined) out.add(r);
    }
    return out;
  }
  if (Array.isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const r = removeValue(x, tree.get(String(i)));
      if (r !== undefined) out.push(r);
    });
    return out;
  }
  return v;
}

class PatchFailure extends Error {}

function arrayIndex(seg: Value, len: number, forAdd: boolean): number {
  if (forAdd && seg === '-') return len;
  const i = typeof seg === 'number' ? seg : typeof seg === 'string' && /^(0|[1-9]\d*)$/.test(seg) ? Number(seg) : NaN;
  if (!Number.isInteger(i) || i < 0 || i > (forAdd ? len : len - 1)) throw new PatchFailure();
  return i;
}

/** A copy of `root` with `f` applied to the container holding the path's last segment. */
function updateAt(root: Value, path: Value[], f: (parent: Value, key: Value) => Value): Value {
  if (path.length === 0) throw new PatchFailure();
  const [head, ...rest] = path;
  if (rest.length === 0) return f(root, head);
  if (root instanceof ObjectValue) {
    const child = root.get(head);
    if (child === undefined) throw new PatchFailure();
    return root.clone().set(head, updateAt(child, rest, f));
  }
  if (Array.isArray(root)) {
    const i = arrayIndex(head, root.length, false);
    const out = [...root];
    out[i] = updateAt(root[i], rest, f);
    return out;
  }
  if (root instanceof SetValue && root.has(head)) {
    const out = root.clone();
    out.delete(head);
    return out.add(updateAt(head, rest, f));
  }
  throw new PatchFailure();
}

function addAt(root: Value, path: Value[], value: Value): Value {
  if (path.length === 0) return value;
  return updateAt(root, path, (parent, key) => {
    if (parent instanceof ObjectValue) return parent.clone().set(key, value);
    if (Array.isArray(parent)) {
      const out = [...parent];
      out.splice(arrayIndex(key, parent.length, true), 0, value);
      return out;
    }
    if (parent instanceof SetValue) return parent.clone().add(value);
    throw new PatchFailure();
  });
}

function removeAt(root: Value, path: Value[]): Value {
  return updateAt(root, path, (parent, key) => {
    if (parent instanceof ObjectValue) {
      if (!parent.has(key)) throw new PatchFailure();
      const out = parent.clone();
      out.delete(key);
      return out;
    }
    if (Array.isArray(parent)) {
      const out = [...parent];
      out.splice(arrayIndex(key, parent.length, false), 1);
      return out;
    }
    if (parent instanceof SetValue && parent.has(key)) {
      const out = parent.clone();
      out.delete(key);
      return out;
    }
    throw new PatchFailure();
  });
}

function getAt(root: Value, path: Value[]): Value {
  const norm = path.map((seg, k) => {
    const parent = findPath(root, path.slice(0, k));
    return Array.isArray(parent) && typeof seg === 'string' && /^(0|[1-9]\d*)$/.test(seg) ? Number(seg) : seg;
  });
  const v = findPath(root, norm);
  if (v === undefined) throw new PatchFailure();
  return v;
}

function applyPatch(target: Value, ops: Value[]): Value | undefined {
  let doc = target;
  try {
    for (const op of ops) {
      if (!(op instanceof ObjectValue)) return undefined;
      const kind = op.get('op');
      const pathV = op.get('path');
      if (typeof kind !== 'string' || pathV === undefined) return undefined;
      const path = parsePath('json.patch', pathV);
      const attr = (a: string): Value => {
        const v = op.get(a);
        if (v === undefined) throw new PatchFailure();
        return v;
      };
      switch (kind) {
        case 'add':
          doc = addAt(doc, path, attr('value'));
          break;
        case 'remove':
          doc = removeAt(doc, path);
          break;
        case 'replace':
          doc = addAt(removeAt(doc, path), path, attr('value'));
          break;
        case 'move': {
          const from = parsePath('json.patch', attr('from'));
          const chunk = getAt(doc, from);
          doc = addAt(removeAt(doc, from), path, chunk);
          break;
        }
        case 'copy': {
          const from = parsePath('json.patch', attr('from'));
          doc = addAt(doc, path, getAt(doc, from));
          break;
        }
        case 'test':
          if (!equal(getAt(doc, path), attr('value'))) return undefined;
          break;
        default:
          return undefined;
      }
    }
  } catch (e) {
    // OPA's json.patch is undefined on any failing operation.
    if (e instanceof PatchFailure || e instanceof BuiltinError) return undefined;
    throw e;
  }
  return doc;
}

const PATHS = anyOf(arrayOf(anyOf(STRING, ANY_ARRAY)), { type: 'set', of: anyOf(STRING, ANY_ARRAY) });

export const JSON_BUILTINS: Builtin[] = [
  { name: 'json.marshal', decl: fn([ANY], STRING), impl: ([x]) => goJSON(x) },
  {
    name: 'json.marshal_with_options',
    decl: fn([ANY, objectOf(STRING, anyOf(BOOLEAN, STRING))], STRING),
    impl: marshalWithOptions,
  },
  { name: 'json.unmarshal', decl: fn([STRING], ANY), impl: (args) => unmarshal('json.unmarshal', str('json.unmarshal', args, 0)) },
  {
    name: 'json.is_valid',
    decl: fn([STRING], BOOLEAN),
    impl: ([s]) => {
      if (typeof s !== 'string') return false;
      try {
        parseJSON(s);
        return true;
      } catch (e) {
        if (e instanceof JSONSyntaxError) return false;
        if (e instanceof NumberTooBig) return true; // valid JSON, only too big to read here
        throw e;
      }
    },
  },
  {
    name: 'json.filter',
    decl: fn([ANY_OBJECT, PATHS], ANY),
    impl: (args) => {
      const o = obj('json.filter', args, 0);
      return filterValue(o, pathsToTree(jsonPaths('json.filter', args[1])));
    },
  },
  {
    name: 'json.remove',
    decl: fn([ANY_OBJECT, PATHS], ANY),
    impl: (args) => {
      const o = obj('json.remove', args, 0);
      return removeValue(o, pathsToTree(jsonPaths('json.remove', args[1])));
    },
  },
  {
    name: 'json.patch',
    decl: fn(
      [
        ANY,
        arrayOf({
          type: 'object',
          static: [
            { key: 'op', value: STRING },
            { key: 'path', value: ANY },
          ],
          dynamic: { key: ANY, value: ANY },
        }),
      ],
      ANY,
    ),
    impl: (args) => applyPatch(args[0], arr('json.patch', args, 1)),
  },
];

