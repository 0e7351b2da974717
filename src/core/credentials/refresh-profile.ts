/**
 * The one place a saved profile's refresh token is spent (docs/credentials.md): `token`, `test`,
 * `doctor` and everything else that refreshes goes through refreshProfile, which
 *   1. takes the exclusive cross-process lock on the config file (bounded wait, Ctrl-C stops the wait),
 *   2. restores a journaled token left by a process that died, then re-reads the profile, so a token
 *      another process rotated meanwhile is the one used,
 *   3. when the caller allows it, reuses an access token another process obtained while this one waited
 *      for the lock (never an older one: it may have been revoked since),
 *   4. proves the config can be written (pre-flight) before anything is sent,
 *   5. sends the refresh grant, which neither Ctrl-C nor a run deadline aborts once sent,
 *   6. journals a rotated token, saves it into the profile, then drops the journal,
 * all under the lock.
 */
import { ConfigError, NetworkError, NotConfiguredError } from '../../errors.js';
import type { HttpClient } from '../http/request.js';
import { refreshAccessToken, type TokenResponse } from '../oauth/token.js';
import { refreshTokenOf, type Profile, type WebServerProfile } from '../config/profile.js';
import type { ProfileStore } from '../config/store.js';
import { fingerprint, recoverPendingToken, type PendingToken } from './pending-token.js';

/** A refresh in flight gets this long, well beyond the 15 s per-request default and any --timeout. */
export const REFRESH_TIMEOUT_MS = 60_000;

export interface RefreshProfileInput {
  store: ProfileStore;
  name: string;
  http: HttpClient;
  now: () => number;
  /** Stops the lock wait and a refresh not yet sent; a refresh in flight runs to its end and is saved. */
  signal?: AbortSignal;
  /**
   * `sfoauth token`: reuse an access token that another sfoauth process obtained for this profile's
   * refresh token while this one waited for the lock, instead of refreshing again.
   */
  reuseConcurrentAccessToken?: boolean;
  /** One-line notices for people (stderr). */
  notice?: (line: string) => void;
}

export interface RefreshedProfile {
  accessToken: string;
  /** The full token response; undefined when a cached access token was reused. */
  token: TokenResponse | undefined;
  /** The profile as saved now. */
  profile: Profile;
  /** Salesforce rotated the refresh token, and the new one is in the profile. */
  rotated: boolean;
  /** Where a journaled token was restored from before refreshing (a process had died mid-save). */
  recoveredFrom?: string;
}

interface CachedAccessToken {
  accessToken: string;
  issuedAt: number;
  /** Fingerprint of the refresh token it was issued with. */
  refresh: string;
}

export async function refreshProfile(input: RefreshProfileInput): Promise<RefreshedProfile> {
  const { store, name, signal } = input;
  const waitStarted = input.now();
  return store.withLock(
    async () => {
      const recoveredFrom = await recoverPendingToken(store, name);
      if (recoveredFrom) input.notice?.(`Restored the rotated refresh token of profile "${name}" that an earlier run had left in ${recoveredFrom}.`);
      const found = await store.get(name);
      if (!found) throw new NotConfiguredError(`There is no profile named "${name}" in ${store.path}.`, { hint: 'Run `sfoauth status` to list profiles.' });
      if (found.flow !== 'web-server') throw new NotConfiguredError(`Profile "${name}" uses the ${found.flow} flow, which has no refresh token.`);
      const profile = found;
      if (!profile.refreshToken) throw new NotConfiguredError(`Profile "${name}" has no refresh token.`, { hint: `Run \`sfoauth init --profile ${name}\`.` });
      const base = { profile, ...(recoveredFrom ? { recoveredFrom } : {}) };

      if (input.reuseConcurrentAccessToken) {
        const cached = cachedAccessToken(await store.readSidecar('access-token', name).catch(() => undefined));
        if (cached && cached.refresh === fingerprint(profile.refreshToken) && cached.issuedAt >= waitStarted) {
          return { ...base, accessToken: cached.accessToken, token: undefined, rotated: false };
        }
      }

      await store.assertWritable();
      if (signal?.aborted) throw signal.reason; // nothing sent yet: stopping now spends nothing
      const token = await sendRefresh(input, profile, profile.refreshToken);
      let saved: Profile = profile;
      if (token.refreshToken) saved = await saveRotated(input, profile, token.refreshToken);
      // Best effort: the cache only saves a round trip for the next `sfoauth token`.
      const entry: CachedAccessToken = { accessToken: token.accessToken, issuedAt: input.now(), refresh: fingerprint(refreshTokenOf(saved) ?? '') };
      await store.writeSidecar('access-token', name, entry).catch(() => undefined);
      return { ...base, profile: saved, accessToken: token.accessToken, token, rotated: token.refreshToken !== undefined };
    },
    signal ? { signal } : {},
  );
}

