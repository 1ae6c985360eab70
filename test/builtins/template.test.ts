// strings.render_template: Go text/template over Rego values.
import { call, callError } from './helpers';
import { fromJS } from '../../server/value/value';

const render = (t: string, vars: unknown) => call('strings.render_template', t, fromJS(vars));

describe('strings.render_template', () => {
  it('substitutes fields, variables and pipelines', () => {
    expect(render('Hello {{.name}}, you are {{.user.age}}', { name: 'Ann', user: { age: 30 } })).toBe('Hello Ann, you are 30');
    expect(render('{{$n := .name}}[{{$n}}] {{.name | printf "%q"}} {{printf "%d-%s" .x .y}}', { name: 'a', x: 7, y: 'z' })).toBe('[a] "a" 7-z');
    expect(render('{{.missing}}', {})).toBe('<no value>');
    expect(render('{{.list}} {{.obj}} {{len .list}} {{index .list 1}} {{index .obj "b"}}', { list: [1, 2], obj: { b: true, a: null } })).toBe('[1 2] map[a:<nil> b:true] 2 2 true');
  });

  it('runs if / else if / else, with, and range with variables and else', () => {
    const t = '{{if gt .n 10}}big{{else if eq .n 0}}zero{{else}}small{{end}}';
    expect(render(t, { n: 11 })).toBe('big');
    expect(render(t, { n: 0 })).toBe('zero');
    expect(render(t, { n: 3 })).toBe('small');
    expect(render('{{with .u}}{{.name}}{{else}}nobody{{end}}', { u: { name: 'x' } })).toBe('x');
    expect(render('{{with .u}}{{.name}}{{else}}nobody{{end}}', {})).toBe('nobody');
    expect(render('{{range $i, $e := .xs}}{{$i}}={{$e}};{{end}}', { xs: ['a', 'b'] })).toBe('0=a;1=b;');
    expect(render('{{range .m}}{{.}},{{end}}', { m: { b: 2, a: 1 } })).toBe('1,2,');
    expect(render('{{range .xs}}x{{else}}empty{{end}}', { xs: [] })).toBe('empty');
    expect(render('{{if and .a (not .b)}}yes{{end}}', { a: true, b: false })).toBe('yes');
  });

  it('trims around {{- and -}}, and skips comments', () => {
    expect(render('a  {{- .x -}}  b {{/* note */}}c', { x: 1 })).toBe('a1b c');
  });

  it('reports template errors as builtin errors', () => {
    expect(callError('strings.render_template', '{{if .x}}open', fromJS({})).message).toBe('strings.render_template: template: unexpected EOF in if');
    expect(callError('strings.render_template', '{{nosuch .x}}', fromJS({})).message).toBe('strings.render_template: template: function "nosuch" not defined');
    expect(callError('strings.render_template', '{{.x', fromJS({})).message).toBe('strings.render_template: template: unclosed action');
  });
});
