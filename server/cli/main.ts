// The `regent` command line. One file per command; this file only assembles them.
import { Command } from 'commander';
import { auditCommand } from './audit';
import { buildCommand } from './build';
import { capabilitiesCommand } from './capabilities';
import { checkCommand } from './check';
import { conformanceCommand } from './conformance';
import { evalCommand } from './eval';
import { fmtCommand } from './fmt';
import { runCommand } from './run';
import { syncCommand } from './sync';
import { testCommand } from './test';

const HINT = '(run with --help for usage)';

export function program(): Command {
  const root = new Command('regent').description('Rego policy engine: evaluate, check and measure OPA-compatible policies');
  for (const cmd of [runCommand(), evalCommand(), testCommand(), checkCommand(), buildCommand(), fmtCommand(), capabilitiesCommand(), conformanceCommand(), syncCommand(), auditCommand()]) root.addCommand(cmd.showHelpAfterError(HINT));
  return root.showHelpAfterError(HINT);
}

export async function main(argv: string[] = process.argv): Promise<void> {
  // `regent … | head` closes the pipe early; that is the reader's choice, not a failure.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  await program().parseAsync(argv);
}
