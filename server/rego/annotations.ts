// METADATA annotations: a comment block whose first line is `# METADATA`, holding YAML, that
// annotates the package or rule right after it. `rego.metadata.rule()` and `.chain()` read them.
// js-yaml loads only when a module has such a block.
import type * as Yaml from 'js-yaml';
import type { Comment, Location } from './ast';
import { RegoError } from './errors';

export interface AnnotationBlock {
  /** `rule`, `document`, `package` or `subpackages`. */
  scope: string;
  /** The parsed YAML, `scope` included (as OPA returns it). */
  value: Record<string, unknown>;
  loc: Location;
  /** The last row of the block: it annotates what starts after it. */
  endRow: number;
}

const SCOPES = new Set(['rule', 'document', 'package', 'subpackages']);

/** The METADATA blocks among the comments, in source order; bad YAML is a located parse error. */
export function annotationBlocks(comments: Comment[], errors: RegoError[]): AnnotationBlock[] {
  const out: AnnotationBlock[] = [];
  for (let i = 0; i < comments.length; i++) {
    const c = comments[i];
    if (c.text.trim() !== 'METADATA') continue;
    const lines: string[] = [];
    let j = i + 1;
    while (j < comments.length && comments[j].loc.row === comments[j - 1].loc.row + 1) {
      lines.push(comments[j].text.startsWith(' ') ? comments[j].text.slice(1) : comments[j].text);
      j++;
    }
    let value: unknown;
    try {
      value = (require('js-yaml') as typeof Yaml).load(lines.join('\n')) ?? {};
    } catch (e) {
      errors.push(new RegoError('rego_parse_error', `yaml: ${(e as Error).message.split('\n')[0]}`, c.loc));
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      errors.push(new RegoError('rego_parse_error', 'METADATA must be a YAML mapping', c.loc));
      continue;
    }
    const rec = value as Record<string, unknown>;
    const scope = typeof rec.scope === 'string' ? rec.scope : '';
    if (scope !== '' && !SCOPES.has(scope)) {
      errors.push(new RegoError('rego_parse_error', `invalid annotation scope '${scope}'`, c.loc));
      continue;
    }
    out.push({ scope, value: rec, loc: c.loc, endRow: comments[j - 1].loc.row });
    i = j - 1;
  }
  return out;
}
