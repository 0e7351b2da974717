/**
 * "Did you mean" for an unknown flag. commander's own guess accepts anything within 3 edits that keeps
 * 40% of the letters, so `init --nope` was told `--scopes`; a wrong guess sends a newcomer the wrong
 * way, so only close typos and prefixes are suggested here, and an environment name typed as a flag
 * (`--sandbox`, `--prod`) is pointed at `--env`.
 */
import type { Command as CommandType } from 'commander';
import { commander } from './commander.js';
import { editDistance } from '../core/edit-distance.js';
import { environmentAlias } from '../core/config/environment-names.js';

/** The flags (with their dashes) worth suggesting for `flag` among `candidates`, best first; often none. */
export function suggestFlags(flag: string, candidates: readonly string[]): string[] {
  if (!flag.startsWith('--')) return [];
  const word = flag.slice(2).split('=')[0]!.toLowerCase();
  if (word.length < 2) return [];
  const names = [...new Set(candidates.filter((c) => c.startsWith('--')).map((c) => c.slice(2)))];
  const env = environmentAlias(word);
  if (env && names.includes('env')) return [`--env ${env}`];
  const scored = names
    .map((name) => ({ name, d: editDistance(word, name) }))
    // A typo: one edit in a short name, two in a longer one. Or the start of a longer flag (--callback).
    .filter(({ name, d }) => d <= (Math.min(word.length, name.length) <= 5 ? 1 : 2) || (word.length >= 3 && name.startsWith(word)))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name));
  return scored.slice(0, 3).map(({ name }) => `--${name}`);
}

/** commander's Command with our unknown-option message; subcommands made by .command() are ours too. */
export class SfoauthCommand extends commander.Command {
  override createCommand(name?: string): CommandType {
    return new SfoauthCommand(name);
  }

  /** Replaces commander's (same message shape, same error code, a stricter guess). */
  unknownOption(flag: string): never {
    const candidates: string[] = [];
    for (let cmd: CommandType | null = this; cmd; cmd = cmd.parent) {
      for (const option of cmd.createHelp().visibleOptions(cmd)) if (option.long) candidates.push(option.long);
    }
    const guesses = suggestFlags(flag, candidates);
    const hint = guesses.length === 0 ? '' : guesses.length === 1 ? `\n(Did you mean ${guesses[0]}?)` : `\n(Did you mean one of ${guesses.join(', ')}?)`;
    this.error(`error: unknown option '${flag}'${hint}`, { code: 'commander.unknownOption' });
  }
}
