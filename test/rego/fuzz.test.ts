// Robustness: whatever the input, parsing either succeeds or throws RegoErrors made of located
// rego_parse_errors. Never a TypeError, a stack overflow, or the parser's internal-error fallback.
import fc from 'fast-check';
import { RegoError, RegoErrors } from '../../server/rego/errors';
import { parseModule, parseQuery, parseTerm } from '../../server/rego/index';

const VALID_MODULES = [
  `package authz
import rego.v1

default allow := false

allow if {
	input.user == "admin"
	some role in data.roles[input.user]
	role.name != "guest"
}

deny contains msg if {
	some c in input.request.object.spec.containers
	not startswith(c.image, "registry.example.com/")
	msg := sprintf("image %v is not allowed", [c.image])
}

f(x, y) := x + y * 2 if x > -1.5e3 else := 0

obj[k] := v if {
	some k, v in {"a": 1, "b": [1, 2, {3}]}
}

every_ok if every x in [1, 2] { x > 0 }
comp := {k: count(v) | some k, v in input.m; v != set()}
w if data.p with input as {"x": \`raw
string\`} with data.q as 1
q := [x | x := input.xs[_]; x % 2 == 0]
`,
  `package v0.legacy

p[x] {
	x := input.a[_]
}

q[k] = v {
	v := data.m[k]
}

r = 1 { true } else = 2 { false }

f(x) = y {
	y := x & {1, 2}
}
`,
  `package x
a.b.c := 1
p["k"] := 2
t := -x.y
s := "\\u00e9\\ud83d\\ude00\\n"
`,
];

const VOCAB = [
  'package', 'import', 'as', 'default', 'else', 'not', 'some', 'with', 'null', 'true', 'false',
  'if', 'contains', 'in', 'every', 'data', 'input', 'future', 'keywords', 'rego', 'v1', 'set',
  'p', 'q', 'x', 'f', '_', 'count',
  '0', '1', '-1', '1.5', '1e3', '01', '.5', '"s"', '"\\n"', '"\\x"', '`raw`', '"unterminated', '`',
  ':=', '=', '==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '&', '|', ',', ';', ':', '.',
  '(', ')', '[', ']', '{', '}', '\n', '#c\n', '!', '$', '\u0000', 'é',
];

const SEPARATORS = ['', ' ', '\n', '\t'];

/** Parses with every entry point; true when each outcome is acceptable. */
function wellBehaved(text: string): boolean {
  const attempts: Array<() => unknown> = [
    () => parseModule({ file: 'f.rego', text }),
    () => parseModule({ file: 'f.rego', text }, { regoVersion: 0 }),
    () => parseQuery(text, 'q'),
    () => parseTerm(text, 't'),
  ];
  for (const attempt of attempts) {
    try {
      attempt();
    } catch (e) {
      if (!(e instanceof RegoErrors) || e.errors.length === 0) throw e;
      for (const err of e.errors) {
        if (!(err instanceof RegoError) || err.code !== 'rego_parse_error') throw e;
        if (err.message.startsWith('internal parser error')) throw new Error(`parser bug on ${JSON.stringify(text)}: ${err.message}`);
        const loc = err.location;
        if (!loc || !Number.isInteger(loc.row) || !Number.isInteger(loc.col) || loc.row < 1 || loc.col < 1) {
          throw new Error(`bad location ${JSON.stringify(loc)} for ${JSON.stringify(text)}`);
        }
      }
    }
  }
  return true;
}

const tokenSoup = fc
  .array(fc.tuple(fc.constantFrom(...VOCAB), fc.constantFrom(...SEPARATORS)), { maxLength: 40 })
  .map((parts) => parts.map(([t, sep]) => t + sep).join(''));

describe('parser robustness', () => {
  it('accepts the sample modules', () => {
    expect(parseModule({ file: 'a', text: VALID_MODULES[0] }).rules.length).toBeGreaterThan(5);
    expect(parseModule({ file: 'b', text: VALID_MODULES[1] }, { regoVersion: 0 }).rules).toHaveLength(4);
    expect(parseModule({ file: 'c', text: VALID_MODULES[2] }).rules).toHaveLength(4);
  });

  it('survives random token soups', () => {
    fc.assert(fc.property(tokenSoup, wellBehaved), { numRuns: 3000 });
  });

  it('survives token soups after a package line', () => {
    fc.assert(fc.property(tokenSoup, (soup) => wellBehaved(`package p\n${soup}`)), { numRuns: 2000 });
  });

  it('survives random strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), wellBehaved), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'packe if{}[]()"`\\:=.,;|-0123e_\n xin'.split('')), maxLength: 60 }), wellBehaved), { numRuns: 3000 });
  });

  it('survives random bytes decoded as text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => wellBehaved(Buffer.from(bytes).toString('utf8'))),
      { numRuns: 1000 },
    );
  });

  it('survives every truncation of valid modules', () => {
    for (const text of VALID_MODULES) {
      for (let k = 0; k <= text.length; k++) wellBehaved(text.slice(0, k));
    }
  });

  it('survives single-character edits of valid modules', () => {
    const edit = fc.tuple(fc.nat({ max: VALID_MODULES.length - 1 }), fc.nat(), fc.nat({ max: 2 }), fc.constantFrom(...'{}[]()":=.,;|\n -_`#x1'.split('')));
    fc.assert(
      fc.property(edit, ([m, at, op, ch]) => {
        const text = VALID_MODULES[m];
        const k = at % (text.length + 1);
        const edited = op === 0 ? text.slice(0, k) + ch + text.slice(k) : op === 1 ? text.slice(0, k) + text.slice(k + 1) : text.slice(0, k) + ch + text.slice(k + 1);
        return wellBehaved(edited);
      }),
      { numRuns: 2000 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(tokenSoup, (soup) => {
        const text = `package p\n${soup}`;
        const run = (): string => {
          try {
            return JSON.stringify(parseModule({ file: 'f', text }));
          } catch (e) {
            return String(e);
          }
        };
        return run() === run();
      }),
      { numRuns: 500 },
    );
  });
});
