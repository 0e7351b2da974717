/** Opens the store and finds the profile a command was pointed at (--profile, else the default). */
import { NotConfiguredError } from '../errors.js';
import type { Profile } from '../core/config/profile.js';
import type { ProfileStore } from '../core/config/store.js';
import type { Deps } from '../deps.js';
import type { GlobalOptions } from './context.js';

export interface LoadedProfile {
  store: ProfileStore;
  name: string;
  profile: Profile;
}

export async function loadProfile(deps: Pick<Deps, 'openStore'>, g: Pick<GlobalOptions, 'profile' | 'configDir'>): Promise<LoadedProfile> {
  const store = await deps.openStore(g.configDir);
  const name = g.profile ?? (await store.defaultProfileName());
  const profile = await store.get(name);
  if (!profile) {
    const names = (await store.list()).map((p) => p.name);
    throw new NotConfiguredError(`No profile "${name}" in ${store.path}.`, {
      hint: names.length > 0 ? `Pick one with --profile: ${names.join(', ')}` : 'Run `sfoauth init` to create one (or `sfoauth demo` to try the emulator).',
    });
  }
  return { store, name, profile };
}
