/**
 * The ProfileStore rules, over any "load the whole file / write the whole file" pair: the conf-backed
 * store (platform/conf-store.ts) and the in-memory one tests use share them, so both behave the same.
 * Every operation loads (and so validates) first; a profile is validated before it is written.
 */
import { ConfigError, NotConfiguredError } from '../../errors.js';
import type { ConfigFile, Profile } from './profile.js';
import type { ProfileStore } from './store.js';

/** The parts of a store that depend on where it keeps its data (the file system, or memory in tests). */
export type StoreFiles = Pick<ProfileStore, 'assertWritable' | 'readSidecar' | 'writeSidecar' | 'removeSidecar' | 'listSidecars' | 'sidecarPath'>;
import { defaultProfileNameOf, listProfiles, parseProfile, profileOf, validateProfileName, withoutProfile, withProfile } from './schema.js';

export interface ConfigFileAccess {
  file: string;
  /** The whole validated file; throws ConfigError for a corrupt, invalid or newer one. */
  load(): ConfigFile;
  /** Replace the whole file (atomically, in the real store). */
  write(config: ConfigFile): void;
  /** Takes the cross-process lock (bounded wait); resolves to its release. */
  acquireLock(signal?: AbortSignal): Promise<() => Promise<void>>;
  files: StoreFiles;
}

export function profileStoreOver({ file, load, write, acquireLock, files }: ConfigFileAccess): ProfileStore {
  // One holder at a time in this process too; `held` lets save/update/remove inside withLock run under
  // the lock already taken. They are synchronous from load to write, so they cannot interleave.
  let queue: Promise<void> = Promise.resolve();
  let held = false;
  const withLock = async <T>(fn: () => Promise<T>, options: { signal?: AbortSignal } = {}): Promise<T> => {
    const before = queue;
    let done!: () => void;
    queue = new Promise<void>((resolve) => (done = resolve));
    try {
      await before;
      const release = await acquireLock(options.signal);
      held = true;
      try {
        return await fn();
      } finally {
        held = false;
        await release();
      }
    } finally {
      done();
    }
  };
  const locked = <T>(fn: () => T): Promise<T> => (held ? Promise.resolve().then(fn) : withLock(async () => fn()));

  const validProfile = (name: string, value: unknown): Profile => {
    const parsed = parseProfile(name, value);
    if (parsed.ok) return parsed.profile;
    throw new ConfigError(`Profile "${name}" has invalid fields, so it was not saved (${file} is unchanged).`, {
      file,
      issues: parsed.issues,
    });
  };

  const noSuchProfile = (name: string) => noSuchProfileError(name, file, listProfiles(load()).map((p) => p.name));

  return {
    path: file,
    read: async () => load(),
    defaultProfileName: async () => defaultProfileNameOf(load()),
    get: async (name) => profileOf(load(), validateProfileName(name)),
    list: async () => listProfiles(load()),
    save: async (name, profile, options) => {
      validateProfileName(name);
      const valid = validProfile(name, profile);
      await locked(() => write(withProfile(load(), name, valid, options)));
    },
    update: async (name, patch) => {
      validateProfileName(name);
      if (profileOf(load(), name) === undefined) throw noSuchProfile(name);
      return locked(() => {
        validateProfileName(name);
        const config = load();
        const existing = profileOf(config, name);
        if (existing === undefined) throw noSuchProfile(name); // removed while we waited for the lock
        const valid = validProfile(name, { ...existing, ...patch });
        // Not withProfile(): updating a profile never changes which one is the default.
        write({ ...config, profiles: { ...config.profiles, [name]: valid } });
        return valid;
      });
    },
    remove: async (name) => {
      validateProfileName(name);
      // Nothing to remove: no lock, and nothing created (not even the directory).
      if (profileOf(load(), name) === undefined) return false;
      return locked(() => {
        validateProfileName(name);
        const config = load();
        if (profileOf(config, name) === undefined) return false;
        write(withoutProfile(config, name));
        return true;
      });
    },
    withLock,
    ...files,
  };
}

/** What every command says when --profile (or the default) names no saved profile, and what to do. */
export function noSuchProfile(name: string, file: string, names: readonly string[]): { message: string; fix: string } {
  return {
    message: `No profile "${name}" in ${file}`,
    fix:
      names.length > 0
        ? `use --profile with one of: ${names.join(', ')}; or run \`sfoauth init --profile ${name}\` to create it`
        : 'run `sfoauth init` to create one (or `sfoauth demo` to try the emulator)',
  };
}

/** noSuchProfile() as the error a command stops with. */
export function noSuchProfileError(name: string, file: string, names: readonly string[]): NotConfiguredError {
  const { message, fix } = noSuchProfile(name, file, names);
  return new NotConfiguredError(`${message}.`, { hint: `${fix[0]!.toUpperCase()}${fix.slice(1)}.` });
}
