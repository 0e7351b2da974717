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
}