async function sendRefresh(input: RefreshProfileInput, profile: Profile, refreshToken: string): Promise<TokenResponse> {
  const onAbort = () =>
    input.notice?.('Waiting for the token refresh in flight to finish and be saved (a second Ctrl-C quits at once and may lose a rotated refresh token).');
  input.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await refreshAccessToken(input.http, {
      loginUrl: profile.loginUrl,
      clientId: profile.clientId,
      ...(profile.clientSecret ? { clientSecret: profile.clientSecret } : {}),
      refreshToken,
      timeoutMs: REFRESH_TIMEOUT_MS,
    });
  } catch (err) {
    throw maybeSpent(err, input.name);
  } finally {
    input.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * A refresh that timed out or lost its connection after it was sent may have been carried out: with
 * rotation on, the saved token is then dead. Say so, and how to find out and recover.
 */
export function maybeSpent(err: unknown, name: string | undefined): unknown {
  if (!(err instanceof NetworkError) || (err.reason !== 'timeout' && err.reason !== 'reset')) return err;
  const how = name
    ? `Run \`sfoauth token --profile ${name}\`: if Salesforce answers invalid_grant, the refresh token was spent; run \`sfoauth init --profile ${name}\` to log in again.`
    : 'Run the same command again: if Salesforce answers invalid_grant, the refresh token was spent; get a new one (`sfoauth init`, then `sfoauth export --include-secrets`) and update the CI secret.';
  const what = err.reason === 'timeout' ? `did not answer the refresh request within ${REFRESH_TIMEOUT_MS / 1000} s` : 'dropped the connection during the refresh request';
  return new NetworkError(err.reason, err.host, `${err.host} ${what}. Salesforce may still have carried it out; if the app rotates refresh tokens, the saved one may no longer work.`, {
    cause: err,
    hint: how,
    ...(err.status !== undefined ? { status: err.status } : {}),
  });
}

/** Journal first (smallest window), then the profile, then drop the journal. */
async function saveRotated(input: RefreshProfileInput, profile: WebServerProfile, newToken: string): Promise<Profile> {
  const { store, name } = input;
  const entry: PendingToken = {
    profile: name,
    refreshToken: newToken,
    replaces: fingerprint(profile.refreshToken ?? ''),
    receivedAt: new Date(input.now()).toISOString(),
  };
  let journal: string | undefined;
  try {
    journal = await store.writeSidecar('pending-token', name, entry);
  } catch {
    journal = undefined; // the profile write below may still succeed; if not, the error says the token is lost
  }
  try {
    const saved = await store.update(name, { refreshToken: newToken });
    if (journal) await store.removeSidecar('pending-token', name).catch(() => undefined);
    return saved;
  } catch (err) {
    throw notSaved(err, input, journal);
  }
}

function notSaved(err: unknown, input: RefreshProfileInput, journal: string | undefined): ConfigError {
  const { store, name } = input;
  const reason = err instanceof Error ? err.message.replace(/ The previous file is unchanged\.$/, '') : String(err);
  const head = `Salesforce rotated the refresh token of profile "${name}", so the one in ${store.path} no longer works, and saving the new one failed: ${reason}`;
  const home = store.sidecarPath('pending-token', name);
  if (!journal) {
    return new ConfigError(`${head} The new refresh token could not be written anywhere and is lost.`, {
      cause: err,
      file: store.path,
      hint: `Fix the problem above, then run \`sfoauth init --profile ${name}\` to log in again.`,
    });
  }
  const restore =
    journal === home
      ? `Once ${store.path} can be written, run \`sfoauth doctor --fix --profile ${name}\` to put it back into the profile (the next \`sfoauth token\` or \`sfoauth test\` on it does that too).`
      : `Once the config directory can be written, move it back (mv ${journal} ${home}) and run \`sfoauth doctor --fix --profile ${name}\`.`;
  return new ConfigError(`${head} The new refresh token is safe in ${journal} (mode 0600; it is not shown).`, { cause: err, file: store.path, hint: restore });
}

function cachedAccessToken(value: unknown): CachedAccessToken | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.accessToken !== 'string' || typeof v.issuedAt !== 'number' || typeof v.refresh !== 'string') return undefined;
  return { accessToken: v.accessToken, issuedAt: v.issuedAt, refresh: v.refresh };
}
