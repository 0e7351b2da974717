/**
 * Runs the CLI and is the ONLY place that turns an error into output and an exit code (exit-codes.ts).
 * No other module calls process.exit or sets process.exitCode.
 */
import { commander } from './cli/commander.js';
import { createProgram } from './cli/program.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { ConfigError, SalesforceError, SfOAuthError } from './errors.js';
import type { Deps } from './deps.js';
import type { IO } from './cli/io.js';

export async function main(argv: string[], deps: Deps): Promise<ExitCode> {
  // Errors are reported with the IO the command ran with (colour decided by the global flags), when it got that far.
  let io = deps.io;
  const program = createProgram(deps, (ready) => (io = ready.io));
  program.exitOverride();
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.OK;
  } catch (err) {
    return await reportError(err, io);
  }
}

/** Prints an error the way a user should see it (never a stack trace) and picks the exit code. */
export async function reportError(err: unknown, io: IO): Promise<ExitCode> {
  if (err instanceof commander.CommanderError) {
    // commander already printed its message (help, version, unknown option, missing argument).
    return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
  const c = io.color;
  if (err instanceof SfOAuthError) {
    if (err.message) io.err(`${c.red('Error:')} ${err.message}`);
    if (err instanceof ConfigError) for (const issue of err.issues) io.err(`  - ${issue}`);
    if (err instanceof SalesforceError) {
      const { explainLines } = await import('./cli/render-explanation.js');
      for (const line of explainLines(err, io)) io.err(line);
    }
    if (err.hint) for (const line of err.hint.split('\n')) io.err(`${c.dim('→')} ${line}`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.err(`${c.red('Error:')} sfoauth hit an unexpected problem: ${redactPaths(message)}`);
  io.err('This is a bug. Please report it with the command you ran (run again with --verbose for an HTTP trace).');
  return EXIT.REFUSED;
}

function redactPaths(text: string): string {
  const home = process.env.HOME;
  let out = text.split(process.cwd()).join('<cwd>');
  if (home && home.length > 1) out = out.split(home).join('~');
  return out;
}
