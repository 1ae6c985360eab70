// Guarding `regent fmt` against ever damaging a module: the formatted text must parse, keep
// every comment, and be its own formatting. A module that fails this is reported, not written.
import type { SourceFile } from '../rego/ast';
import { parseModule } from '../rego/index';
import { FormatError, formatModule } from './format';

/** The formatted text of a source file; throws RegoErrors (parse) or FormatError. */
export function formatSource(src: SourceFile): string {
  const mod = parseModule(src);
  const out = formatModule(mod);
  const again = parseModule({ file: src.file, text: out });
  if (again.comments.length !== mod.comments.length) throw new FormatError(`${src.file}: formatting would lose comments; left unchanged`);
  if (formatModule(again) !== out) throw new FormatError(`${src.file}: formatting is not stable; left unchanged`);
  return out;
}
