/**
 * Where `sfoauth test` gets its credentials: the SFOAUTH_* variables when SFOAUTH_REFRESH_TOKEN or
 * SFOAUTH_FLOW is set (env wins over the file, so CI needs no config file), otherwise a saved profile.
 */
import { ConfigError, SfOAuthError, UsageError } from '../errors.js';
import { DEFAULT_CALLBACK_URL } from '../core/oauth/callback-url.js';
import { defaultLoginUrl, normalizeEnvironment, parseLoginUrl } from '../core/salesforce/hosts.js';
import { parseFlow, type Environment, type Profile } from '../core/config/profile.js';
import { jwtAudienceFor } from '../core/oauth/jwt-assertion.js';
import { MY_DOMAIN_HINT } from '../core/credentials/server-token.js';
import { serverToken } from './server-token.js';
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
  /** SFOAUTH_PRIVATE_KEY: the JWT bearer key as PEM content (never printed, never written). */
  privateKeyPem?: string;
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
  'SFOAUTH_FLOW',
  'SFOAUTH_USERNAME',
  'SFOAUTH_PRIVATE_KEY_FILE',
  'SFOAUTH_PRIVATE_KEY',
] as const;

export async function loadInputs(
  opts: { profile?: string; configDir?: string },
  env: Env,
  openStore: (dir?: string) => Promise<ProfileStore>,
  now: () => number,
): Promise<LoadedInputs> {
  if (env.SFOAUTH_REFRESH_TOKEN || env.SFOAUTH_FLOW) return fromEnv(env, opts.profile ?? 'env', now);

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

/**
 * SFOAUTH_ENV's value. A wrong one is explained in terms of the variable: `test` has no --env flag to
 * suggest, so the fix names the variable and the values it takes.
 */
function environmentFromVariable(value: string | undefined): Environment {
  if (value === undefined) return 'production';
  try {
    return normalizeEnvironment(value);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    throw new UsageError(`SFOAUTH_ENV is ${JSON.stringify(value.slice(0, 40))}, which is not an environment.`, {
      hint: 'Set SFOAUTH_ENV to production (Nango: salesforce) or sandbox (Nango: salesforce-sandbox), or unset it for production.',
    });
  }
}

function fromEnv(env: Env, profileName: string, now: () => number): LoadedInputs {
  try {
    const environment = environmentFromVariable(env.SFOAUTH_ENV);
    const flow = parseFlow(env.SFOAUTH_FLOW ?? 'web-server', 'SFOAUTH_FLOW');
    if (flow !== 'web-server') return serverFlowFromEnv(env, profileName, flow, environment, now);
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
        configProblem: { summary: `SFOAUTH_* variables: ${err.message}`, fix: err.hint ?? 'set the variable named above to one of the values it lists, or unset it' },
      };
    }
    throw err;
  }
}

/**
 * SFOAUTH_FLOW=client-credentials: SFOAUTH_LOGIN_URL (or SFOAUTH_INSTANCE_URL) is the My Domain.
 * SFOAUTH_FLOW=jwt-bearer: SFOAUTH_USERNAME, and SFOAUTH_PRIVATE_KEY (PEM) or SFOAUTH_PRIVATE_KEY_FILE.
 */
function serverFlowFromEnv(env: Env, profileName: string, flow: 'client-credentials' | 'jwt-bearer', environment: Environment, now: () => number): LoadedInputs {
  const base = {
    env: environment,
    appType: 'external-client-app' as const,
    clientId: env.SFOAUTH_CLIENT_ID ?? '',
    scopes: [],
    createdAt: new Date(now()).toISOString(),
    ...(env.SFOAUTH_INSTANCE_URL ? { instanceUrl: parseLoginUrl(env.SFOAUTH_INSTANCE_URL, 'SFOAUTH_INSTANCE_URL').origin } : {}),
  };
  if (flow === 'client-credentials') {
    const myDomain = env.SFOAUTH_LOGIN_URL ?? env.SFOAUTH_INSTANCE_URL;
    if (!myDomain) throw new UsageError('SFOAUTH_FLOW=client-credentials needs the org\'s My Domain in SFOAUTH_LOGIN_URL.', { hint: MY_DOMAIN_HINT });
    const loginUrl = parseLoginUrl(myDomain, env.SFOAUTH_LOGIN_URL ? 'SFOAUTH_LOGIN_URL' : 'SFOAUTH_INSTANCE_URL').origin;
    return { source: 'env', profileName, profile: { ...base, flow, loginUrl, clientSecret: env.SFOAUTH_CLIENT_SECRET ?? '' } };
  }
  const loginUrl = parseLoginUrl(env.SFOAUTH_LOGIN_URL ?? defaultLoginUrl(environment), 'SFOAUTH_LOGIN_URL').origin;
  if (!env.SFOAUTH_PRIVATE_KEY && !env.SFOAUTH_PRIVATE_KEY_FILE) {
    throw new UsageError('SFOAUTH_FLOW=jwt-bearer needs the private key.', { hint: 'Set SFOAUTH_PRIVATE_KEY to the PEM content (a CI secret) or SFOAUTH_PRIVATE_KEY_FILE to its path.' });
  }
  return {
    source: 'env',
    profileName,
    profile: {
      ...base,
      flow,
      loginUrl,
      username: env.SFOAUTH_USERNAME ?? '',
      audience: jwtAudienceFor(loginUrl) ?? defaultLoginUrl(environment),
      privateKeyFile: env.SFOAUTH_PRIVATE_KEY_FILE ?? 'SFOAUTH_PRIVATE_KEY',
      ...(env.SFOAUTH_CLIENT_SECRET ? { clientSecret: env.SFOAUTH_CLIENT_SECRET } : {}),
    },
    ...(env.SFOAUTH_PRIVATE_KEY ? { privateKeyPem: env.SFOAUTH_PRIVATE_KEY } : {}),
  };
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
  const instanceUrl = opts.prefetch && inputs.profile?.instanceUrl && (inputs.profile.flow !== 'web-server' || inputs.profile.refreshToken) ? inputs.profile.instanceUrl : undefined;
  const envSkip =
    inputs.source === 'env' && opts.envTokenIsReadOnly && inputs.profile?.flow !== 'client-credentials' && inputs.profile?.flow !== 'jwt-bearer'
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
      if (profile.flow !== 'web-server') return { token: await serverToken({ profile, http, now: clock.now, privateKeyPem: inputs.privateKeyPem }) };
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
