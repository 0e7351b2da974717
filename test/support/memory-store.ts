/**
 * An in-memory ProfileStore for tests. It applies the same rules as the conf store (profile names,
 * zod validation before a write, the default-profile rules in schema.ts) so a command tested against
 * it behaves the same against the real file. `failWrites` simulates a disk that refuses writes.
 */
import { ConfigError, NotConfiguredError } from '../../src/errors.js';
import type { ConfigFile, Profile } from '../../src/core/config/profile.js';
import type { ProfileStore } from '../../src/core/config/store.js';
import {
  defaultProfileNameOf,
  emptyConfig,
  listProfiles,
  parseConfigFile,
  parseProfile,
  profileOf,
  validateProfileName,
  withoutProfile,
  withProfile,
} from '../../src/core/config/schema.js';

export interface MemoryStore extends ProfileStore {
  /** A deep copy of what is "on disk" now. */
  snapshot(): ConfigFile;
  /** How many writes succeeded. */
  readonly writes: number;
  /** When set, every write throws this ConfigError and nothing changes. */
  failWrites: boolean;
  /** When set, every operation throws this error (a corrupt file, say). */
  failReads: ConfigError | undefined;
}

export interface MemoryStoreOptions {
  /** Starting content; validated like a file would be. */
  config?: ConfigFile;
  /** Defaults to /memory/sfoauth/config.json. */
  path?: string;
}

export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const file = options.path ?? '/memory/sfoauth/config.json';
  let data: ConfigFile = emptyConfig();
  if (options.config) {
    const parsed = parseConfigFile(structuredClone(options.config));
    if (!parsed.ok) throw new Error(`createMemoryStore: invalid starting config:\n${parsed.issues.join('\n')}`);
    data = parsed.config;
  }
  let writes = 0;

  const load = (): ConfigFile => {
    if (store.failReads) throw store.failReads;
    return structuredClone(data);
  };
  const write = (next: ConfigFile): void => {
    if (store.failWrites) throw new ConfigError(`Could not write ${file}: simulated failure. The previous file is unchanged.`, { file });
    data = structuredClone(next);
    writes++;
  };
  const validProfile = (name: string, value: unknown): Profile => {
    const parsed = parseProfile(name, value);
    if (parsed.ok) return parsed.profile;
    throw new ConfigError(`Profile "${name}" has invalid fields, so it was not saved (${file} is unchanged).`, { file, issues: parsed.issues });
  };

  const store: MemoryStore = {
    path: file,
    failWrites: false,
    failReads: undefined,
    get writes() {
      return writes;
    },
    snapshot: () => structuredClone(data),
    read: async () => load(),
    defaultProfileName: async () => defaultProfileNameOf(load()),
    get: async (name) => profileOf(load(), validateProfileName(name)),
    list: async () => listProfiles(load()),
    save: async (name, profile, opts) => {
      validateProfileName(name);
      const valid = validProfile(name, profile);
      write(withProfile(load(), name, valid, opts));
    },
    update: async (name, patch) => {
      validateProfileName(name);
      const config = load();
      const existing = profileOf(config, name);
      if (existing === undefined) throw new NotConfiguredError(`There is no profile named "${name}" in ${file}.`);
      const valid = validProfile(name, { ...existing, ...patch });
      write({ ...config, profiles: { ...config.profiles, [name]: valid } });
      return structuredClone(valid);
    },
    remove: async (name) => {
      validateProfileName(name);
      const config = load();
      if (profileOf(config, name) === undefined) return false;
      write(withoutProfile(config, name));
      return true;
    },
  };
  return store;
}
