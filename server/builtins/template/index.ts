// strings.render_template(template, vars): Go's text/template as OPA runs it. OPA decodes `vars`
// into Go values with json.Number for numbers (a string type in Go, so `gt .n 1` is an error and
// `{{if .zero}}` is true), executes with Go's default options, and replaces every `<no value>` in
// the output with `<undefined>`. This reimplements the behaviour of text/template's lexer, parser and executor for
// that data: actions, trim markers, comments, variables, pipelines, if/else if/with/else with/
// range (over slices, maps and ints, with break and continue), define/template/block, and the
// builtin functions (and, or, not, len, index, slice, eq…ge, print, printf, println, html, js,
// urlquery, call). Messages follow Go's. Unlike Go: complex numbers are refused; nesting, template
// recursion, steps, output and the text functions build are bounded (Go bounds none of these).
//
// The parts: limits, values (Go values from Rego), lexer, tree, literals (Go literal syntax),
// parser, exec, funcs (the builtin template functions).
import type { Builtin } from '../types';
import { ANY, STRING, fn, objectOf } from '../decl';
import { builtinError, obj, str } from '../operands';
import { Exec } from './exec';
import { Lines, lex } from './lexer';
import { NAME, TemplateError } from './limits';
import { Parser } from './parser';
import { TV, VarsError, fromRego } from './values';

function render(template: string, data: TV): string {
  const lines = new Lines(template);
  const trees = new Parser(lex(template, lines)).parse();
  const out = new Exec(lines, trees).run(data);
  // OPA's own post-processing: Go prints a missing value as <no value>.
  return out.replaceAll('<no value>', '<undefined>');
}

export const TEMPLATE: readonly Builtin[] = [
  {
    name: NAME,
    decl: fn([STRING, objectOf(STRING, ANY)], STRING),
    impl: (args) => {
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
  },
];
