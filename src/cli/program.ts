/**
 * The commander program: global options, help text, and the list of commands. Loading this file must
 * stay cheap (`sfoauth --help` is measured): command modules only describe flags and import their
 * implementation inside the action.
 */
import type { Command as CommandType } from 'commander';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import { VERSION } from '../version.js';
import type { CommandContext, RegisterCommand, RunHook } from './context.js';
import { toTerminal } from './io.js';
import { finishDeps, type Deps } from '../deps.js';
import { commander } from './commander.js';
import { registerInit } from './commands/init/command.js';
import { registerSteps } from './commands/steps.js';
import { registerTest } from './commands/test/command.js';
import { registerToken } from './commands/token.js';
import { registerStatus } from './commands/status.js';
import { registerLogout } from './commands/logout.js';
import { registerExport } from './commands/export.js';
import { registerExplain } from './commands/explain.js';
import { registerEmulator } from './commands/emulator.js';
import { registerDemo } from './commands/demo.js';
import { registerDoctor } from './commands/doctor/command.js';
import { registerCreate } from './commands/create/command.js';
import { registerUse } from './commands/use.js';
import { assertNoEmptySfoauthVars } from '../app/env-vars.js';
import { SfoauthCommand } from './unknown-option.js';

/** In the order `sfoauth --help` lists them. */
const COMMANDS: RegisterCommand[] = [
  registerInit,
  registerCreate,
  registerSteps,
  registerTest,
  registerDoctor,
  registerExplain,
  registerToken,
  registerStatus,
  registerUse,
  registerLogout,
  registerExport,
  registerEmulator,
  registerDemo,
];

const { Option } = commander;


/**
 * `base` holds the side effects; the deps a command's action sees (`ctx.deps`) are built from it and the
 * global flags once, in the preAction hook, before the action runs (finishDeps; nothing is mutated).
 */
export interface ProgramHooks {
  /** Called once the global flags are read, with the deps the command runs with. */
  onReady?: (deps: Deps, globals: { json: boolean }) => void;
  runF?: RunHook;
  /**
   * --json was given: commander's own errors (unknown option, missing argument…) print nothing, since
   * main reports them as the JSON failure document (cli/report-error.ts) on stdout.
   */
  json?: boolean;
}

export function createProgram(base: Deps, hooks: ProgramHooks = {}): CommandType {
  let ready: Deps | undefined;
  const ctx: CommandContext = {
    get deps(): Deps {
      if (!ready) throw new Error('a command action ran before the global options were read');
      return ready;
    },
    ...(hooks.runF ? { runF: hooks.runF } : {}),
  };
  const program = new SfoauthCommand('sfoauth')
    .description('Register and verify Salesforce OAuth apps: External Client Apps and Connected Apps, production and sandbox.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addOption(new Option('--profile <name>', 'profile to use (env: SFOAUTH_PROFILE; default: the one `sfoauth use` set, else "default")'))
    .addOption(new Option('--config-dir <dir>', 'config directory (env: SFOAUTH_CONFIG_DIR)'))
    .option('--json', 'machine-readable JSON on stdout')
    .option('--verbose', 'HTTP trace on stderr, secrets redacted')
    .option('--no-color', 'no colours (also NO_COLOR)')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .configureOutput({
      // commander's errors quote the flag values the user typed.
      writeOut: (s) => void base.io.stdout.write(toTerminal(s)),
      writeErr: (s) => void (hooks.json ? undefined : base.io.stderr.write(toTerminal(s))),
    })
    .addHelpText(
      'after',
      `
Examples:
  $ sfoauth demo                                   try everything against the built-in emulator
  $ sfoauth init --env sandbox                     register a sandbox External Client App and log in
  $ sfoauth steps --env production --app-type connected-app
  $ sfoauth test --profile ci --json               prove stored credentials still work (CI)
  $ sfoauth doctor                                 find what is wrong and how to fix it
  $ sfoauth explain invalid_client_id

${EXIT_CODES_HELP}`,
    );

  program.hook('preAction', async (root, action) => {
    // Before anything reads them: an empty SFOAUTH_* is a mistake (a missing CI secret), not "unset".
    assertNoEmptySfoauthVars(base.env);
    // --profile, else SFOAUTH_PROFILE (recorded as coming from the environment), else the config's default.
    if (root.getOptionValue('profile') === undefined && base.env.SFOAUTH_PROFILE !== undefined) root.setOptionValueWithSource('profile', base.env.SFOAUTH_PROFILE, 'env');
    const o = action.optsWithGlobals<{ color?: boolean; verbose?: boolean; json?: boolean }>();
    ready = await finishDeps(base, { color: o.color !== false, verbose: o.verbose === true, json: o.json === true });
    hooks.onReady?.(ready, { json: o.json === true });
  });

  for (const register of COMMANDS) register(program, ctx);
  return program;
}
