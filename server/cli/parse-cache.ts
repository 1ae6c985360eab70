// Parsed modules by file, reused while a file's text is unchanged, so that `regent test --watch`
// re-parses only the files a save changed. Parsing is pure, and the compiler never modifies the
// modules it is given, so one parsed module serves every run.
import type { Module, SourceFile } from '../rego/ast';
import { parseModule } from '../rego/index';

export class ParseCache {
  private modules = new Map<string, { text: string; module: Module }>();

  /** `src` parsed, from the cache when the file's text is the one parsed before. Throws
   *  RegoErrors as parseModule does (a file that does not parse is parsed again next time). */
  readonly parse = (src: SourceFile): Module => {
    const hit = this.modules.get(src.file);
    if (hit !== undefined && hit.text === src.text) return hit.module;
    const module = parseModule(src);
    this.modules.set(src.file, { text: src.text, module });
    return module;
  };

  /** Forgets the files that are not among `sources` (deleted, or no longer under the paths). */
  retain(sources: readonly SourceFile[]): void {
    const files = new Set(sources.map((s) => s.file));
    for (const file of this.modules.keys()) if (!files.has(file)) this.modules.delete(file);
  }
}
