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
// parser, exec, funcs (the builtin template functions), and render (the builtin), which loads
// with all of them on the first call.
import type { Builtin } from '../types';
import { ANY, STRING, fn, objectOf } from '../decl';
import { deferred } from '../lazy';
import { NAME } from './limits';

const loaded = deferred(() => (require('./render') as typeof import('./render')).IMPLS);

export const TEMPLATE: readonly Builtin[] = [{ name: NAME, decl: fn([STRING, objectOf(STRING, ANY)], STRING), impl: loaded(NAME) }];
