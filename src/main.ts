/**
 * Runs the CLI: every error that escapes a command becomes output and an exit code here, through
 * cli/report-error.ts. No other module calls process.exit or sets process.exitCode.
 */
import { createProgram } from './cli/program.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { reportError } from './cli/report-error.js';
import type { Deps } from './deps.js';

export async function main(argv: string[], deps: Deps): Promise<ExitCode> {
  // Errors are reported with the IO the command ran with (colour decided by the global flags), when it got that far.
  let io = deps.io;
  const program = createProgram(deps, { onReady: (ready) => (io = ready.io) });
  program.exitOverride();
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.OK;
  } catch (err) {
    return await reportError(err, io);
  }
}
