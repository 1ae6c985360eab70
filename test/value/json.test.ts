// The one JSON reader (server/value/json.ts) and the one number rule (numberFromText): integers
// exact however written, other numbers the nearest double below 2^53 and the nearest integer
// above; a document's exponents may expand to MAX_EXPANDED_DIGITS digits in all.
import fc from 'fast-check';
import { JSONSyntaxError, NumberTooBig, readJSON, readJSONData, roundedByJSONParse } from '../../server/value/json';
import { numberText } from '../support/numbers';
import { MAX_EXPANDED_DIGITS, ObjectValue, compare, fromJS, numberFromText, toJSONText } from '../../server/value/value';

describe('numberFromText', () => {
  it.each([
    ['18446744073709551615', 18446744073709551615n],
    ['-9223372036854775809', -9223372036854775809n],
    ['1e400', 10n ** 400n],
    ['1E+400', 10n ** 400n],
    ['-1.8446744073709551615e19', -18446744073709551615n],
    ['18446744073709551615.000', 18446744073709551615n],
    ['1e23', 10n ** 23n], // a double would be 99999999999999991611392
    ['2.50e1', 25],
    ['1e15', 1e15],
    ['9007199254740993e0', 9007199254740993n],
    ['0.1', 0.1],
    ['-0.0', 0],
    ['1.5e-400', 0], // below the smallest double, as Go's ParseFloat reads it
    ['5e-324', 5e-324],
    ['12345678901234567.5', 12345678901234568n], // beyond 2^53: the nearest integer, ties to even
    ['12345678901234568.5', 12345678901234568n],
    ['12345678901234568.51', 12345678901234569n],
    ['9007199254740993.5', 9007199254740994n],
    ['9007199254740990.5', 9007199254740990], // below 2^53: the nearest double
    ['10000000.000000001e8', 1000000000000000.1],
    ['-99999999999999999.9', -100000000000000000n],
  ])('%s', (text, want) => {
    const got = numberFromText(text);
    expect(typeof got).toBe(typeof want);
    expect(got).toBe(want);
  });

  it('is exact where the text is an integer, and Number() where it is not', () => {
    fc.assert(
      fc.property(numberText, (t) => {
        let got: number | bigint;
        try {
          got = numberFromText(t);
        } catch (e) {
          expect(e).toBeInstanceOf(NumberTooBig);
          return;
        }
        const f = Number(t);
        if (typeof got === 'number') {
          expect(Number.isSafeInteger(got) || !Number.isInteger(got)).toBe(true);
          // A number is the nearest double (an integer below 2^53 is its own nearest double).
          expect(got).toBe(f === 0 ? 0 : f);
        } else {
          // A bigint is never further from the text than the double would be.
          if (Number.isFinite(f)) expect(Math.abs(Number(got) - f)).toBeLessThanOrEqual(Math.abs(f) * Number.EPSILON);
          else expect(Number(got > 0n ? got : -got)).toBeGreaterThan(Number.MAX_VALUE / 2);
          expect(got >= 2n ** 53n || got <= -(2n ** 53n)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a number whose digits pass the budget', () => {
    expect(() => numberFromText(`1e${MAX_EXPANDED_DIGITS}`)).toThrow(NumberTooBig);
    expect(() => numberFromText('1e99999999999999999999')).toThrow(NumberTooBig);
    expect(numberFromText(`1e${MAX_EXPANDED_DIGITS - 1}`)).toBe(10n ** BigInt(MAX_EXPANDED_DIGITS - 1));
    expect(numberFromText('1e-99999999999999999999')).toBe(0);
  });
});

describe('readJSON', () => {
  it('keeps every integer exact, however it is written', () => {
    const v = readJSON('{"big": 18446744073709551615, "huge": 1e400, "exp": 1.8446744073709551615e19, "tiny": 1.5e-400, "half": 0.5}');
    expect(v).toBeInstanceOf(ObjectValue);
    expect(toJSONText(v)).toBe(`{"big":18446744073709551615,"exp":18446744073709551615,"half":0.5,"huge":1${'0'.repeat(400)},"tiny":0}`);
  });

  it('gives the number rule for every number text, on the fast path and the exact one', () => {
    fc.assert(
      fc.property(numberText, fc.boolean(), (t, slow) => {
        // A surrogate escape sends the whole text through the exact reader.
        const text = slow ? `["\\ud83d\\ude00", ${t}]` : `["x", ${t}]`;
        let want: number | bigint;
        try {
          want = numberFromText(t);
        } catch {
          expect(() => readJSON(text)).toThrow(NumberTooBig);
          return;
        }
        const got = readJSON(text) as unknown[];
        expect(got[1]).toBe(want);
        const data = (readJSONData(text) as unknown[])[1];
        expect(data === 0 ? 0 : data).toBe(want); // plain data may keep JSON.parse's -0

      }),
      { numRuns: 2000 },
    );
  });

  it('reads any JSON document as JSON.parse does where that is exact', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (doc) => {
        const text = JSON.stringify(doc);
        // Not where it is not: doubles of 2^53 and more, and lone surrogates (U+FFFD, as in Go).
        fc.pre(!roundedByJSONParse(JSON.parse(text)) && !/\\u[dD][89a-fA-F]/.test(text));
        expect(compare(readJSON(text), fromJS(JSON.parse(text)))).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('counts the expanded digits of a whole document against one budget', () => {
    const half = MAX_EXPANDED_DIGITS / 2;
    expect(() => readJSON(`[1e${half - 1}, 1e${half - 1}]`)).not.toThrow();
    expect(() => readJSON(`[1e${half - 1}, 1e${half}]`)).toThrow(NumberTooBig);
    expect(() => readJSONData(`{"a": 1e${half}, "b": [1e${half}]}`)).toThrow(NumberTooBig);
    // Plain digits cost nothing: they are as long as the text.
    expect(() => readJSON(`[${'7'.repeat(MAX_EXPANDED_DIGITS)}, 1e${MAX_EXPANDED_DIGITS - 1}]`)).not.toThrow();
  });

  it("reports Go's syntax errors", () => {
    expect(() => readJSON('{"a": 1')).toThrow(new JSONSyntaxError('unexpected end of JSON input'));
    expect(() => readJSON('[1 2]')).toThrow(new JSONSyntaxError("invalid character '2' after array element"));
    expect(() => readJSON('[1e400 2]')).toThrow(new JSONSyntaxError("invalid character '2' after array element"));
    expect(() => readJSON('{"a" 1}')).toThrow(new JSONSyntaxError("invalid character '1' after object key"));
    expect(() => readJSON('01')).toThrow(new JSONSyntaxError("invalid character '1' after top-level value"));
    expect(() => readJSON('1.')).toThrow(new JSONSyntaxError("invalid character '.' in numeric literal"));
  });

  it('reads a lone surrogate as U+FFFD, as Go does, on either path', () => {
    expect(readJSON('"\\ud800"')).toBe('\ufffd');
    expect(readJSON('["\\ud800", 1e400]')).toEqual(['\ufffd', 10n ** 400n]);
    expect(readJSONData('{"a": "\\udc00x"}')).toEqual({ a: '\ufffdx' });
  });

  it('nests without using the stack; values stop at maxDepth containers', () => {
    const deep = (n: number, inner = '1e400') => '['.repeat(n) + inner + ']'.repeat(n);
    let x = readJSONData(deep(100_000));
    for (let i = 0; i < 100_000; i++) x = (x as unknown[])[0];
    expect(x).toBe(10n ** 400n);
    expect(() => readJSON(deep(100_000))).toThrow(new JSONSyntaxError('exceeded max depth'));
    expect(() => readJSON(deep(100_000, '1'))).toThrow(new JSONSyntaxError('exceeded max depth'));
    expect(() => readJSON(deep(2048), { maxDepth: 2048 })).not.toThrow();
    expect(() => readJSON(deep(2049, '[]'), { maxDepth: 2049 })).toThrow(new JSONSyntaxError('exceeded max depth'));
  });

  it('keeps "__proto__" an own key of plain data, as JSON.parse does', () => {
    const d = readJSONData('{"__proto__": {"polluted": 1}, "n": 1e400}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(d)).toBe(Object.prototype);
    expect(Object.keys(d)).toEqual(['__proto__', 'n']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
