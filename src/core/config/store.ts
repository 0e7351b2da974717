/**
 * Where profiles live. The production implementation is platform/conf-store.ts (conf + zod); tests may
 * use an in-memory one. Every method that reads throws ConfigError for a corrupt or invalid file and
 * never overwrites it.
 */
import type { ConfigFile, Profile } from './profile.js';

export interface ProfileEntry {
  name: string;
  profile: Profile;
  isDefault: boolean;
}

export interface ProfileStore {
  /** Absolute path of the config file (it may not exist yet). */
  readonly path: string;
  /** The whole validated file; an empty config when the file does not exist. */
  read(): Promise<ConfigFile>;
  /** The name used when --profile is not given: the file's defaultProfile, else "default". */
  defaultProfileName(): Promise<string>;
  get(name: string): Promise<Profile | undefined>;
  list(): Promise<ProfileEntry[]>;
  /** Replace (or create) a profile atomically. The first profile saved becomes the default. */
  save(name: string, profile: Profile, options?: { makeDefault?: boolean }): Promise<void>;
  /** Merge fields into an existing profile atomically; returns the new profile. */
  update(name: string, patch: Partial<Profile>): Promise<Profile>;
  /** Remove a profile; returns false when there was none. */
  remove(name: string): Promise<boolean>;
  /**
   * Runs `fn` holding the exclusive cross-process lock on the config file (docs/credentials.md). save,
   * update and remove take the lock by themselves, re-read the file under it and change only their own
   * profile; inside `fn` they run under the lock already held. Waiting is bounded (LockTimeoutError) and
   * stops when `signal` aborts. Not reentrant: `fn` must not call withLock again.
   */
  withLock<T>(fn: () => Promise<T>, options?: { signal?: AbortSignal }): Promise<T>;
  /** Throws ConfigError (exit 2) naming the path and the fix unless writing the config would succeed now. */
  assertWritable(): Promise<void>;
  /** Small 0600 JSON files next to the config, one per kind and profile (docs/credentials.md "Journal"). */
  readSidecar(kind: SidecarKind, name: string): Promise<unknown>;
  /** Writes (atomically, fsynced, 0600) and returns the file's path. */
  writeSidecar(kind: SidecarKind, name: string, value: unknown): Promise<string>;
  removeSidecar(kind: SidecarKind, name: string): Promise<void>;
  /** The profile names that have a sidecar of this kind. */
  listSidecars(kind: SidecarKind): Promise<string[]>;
  /** Where the sidecar of this kind and profile is (or would be). */
  sidecarPath(kind: SidecarKind, name: string): string;
}

/**
 * `pending-token`: a rotated refresh token, written the moment it arrives and removed once the profile
 * holds it. `unmatched-token`: a journal that did not follow the profile's token, kept for a person
 * rather than overwritten. `access-token`: the last access token issued, so a concurrent `sfoauth
 * token` can reuse it.
 */
export type SidecarKind = 'pending-token' | 'unmatched-token' | 'access-token';
