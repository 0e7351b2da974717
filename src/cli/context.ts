/** What every command's action gets: the deps and the parsed global options. */
import type { Command } from 'commander';
import type { Deps } from '../deps.js';

export interface GlobalOptions {
  /** --profile; undefined means "the config's default profile, else `default`". */
  profile?: string;
  /** --config-dir (SFOAUTH_CONFIG_DIR is resolved by the store). */
  configDir?: string;
  json: boolean;
  verbose: boolean;
  color: boolean;
}

export interface CommandContext {
  /** The deps built for this run from the global flags (program.ts); read inside an action only. */
  readonly deps: Deps;
  /**
   * Tests only (gh's runF): when set, a command hands its parsed options here instead of running, so a
   * table of argv -> options can be checked without side effects (src/cli/options.test.ts).
   */
  readonly runF?: RunHook;
}

/** Receives a command's name and the options its flags produced. */
export type RunHook = (command: string, options: unknown) => void;

/** The global options as seen from inside a subcommand's action. */
export function globalsOf(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals<Record<string, unknown>>();
  const g: GlobalOptions = { json: o.json === true, verbose: o.verbose === true, color: o.color !== false };
  if (typeof o.profile === 'string') g.profile = o.profile;
  if (typeof o.configDir === 'string') g.configDir = o.configDir;
  return g;
}

/** A command module registers itself on the program; its action lazy-imports the heavy parts. */
export type RegisterCommand = (program: Command, ctx: CommandContext) => void;
