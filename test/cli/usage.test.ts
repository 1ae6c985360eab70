// The CLI's help and usage errors: these need no compiler.
import { regent } from './cli';

describe('regent --help', () => {
  test('lists the implemented commands and nothing else', () => {
    const r = regent(['--help']);
    expect(r.status).toBe(0);
    const commands = r.stdout
      .split('Commands:')[1]
      .split('\n')
      .filter((l) => /^  \S/.test(l)) // command lines; wrapped descriptions are indented deeper
      .map((l) => l.trim().split(/\s+/)[0]);
    expect(commands).toEqual(['run', 'eval', 'test', 'check', 'build', 'fmt', 'capabilities', 'conformance', 'sync', 'audit', 'help']);
  });

  test('eval --help documents its options', () => {
    const r = regent(['eval', '--help']);
    expect(r.status).toBe(0);
    for (const flag of ['-d, --data <path>', '-i, --input <file>', '--format <format>', '--strict-builtin-errors', '--engine <engine>']) {
      expect(r.stdout).toContain(flag);
    }
  });

  // One-shot commands interpret, as opa eval and opa test do; the service and the conformance
  // measurement run WASM, as production does.
  test.each([
    ['eval', 'interp'],
    ['test', 'interp'],
    ['run', 'wasm'],
    ['conformance', 'wasm'],
  ])('%s --help names its default engine, %s', (command, engine) => {
    const r = regent([command, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(`--engine <engine> executor for the compiled plan (choices: "interp", "wasm", default: "${engine}")`);
  });

  test('conformance --help documents its options', () => {
    const r = regent(['conformance', '--help']);
    expect(r.status).toBe(0);
    for (const flag of ['--engine <engine>', '--format <format>', '--filter <regex>', '-v, --verbose']) expect(r.stdout).toContain(flag);
  });
});

describe('usage errors exit non-zero with a message on stderr', () => {
  test.each([
    ['no command', []],
    ['an unknown command', ['frobnicate']],
    ['eval without a query', ['eval']],
    ['an unknown eval format', ['eval', '--format', 'xml', 'true']],
    ['an unknown engine', ['eval', '--engine', 'jit', 'true']],
    ['check without paths', ['check']],
    ['conformance without directories', ['conformance']],
    ['conformance with a bad --filter', ['conformance', '--filter', '(', '.']],
    ['conformance on a missing directory', ['conformance', 'no/such/dir']],
    ['an unknown option', ['eval', '--frobnicate', 'true']],
  ])('%s', (_name, args) => {
    const r = regent(args);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toBe('');
  });

  test('the message names the problem', () => {
    expect(regent(['eval']).stderr).toMatch(/missing required argument 'query'/);
    expect(regent(['eval', '--format', 'xml', 'true']).stderr).toMatch(/Allowed choices are json, pretty/);
    expect(regent(['conformance', 'no/such/dir']).stderr).toMatch(/no such file or directory 'no\/such\/dir'/);
  });
});
