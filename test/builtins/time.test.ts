import { NOW_NS, call, errorTable, table, v } from './helpers';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const RFC3339 = '2006-01-02T15:04:05Z07:00';

describe('time', () => {
  table([
    ['time.now_ns', [], NOW_NS],
    ['time.parse_ns', [RFC3339, '2017-06-02T19:00:00-07:00'], 1496455200000000000n],
    ['time.parse_ns', [RFC3339, '1677-09-21T00:12:43.145224192-00:00'], INT64_MIN],
    ['time.parse_ns', [RFC3339, '2262-04-11T23:47:16.854775807-00:00'], INT64_MAX],
    ['time.parse_ns', ["01/02 03:04:05PM '06 -0700", "06/02 07:00:00PM '17 -0700"], 1496455200000000000n],
    ['time.parse_ns', ['02 Jan 06 15:04 -0700', '02 Jun 17 19:00 -0700'], 1496455200000000000n],
    ['time.parse_ns', ['RFC822Z', '02 Jun 17 19:00 -0700'], 1496455200000000000n],
    ['time.parse_ns', ['2006-01-02', '2020-02-29'], 1582934400000000000n],
    ['time.parse_ns', ['Mon Jan _2 15:04:05 MST 2006', 'Tue Feb  4 10:00:00 PST 2020'], 1580810400000000000n],
    ['time.parse_ns', ['2006-01-02 15:04:05.000', '2020-01-01 00:00:00.250'], 1577836800250000000n],
    ['time.parse_ns', ['January 2, 2006 3pm', 'march 5, 2021 11am'], 1614942000000000000n],
    ['time.parse_rfc3339_ns', ['1970-01-01T00:00:00Z'], 0],
    ['time.parse_rfc3339_ns', ['2017-06-02T19:00:00.5+02:00'], 1496422800500000000n],
    ['time.parse_duration_ns', ['100ms'], 100000000],
    ['time.parse_duration_ns', ['1h30m'], 5400000000000],
    ['time.parse_duration_ns', ['-1.5s'], -1500000000],
    ['time.parse_duration_ns', ['1µs'], 1000],
    ['time.parse_duration_ns', ['0'], 0],
    ['time.date', [1517814000000000000n], v([2018, 2, 5])],
    ['time.date', [v([1517814000000000000n, 'America/Los_Angeles'])], v([2018, 2, 4])],
    ['time.date', [v([1517832000000000000n, ''])], v([2018, 2, 5])],
    ['time.date', [1582977600000000000n], v([2020, 2, 29])],
    ['time.date', [-1], v([1969, 12, 31])],
    ['time.clock', [1517832000000000000n], v([12, 0, 0])],
    ['time.clock', [v([1517832000000000000n, 'America/New_York'])], v([7, 0, 0])],
    ['time.clock', [1582977600000000000n], v([12, 0, 0])],
    ['time.weekday', [1517832000000000000n], 'Monday'],
    ['time.weekday', [1518004800000000000n], 'Wednesday'],
    ['time.weekday', [1518091200000000000n], 'Thursday'],
    ['time.weekday', [1518177600000000000n], 'Friday'],
    ['time.weekday', [1518264000000000000n], 'Saturday'],
    ['time.weekday', [1518350400000000000n], 'Sunday'],
    ['time.add_date', [1585852421593912000n, 3, 9, 12], 1705257221593912000n],
    ['time.add_date', [1585852421593912000n, -1, -1, -1], 1551465221593912000n],
    ['time.add_date', [1580428800000000000n, 0, 1, 0], 1583107200000000000n],
    ['time.diff', [1517832000000000000n, 1517814000000000000n], v([0, 0, 0, 5, 0, 0])],
    ['time.diff', [1585852421593912000n, 1705257221593912000n], v([3, 9, 12, 0, 0, 0])],
    ['time.format', [1517832000000000000n], '2018-02-05T12:00:00Z'],
    ['time.format', [1517832000123000000n], '2018-02-05T12:00:00.123Z'],
    ['time.format', [v([1517832000000000000n, 'America/New_York'])], '2018-02-05T07:00:00-05:00'],
    ['time.format', [v([1517832000000000000n, 'UTC', 'Mon Jan _2 15:04:05 2006'])], 'Mon Feb  5 12:00:00 2018'],
    ['time.format', [v([1517832000000000000n, 'America/New_York', 'RFC1123'])], 'Mon, 05 Feb 2018 07:00:00 EST'],
    ['time.format', [v([1517832000000000000n, 'UTC', '3:04PM Jan 2 06 .000 002'])], '12:00PM Feb 5 18 .000 036'],
  ]);
  errorTable([
    ['time.parse_ns', [RFC3339, '1677-09-21T00:12:43.145224191-00:00'], 'eval_builtin_error', 'time outside of valid range'],
    ['time.parse_ns', [RFC3339, '2262-04-11T23:47:16.854775808-00:00'], 'eval_builtin_error', 'time outside of valid range'],
    ['time.parse_ns', [RFC3339, 'nope'], 'eval_builtin_error', 'time.parse_ns: parsing time "nope" as "2006-01-02T15:04:05Z07:00": cannot parse "nope" as "2006"'],
    ['time.parse_ns', ['2006-01-02', '2021-02-29'], 'eval_builtin_error', 'day out of range'],
    ['time.parse_ns', ['2006-01-02', '2021-02-01x'], 'eval_builtin_error', 'extra text'],
    ['time.parse_duration_ns', ['1'], 'eval_builtin_error', 'time: missing unit in duration "1"'],
    ['time.parse_duration_ns', ['1x'], 'eval_builtin_error', 'time: unknown unit "x" in duration "1x"'],
    ['time.parse_duration_ns', ['abc'], 'eval_builtin_error', 'time: invalid duration "abc"'],
    ['time.date', [1582977600000000000000n], 'eval_builtin_error', 'timestamp too big'],
    ['time.clock', [1582977600000000000000n], 'eval_builtin_error', 'timestamp too big'],
    ['time.date', [v([0, 'Nowhere/Special'])], 'eval_builtin_error', 'unknown time zone Nowhere/Special'],
    ['time.date', ['x'], 'eval_type_error', 'time.date: operand 1 must be either number (ns) or [number (ns), string (tz)] but got string'],
    ['time.add_date', [0, 2262, 1, 1], 'eval_builtin_error', 'time outside of valid range'],
    ['time.add_date', [INT64_MIN, 0, 0, -1], 'eval_builtin_error', 'time outside of valid range'],
  ]);

  test('test.sleep waits and returns null', () => {
    const start = Date.now();
    expect(call('test.sleep', '20ms')).toBeNull();
    expect(Date.now() - start).toBeGreaterThanOrEqual(15);
  });
});
