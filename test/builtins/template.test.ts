// strings.render_template: Go's text/template over the values OPA hands it (json.Number for
// numbers), with OPA's `<no value>` → `<undefined>` rewrite. Expected texts follow Go's sources
// (text/template exec.go, funcs.go, parse.go, lex.go) and fmt's printing rules.
import { callError, call } from './helpers';
import { runQuery } from '../../server/engine/query';
import { RegoError } from '../../server/rego/errors';
import { ObjectValue, SetValue, fromJS, type Value } from '../../server/value/value';

const render = (t: string, vars: unknown = {}) => call('strings.render_template', t, vars instanceof ObjectValue ? vars : fromJS(vars));
const failure = (t: string, vars: unknown = {}) => callError('strings.render_template', t, vars instanceof ObjectValue ? vars : fromJS(vars)).message.replace(/^strings\.render_template: /, '');

describe('strings.render_template', () => {
  it("passes OPA's own conformance cases", () => {
    expect(render('{{.test}}', { test: 'hello world' })).toBe('hello world');
    expect(render('{{.test}}', { test: 2023 })).toBe('2023');
    expect(render('{{range $i, $name := .hellonames}}{{if $i}},{{end}}hello {{$name}}{{end}}', { hellonames: ['rohan', 'john doe'] })).toBe('hello rohan,hello john doe');
    expect(render('{{.testvarnotprovided}}', { test: 'hello world' })).toBe('<undefined>');
    expect(render('test {{.foo}} {{.bar}} {{.baz}}', { baz: 1 })).toBe('test <undefined> <undefined> 1');
  });

  it('sees numbers as json.Number, a string type, as OPA decodes them', () => {
    expect(render('{{if .zero}}set{{end}}', { zero: 0 })).toBe('set');
    expect(render('{{eq .n "7"}} {{lt .a .b}} {{len .n}}', { n: 7, a: 10, b: 9 })).toBe('true true 1');
    expect(render('{{printf "%d|%v|%s|%q|%5.1f" .n .n .n .n .n}}', { n: 7 })).toBe('%!d(json.Number=7)|7|7|"7"|%!f(json.Number=    7)');
    expect(render('{{.n.Int64}} {{.n.String}} {{.f.Float64}}', { n: 12, f: 1.5 })).toBe('12 12 1.5');
    expect(failure('{{if gt .n 3}}{{end}}', { n: 7 })).toBe('template: template:1:5: executing "template" at <gt .n 3>: error calling gt: incompatible types for comparison: json.Number and int');
    expect(failure('{{range .n}}{{end}}', { n: 3 })).toBe('template: template:1:8: executing "template" at <.n>: range can\'t iterate over 3');
    expect(failure('{{printf .n}}', { n: 3 })).toBe('template: template:1:9: executing "template" at <.n>: wrong type for value; expected string; got json.Number');
  });

  it('prints values as fmt does; a missing or null value is <undefined>', () => {
    const vars = { s: 'x', t: true, a: [1, 'x', null, true, [2]], m: { b: { c: 1 }, a: null }, n: null };
    expect(render('{{.s}} {{.t}} {{.a}} {{.m}} {{.n}} {{.nope}} {{.nope.deeper}}', vars)).toBe('x true [1 x <nil> true [2]] map[a:<nil> b:map[c:1]] <undefined> <undefined> <undefined>');
    expect(render('{{.}}', {})).toBe('map[]');
    expect(render('{{1.5}} {{1e3}} {{0x10}} {{1_000}} {{\'a\'}} {{-5}} {{"\\x41\\u00e9"}} {{`r\\n`}} {{true}}')).toBe('1.5 1000 16 1000 97 -5 Aé r\\n true');
    expect(render('{{print .nope}} {{printf "%v" .n}} {{printf "%s" nil}}', { n: null })).toBe('<nil> <nil> %!s(<nil>)');
  });

  it('walks fields, variables, pipelines and parentheses', () => {
    const vars = { name: 'Ann', user: { age: 30, tags: ['a', 'b'] }, x: 7, y: 'z' };
    expect(render('Hello {{.name}}, {{.user.age}} {{$.name}} {{with .user}}{{.age}}/{{$.name}}{{end}}', vars)).toBe('Hello Ann, 30 Ann 30/Ann');
    expect(render('{{$n := .name}}[{{$n}}] {{.name | printf "%q"}} {{printf "%d-%s" 7 .y}} {{(index .user.tags 1)}} {{(.user).age}}', vars)).toBe('[Ann] "Ann" 7-z b 30');
    expect(render('{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}} {{$v := .user}}{{$v.tags}}', vars)).toBe('2 [a b]');
    expect(render('{{"a" | printf "%s-%s" "b"}} {{.user.tags | len}}', vars)).toBe('b-a 2');
  });

  it('runs if / else if / else, with / else with, and range', () => {
    const t = '{{if not .n}}none{{else if eq .n "1"}}one{{else}}many{{end}}';
    expect([render(t, {}), render(t, { n: 1 }), render(t, { n: 2 })]).toEqual(['none', 'one', 'many']);
    expect(render('{{with .u}}{{.name}}{{else with .v}}v={{.}}{{else}}nobody{{end}}', { v: 3 })).toBe('v=3');
    expect(render('{{range $i, $e := .xs}}{{$i}}={{$e}};{{end}}', { xs: ['a', 'b'] })).toBe('0=a;1=b;');
    expect(render('{{range $k, $v := .m}}{{$k}}:{{$v}} {{end}}{{range .m}}{{.}}{{end}}', { m: { b: 2, a: 1 } })).toBe('a:1 b:2 12');
    expect(render('{{range .xs}}x{{else}}empty{{end}} {{range .nope}}x{{else}}none{{end}}', { xs: [] })).toBe('empty none');
    expect(render('{{range 3}}{{.}}{{end}} {{range $i := 2}}[{{$i}}]{{end}}')).toBe('012 [0][1]');
    expect(render('{{range .xs}}{{if eq . "c"}}{{break}}{{end}}{{if eq . "a"}}{{continue}}{{end}}{{.}}{{end}}', { xs: ['a', 'b', 'c', 'd'] })).toBe('b');
    expect(render('{{$x := "out"}}{{range $x := .xs}}{{$x}}{{end}}{{$x}}', { xs: [1, 2] })).toBe('12out');
  });

  it('trims around {{- and -}}, and drops comments', () => {
    expect(render('a  {{- .x -}}  b {{/* c */}} d {{- /* e */ -}}\n f', { x: 1 })).toBe('a1b  df');
    expect(render('{{-3}} {{ -3 }}')).toBe('-3 -3');
  });

  it('has Go’s functions', () => {
    const vars = { xs: [1, 2, 3], m: { k: 'v' }, s: 'héllo', t: true, f: false, e: '', zero: 0 };
    // and/or stop at the deciding argument (so `index .nope 0` never runs); json.Number 0 is true.
    expect(render('{{and .t .f}} {{or .e .t}} {{and .nope (index .nope 0)}} {{or .nope "dflt"}} {{not .e}} {{not .zero}}', vars)).toBe('false true <undefined> dflt true false');
    expect(render('{{len .xs}} {{len .m}} {{len .s}} {{index .xs 1}} {{index .m "k"}} {{index .m "no"}} {{index "abc" 1}}', vars)).toBe('3 1 6 2 v <undefined> 98');
    expect(render('{{slice .xs 1}} {{slice .xs 0 1}} {{slice "hello" 1 3}}', vars)).toBe('[2 3] [1] el');
    expect(render('{{eq 1 2 1}} {{ne "a" "b"}} {{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1.5 2.5}} {{eq .nope nil}}', vars)).toBe('true true true true true false true');
    expect(render('{{print 1 2 "a" "b" 3}}|{{println 1 "a"}}|{{printf "%05.1f %x %v" 3.14159 "hi" .xs}}', vars)).toBe('1 2ab3|1 a\n|003.1 6869 [1 2 3]');
    expect(render('{{html "<a href=\'x\'>&"}} {{js "a\'b<"}} {{urlquery "a b&c/é"}} {{html .nope}}', vars)).toBe('&lt;a href=&#39;x&#39;&gt;&amp; a\\\'b\\u003C a+b%26c%2F%C3%A9 &lt;no value&gt;');
  });

  it('defines and calls templates', () => {
    expect(render('{{define "T"}}<{{.}}>{{end}}{{template "T" .x}}{{block "B" .y}}[{{.}}]{{end}}', { x: 1, y: 2 })).toBe('<1>[2]');
    expect(render('{{define "R"}}{{if .}}{{index . 0}}{{template "R" (slice . 1)}}{{end}}{{end}}{{template "R" .xs}}', { xs: ['a', 'b', 'c'] })).toBe('abc');
  });

  it("reports parse errors as Go's parser does", () => {
    expect(failure('{{if .x}}open')).toBe('template: template:1: unexpected EOF');
    expect(failure('{{nosuch .x}}')).toBe('template: template:1: function "nosuch" not defined');
    expect(failure('a\n{{.x')).toBe('template: template:2: unclosed action');
    expect(failure('a\n{{.x\n')).toBe('template: template:3: unclosed action started at template:2');
    expect(failure('{{$y}}')).toBe('template: template:1: undefined variable "$y"');
    expect(failure('{{end}}')).toBe('template: template:1: unexpected {{end}}');
    expect(failure('{{range .x}}{{else}}{{else}}{{end}}')).toBe('template: template:1: expected end; found {{else}}');
    expect(failure('{{break}}')).toBe('template: template:1: {{break}} outside {{range}}');
    expect(failure('{{.x | 1}}')).toBe('template: template:1: non executable command in pipeline stage 2');
    expect(failure('{{"a}}')).toBe('template: template:1: unterminated quoted string');
    expect(failure("{{'ab'}}")).toBe("template: template:1: malformed character constant: 'ab'");
    expect(failure('{{08}}')).toBe('template: template:1: integer overflow: "08"');
    expect(failure('{{@}}')).toBe('template: template:1: unexpected "@" in command');
    expect(failure('{{define "a"}}x{{end}}{{define "a"}}y{{end}}')).toBe('template: template:1: template: multiple definition of template "a"');
  });

  it('reports execution errors with the position and node, as Go does', () => {
    expect(failure('line\n{{.a.b}}', { a: 's' })).toBe('template: template:2:4: executing "template" at <.a.b>: can\'t evaluate field b in type interface {}');
    expect(failure('{{.a.b}}', { a: null })).toBe('template: template:1:4: executing "template" at <.a.b>: nil pointer evaluating interface {}.b');
    expect(failure('{{index .xs 5}}', { xs: [1] })).toBe('template: template:1:2: executing "template" at <index .xs 5>: error calling index: index out of range: 5');
    expect(failure('{{lt 1 1.5}}')).toBe('template: template:1:2: executing "template" at <lt 1 1.5>: error calling lt: incompatible types for comparison: int and float64');
    expect(failure('{{eq .a .a}}', { a: [1] })).toBe('template: template:1:2: executing "template" at <eq .a .a>: error calling eq: non-comparable type [1]: []interface {}');
    expect(failure('{{len .n}}', { n: null })).toBe('template: template:1:2: executing "template" at <len .n>: error calling len: len of nil pointer');
    expect(failure('{{.x 1}}', { x: 1 })).toBe('template: template:1:2: executing "template" at <.x>: x is not a method but has arguments');
    expect(failure('{{define "T"}}{{.y.z}}{{end}}{{template "T" .}}', { y: 1 })).toBe('template: template:1:18: executing "T" at <.y.z>: can\'t evaluate field z in type interface {}');
    expect(failure('{{template "none"}}')).toBe('template: template:1:11: executing "template" at <{{template "none"}}>: template "none" not defined');
  });

  it('refuses vars that Go cannot decode, as OPA does', () => {
    const with1 = (x: Value) => ObjectValue.fromEntries([['s', x]]);
    expect(failure('{{.}}', with1(SetValue.of(['a', 'b'])))).toBe("invalid character ',' after object key");
    expect(failure('{{.}}', with1(SetValue.of([])))).toBe("invalid character 's' looking for beginning of value");
    expect(failure('{{.}}', with1(ObjectValue.fromEntries([[1, 'x']])))).toBe("invalid character '1' looking for beginning of object key string");
    expect(failure('{{.}}', { s: 'bell\u0007' })).toBe("invalid character 'a' in string escape code");
    expect(callError('strings.render_template', 1, fromJS({})).message).toBe('strings.render_template: operand 1 must be string but got number');
    expect(callError('strings.render_template', '', [1]).message).toBe('strings.render_template: operand 2 must be object but got array');
  });

  it('bounds execution: steps, output and depth', () => {
    expect(failure('{{range 100000000}}{{end}}')).toMatch(/^template: execution stopped after \d+ steps$/);
    expect(failure(`{{range 10000000}}${'x'.repeat(100)}{{end}}`)).toMatch(/^template: output larger than \d+ characters$/);
    expect(failure('{{define "R"}}{{template "R" .}}{{end}}{{template "R" .}}')).toMatch(/exceeded maximum template depth \(\d+\)$/);
    expect(failure('{{' + '('.repeat(5000) + '1' + ')'.repeat(5000) + '}}')).toBe('template: template:1: max expression depth exceeded');
    expect(failure('{{if 1}}'.repeat(5000))).toBe('template: template:1: template nesting too deep');
    expect(failure('{{range 100000}}{{$x := printf "%999999d" 1}}{{end}}')).toMatch(/^template: execution stopped after handling \d+ characters$/);
  });

  describe('in a policy', () => {
    const module = `package t
greeting := strings.render_template("{{range .names}}hi {{.}} {{end}}", {"names": input.names})
broken := strings.render_template("{{.x.y}}", {"x": "s"})`;

    it('renders', () => {
      const rs = runQuery({ modules: [{ file: 't.rego', text: module }], query: 'x := data.t.greeting', input: fromJS({ names: ['a', 'b'] }) });
      expect(rs[0].bindings.x).toBe('hi a hi b ');
    });

    it('is undefined on an error, or fails with strict builtin errors', () => {
      expect(runQuery({ modules: [{ file: 't.rego', text: module }], query: 'x := data.t.broken' })).toEqual([]);
      let err: unknown;
      try {
        runQuery({ modules: [{ file: 't.rego', text: module }], query: 'x := data.t.broken', strictBuiltinErrors: true });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(RegoError);
      expect((err as RegoError).message).toContain('strings.render_template: template: template:1:4: executing "template" at <.x.y>');
    });
  });
});
