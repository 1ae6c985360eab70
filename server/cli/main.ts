// The `regent` command line. One file per command; this file only assembles them.
//
// A command's file (and with it everything it imports: the compiler, express, tar, the WASM
// toolchain, …) is loaded only when that command runs, so `regent eval '1+1'` does not pay for
// the service it is not starting. Only help and usage errors that concern no single command
// (`regent`, `regent --help`, `regent frobnicate`) load them all, to list them.
import { Command } from 'commander';

const HINT = '(run with --help for usage)';

/** The commands in the order help lists them, each with the loader of its definition. */
const COMMANDS: ReadonlyArray<readonly [string, () => Command]> = [
  ['run', () => (require('./run') as typeof import('./run')).runCommand()],
  ['eval', () => (require('./eval') as typeof import('./eval')).evalCommand()],
  ['test', () => (require('./test') as typeof import('./test')).testCommand()],
  ['check', () => (require('./check') as typeof import('./check')).checkCommand()],
  ['build', () => (require('./build') as typeof import('./build')).buildCommand()],
  ['fmt', () => (require('./fmt') as typeof import('./fmt')).fmtCommand()],
  ['capabilities', () => (require('./capabilities') as typeof import('./capabilities')).capabilitiesCommand()],
  ['conformance', () => (require('./conformance') as typeof import('./conformance')).conformanceCommand()],
  ['sync', () => (require('./sync') as typeof import('./sync')).syncCommand()],
  ['audit', () => (require('./audit') as typeof import('./audit')).auditCommand()],
];

/**
 * The command the arguments (after `node regent`) run: `eval` for `eval …` and `help eval`;
 * undefined when they name none (then every command is needed, for the listing or the error).
 */
function commandNamed(args: readonly string[]): string | undefined {
  const name = args[0] === 'help' ? args[1] : args[0];
  return COMMANDS.some(([n]) => n === name) ? name : undefined;
}

/** The program with the command `args` run (all commands when `args` is not given). */
export function program(args?: readonly string[]): Command {
  const only = args === undefined ? undefined : commandNamed(args);
  const root = new Command('regent').description('Rego policy engine: evaluate, check and measure OPA-compatible policies');
  for (const [name, load] of COMMANDS) if (only === undefined || name === only) root.addCommand(load().showHelpAfterError(HINT));
  return root.showHelpAfterError(HINT);
}

export async function main(argv: string[] = process.argv): Promise<void> {
  // `regent … | head` closes the pipe early; that is the reader's choice, not a failure.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  await program(argv.slice(2)).parseAsync(argv);
}
