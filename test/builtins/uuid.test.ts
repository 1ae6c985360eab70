// uuid.parse, with OPA's field names and decoding.
import { table } from './helpers';
import { fromJS } from '../../server/value/value';

describe('uuid.parse', () => {
  table([
    // A version 1 UUID: time in Unix ns (the second: 1998-02-04T22:13:53.1511824Z), clock
    // sequence, node ID with its MAC flags (0x02: a locally administered unicast address).
    [
      'uuid.parse',
      ['00000000-0000-1000-8000-0242ac120002'],
      fromJS({ version: 1, variant: 'RFC4122', time: -12219292800000000000n, clocksequence: 0, nodeid: 'local:unicast:0242ac120002' }),
    ],
    [
      'uuid.parse',
      ['6ba7b810-9dad-11d1-80b4-00c04fd430c8'],
      fromJS({ version: 1, variant: 'RFC4122', time: 886630433151182400n, clocksequence: 180, nodeid: 'global:unicast:00c04fd430c8' }),
    ],
    // Version 2 adds the local ID and domain.
    [
      'uuid.parse',
      ['000003e8-0000-2000-8001-010000000000'],
      fromJS({ version: 2, variant: 'RFC4122', time: -12219292800000000000n + 1000n * 100n, clocksequence: 1, nodeid: 'global:multicast:010000000000', id: 1000, domain: 'Group' }),
    ],
    // Other versions: version and variant only; every accepted spelling.
    ['uuid.parse', ['c8f3b2a2-8f6e-4a3d-9e4b-6f0c1a2b3c4d'], fromJS({ version: 4, variant: 'RFC4122' })],
    ['uuid.parse', ['{C8F3B2A2-8F6E-4A3D-9E4B-6F0C1A2B3C4D}'], fromJS({ version: 4, variant: 'RFC4122' })],
    ['uuid.parse', ['urn:uuid:c8f3b2a2-8f6e-4a3d-9e4b-6f0c1a2b3c4d'], fromJS({ version: 4, variant: 'RFC4122' })],
    ['uuid.parse', ['c8f3b2a28f6e4a3dce4b6f0c1a2b3c4d'], fromJS({ version: 4, variant: 'Microsoft' })],
    ['uuid.parse', ['not-a-uuid'], undefined],
    ['uuid.parse', ['c8f3b2a2-8f6e-4a3d-9e4b-6f0c1a2b3c4'], undefined],
  ]);
});
