// Graphs and generic traversal: walk, graph.reachable, graph.reachable_paths.
import type { Builtin } from './types';
import { ANY, ANY_ARRAY, anyOf, arrayOf, fn, objectOf, setOf, tuple, ANY_SET } from './decl';
import { typeError } from './operands';
import { ObjectValue, SetValue, equal, type Value } from '../value/value';

/** Every [path, value] of a document, the document itself first, then its children in order. */
function walk(root: Value): Value[] {
  const out: Value[] = [];
  const visit = (path: Value[], v: Value): void => {
    out.push([path, v]);
    if (Array.isArray(v)) v.forEach((x, i) => visit([...path, i], x));
    else if (v instanceof ObjectValue) for (const [k, x] of v.entries()) visit([...path, k], x);
    else if (v instanceof SetValue) for (const x of v.values()) visit([...path, x], x);
  };
  visit([], root);
  return out;
}

function elems(name: string, pos: number, v: Value): Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof SetValue) return v.values();
  throw typeError(name, pos, v, 'set', 'array');
}

function neighbours(name: string, graph: ObjectValue, node: Value): Value[] {
  const edges = graph.get(node);
  if (edges === undefined || edges === null) return [];
  return elems(name, 1, edges);
}

function graphArg(name: string, v: Value): ObjectValue {
  if (!(v instanceof ObjectValue)) throw typeError(name, 1, v, 'object');
  return v;
}

/** Nodes reachable from the initial ones (those present in the graph), breadth first. */
function reachable(args: Value[]): Value {
  const name = 'graph.reachable';
  const graph = graphArg(name, args[0]);
  const seen = new SetValue();
  const queue = elems(name, 2, args[1]).filter((n) => graph.has(n));
  while (queue.length > 0) {
    const n = queue.shift() as Value;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const m of neighbours(name, graph, n)) if (!seen.has(m) && graph.has(m)) queue.push(m);
  }
  return seen;
}

/** Every path from an initial node to a node with no further unvisited edges. */
function reachablePaths(args: Value[]): Value {
  const name = 'graph.reachable_paths';
  const graph = graphArg(name, args[0]);
  const out = new SetValue();
  const extend = (path: Value[]): void => {
    const last = path[path.length - 1];
    const next = neighbours(name, graph, last).filter((m) => graph.has(m) && !path.some((p) => equal(p, m)));
    if (next.length === 0) {
      out.add(path);
      return;
    }
    for (const m of next) extend([...path, m]);
  };
  for (const n of elems(name, 2, args[1])) if (graph.has(n)) extend([n]);
  return out;
}

export const GRAPH: readonly Builtin[] = [
  { name: 'walk', decl: fn([ANY], tuple(ANY_ARRAY, ANY)), impl: (args) => walk(args[0]), relation: true },
  { name: 'graph.reachable', decl: fn([objectOf(ANY, anyOf(ANY_SET, ANY_ARRAY)), anyOf(ANY_SET, ANY_ARRAY)], ANY_SET), impl: reachable },
  {
    name: 'graph.reachable_paths',
    decl: fn([objectOf(ANY, anyOf(ANY_SET, ANY_ARRAY)), anyOf(ANY_SET, ANY_ARRAY)], setOf(arrayOf(ANY))),
    impl: reachablePaths,
  },
];
