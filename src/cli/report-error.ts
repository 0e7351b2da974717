/**
 * The one place an error becomes what the user reads and an exit code (exit-codes.ts): main.ts for every
 * command, and logout for a revoke failure it reports before saying the profile was kept.
 */
import { commander } from './commander.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { CancelledError, ConfigError, SalesforceError, SfOAuthError } from '../errors.js';
import type { IO } from './io.js';

/** Prints an error the way a user should see it (never a stack trace) and picks the exit code. */
export async function reportError(err: unknown, io: IO): Promise<ExitCode> {
  if (err instanceof commander.CommanderError) {
    // commander already printed its message (help, version, unknown option, missing argument).
    return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
  const c = io.color;
  if (err instanceof SfOAuthError) {
    // Cancelling (Ctrl-C, or No to a question) is the user's choice, not a failure: no "Error:".
    if (err.message) io.err(err instanceof CancelledError ? err.message : `${c.red('Error:')} ${err.message}`);
    if (err instanceof ConfigError) for (const issue of err.issues) io.err(`  - ${issue}`);
    if (err instanceof SalesforceError) {
      const [{ explainFailure, failureOf }, { failureLines }, { terminalColumns }] = await Promise.all([
        import('../core/salesforce/explain-failure.js'),
        import('./render-failure.js'),
        import('./wrap.js'),
      ]);
      for (const line of failureLines(explainFailure(failureOf(err), err.failureContext), c, '  ', terminalColumns(io.stderr, io.stderrIsTTY))) io.err(line);
    }
    if (err.hint) {
      const { terminalColumns, wrapLine } = await import('./wrap.js');
      const width = terminalColumns(io.stderr, io.stderrIsTTY);
      for (const line of err.hint.split('\n')) for (const part of wrapLine(`${c.dim('→')} ${line}`, width, 2)) io.err(part);
    }
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
