// strings.render_template's implementation (index.ts declares it and says what it mirrors of
// Go's text/template): parse, execute, and OPA's post-processing.
import type { BuiltinImpl } from '../types';
import { builtinError, obj, str } from '../operands';
import { Exec } from './exec';
import { Lines, lex } from './lexer';
import { NAME, TemplateError } from './limits';
import { Parser } from './parser';
import { type TV, VarsError, fromRego } from './values';

function render(template: string, data: TV): string {
  const lines = new Lines(template);
  const trees = new Parser(lex(template, lines)).parse();
  const out = new Exec(lines, trees).run(data);
  // OPA's own post-processing: Go prints a missing value as <no value>.
  return out.replaceAll('<no value>', '<undefined>');
}

export const IMPLS: Readonly<Record<string, BuiltinImpl>> = {
  [NAME]: (args) => {
    const template = str(NAME, args, 0);
    const vars = obj(NAME, args, 1);
    try {
      return render(template, fromRego(vars));
    } catch (e) {
      if (e instanceof TemplateError || e instanceof VarsError) throw builtinError(NAME, e.message);
      // Deep recursion that slipped past the limits is still the template's fault.
      if (e instanceof RangeError && /call stack/i.test(e.message)) throw builtinError(NAME, 'template: template nesting too deep');
      throw e;
    }
  },
};
