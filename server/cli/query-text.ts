// The source text and position of each expression of a query, for `opa eval`-style output
// (`"text": "x := 1", "location": {"row": 1, "col": 1}`).
import { parseQuery } from '../rego/index';

export interface ExpressionSource {
  text: string;
  location: { row: number; col: number };
}

/**
 * Each expression's text runs from its own start to the next expression's start (or the end of
 * the query), minus separating whitespace and `;`. The parser's positions say where each starts.
 */
export function expressionSources(query: string): ExpressionSource[] {
  const body = parseQuery(query, 'query', {});
  const starts = body.map((e) => offsetOf(query, e.loc.row, e.loc.col));
  return body.map((e, i) => ({
    text: query.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : query.length).replace(/[\s;]+$/, ''),
    location: { row: e.loc.row, col: e.loc.col },
  }));
}

function offsetOf(text: string, row: number, col: number): number {
  let offset = 0;
  for (let r = 1; r < row; r++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) break;
    offset = nl + 1;
  }
  return Math.min(offset + col - 1, text.length);
}
