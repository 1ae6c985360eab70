// The base data document and the edits the data API makes to it. The engine's copy and each
// evaluator's copy change through these same functions, so they cannot drift apart.
import { ObjectValue, SetValue, type Value } from '../value/value';

/** The deepest nesting a document may reach (path segments plus the value's own depth). The
 *  WASM runtime's JSON parser and OPA's storage both stop far beyond what real data needs, and a
 *  limit checked at the door means no copy of the data can ever fail to load what another took. */
export const MAX_DEPTH = 512;

/** The value at `path` inside `v` (object keys, array indexes), or undefined. */
export function navigate(v: Value, path: readonly string[]): Value | undefined {
  let cur: Value | undefined = v;
  for (const k of path) {
    if (cur instanceof ObjectValue) cur = cur.get(k);
    else if (Array.isArray(cur) && /^(0|[1-9]\d*)$/.test(k)) cur = cur[Number(k)];
    else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Nesting depth of a value (a scalar is 0, `[1]` is 1); stops counting past `limit`. */
export function depthOf(v: Value, limit = Infinity): number {
  let max = 0;
  const stack: Array<[Value, number]> = [[v, 0]];
  while (stack.length > 0) {
    const [x, d] = stack.pop() as [Value, number];
    if (d > max) max = d;
    if (max > limit) return max;
    if (Array.isArray(x)) for (const y of x) stack.push([y, d + 1]);
    else if (x instanceof ObjectValue) for (const [, y] of x.entries()) stack.push([y, d + 1]);
    else if (x instanceof SetValue) for (const y of x.values()) stack.push([y, d + 1]);
  }
  return max;
}

/**
 * Writes `value` at `path` (not the root), creating objects on the way; a non-object in the way
 * is replaced, as OPA's PUT does. Returns what `undo` needs to restore the document.
 */
export function putAt(doc: ObjectValue, path: readonly string[], value: Value): Edit {
  const undo = editUndo(doc, path);
  let cur = doc;
  for (const k of path.slice(0, -1)) {
    let next = cur.get(k);
    if (!(next instanceof ObjectValue)) {
      next = new ObjectValue();
      cur.set(k, next);
    }
    cur = next;
  }
  cur.set(path[path.length - 1], value);
  return undo;
}

/** Removes the document at `path` (not the root); undefined when there was none. */
export function removeAt(doc: ObjectValue, path: readonly string[]): Edit | undefined {
  const parent = navigate(doc, path.slice(0, -1));
  const last = path[path.length - 1];
  if (path.length === 0 || !(parent instanceof ObjectValue) || parent.get(last) === undefined) return undefined;
  const undo = editUndo(doc, path);
  parent.delete(last);
  return undo;
}

/** How to take an edit back: the shallowest path it changed and what was there (undefined: nothing). */
export interface Edit {
  path: string[];
  previous: Value | undefined;
}

function editUndo(doc: ObjectValue, path: readonly string[]): Edit {
  // The edit changes the first segment that is missing or not an object, or else the last one.
  let cur: Value = doc;
  for (let i = 0; i < path.length; i++) {
    const next: Value | undefined = (cur as ObjectValue).get(path[i]);
    if (i === path.length - 1 || !(next instanceof ObjectValue)) return { path: path.slice(0, i + 1), previous: next };
    cur = next;
  }
  return { path: [...path], previous: undefined };
}

/** Restores what an edit changed. */
export function undoEdit(doc: ObjectValue, edit: Edit): void {
  if (edit.previous === undefined) removeAt(doc, edit.path);
  else putAt(doc, edit.path, edit.previous);
}
