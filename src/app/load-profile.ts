/** Opens the store and finds the profile a command was pointed at (--profile, else the default). */
import { noSuchProfileError } from '../core/config/profile-store.js';
import type { Profile } from '../core/config/profile.js';
import type { ProfileStore } from '../core/config/store.js';
import type { Deps } from '../deps.js';

export interface LoadedProfile {
  store: ProfileStore;
  name: string;
  profile: Profile;
}

export async function loadProfile(deps: Pick<Deps, 'openStore'>, g: { profile?: string | undefined; configDir?: string | undefined }): Promise<LoadedProfile> {
  const store = await deps.openStore(g.configDir);
  const name = g.profile ?? (await store.defaultProfileName());
  const profile = await store.get(name);
  if (!profile) {
    throw noSuchProfileError(name, store.path, (await store.list()).map((p) => p.name));
  }
  return { store, name, profile };
}
