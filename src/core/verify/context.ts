/** What the verification checks (`sfoauth test`, and the token part of `doctor`) share. */
import type { Clock } from '../ports.js';
import type { HttpClient } from '../http/request.js';
import type { TokenResponse } from '../oauth/token.js';
import { getOrganization, type OrgRecord, type RestVersion } from '../salesforce/api.js';
import type { AppType, Profile } from '../config/profile.js';
import { initCommand, type FailureContext } from '../salesforce/explain-failure.js';
import { setupLines } from '../salesforce/error-catalog.js';
import { SETUP_CONSUMER_KEY } from '../salesforce/setup-screens.js';
import { ENV_VAR_NAMES, FLAG_NAMES, type InputNames } from '../salesforce/hosts.js';

export type InputSource = 'profile' | 'env';

export interface VerifyContext {
  http: HttpClient;
  clock: Clock;
  source: InputSource;
  profileName: string;
  /** Undefined when the configuration could not be loaded; `configProblem` then says why. */
  profile: Profile | undefined;
  configProblem?: { summary: string; fix: string; detail?: string[] };
  /**
   * Spends the refresh token once (docs/credentials.md): in profile mode under the config lock, with the
   * pre-flight, journal and save of core/credentials; in env-var mode into --rotated-token-file.
   * Resolves with the new token and, when Salesforce rotated the refresh token, where the new one went.
   */
  refresh: () => Promise<{ token: TokenResponse; rotatedSavedTo?: string }>;
  /** When set, the refresh check is skipped with this reason and spends nothing (doctor in env-var mode). */
  refreshSkipped?: string;
  /** Set by the refresh check for the checks that need an access token. */
  token?: TokenResponse;
  /**
   * The REST versions list of the saved instance, asked for while the refresh grant is still in flight
   * (it needs no token), so the REST check waits one round trip less. Undefined when it failed.
   */
  restVersions?: Promise<RestVersion[] | undefined>;
  /** Saves whether the app rotates refresh tokens in the profile (profile mode only). */
  rememberRotation?: (on: boolean) => Promise<void>;
  /** The Organization record, read once by whichever check asks first (see organizationOf). */
  organization?: Promise<{ org?: OrgRecord; error?: unknown }>;
}

/** The org's Organization record (or why it could not be read), asked for once per run. */
export function organizationOf(ctx: VerifyContext): Promise<{ org?: OrgRecord; error?: unknown }> {
  const token = requireToken(ctx);
  ctx.organization ??= getOrganization(ctx.http, { instanceUrl: token.instanceUrl, accessToken: token.accessToken }).then(
    (org) => ({ org }),
    (error: unknown) => ({ error }),
  );
  return ctx.organization;
}

export function requireProfile(ctx: VerifyContext): Profile {
  if (!ctx.profile) throw new Error('check ran without a configuration; it must declare needs: ["config"]');
  return ctx.profile;
}

export function requireToken(ctx: VerifyContext): TokenResponse {
  if (!ctx.token) throw new Error('check ran without a token; it must declare needs: ["refresh"]');
  return ctx.token;
}

/** The app type to pick Setup screens by: a saved profile's. SFOAUTH_* variables do not say (undefined: both). */
export function knownAppType(ctx: { source: string; profile: Profile | undefined }): AppType | undefined {
  return ctx.source === 'profile' ? ctx.profile?.appType : undefined;
}

/** Where to fix the credentials, for a fix: the Setup screen(s) for the app type when known, else both. */
export function consumerKeyScreens(ctx: { source: string; profile: Profile | undefined }): string {
  return setupLines(SETUP_CONSUMER_KEY, knownAppType(ctx)).join('; ');
}

export { initCommand };

/** The fix that sets one input: `set SFOAUTH_ENV=sandbox` in env-var mode, else `run \`sfoauth init --profile NAME --env sandbox\``. */
export function setInputFix(ctx: { source: string; profileName: string }, input: keyof InputNames, value: string): string {
  return ctx.source === 'env' ? `set ${ENV_VAR_NAMES[input]}=${value}` : `run ${initCommand(ctx.profileName, `${FLAG_NAMES[input]} ${value}`)}`;
}

/**
 * Where the inputs came from, for the fixes: the profile to name ("re-run `sfoauth init --profile NAME`"),
 * or the SFOAUTH_* variables to update. Only a saved profile knows its app type (in env-var mode it is a
 * default, so the fix shows both app types' Setup screens rather than guess).
 */
export function failureContextFor(ctx: VerifyContext): FailureContext {
  if (ctx.source === 'env') return { input: { mode: 'env' } };
  const appType = knownAppType(ctx);
  return { input: { mode: 'profile', profile: ctx.profileName }, ...(appType ? { appType } : {}) };
}
