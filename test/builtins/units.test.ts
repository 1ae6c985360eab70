import { errorTable, table } from './helpers';

describe('units', () => {
  table([
    ['units.parse', ['500m'], 0.5],
    ['units.parse', ['0.0005K'], 0.5],
    ['units.parse', ['0.0000005M'], 0.5],
    ['units.parse', ['"100TI"'], 109951162777600],
    ['units.parse', ['0'], 0],
    ['units.parse', ['.0'], 0],
    ['units.parse', ['12345'], 12345],
    ['units.parse', ['10K'], 10000],
    ['units.parse', ['10KI'], 10240],
    ['units.parse', ['10k'], 10000],
    ['units.parse', ['1.1K'], 1100],
    ['units.parse', ['1.1Ki'], 1126.4],
    ['units.parse', ['.5K'], 500],
    ['units.parse', ['100m'], 0.1],
    ['units.parse', ['100M'], 100000000],
    ['units.parse', ['100mi'], 104857600],
    ['units.parse', ['100Mi'], 104857600],
    ['units.parse', ['100gi'], 107374182400],
    ['units.parse', ['100P'], 100000000000000000n],
    ['units.parse', ['10e'], 10000000000000000000n],
    ['units.parse', ['10Ei'], 11529215046068469760n],
    ['units.parse', ['1G'], 1000000000],
    ['units.parse_bytes', ['"100TIB"'], 109951162777600],
    ['units.parse_bytes', ['0.0'], 0],
    ['units.parse_bytes', ['12345'], 12345],
    ['units.parse_bytes', ['10KB'], 10000],
    ['units.parse_bytes', ['10Kib'], 10240],
    ['units.parse_bytes', ['200mb'], 200000000],
    ['units.parse_bytes', ['300GiB'], 322122547200],
    ['units.parse_bytes', ['1.1KB'], 1100],
    ['units.parse_bytes', ['1.1KiB'], 1126],
    ['units.parse_bytes', ['.5KB'], 500],
    ['units.parse_bytes', ['100k'], 100000],
    ['units.parse_bytes', ['100ki'], 102400],
    ['units.parse_bytes', ['100m'], 100000000],
    ['units.parse_bytes', ['100pib'], 112589990684262400n],
    ['units.parse_bytes', ['10eb'], 10000000000000000000n],
    ['units.parse_bytes', ['10ei'], 11529215046068469760n],
    ['units.parse_bytes', ['4.1Mi'], 4299161],
  ]);
  errorTable([
    ['units.parse_bytes', [''], 'eval_builtin_error', 'units.parse_bytes: no byte amount provided'],
    ['units.parse_bytes', ['GB'], 'eval_builtin_error', 'units.parse_bytes: no byte amount provided'],
    ['units.parse_bytes', ['foo'], 'eval_builtin_error', 'units.parse_bytes: no byte amount provided'],
    ['units.parse_bytes', ['0.0.0'], 'eval_builtin_error', 'units.parse_bytes: could not parse byte amount to a number'],
    ['units.parse_bytes', ['.5.2'], 'eval_builtin_error', 'units.parse_bytes: could not parse byte amount to a number'],
    ['units.parse_bytes', ['100 kb'], 'eval_builtin_error', 'units.parse_bytes: spaces not allowed in resource strings'],
    ['units.parse_bytes', [' 327MiB '], 'eval_builtin_error', 'units.parse_bytes: spaces not allowed in resource strings'],
    ['units.parse', ['M'], 'eval_builtin_error', 'units.parse: no amount provided'],
    ['units.parse', ['1.2.3'], 'eval_builtin_error', 'units.parse: could not parse amount to a number'],
    ['units.parse', ['5xyz'], 'eval_builtin_error', 'units.parse: '],
  ]);
});

describe('units: exponents and signs', () => {
  table([
    ['units.parse', ['1e3'], 1000],
    ['units.parse', ['1.5e3k'], 1500000],
    ['units.parse', ['-5k'], -5000],
    ['units.parse', ['1e-11'], 0],
    ['units.parse', ['1m'], 0.001],
    ['units.parse_bytes', ['2e3kb'], 2000000],
  ]);
  errorTable([
    ['units.parse', ['1e1234567'], 'eval_builtin_error', 'units.parse: exponent too large'],
    ['units.parse', ['5xyz'], 'eval_builtin_error', 'units.parse: unit xyz not recognized'],
    ['units.parse_bytes', ['5xyz'], 'eval_builtin_error', 'units.parse_bytes: byte unit xyz not recognized'],
  ]);
});
