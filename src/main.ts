/**
 * Runs the CLI: every error that escapes a command becomes output and an exit code here, through
 * cli/report-error.ts. No other module calls process.exit or sets process.exitCode.
 */
import { createProgram } from './cli/program.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { reportError } from './cli/report-error.js';
import type { Deps } from './deps.js';

// bin.ts loads this module alone: the production wiring comes with it (one file in the bundle).
export { createDeps } from './deps.js';

export async function main(argv: string[], deps: Deps): Promise<ExitCode> {
  // Errors are reported with the IO the command ran with (colour decided by the global flags), when it got that far.
  let io = deps.io;
  // --json as typed decides how a usage error reads (commander fails before any action runs); once the
  // flags are parsed, the parsed value decides (a `--json` that was some option's value is not the flag).
  let json = jsonRequested(argv);
  const program = createProgram(deps, {
    json,
    onReady: (ready, globals) => {
      io = ready.io;
      json = globals.json;
    },
  });
  program.exitOverride();
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.OK;
  } catch (err) {
    // The command the user typed (for a usage error's fix): the first argument naming one.
    const names = new Set(program.commands.map((c) => c.name()));
    const command = argv.find((a) => names.has(a));
    return await reportError(err, io, { json, ...(command ? { command } : {}) });
  }
}

/** Whether argv holds the global --json flag (before any `--`, after which everything is an argument). */
export function jsonRequested(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}
