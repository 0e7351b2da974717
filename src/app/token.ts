/**
 * `sfoauth token`'s use case: a fresh access token for a saved profile. Under the config lock, another
 * sfoauth may have rotated the refresh token, or issued an access token, while this one waited
 * (docs/credentials.md); a rotated refresh token is saved before the access token is returned.
 * The server-to-server flows have no refresh token: they simply ask for a new access token (no lock).
 */
import { refreshProfile } from '../core/credentials/refresh-profile.js';
import { inFailureContext } from '../core/salesforce/explain-failure.js';
import type { Deps } from '../deps.js';
import { httpClientOf } from '../core/http/request.js';
import { loadProfile } from './load-profile.js';
import { serverToken } from './server-token.js';

export async function freshAccessToken(
  opts: { profile?: string; configDir?: string },
  deps: Pick<Deps, 'openStore' | 'fetch' | 'clock' | 'signal' | 'trace'>,
  notice: (line: string) => void,
): Promise<string> {
  const { store, name, profile } = await loadProfile(deps, opts);
  const http = httpClientOf(deps);
  const context = { input: { mode: 'profile', profile: name }, appType: profile.appType } as const;
  if (profile.flow !== 'web-server') {
    const token = await inFailureContext(context, () => serverToken({ profile, http, now: deps.clock.now }));
    return token.accessToken;
  }
  const result = await inFailureContext(context, () =>
    refreshProfile({ store, name, http, now: deps.clock.now, signal: deps.signal, reuseConcurrentAccessToken: true, notice }),
  );
  return result.accessToken;
}
