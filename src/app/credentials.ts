/**
 * Where `sfoauth test` gets its credentials: the SFOAUTH_* variables when SFOAUTH_REFRESH_TOKEN is set
 * (env wins over the file, so CI needs no config file), otherwise a saved profile.
 */
import { ConfigError, SfOAuthError } from '../errors.js';
import { DEFAULT_CALLBACK_URL } from '../core/oauth/callback-url.js';
import { defaultLoginUrl, normalizeEnvironment, parseLoginUrl } from '../core/salesforce/hosts.js';
import type { Profile } from '../core/config/profile.js';
import type { ProfileStore } from '../core/config/store.js';
import type { Clock, Env } from '../core/ports.js';
import type { InputSource, VerifyContext } from '../core/verify/context.js';
import type { HttpClient } from '../core/http/request.js';
import { listRestVersions } from '../core/salesforce/api.js';
import { refreshProfile } from '../core/credentials/refresh-profile.js';
import { refreshFromEnv } from './env-refresh.js';
import { noSuchProfile } from '../core/config/profile-store.js';

export interface LoadedInputs {
  source: InputSource;
  profileName: string;
  profile: Profile | undefined;
  configProblem?: VerifyContext['configProblem'];
  store?: ProfileStore;
}

export const ENV_VARS = [
  'SFOAUTH_CLIENT_ID',
  'SFOAUTH_CLIENT_SECRET',
  'SFOAUTH_REFRESH_TOKEN',
  'SFOAUTH_INSTANCE_URL',
  'SFOAUTH_LOGIN_URL',
  'SFOAUTH_ENV',
] as const;

export async function loadInputs(
  opts: { profile?: string; configDir?: string },
  env: Env,
  openStore: (dir?: string) => Promise<ProfileStore>,
  now: () => number,
): Promise<LoadedInputs> {
  if (env.SFOAUTH_REFRESH_TOKEN) return fromEnv(env, opts.profile ?? 'env', now);

  let store: ProfileStore | undefined;
  let profileName = opts.profile ?? 'default';
  try {
    store = await openStore(opts.configDir);
    profileName = opts.profile ?? (await store.defaultProfileName());
    const profile = await store.get(profileName);
    if (!profile) {
      const names = (await store.list()).map((p) => p.name);
      const missing = noSuchProfile(profileName, store.path, names);
      return {
        source: 'profile',
        profileName,
        profile: undefined,
        store,
        configProblem: {
          summary: `${missing.message[0]!.toLowerCase()}${missing.message.slice(1)}`,
          // With no profile at all, the SFOAUTH_* variables are the other way in.
          fix: names.length > 0 ? missing.fix : `${missing.fix}, or set SFOAUTH_CLIENT_ID, SFOAUTH_CLIENT_SECRET and SFOAUTH_REFRESH_TOKEN`,
        },
      };
    }
    return { source: 'profile', profileName, profile, store };
  } catch (err) {
    if (err instanceof ConfigError) {
      return {
        source: 'profile',
        profileName,
        profile: undefined,
        ...(store ? { store } : {}),
        configProblem: {
          summary: err.message,
          fix: err.hint ?? 'fix the file or move it aside with `sfoauth doctor --fix`',
          detail: err.issues,
        },
      };
    }
    throw err;
  }
}

