import { S, call, callError, context, errorTable, show, table, v } from './helpers';
import { lookupBuiltin } from '../../server/builtins/catalog';
import { runQuery } from '../../server/engine/query';
import { SetValue } from '../../server/value/value';

describe('net', () => {
  table([
    ['net.cidr_contains', ['172.17.0.0/24', '172.17.0.0/16'], false],
    ['net.cidr_contains', ['10.0.0.0/8', '192.168.1.0/24'], false],
    ['net.cidr_contains', ['10.0.0.0/8', '10.1.1.1/32'], true],
    ['net.cidr_contains', ['2001:4860:4860::8888/32', '2001:4860:4860:1234::8888/40'], true],
    ['net.cidr_contains', ['2001:4860::/96', '2001:4860::/32'], false],
    ['net.cidr_contains', ['2001:4860::/32', 'fd1e:5bfe:8af3:9ddc::/64'], false],
    ['net.cidr_contains', ['10.0.0.0/8', '10.1.2.3'], true],
    ['net.cidr_contains', ['10.0.0.0/8', '192.168.1.1'], false],
    ['net.cidr_contains', ['10.0.0.0/8', '::ffff:10.1.2.3'], true],
    ['net.cidr_contains', ['10.0.0.5/8', '10.255.255.255'], true],
    ['net.cidr_intersects', ['192.168.0.0/16', '192.168.1.0/24'], true],
    ['net.cidr_intersects', ['192.168.0.0/24', '192.168.1.0/24'], false],
    ['net.cidr_intersects', ['fd1e:5bfe:8af3:9ddc::/64', 'fd1e:5bfe:8af3:9ddc:1::/80'], true],
    ['net.cidr_is_valid', ['192.168.1.0/24'], true],
    ['net.cidr_is_valid', [''], false],
    ['net.cidr_is_valid', ['there goes a string'], false],
    ['net.cidr_is_valid', ['192.168.1.2'], false],
    ['net.cidr_is_valid', ['2002::1234:abcd:ffff:c0a8:101/64'], true],
    ['net.cidr_is_valid', ['192.168.0.500/30'], false],
    ['net.cidr_is_valid', ['192.168.01.0/24'], false],
    ['net.cidr_is_valid', ['10.0.0.0/33'], false],
    ['net.cidr_is_valid', ['fe80::1%eth0/64'], false],
    ['net.cidr_is_valid', [1], false],
    ['net.cidr_expand', ['192.168.0.0/30'], S('192.168.0.0', '192.168.0.1', '192.168.0.2', '192.168.0.3')],
    ['net.cidr_expand', ['10.0.0.1/32'], S('10.0.0.1')],
    ['net.cidr_expand', ['2001:db8::/127'], S('2001:db8::', '2001:db8::1')],
    ['net.cidr_merge', [v(['192.0.128.0/24', '192.0.129.0/24'])], S('192.0.128.0/23')],
    ['net.cidr_merge', [v(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/23'])], S('10.0.0.0/22')],
    ['net.cidr_merge', [v(['10.0.0.0/8', '10.1.0.0/16'])], S('10.0.0.0/8')],
    ['net.cidr_merge', [v(['192.168.1.1', '192.168.1.0'])], S('192.168.1.0/31')],
    ['net.cidr_merge', [S('2001:db8::/33', '2001:db8:8000::/33', '10.0.0.0/9')], S('2001:db8::/32', '10.0.0.0/9')],
    ['net.cidr_merge', [v([])], S()],
    [
      'net.cidr_contains_matches',
      [v(['1.1.1.0/24', '1.1.2.0/24']), '1.1.1.128'],
      S(v([0, '1.1.1.128'])),
    ],
    [
      'net.cidr_contains_matches',
      [v({ x: '1.1.0.0/16', y: ['1.1.1.0/24', 'extra'] }), S('1.1.1.1', '2.2.2.2')],
      S(v(['x', '1.1.1.1']), v(['y', '1.1.1.1'])),
    ],
  ]);
  errorTable([
    ['net.cidr_contains', ['not-a-cidr', '192.168.1.67'], 'eval_builtin_error', 'net.cidr_contains: invalid CIDR address: not-a-cidr'],
    ['net.cidr_contains', ['192.168.1.0/28', 'not-a-cidr'], 'eval_builtin_error', 'not a valid textual representation'],
    ['net.cidr_expand', ['10.0.0.0/8'], 'eval_builtin_error', 'net.cidr_expand: more than'],
    ['net.cidr_merge', [v(['2001:db8::1'])], 'eval_builtin_error', 'IPv6 invalid: needs prefix length'],
    ['net.cidr_contains_matches', [v([1]), '1.1.1.1'], 'eval_builtin_error', 'operand 1: element must be string or non-empty array'],
  ]);
});

describe('net.lookup_ip_addr', () => {
  // None of these needs the network: localhost comes from the hosts file, IP literals and
  // malformed names are answered before any lookup.
  it('resolves localhost through the system resolver', () => {
    const local = call('net.lookup_ip_addr', 'localhost');
    expect(local).toBeInstanceOf(SetValue);
    expect((local as SetValue).values().some((a) => a === '127.0.0.1' || a === '::1')).toBe(true);
  });

  it('returns an IP literal as Go prints it', () => {
    expect(show(call('net.lookup_ip_addr', '10.1.2.3'))).toBe('{"10.1.2.3"}');
    expect(show(call('net.lookup_ip_addr', '::ffff:1.2.3.4'))).toBe('{"1.2.3.4"}');
    expect(show(call('net.lookup_ip_addr', '2001:DB8:0:0::1'))).toBe('{"2001:db8::1"}');
    expect(show(call('net.lookup_ip_addr', 'fe80:0::1%eth0'))).toBe('{"fe80::1%eth0"}');
  });

  it.each(['', 'bad..name', '-lead.example', 'trail-.example', `${'a'.repeat(64)}.example`, 'ünïcode.example', 'sp ace.example', '127.1', '0x7f.1', '2130706433'])(
    'fails for %j as Go does: no such host',
    (name) => {
      const e = callError('net.lookup_ip_addr', name);
      expect(e.code).toBe('eval_builtin_error');
      expect(e.message).toBe(`net.lookup_ip_addr: lookup ${name}: no such host`);
    },
  );

  it('is refused where the service disabled the network (no --allow-http-send); literals still answer', () => {
    const ctx = { ...context(), http: { enabled: false } };
    const b = lookupBuiltin('net.lookup_ip_addr')!;
    expect(() => b.impl(['localhost'], ctx)).toThrow(/network lookups are disabled/);
    expect(show(b.impl(['10.1.2.3'], ctx))).toBe('{"10.1.2.3"}');
  });

  it('answers the same within one evaluation (memoised like OPA)', () => {
    const ctx = context();
    const b = lookupBuiltin('net.lookup_ip_addr')!;
    const first = b.impl(['localhost'], ctx);
    expect(b.impl(['localhost'], ctx)).toBe(first);
  });

  it('runs in a policy', () => {
    const rs = runQuery({ modules: [{ file: 'n.rego', text: 'package n\nloopback if count(net.lookup_ip_addr("localhost")) > 0' }], query: 'x := data.n.loopback' });
    expect(rs[0].bindings.x).toBe(true);
  });

  it('wants a string', () => {
    expect(callError('net.lookup_ip_addr', 1).message).toBe('net.lookup_ip_addr: operand 1 must be string but got number');
  });
});
