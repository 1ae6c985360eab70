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

  it('give the same results and print output', async () => {
    const interp = await run('interp');
    expect(interp.result).toBe(
      `[[18446744073709551615,${HUGE},-18446744073709551615],["18446744073709551615 ${HUGE}","ffffffffffffffff","${HUGE}"],[-18446744073709551615,1,18446744073709551615,${HUGE}],true]`,
    );
    expect(interp.printed).toEqual([`18446744073709551615 ${HUGE} [18446744073709551615]`]);
    expect(await run('wasm')).toEqual(interp);
  });
});
