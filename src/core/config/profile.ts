/**
 * What a saved profile holds (README.md "Configuration"; docs/credentials.md). The zod schema in schema.ts validates files
 * against exactly this shape; everything else imports these types, never zod.
 */
import { UsageError } from '../../errors.js';

export type Environment = 'production' | 'sandbox';
export type AppType = 'external-client-app' | 'connected-app';

/**
 * How the profile obtains tokens (docs/flows.md): the web-server flow (authorization code + PKCE, then
 * the refresh grant), client credentials (Consumer Key + Secret at the My Domain, a token for the app's
 * Run As user) or the JWT bearer grant (an assertion signed with a private key). The last two have no
 * refresh token: each run asks for a new access token.
 */
export type Flow = 'web-server' | 'client-credentials' | 'jwt-bearer';
export const FLOWS: readonly Flow[] = ['web-server', 'client-credentials', 'jwt-bearer'];

interface ProfileBase {
  env: Environment;
  appType: AppType;
  /**
   * https://login.salesforce.com, https://test.salesforce.com, a My Domain, or a loopback emulator.
   * Client credentials: always the org's My Domain (Salesforce refuses the grant on login/test).
   */
  loginUrl: string;
  clientId: string;
  /** Secret. */
  clientSecret?: string;
  scopes: string[];
  instanceUrl?: string;
  /** The identity URL, https://login|test.salesforce.com/id/<orgId>/<userId>. */
  idUrl?: string;
  userId?: string;
  orgId?: string;
  /** The user tokens are issued for (client credentials: the Run As user, learned from userinfo). */
  username?: string;
  /** ISO 8601 timestamps. */
  createdAt: string;
  lastVerifiedAt?: string;
}

export interface WebServerProfile extends ProfileBase {
  flow: 'web-server';
  /** The loopback callback sfoauth listens on, e.g. http://localhost:1717/OauthRedirect. */
  callbackUrl: string;
  /** Other callback URLs registered on the app (e.g. https://api.nango.dev/oauth/callback). */
  extraCallbackUrls: string[];
  /** Secret. */
  refreshToken?: string;
  /** Whether the app rotated the refresh token on the last refresh `test` or `doctor` saw. */
  refreshTokenRotation?: boolean;
}

export interface ClientCredentialsProfile extends ProfileBase {
  flow: 'client-credentials';
  /** Secret; the flow cannot work without it. */
  clientSecret: string;
}

export interface JwtBearerProfile extends ProfileBase {
  flow: 'jwt-bearer';
  /** The Salesforce username the assertion names (`sub`). */
  username: string;
  /** The JWT `aud`: https://login.salesforce.com, https://test.salesforce.com or an Experience Cloud site. */
  audience: string;
  /** Path of the PEM private key file (0600); the key itself is never stored in the config. */
  privateKeyFile: string;
  /** Path of the certificate uploaded to the app, when sfoauth knows it. */
  certificateFile?: string;
}

export type Profile = WebServerProfile | ClientCredentialsProfile | JwtBearerProfile;

/** The fields of any flow, for code that reads a profile without caring which flow it is. */
export type AnyProfileField = keyof WebServerProfile | keyof ClientCredentialsProfile | keyof JwtBearerProfile;

export interface ConfigFile {
  /** 2 since profiles carry `flow`; version 1 files are migrated on read (schema.ts). */
  version: 2;
  defaultProfile?: string;
  profiles: Record<string, Profile>;
}

/** The fields that must never be printed unless a flag asks. */
export const SECRET_PROFILE_FIELDS = ['clientSecret', 'refreshToken'] as const satisfies readonly AnyProfileField[];

export const DEFAULT_PROFILE_NAME = 'default';

/** The refresh token of a web-server profile; the server-to-server flows have none. */
export function refreshTokenOf(profile: Profile | undefined): string | undefined {
  return profile?.flow === 'web-server' ? profile.refreshToken : undefined;
}

/** Why a web-server-only check does not apply, or undefined for a web-server profile. */
export function notWebServer(profile: Profile): string | undefined {
  return profile.flow === 'web-server' ? undefined : `the ${profile.flow} flow has no callback URL and no refresh token`;
}

/** A flow name from a flag or SFOAUTH_FLOW. */
export function parseFlow(value: string, what = '--flow'): Flow {
  const flow = FLOWS.find((f) => f === value.trim().toLowerCase());
  if (flow) return flow;
  throw new UsageError(`${what}: unknown flow ${JSON.stringify(value.slice(0, 40))}; use ${FLOWS.join(', ')}.`);
}
