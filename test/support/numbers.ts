// Generators shared by the number tests of both engines (test/value, test/wasm, test/http).
import fc from 'fast-check';

/** Number text in JSON's grammar, biased to the interesting cases: long, exponents, halves. */
export const numberText = fc
  .tuple(
    fc.boolean(),
    fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,24}$/)),
    fc.option(fc.stringMatching(/^[0-9]{1,20}$/), { nil: undefined }),
    fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 420 })), { nil: undefined }),
  )
  .map(([neg, whole, fraction, exp]) => `${neg ? '-' : ''}${whole}${fraction === undefined ? '' : '.' + fraction}${exp === undefined ? '' : exp[0] + exp[1] + exp[2]}`);
