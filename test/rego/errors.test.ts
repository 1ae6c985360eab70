// Parse errors: OPA's messages, where they point, and their shape (RegoErrors of rego_parse_error).
import { MAX_DEPTH } from '../../server/rego/cursor';
import { RegoError, RegoErrors } from '../../server/rego/errors';
import { parseModule, parseQuery, parseTerm } from '../../server/rego/index';
import { errorsOf, moduleErrors, queryError } from './helpers';

describe('parse errors', () => {
  it('are RegoErrors holding located rego_parse_errors', () => {
    let caught: unknown;
    try {
      parseModule({ file: 'policy.rego', text: 'package p\n\np := }' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RegoErrors);
    const [err] = (caught as RegoErrors).errors;
    expect(err).toBeInstanceOf(RegoError);
    expect(err.toJSON()).toEqual({ code: 'rego_parse_error', message: 'unexpected } token', location: { file: 'policy.rego', row: 3, col: 6 } });
    expect(err.toString()).toBe('policy.rego:3: rego_parse_error: unexpected } token');
  });

  it('name unexpected tokens as OPA does', () => {
    expect(queryError('x := }')).toBe('1:6: unexpected } token');
    expect(queryError('x := ]')).toBe('1:6: unexpected ] token');
    expect(queryError('x := :=')).toBe('1:6: unexpected assign token');
    expect(queryError('x := +')).toBe('1:6: unexpected plus token');
    expect(queryError('x := if')).toBe('1:6: unexpected if keyword');
    expect(queryError('x := else')).toBe('1:6: unexpected else keyword');
    expect(queryError('x := ;')).toBe('1:6: unexpected ; token');
    expect(queryError('x :=')).toBe('1:5: unexpected eof token');
  });

  it('explain what was expected', () => {
    expect(moduleErrors('package p\np if { a b }')).toEqual(['2:10: unexpected identifier token: expected \\n or ; or }']);
    expect(moduleErrors('package p\np if { x')).toEqual(['2:9: unexpected eof token: expected \\n or ; or }']);
    expect(moduleErrors('package p\np if { x\n')).toEqual(['3:1: unexpected eof token']);
    expect(queryError('[x | a b]')).toBe('1:8: unexpected identifier token: expected \\n or ; or ]');
    expect(queryError('f(x')).toBe('1:4: unexpected eof token: expected "," or ")"');
    expect(queryError('[1 2]')).toBe('1:4: unexpected number token: expected "," or "]"');
    expect(queryError('{"a": 1, "b" 2}')).toBe('1:14: unexpected number token: expected ":"');
    expect(queryError('{"a" 1}')).toBe('1:6: unexpected number token: non-terminated set');
    expect(queryError('{"a": 1 2}')).toBe('1:9: unexpected number token: non-terminated object');
    expect(queryError('(1 + 2')).toBe('1:7: non-terminated expression');
    expect(queryError('x.')).toBe('1:3: unexpected eof token: expected identifier');
    expect(queryError('x.1')).toBe('1:3: unexpected number token: expected identifier');
    expect(queryError('a[1')).toBe('1:4: unexpected eof token: expected ]');
    expect(queryError('[x | ]')).toBe('1:6: found empty body');
  });

  it('cover some, every, not and with', () => {
    expect(queryError('not some x')).toBe("1:5: unexpected some keyword: illegal negation of 'some'");
    expect(queryError('not every x in y { x }')).toBe("1:5: unexpected every keyword: illegal negation of 'every'");
    expect(queryError('some 1')).toBe('1:6: unexpected number token: expected var');
    expect(queryError('some x == 1')).toBe('1:12: unexpected eof token: expected `x in xs` or `x, y in xs` expression');
    expect(queryError('every x in xs')).toBe('1:14: unexpected eof token: missing body');
    expect(queryError('every x { x }')).toBe('1:9: unexpected { token: expected `x[, y] in xs { ... }` expression');
    expect(queryError('every [x] in xs { x }')).toBe('1:17: unexpected { token: expected value to be a variable');
    expect(queryError('every 1, x in xs { x }')).toBe('1:18: unexpected { token: expected key to be a variable');
    expect(queryError('every x in xs {}')).toBe('1:16: found empty body');
    expect(queryError('x with 1 as 2')).toBe('1:8: unexpected number token: expected ident');
    expect(queryError('x with input 1')).toBe('1:14: unexpected number token: expected as keyword');
    expect(queryError('x with f(1) as 2')).toBe('1:13: unexpected as keyword: expected with target path');
  });

  it('validate numbers', () => {
    expect(queryError('x := 01')).toBe('1:6: unexpected number token: expected number without leading zero');
    expect(queryError('x := -007')).toBe('1:7: unexpected number token: expected number without leading zero');
    expect(queryError('x := 1e1000000')).toBe('1:6: number too big');
    expect(queryError('x := 1e-1000000')).toBe('1:6: number too big');
    expect(queryError('x := .5.5')).toBe('1:7: unexpected number token: invalid float');
    expect(queryError('x := 1.')).toBe('1:6: expected fraction');
    expect(parseQuery('x := 1e30000')).toHaveLength(1);
    expect(parseQuery('x := 0.0001e-300')).toHaveLength(1);
  });

  it('report scanner errors at the offending token', () => {
    expect(queryError('x := "abc')).toBe('1:6: non-terminated string');
    expect(queryError('x := "a\\zb"')).toBe('1:6: illegal escape sequence');
    expect(queryError('x := !y')).toBe('1:6: illegal ! character');
    expect(queryError('!x')).toBe('1:1: illegal ! character');
    expect(queryError('x := 1\ny := @')).toBe('2:6: illegal token');
    expect(moduleErrors('package p\np := `abc')).toEqual(['2:6: non-terminated string']);
  });

  it('cap nesting depth with a parse error instead of overflowing the stack', () => {
    const deep = (open: string, close: string, k: number) => open.repeat(k) + close.repeat(k);
    for (const [o, c] of [['[', ']'], ['{', '}'], ['(', ')'], ['f(', ')'], ['a[', ']'], ['[x | ', ']']]) {
      const errs = errorsOf(() => parseQuery(`x := ${deep(o, c, MAX_DEPTH + 10)}`));
      expect(errs[0].message).toBe('max parsing recursion depth exceeded');
    }
    expect(errorsOf(() => parseQuery(`x := ${'-'.repeat(100000)}y`))[0].message).toBe('max parsing recursion depth exceeded');
    expect(errorsOf(() => parseQuery('['.repeat(200000)))[0].message).toBe('max parsing recursion depth exceeded');
    // Well inside the limit is fine.
    expect(parseQuery(`x := ${deep('[', ']', 100)}`)).toHaveLength(1);
  });

  it('handle long flat inputs without recursion', () => {
    expect(parseQuery(`x := ${Array.from({ length: 20000 }, (_, k) => k).join(' + ')}`)).toHaveLength(1);
    expect(parseQuery(`x := [${'1,'.repeat(50000)}]`)).toHaveLength(1);
    expect(parseQuery(`x := a${'.b'.repeat(20000)}`)).toHaveLength(1);
    const chain = Array.from({ length: 2000 }, (_, k) => ` else := ${k} if { input.x == ${k} }`).join('');
    const m = parseModule({ file: 'f', text: `package p\np := 0 if { false }${chain} else := -1` });
    let depth = 0;
    for (let r = m.rules[0].else; r; r = r.else) depth++;
    expect(depth).toBe(2001);
  });

  it('parseTerm and parseQuery report with the given file name', () => {
    expect(errorsOf(() => parseTerm('{', 'input.json'))[0].location?.file).toBe('input.json');
    expect(errorsOf(() => parseQuery('}', 'query'))[0].location).toEqual({ file: 'query', row: 1, col: 1 });
  });
});
