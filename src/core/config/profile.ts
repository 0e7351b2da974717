/**
 * What a saved profile holds (README.md "Configuration"; docs/credentials.md). The zod schema in schema.ts validates files
 * against exactly this shape; everything else imports these types, never zod.
 */
export type Environment = 'production' | 'sandbox';
export type AppType = 'external-client-app' | 'connected-app';

/**
 * How the profile obtains tokens. Today only the web-server flow (authorization code + PKCE, then the
 * refresh grant); client credentials and the JWT bearer grant become new variants of Profile with their
 * own `flow` (docs/architecture.md "How to add a flow").
 */
export type Flow = 'web-server';

export interface Profile {
  flow: Flow;
  env: Environment;
  appType: AppType;
  /** https://login.salesforce.com, https://test.salesforce.com, a My Domain, or a loopback emulator. */
  loginUrl: string;
  /** The loopback callback sfoauth listens on, e.g. http://localhost:1717/OauthRedirect. */
  callbackUrl: string;
  /** Other callback URLs registered on the app (e.g. https://api.nango.dev/oauth/callback). */
  extraCallbackUrls: string[];
  clientId: string;
  /** Secret. */
  clientSecret?: string;
  scopes: string[];
  /** Secret. */
  refreshToken?: string;
  instanceUrl?: string;
  /** The identity URL, https://login|test.salesforce.com/id/<orgId>/<userId>. */
  idUrl?: string;
  userId?: string;
  orgId?: string;
  username?: string;
  /** ISO 8601 timestamps. */
  createdAt: string;
  lastVerifiedAt?: string;
  /** Whether the app rotated the refresh token on the last refresh `test` or `doctor` saw. */
  refreshTokenRotation?: boolean;
}

export interface ConfigFile {
  /** 2 since profiles carry `flow`; version 1 files are migrated on read (schema.ts). */
  version: 2;
  defaultProfile?: string;
  profiles: Record<string, Profile>;
}

/** The fields that must never be printed unless a flag asks. */
export const SECRET_PROFILE_FIELDS = ['clientSecret', 'refreshToken'] as const satisfies readonly (keyof Profile)[];

export const DEFAULT_PROFILE_NAME = 'default';
