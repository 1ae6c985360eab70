// `regent eval` results in OPA's shapes. The JSON envelope keeps OPA's field order
// (expressions: value, text, location; then bindings), which a key-sorted writer would not, and
// values are written with the value model's exact number formatting (big integers intact), in
// the JSON shape OPA gives them (composite object keys as their JSON text).
import { toJSONText, type Value } from '../value/value';
import { jsonShape } from '../conformance/json-shape';
import type { ExpressionSource } from './query-text';

export interface EvalExpression extends ExpressionSource {
  value: Value;
}

export interface EvalResult {
  expressions: EvalExpression[];
  bindings: Record<string, Value>;
}

/** An ordered JSON tree: leaves are values, objects keep their insertion order. */
type Node = { leaf: Value } | { list: Node[] } | { fields: Array<[string, Node]> };

const INDENT = '  ';

function json(v: Value, indent?: string): string {
  return toJSONText(jsonShape(v), indent);
}

function write(node: Node, pad: string): string {
  const inner = pad + INDENT;
  if ('leaf' in node) return json(node.leaf, INDENT).split('\n').join('\n' + pad);
  if ('list' in node) {
    if (node.list.length === 0) return '[]';
    return '[\n' + node.list.map((n) => inner + write(n, inner)).join(',\n') + '\n' + pad + ']';
  }
  if (node.fields.length === 0) return '{}';
  return '{\n' + node.fields.map(([k, n]) => `${inner}${JSON.stringify(k)}: ${write(n, inner)}`).join(',\n') + '\n' + pad + '}';
}

function resultNode(r: EvalResult): Node {
  const expressions: Node = {
    list: r.expressions.map((e) => ({
      fields: [
        ['value', { leaf: e.value }],
        ['text', { leaf: e.text }],
        ['location', { fields: [['row', { leaf: e.location.row }], ['col', { leaf: e.location.col }]] }],
      ],
    })),
  };
  const fields: Array<[string, Node]> = [['expressions', expressions]];
  const names = Object.keys(r.bindings);
  if (names.length > 0) fields.push(['bindings', { fields: names.map((n) => [n, { leaf: r.bindings[n] }]) }]);
  return { fields };
}

/** `{"result":[…]}`, or `{}` when the query is undefined. */
export function evalJSON(results: EvalResult[]): string {
  const root: Node = results.length === 0 ? { fields: [] } : { fields: [['result', { list: results.map(resultNode) }]] };
  return write(root, '') + '\n';
}

/**
 * The human format: `undefined`; or each expression's value (indented JSON) when the query
 * binds no variables; or a table of the bindings, one row per solution.
 */
export function evalPretty(results: EvalResult[]): string {
  if (results.length === 0) return 'undefined\n';
  const names: string[] = [];
  for (const r of results) for (const n of Object.keys(r.bindings)) if (!names.includes(n)) names.push(n);
  if (names.length === 0) {
    return results.flatMap((r) => r.expressions.map((e) => json(e.value, INDENT))).join('\n') + '\n';
  }
  const rows = results.map((r) => names.map((n) => (n in r.bindings ? json(r.bindings[n]) : '')));
  return table(names, rows);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const rule = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+';
  const line = (cells: string[]): string => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  return [rule, line(header), rule, ...rows.map(line), rule].join('\n') + '\n';
}