function fromEnv(env: Env, profileName: string, now: () => number): LoadedInputs {
  try {
    const environment = normalizeEnvironment(env.SFOAUTH_ENV ?? 'production');
    const loginUrl = parseLoginUrl(env.SFOAUTH_LOGIN_URL ?? defaultLoginUrl(environment), 'SFOAUTH_LOGIN_URL').origin;
    const profile: Profile = {
      flow: 'web-server',
      env: environment,
      appType: 'external-client-app',
      loginUrl,
      callbackUrl: DEFAULT_CALLBACK_URL,
      extraCallbackUrls: [],
      clientId: env.SFOAUTH_CLIENT_ID ?? '',
      scopes: [],
      refreshToken: env.SFOAUTH_REFRESH_TOKEN ?? '',
      createdAt: new Date(now()).toISOString(),
      ...(env.SFOAUTH_CLIENT_SECRET ? { clientSecret: env.SFOAUTH_CLIENT_SECRET } : {}),
      ...(env.SFOAUTH_INSTANCE_URL ? { instanceUrl: parseLoginUrl(env.SFOAUTH_INSTANCE_URL, 'SFOAUTH_INSTANCE_URL').origin } : {}),
    };
    return { source: 'env', profileName, profile };
  } catch (err) {
    if (err instanceof SfOAuthError) {
      return {
        source: 'env',
        profileName,
        profile: undefined,
        configProblem: { summary: `SFOAUTH_* variables: ${err.message}`, fix: err.hint ?? 'fix SFOAUTH_ENV / SFOAUTH_LOGIN_URL' },
      };
    }
    throw err;
  }
}

/**
 * The context the verification checks run in (test, and doctor's token group). A rotated refresh token
 * goes back where it came from before anything else happens: the profile (refreshProfile, under the
 * config lock), or --rotated-token-file (env-refresh.ts).
 */
export function verifyContextFor(
  inputs: LoadedInputs,
  http: HttpClient,
  clock: Clock,
  opts: {
    rotatedTokenFile?: string | undefined;
    prefetch?: boolean;
    /** Stops the lock wait and a refresh not yet sent (Ctrl-C, the run deadline); never one in flight. */
    signal?: AbortSignal;
    notice?: (line: string) => void;
    /** doctor: never spend SFOAUTH_REFRESH_TOKEN (a rotating app would leave CI with a dead secret). */
    envTokenIsReadOnly?: boolean;
    /** SFOAUTH_LOCK_TIMEOUT, for the lock on --rotated-token-file. */
    env?: Env;
  } = {},
): VerifyContext {
  const { rotatedTokenFile, signal, notice } = opts;
  // `test` asks for the REST versions while the refresh is in flight; doctor does not (it may be --offline,
  // and it reaches the network only after its profile checks pass).
  const instanceUrl = opts.prefetch && inputs.profile?.refreshToken ? inputs.profile.instanceUrl : undefined;
  const envSkip =
    inputs.source === 'env' && opts.envTokenIsReadOnly
      ? 'doctor does not spend SFOAUTH_REFRESH_TOKEN: if the app rotates refresh tokens, the CI secret would stop working. Run `sfoauth test --rotated-token-file <path>` to check the token'
      : undefined;
  return {
    ...(instanceUrl ? { restVersions: listRestVersions(http, instanceUrl).catch(() => undefined) } : {}),
    ...(inputs.source === 'profile' && inputs.store
      ? { rememberRotation: async (on: boolean) => void (await inputs.store!.update(inputs.profileName, { refreshTokenRotation: on })) }
      : {}),
    http,
    clock,
    source: inputs.source,
    profileName: inputs.profileName,
    profile: inputs.profile,
    ...(inputs.configProblem ? { configProblem: inputs.configProblem } : {}),
    ...(envSkip ? { refreshSkipped: envSkip } : {}),
    refresh: async () => {
      const profile = inputs.profile;
      if (!profile) throw new Error('refresh without a configuration');
      if (inputs.source === 'profile' && inputs.store) {
        const r = await refreshProfile({
          store: inputs.store,
          name: inputs.profileName,
          http,
          now: clock.now,
          ...(signal ? { signal } : {}),
          ...(notice ? { notice } : {}),
        });
        if (!r.token) throw new Error('refreshProfile reused a token without being asked to');
        return { token: r.token, ...(r.rotated ? { rotatedSavedTo: inputs.store.path } : {}) };
      }
      return refreshFromEnv({
        profile,
        http,
        env: opts.env ?? {},
        ...(rotatedTokenFile ? { rotatedTokenFile } : {}),
        ...(signal ? { signal } : {}),
        ...(notice ? { notice } : {}),
      });
    },
  };
}
