// The AST as OPA serialises it to JSON (what `rego.parse_module` returns and `opa parse
// --format json` prints): terms as {"type", "value"}, expressions as {"index", "terms"}, rules
// as {"head", "body"}. Locations are left out, as OPA does unless asked.
import type { Expr, Import, Module, Rule, Term } from './ast';
import { numberFromText } from '../value/value';

/** Plain JSON data; numbers keep their precision as `numberFromText` reads them (bigints). */
type JSONValue = null | boolean | number | bigint | string | JSONValue[] | { [k: string]: JSONValue };

function varJSON(name: string): JSONValue {
  return { type: 'var', value: name.startsWith('$') ? `$${name.replace(/^\$_?/, '')}` : name };
}

export function termJSON(t: Term): JSONValue {
  switch (t.type) {
    case 'null':
      return { type: 'null' };
    case 'boolean':
      return { type: 'boolean', value: t.value };
    case 'number':
      return { type: 'number', value: numberFromText(t.value) };
    case 'string':
      return { type: 'string', value: t.value };
    case 'var':
      return varJSON(t.name);
    case 'ref':
      return { type: 'ref', value: t.terms.map(termJSON) };
    case 'array':
      return { type: 'array', value: t.items.map(termJSON) };
    case 'set':
      return { type: 'set', value: t.items.map(termJSON) };
    case 'object':
      return { type: 'object', value: t.items.map(([k, v]) => [termJSON(k), termJSON(v)]) };
    case 'arraycomp':
      return { type: 'arraycomprehension', value: { term: termJSON(t.term), body: t.body.map(exprJSON) } };
    case 'setcomp':
      return { type: 'setcomprehension', value: { term: termJSON(t.term), body: t.body.map(exprJSON) } };
    case 'objectcomp':
      return { type: 'objectcomprehension', value: { key: termJSON(t.key), value: termJSON(t.value), body: t.body.map(exprJSON) } };
    case 'call':
      return { type: 'call', value: [termJSON(t.op), ...t.args.map(termJSON)] };
  }
}

function exprJSON(e: Expr, index: number): JSONValue {
  const out: { [k: string]: JSONValue } = { index };
  const b = e.body;
  switch (b.type) {
    case 'term':
      // A call expression lists operator and operands; any other term stands alone.
      out.terms = b.term.type === 'call' ? [termJSON(b.term.op), ...b.term.args.map(termJSON)] : termJSON(b.term);
      break;
    case 'some':
      out.terms = { type: 'somedecl', value: b.vars.map((v) => termJSON(v)) };
      break;
    case 'somein': {
      const member = { type: 'ref', value: [{ type: 'var', value: 'internal' }, { type: 'string', value: b.key ? 'member_3' : 'member_2' }] };
      const args = [...(b.key ? [termJSON(b.key)] : []), termJSON(b.value), termJSON(b.collection)];
      out.terms = { type: 'somedecl', value: [{ type: 'call', value: [member, ...args] }] };
      break;
    }
    case 'every':
      out.terms = {
        type: 'every',
        value: { ...(b.key ? { key: termJSON(b.key) } : {}), value: termJSON(b.value), domain: termJSON(b.domain), body: b.body.map(exprJSON) },
      };
      break;
  }
  if (e.negated) out.negated = true;
  if (e.with.length > 0) out.with = e.with.map((w) => ({ target: termJSON(w.target), value: termJSON(w.value) }));
  return out;
}

function ruleJSON(r: Rule): JSONValue {
  const h = r.head;
  const head: { [k: string]: JSONValue } = {};
  const first = h.ref[0];
  if (h.ref.length === 1 && first.type === 'var') head.name = first.name;
  head.ref = h.ref.map(termJSON);
  if (h.args) head.args = h.args.map(termJSON);
  if (h.key) head.key = termJSON(h.key);
  if (h.value || r.kind !== 'partial_set') head.value = h.value ? termJSON(h.value) : { type: 'boolean', value: true };
  if (h.assign) head.assign = true;
  const out: { [k: string]: JSONValue } = {};
  if (r.default) out.default = true;
  out.head = head;
  out.body = r.body.length > 0 ? r.body.map(exprJSON) : [{ index: 0, terms: { type: 'boolean', value: true } }];
  if (r.else) out.else = ruleJSON(r.else);
  return out;
}

function importJSON(i: Import): JSONValue {
  return { path: termJSON(i.path), ...(i.alias !== undefined ? { alias: i.alias } : {}) };
}

export function moduleJSON(m: Module): JSONValue {
  const out: { [k: string]: JSONValue } = {
    package: { path: [{ type: 'var', value: 'data' }, ...m.package.map((p) => ({ type: 'string', value: p }))] },
  };
  if (m.imports.length > 0) out.imports = m.imports.map(importJSON);
  if (m.rules.length > 0) out.rules = m.rules.map(ruleJSON);
  if (m.comments.length > 0) out.comments = m.comments.map((c) => ({ Text: Buffer.from(c.text).toString('base64') }));
  return out;
}
