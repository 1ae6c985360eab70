// uuid.parse, with OPA's field names and google/uuid's decoding.
import { callError, show, table, v } from './helpers';
import { runQuery } from '../../server/engine/query';

describe('uuid.parse', () => {
  table([
    // Version 1: time in Unix ns, clock sequence, node ID with its MAC flags. This is RFC 4122's
    // DNS namespace UUID, minted 1998-02-04T22:13:53.1511824Z (0x00: a global unicast MAC).
    [
      'uuid.parse',
      ['6ba7b810-9dad-11d1-80b4-00c04fd430c8'],
      v({ version: 1, variant: 'RFC4122', time: 886630433151182400n, clocksequence: 180, nodeid: 'global:unicast:00c04fd430c8' }),
    ],
    // Time 0 is 1582-10-15: Go's int64 nanoseconds wrap (-12219292800 s × 1e9 + 2^64).
    [
      'uuid.parse',
      ['00000000-0000-1000-8000-0242ac120002'],
      v({ version: 1, variant: 'RFC4122', time: 6227451273709551616n, clocksequence: 0, nodeid: 'local:unicast:0242ac120002' }),
    ],
    // Version 2 adds the local ID (the first 4 bytes) and the domain (byte 9); the MAC flags
    // 0x03 are local:multicast.
    [
      'uuid.parse',
      ['000003e8-1234-2000-8101-030000000001'],
      v({
        version: 2,
        variant: 'RFC4122',
        time: 6229452728469587616n, // (0x1234000003e8 − 0x01b21dd213814000) × 100, wrapped to int64
        clocksequence: 0x0101,
        nodeid: 'local:multicast:030000000001',
        id: 1000,
        domain: 'Group',
      }),
    ],
    ['uuid.parse', ['000003e8-1234-2000-8102-010000000001'], v({ version: 2, variant: 'RFC4122', time: 6229452728469587616n, clocksequence: 0x0102, nodeid: 'global:multicast:010000000001', id: 1000, domain: 'Org' })],
    ['uuid.parse', ['000003e8-1234-2000-8107-020000000001'], v({ version: 2, variant: 'RFC4122', time: 6229452728469587616n, clocksequence: 0x0107, nodeid: 'local:unicast:020000000001', id: 1000, domain: 'Domain7' })],
    // Other versions: version and variant only.
    ['uuid.parse', ['c8f3b2a2-8f6e-4a3d-9e4b-6f0c1a2b3c4d'], v({ version: 4, variant: 'RFC4122' })],
    ['uuid.parse', ['886313e1-3b8a-5372-9b90-0c9aee199e5d'], v({ version: 5, variant: 'RFC4122' })],
    ['uuid.parse', ['01890a5d-ac96-774b-bcce-b302099a8057'], v({ version: 7, variant: 'RFC4122' })],
    // Variants from the top bits of byte 8.
    ['uuid.parse', ['c8f3b2a2-8f6e-4a3d-ce4b-6f0c1a2b3c4d'], v({ version: 4, variant: 'Microsoft' })],
    ['uuid.parse', ['c8f3b2a2-8f6e-4a3d-ee4b-6f0c1a2b3c4d'], v({ version: 4, variant: 'Future' })],
    ['uuid.parse', ['c8f3b2a2-8f6e-4a3d-1e4b-6f0c1a2b3c4d'], v({ version: 4, variant: 'Reserved' })],
    // Every spelling google/uuid accepts: upper case, urn:uuid: (any case), 32 bare digits, and
    // 38 characters whose first and last it skips without looking at them.
    ['uuid.parse', ['C8F3B2A2-8F6E-4A3D-9E4B-6F0C1A2B3C4D'], v({ version: 4, variant: 'RFC4122' })],
    ['uuid.parse', ['URN:UUID:c8f3b2a2-8f6e-4a3d-9e4b-6f0c1a2b3c4d'], v({ version: 4, variant: 'RFC4122' })],
    ['uuid.parse', ['c8f3b2a28f6e4a3d9e4b6f0c1a2b3c4d'], v({ version: 4, variant: 'RFC4122' })],
    ['uuid.parse', ['{c8f3b2a2-8f6e-4a3d-9e4b-6f0c1a2b3c4d}'], v({ version: 4, variant: 'RFC4122' })],
    ['uuid.parse', ['(c8f3b2a2-8f6e-4a3d-9e4b-6f0c1a2b3c4d)'], v({ version: 4, variant: 'RFC4122' })],
    // Not UUIDs: undefined.
    ['uuid.parse', ['not-a-uuid'], undefined],
    ['uuid.parse', [''], undefined],
    ['uuid.parse', ['c8f3b2a2-8f6e-4a3d-9e4b-6f0c1a2b3c4'], undefined],
    ['uuid.parse', ['c8f3b2a2-8f6e-4a3d-9e4b-6f0c1a2b3c4dd'], undefined],
    ['uuid.parse', ['c8f3b2a2x8f6e-4a3d-9e4b-6f0c1a2b3c4d'], undefined],
    ['uuid.parse', ['g8f3b2a2-8f6e-4a3d-9e4b-6f0c1a2b3c4d'], undefined],
    ['uuid.parse', ['urn:uuix:c8f3b2a2-8f6e-4a3d-9e4b-6f0c1a2b3c4d'], undefined],
    ['uuid.parse', ['{c8f3b2a2-8f6e-4a3d-9e4b-6f0c1a2b3c}d'], undefined],
    ['uuid.parse', ['c8f3b2a28f6e4a3d9e4b6f0c1a2b3c4z'], undefined],
    // Lengths are bytes: 36 characters with a two-byte one are 37 bytes.
    ['uuid.parse', ['c8f3b2a2-8f6e-4a3d-9e4b-6f0c1a2b3c4é'], undefined],
  ]);

  it('wants a string', () => {
    expect(callError('uuid.parse', 1).message).toBe('uuid.parse: operand 1 must be string but got number');
  });

  it('runs in a policy', () => {
    const rs = runQuery({
      modules: [{ file: 'u.rego', text: 'package u\nv := uuid.parse(input.id).version\nnone if not uuid.parse("nope")' }],
      query: 'x := data.u',
      input: v({ id: '6ba7b810-9dad-11d1-80b4-00c04fd430c8' }),
    });
    expect(show(rs[0].bindings.x)).toBe('{"none": true, "v": 1}');
  });
});
