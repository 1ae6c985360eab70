// Converts a constant AST term (as `parseTerm` returns for a case's `input_term`) into a value.
import type { Term } from '../rego/ast';
import { ObjectValue, SetValue, numberFromText, type Value } from '../value/value';

/** The value of a ground scalar/composite term; throws for vars, refs, calls and comprehensions. */
export function termToValue(t: Term): Value {
  switch (t.type) {
    case 'null':
      return null;
    case 'boolean':
    case 'string':
      return t.value;
    case 'number':
      return numberFromText(t.value);
    case 'array':
      return t.items.map(termToValue);
    case 'set':
      return SetValue.of(t.items.map(termToValue));
    case 'object':
      return ObjectValue.fromEntries(t.items.map(([k, v]): [Value, Value] => [termToValue(k), termToValue(v)]));
    default:
      throw new TypeError(
        `not a constant term (${t.type}) at ${t.loc.file}:${t.loc.row}:${t.loc.col}`,
      );
  }
}
