/**
 * The one place an error becomes what the user reads and an exit code (exit-codes.ts): main.ts for every
 * command, and logout for a revoke failure it reports before saying the profile was kept. With --json the
 * error is one document on stdout and stderr stays quiet (README.md "JSON output"); without it, lines on
 * stderr. Both are built from the same description of the error (describeError), so they say the same.
 */
import { commander } from './commander.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { CancelledError, ConfigError, NetworkError, SalesforceError, SfOAuthError, SilentError, publicErrorCode } from '../errors.js';
import type { IO } from './io.js';
import { terminalColumns } from './wrap.js';

export interface ReportOptions {
  /** --json: print the error as one JSON document on stdout instead of lines on stderr. */
  json?: boolean;
  /** The command the user ran, when known: a usage error's fix points at its --help. */
  command?: string;
}

/** The `--json` failure document (README.md "JSON output"): `ok`, then the error; the three fields always present. */
export interface ErrorDocument {
  ok: false;
  error: {
    code: string;
    message: string;
    fix: string | null;
    exitCode: ExitCode;
    [detail: string]: unknown;
  };
}

/** Prints an error the way a user should see it (never a stack trace) and picks the exit code. */
export async function reportError(err: unknown, io: IO, options: ReportOptions = {}): Promise<ExitCode> {
  if (err instanceof commander.CommanderError) {
    if (err.exitCode === 0) return EXIT.OK; // --help or --version: commander printed what was asked for
    // Without --json commander already printed its message (program.ts keeps it quiet with --json).
    if (options.json) printDocument(io, usageDocument(err, options.command));
    return EXIT.USAGE;
  }
  // A report (test, doctor, explain) was already printed, document or lines: nothing to add.
  if (err instanceof SilentError) return err.exitCode;
  if (options.json) {
    const doc = await errorDocument(err);
    printDocument(io, doc);
    return doc.error.exitCode;
  }
  const c = io.color;
  if (err instanceof SfOAuthError) {
    // Cancelling (Ctrl-C, or No to a question) is the user's choice, not a failure: no "Error:".
    if (err.message) io.err(err instanceof CancelledError ? err.message : `${c.red('Error:')} ${err.message}`);
    if (err instanceof ConfigError) for (const issue of err.issues) io.err(`  - ${issue}`);
    if (err instanceof SalesforceError) {
      const [explanation, { failureLines }] = await Promise.all([explain(err), import('./render-failure.js')]);
      for (const line of failureLines(explanation, c, '  ', terminalColumns(io.stderr, io.stderrIsTTY))) io.err(line);
    }
    // io.err() wraps each line to the terminal itself, continuing under the text after "→ ".
    if (err.hint) for (const line of err.hint.split('\n')) io.err(`${c.dim('→')} ${line}`);
    return err.exitCode;
  }
  io.err(`${c.red('Error:')} ${unexpectedMessage(err)}`);
  io.err(BUG_FIX);
  return EXIT.REFUSED;
}

const BUG_FIX = 'This is a bug. Please report it with the command you ran (run again with --verbose for an HTTP trace).';

/** The failure document for any error a command throws (not a CommanderError: see usageDocument). */
async function errorDocument(err: unknown): Promise<ErrorDocument> {
  if (!(err instanceof SfOAuthError)) {
    return { ok: false, error: { code: 'internal', message: unexpectedMessage(err), fix: BUG_FIX, exitCode: EXIT.REFUSED } };
  }
  const error: ErrorDocument['error'] = { code: publicErrorCode(err), message: err.message, fix: err.hint ?? null, exitCode: err.exitCode };
  if (err instanceof ConfigError) {
    error.issues = err.issues;
    if (err.file !== undefined) error.file = err.file;
  }
  if (err instanceof SalesforceError) {
    const e = await explain(err);
    // The catalog's fix first; a hint from the code that knows more (e.g. the callback URL sent) after it.
    error.fix = err.hint ? `${e.fix}\n${err.hint}` : e.fix;
    error.cause = e.cause;
    error.setup = e.setup;
    error.endpoint = err.endpoint;
    error.status = err.status ?? null;
    error.description = err.errorDescription ?? null;
  }
  if (err instanceof NetworkError) {
    error.reason = err.reason;
    error.host = err.host;
  }
  return { ok: false, error };
}

/** commander's own usage errors (unknown option, missing argument, bad value) as a failure document. */
function usageDocument(err: InstanceType<typeof commander.CommanderError>, command: string | undefined): ErrorDocument {
  // commander.help with a non-zero exit: no command was given, so commander printed the help instead.
  const noCommand = err.code === 'commander.help';
  const message = noCommand ? 'No command given.' : err.message.replace(/^error: /, '').trim();
  const fix = noCommand || !command ? 'Run `sfoauth --help` for the commands and global options.' : `Run \`sfoauth ${command} --help\` for its options.`;
  return { ok: false, error: { code: 'usage', message, fix, exitCode: EXIT.USAGE } };
}

function printDocument(io: IO, doc: ErrorDocument): void {
  io.out(JSON.stringify(doc, null, 2));
}

async function explain(err: SalesforceError) {
  const { explainFailure, failureOf } = await import('../core/salesforce/explain-failure.js');
  return explainFailure(failureOf(err), err.failureContext);
}

function unexpectedMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return `sfoauth hit an unexpected problem: ${redactPaths(message)}`;
}

function redactPaths(text: string): string {
  const home = process.env.HOME;
  let out = text.split(process.cwd()).join('<cwd>');
  if (home && home.length > 1) out = out.split(home).join('~');
  return out;
}
