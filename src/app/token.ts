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
import { loadProfile, type LoadedProfile } from './load-profile.js';
import { serverToken } from './server-token.js';

/** What `sfoauth token --json` prints besides the token (README.md "JSON output"). */
export interface FreshToken {
  accessToken: string;
  /** Where to send it: the instance the token response named, else the profile's. */
  instanceUrl: string;
}

/**
 * The token and its instance, and the profile as it was loaded (before the refresh). No expiry:
 * Salesforce's token response has no `expires_in` (the session lifetime is the org's or the app's
 * setting), and asking the introspection endpoint would cost a round trip on every call, so
 * `token --json` leaves expiresAt out rather than guess.
 */
export async function freshToken(
  opts: { profile?: string; configDir?: string },
  deps: Pick<Deps, 'openStore' | 'fetch' | 'clock' | 'signal' | 'trace'>,
  notice: (line: string) => void,
): Promise<FreshToken & Pick<LoadedProfile, 'profile'>> {
  const { store, name, profile } = await loadProfile(deps, opts);
  const http = httpClientOf(deps);
  const context = { input: { mode: 'profile', profile: name }, appType: profile.appType } as const;
  if (profile.flow !== 'web-server') {
    const token = await inFailureContext(context, () => serverToken({ profile, http, now: deps.clock.now }));
    return { accessToken: token.accessToken, instanceUrl: token.instanceUrl || (profile.instanceUrl ?? profile.loginUrl), profile };
  }
  const result = await inFailureContext(context, () =>
    refreshProfile({ store, name, http, now: deps.clock.now, signal: deps.signal, reuseConcurrentAccessToken: true, notice }),
  );
  const instanceUrl = result.token?.instanceUrl || (result.profile.instanceUrl ?? result.profile.loginUrl);
  return { accessToken: result.accessToken, instanceUrl, profile };
}
