// Numbers beyond a double (1e400, 18446744073709551615) from the input, through each engine: the
// same results and the same print output, since the WASM module's host calls receive them
// through the SDK's JSON.parse.
import { evaluateQuery, type EngineName } from '../../server/engine/query';
import { readJSON } from '../../server/value/json';
import { toJSONText } from '../../server/value/value';

const MODULE = {
  file: 'n.rego',
  text: `package n

xs := [input.big, input.huge, input.neg]

texts := [sprintf("%v %d", [input.big, input.huge]), format_int(input.big, 16), json.marshal(input.huge)]

ordered := sort([input.huge, input.big, 1, input.neg])

printed if print(input.big, input.huge, [input.big])

arithmetic := [
	input.big + 1, input.big - 1, input.big * 2, input.big / 5, input.big / 2, input.big % 10,
	abs(input.neg), ceil(input.big), floor(input.neg), round(input.big),
	sum([input.big, 1]), product([input.big, 2]), input.huge - input.huge, input.huge * 0.5,
	9223372036854775807 + 1, -9223372036854775807 - 2, 4294967296 * 4294967296, sum([9223372036854775807, 1]),
	input.big + 0.5, 7 / 2,
]
`,
};

const INPUT = readJSON('{"big": 18446744073709551615, "huge": 1e400, "neg": -1.8446744073709551615e19}');
const HUGE = '1' + '0'.repeat(400);

async function run(engine: EngineName) {
  const printed: string[] = [];
  const rows = await evaluateQuery({ modules: [MODULE], query: 'x := [data.n.xs, data.n.texts, data.n.ordered, data.n.printed]', input: INPUT, engine, print: (m) => printed.push(m) });
  return { result: toJSONText(rows[0].bindings.x), printed };
}

describe('big numbers in the input, on both engines', () => {
  jest.setTimeout(60_000);

  it('compute the same integers, exactly, beyond i64', async () => {
    const results = await Promise.all(
      (['interp', 'wasm'] as const).map(async (engine) => toJSONText((await evaluateQuery({ modules: [MODULE], query: 'x := data.n.arithmetic', input: INPUT, engine }))[0].bindings.x)),
    );
    expect(results[0]).toBe(
      '[18446744073709551616,18446744073709551614,36893488147419103230,3689348814741910323,9223372036854775808,5,' +
        '18446744073709551615,18446744073709551615,-18446744073709551615,18446744073709551615,' +
        `18446744073709551616,36893488147419103230,0,5${'0'.repeat(399)},` +
        '9223372036854775808,-9223372036854775809,18446744073709551616,9223372036854775808,' +
        '18446744073709551616,3.5]',
    );
    expect(results[1]).toBe(results[0]);
  });

  it('give the same results and print output', async () => {
    const interp = await run('interp');
    expect(interp.result).toBe(
      `[[18446744073709551615,${HUGE},-18446744073709551615],["18446744073709551615 ${HUGE}","ffffffffffffffff","${HUGE}"],[-18446744073709551615,1,18446744073709551615,${HUGE}],true]`,
    );
    expect(interp.printed).toEqual([`18446744073709551615 ${HUGE} [18446744073709551615]`]);
    expect(await run('wasm')).toEqual(interp);
  });
});
