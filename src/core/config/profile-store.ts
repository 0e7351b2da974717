/**
 * The ProfileStore rules, over any "load the whole file / write the whole file" pair: the conf-backed
 * store (platform/conf-store.ts) and the in-memory one tests use share them, so both behave the same.
 * Every operation loads (and so validates) first; a profile is validated before it is written.
 */
import { ConfigError, NotConfiguredError } from '../../errors.js';
import type { ConfigFile, Profile } from './profile.js';
import type { ProfileStore } from './store.js';
import { defaultProfileNameOf, listProfiles, parseProfile, profileOf, validateProfileName, withoutProfile, withProfile } from './schema.js';

export interface ConfigFileAccess {
  file: string;
  /** The whole validated file; throws ConfigError for a corrupt, invalid or newer one. */
  load(): ConfigFile;
  /** Replace the whole file (atomically, in the real store). */
  write(config: ConfigFile): void;
}

export function profileStoreOver({ file, load, write }: ConfigFileAccess): ProfileStore {
  const validProfile = (name: string, value: unknown): Profile => {
    const parsed = parseProfile(name, value);
    if (parsed.ok) return parsed.profile;
    throw new ConfigError(`Profile "${name}" has invalid fields, so it was not saved (${file} is unchanged).`, {
      file,
      issues: parsed.issues,
    });
  };

  return {
    path: file,
    read: async () => load(),
    defaultProfileName: async () => defaultProfileNameOf(load()),
    get: async (name) => profileOf(load(), validateProfileName(name)),
    list: async () => listProfiles(load()),
    save: async (name, profile, options) => {
      validateProfileName(name);
      const valid = validProfile(name, profile);
      write(withProfile(load(), name, valid, options));
    },
    update: async (name, patch) => {
      validateProfileName(name);
      const config = load();
      const existing = profileOf(config, name);
      if (existing === undefined) {
        throw new NotConfiguredError(`There is no profile named "${name}" in ${file}.`, {
          hint: 'Run `sfoauth status` to list profiles, or `sfoauth init --profile <name>` to create one.',
        });
      }
      const valid = validProfile(name, { ...existing, ...patch });
      // Not withProfile(): updating a profile never changes which one is the default.
      write({ ...config, profiles: { ...config.profiles, [name]: valid } });
      return valid;
    },
    remove: async (name) => {
      validateProfileName(name);
      const config = load();
      if (profileOf(config, name) === undefined) return false;
      write(withoutProfile(config, name));
      return true;
    },
  };
}
