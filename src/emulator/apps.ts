/**
 * The emulated apps' settings, named after what Salesforce Setup shows (docs/salesforce.md §9, §10): an
 * External Client App starts with "Require PKCE" and both "Require secret" boxes ticked; a Connected
 * App does not require PKCE. Input validation lives here too, so the library and `--apps FILE` reject
 * the same mistakes with the same messages.
 */
import { X509Certificate } from 'node:crypto';
import { newClientId, newClientSecret } from './ids.js';
import { DEFAULT_APP_SCOPES, SUPPORTED_SCOPES } from './scopes.js';

/** The two kinds of app Salesforce has; the same union as sfoauth's profile (the emulator imports none of sfoauth). */
export type AppType = 'external-client-app' | 'connected-app';

/** OAuth Policies > Refresh Token Policy. */
export type RefreshTokenPolicy =
  | 'infinite' // "Refresh token is valid until revoked"
  | 'immediately' // "Immediately expire refresh token"
  | { kind: 'inactivity' | 'lifetime'; ms: number }; // "Expire if not used for N" / "Expire after N"

export interface ClientCredentialsSettings {
  /** "Enable Client Credentials Flow". */
  enabled: boolean;
  /** The "Run As" execution user; without one the flow answers `no client credentials user enabled`. */
  runAsUsername?: string;
}

export interface AppSettings {
  /** Shown on the approval page. */
  name: string;
  appType: AppType;
  /** Consumer Key. */
  clientId: string;
  /** Consumer Secret. */
  clientSecret: string;
  /** Matched character for character against `redirect_uri`. */
  callbackUrls: string[];
  /** Selected OAuth scopes. */
  scopes: string[];
  requirePkce: boolean;
  /** "Require Secret for Web Server Flow". */
  requireSecretWebServer: boolean;
  /** "Require Secret for Refresh Token Flow". */
  requireSecretRefresh: boolean;
  /** "Introspect All Tokens": may introspect other apps' tokens. */
  introspectAllTokens: boolean;
  refreshTokenPolicy: RefreshTokenPolicy;
  /** Refresh token rotation: each refresh returns a new refresh token and retires the old one. */
  rotateRefreshTokens: boolean;
  clientCredentials: ClientCredentialsSettings;
  /** "Changes can take up to 10 minutes": `invalid_client_id` until this long after creation. */
  propagationDelayMs: number;
  /** ECA only: false behaves like an app not installed in this org (`OAUTH_EC_APP_NOT_FOUND`). */
  installed: boolean;
  /** Access token lifetime (the session timeout; Salesforce's default is 2 hours). */
  sessionTimeoutMs: number;
  /**
   * The X.509 certificate (PEM) uploaded for the JWT bearer flow ("Enable JWT Bearer Flow" on an ECA,
   * "Use digital signatures" on a Connected App; docs/flows.md). Without one, no assertion verifies.
   */
  certificate?: string;
  /** OAuth Policies > Permitted Users (docs/flows.md "Who may use the JWT bearer flow"). */
  permittedUsers: PermittedUsers;
  /** Usernames the admin pre-authorized (standing for a profile or permission set on the app). */
  preAuthorizedUsers: string[];
}

/** "All users may self-authorize" or "Admin approved users are pre-authorized". */
export type PermittedUsers = 'all-users-self-authorize' | 'admin-approved-pre-authorized';
export const PERMITTED_USERS: readonly PermittedUsers[] = ['all-users-self-authorize', 'admin-approved-pre-authorized'];
/** Bounds on what a file or control request may put in the JWT settings (docs/hostile-input.md "Emulator"). */
export const MAX_CERTIFICATE_CHARS = 16 * 1024;
export const MAX_PRE_AUTHORIZED_USERS = 100;

/** Everything optional: missing credentials are generated, missing settings take the app type's defaults. */
export type AppInput = Partial<AppSettings>;

/** Settings that can change on a running app (the key and the type cannot). */
export type AppPatch = Partial<Omit<AppSettings, 'clientId' | 'appType'>>;

export interface EmulatorApp extends AppSettings {
  /** Emulator clock time the app was created; the propagation delay counts from here. */
  readonly createdAt: number;
}

export const DEFAULT_CALLBACK_URL = 'http://localhost:1717/OauthRedirect';
export const DEFAULT_SESSION_TIMEOUT_MS = 2 * 60 * 60 * 1000;

/** The defaults Salesforce applies to a new app of this type. */
export function appDefaults(appType: AppType): Omit<AppSettings, 'clientId' | 'clientSecret'> {
  return {
    name: appType === 'external-client-app' ? 'sfoauth emulator External Client App' : 'sfoauth emulator Connected App',
    appType,
    callbackUrls: [DEFAULT_CALLBACK_URL],
    scopes: [...DEFAULT_APP_SCOPES],
    requirePkce: appType === 'external-client-app',
    requireSecretWebServer: true,
    requireSecretRefresh: true,
    introspectAllTokens: false,
    refreshTokenPolicy: 'infinite',
    rotateRefreshTokens: false,
    clientCredentials: { enabled: false },
    propagationDelayMs: 0,
    installed: true,
    sessionTimeoutMs: DEFAULT_SESSION_TIMEOUT_MS,
    permittedUsers: 'all-users-self-authorize',
    preAuthorizedUsers: [],
  };
}

/** A full app from (already validated) input; credentials are generated when not given. */
export function createApp(input: AppInput, createdAt: number): EmulatorApp {
  const appType = input.appType ?? 'external-client-app';
  const base = appDefaults(appType);
  const app: EmulatorApp = {
    ...base,
    ...definedOnly(input),
    appType,
    clientId: input.clientId ?? newClientId(),
    clientSecret: input.clientSecret ?? newClientSecret(),
    createdAt,
  };
  return cloneApp(app);
}

/** The app with a patch applied (validated by validateAppPatch first). */
export function patchApp(app: EmulatorApp, patch: AppPatch): EmulatorApp {
  return cloneApp({ ...app, ...definedOnly(patch) });
}

/** A copy that shares no arrays or objects with the original, so callers cannot change live settings. */
export function cloneApp(app: EmulatorApp): EmulatorApp {
  const policy = app.refreshTokenPolicy;
  return {
    ...app,
    callbackUrls: [...app.callbackUrls],
    scopes: [...app.scopes],
    refreshTokenPolicy: typeof policy === 'string' ? policy : { ...policy },
    clientCredentials: { ...app.clientCredentials },
    preAuthorizedUsers: [...app.preAuthorizedUsers],
  };
}

/** True while a new app's settings have not "reached" the servers yet. */
export function isPropagating(app: EmulatorApp, now: number): boolean {
  return now < app.createdAt + app.propagationDelayMs;
}

/**
 * An absolute callback URL: http(s), or a custom scheme written with `://` (mobile apps). Rejects
 * `localhost:1717/cb`, which parses as a URL with the scheme `localhost:`.
 */
export function isCallbackUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol, host } = new URL(value);
  if (protocol === 'http:' || protocol === 'https:') return host !== '';
  return value.startsWith(`${protocol}//`);
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ---------------------------------------------------------------------------------------------------
// Validation: plain checks (no zod in the emulator), each problem as a `path: message` line.

type Check = (value: unknown, path: string, issues: string[]) => void;

const isBool: Check = (v, path, issues) => {
  if (typeof v !== 'boolean') issues.push(`${path}: must be true or false`);
};
const isNonNegative: Check = (v, path, issues) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) issues.push(`${path}: must be a number of milliseconds, 0 or more`);
};
const isPositive: Check = (v, path, issues) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) issues.push(`${path}: must be a number of milliseconds above 0`);
};
const isText: Check = (v, path, issues) => {
  if (typeof v !== 'string' || v.trim() === '') issues.push(`${path}: must be a non-empty string`);
};
const isToken: Check = (v, path, issues) => {
  if (typeof v !== 'string' || !/^\S+$/.test(v)) issues.push(`${path}: must be a non-empty string without spaces`);
};

const FIELDS: Record<keyof AppSettings, Check> = {
  name: isText,
  appType: (v, path, issues) => {
    if (v !== 'external-client-app' && v !== 'connected-app') issues.push(`${path}: must be "external-client-app" or "connected-app"`);
  },
  clientId: isToken,
  clientSecret: isToken,
  callbackUrls: (v, path, issues) => {
    if (!Array.isArray(v) || v.length === 0) return void issues.push(`${path}: must be a non-empty list of URLs`);
    v.forEach((u, i) => {
      if (typeof u !== 'string' || !isCallbackUrl(u)) issues.push(`${path}[${i}]: must be an absolute URL such as ${DEFAULT_CALLBACK_URL}`);
    });
  },
  scopes: (v, path, issues) => {
    if (!Array.isArray(v) || v.length === 0) return void issues.push(`${path}: must be a non-empty list of scope names`);
    v.forEach((s, i) => {
      if (typeof s !== 'string' || !SUPPORTED_SCOPES.includes(s)) issues.push(`${path}[${i}]: unknown scope ${JSON.stringify(s)}`);
    });
  },
  requirePkce: isBool,
  requireSecretWebServer: isBool,
  requireSecretRefresh: isBool,
  introspectAllTokens: isBool,
  refreshTokenPolicy: (v, path, issues) => {
    if (v === 'infinite' || v === 'immediately') return;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const p = v as Record<string, unknown>;
      const extra = Object.keys(p).filter((k) => k !== 'kind' && k !== 'ms');
      if ((p.kind === 'inactivity' || p.kind === 'lifetime') && extra.length === 0) return isPositive(p.ms, `${path}.ms`, issues);
    }
    issues.push(`${path}: must be "infinite", "immediately", or { "kind": "inactivity" | "lifetime", "ms": <milliseconds> }`);
  },
  rotateRefreshTokens: isBool,
  clientCredentials: (v, path, issues) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return void issues.push(`${path}: must be { "enabled": true|false, "runAsUsername"?: "<username>" }`);
    const c = v as Record<string, unknown>;
    isBool(c.enabled, `${path}.enabled`, issues);
    if (c.runAsUsername !== undefined) isToken(c.runAsUsername, `${path}.runAsUsername`, issues);
    for (const k of Object.keys(c)) if (k !== 'enabled' && k !== 'runAsUsername') issues.push(`${path}.${k}: unknown field`);
  },
  propagationDelayMs: isNonNegative,
  installed: isBool,
  sessionTimeoutMs: isPositive,
  certificate: (v, path, issues) => {
    if (typeof v !== 'string' || v.length > MAX_CERTIFICATE_CHARS) return void issues.push(`${path}: must be a PEM certificate of at most ${MAX_CERTIFICATE_CHARS} characters`);
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(v);
    } catch {
      return void issues.push(`${path}: is not a PEM X.509 certificate (-----BEGIN CERTIFICATE-----)`);
    }
    if (cert.publicKey.asymmetricKeyType !== 'rsa') issues.push(`${path}: must hold an RSA public key (the JWT bearer flow signs with RS256)`);
  },
  permittedUsers: (v, path, issues) => {
    if (!PERMITTED_USERS.includes(v as PermittedUsers)) issues.push(`${path}: must be ${PERMITTED_USERS.map((p) => `"${p}"`).join(' or ')}`);
  },
  preAuthorizedUsers: (v, path, issues) => {
    if (!Array.isArray(v) || v.length > MAX_PRE_AUTHORIZED_USERS) return void issues.push(`${path}: must be a list of at most ${MAX_PRE_AUTHORIZED_USERS} usernames`);
    v.forEach((u, i) => isToken(u, `${path}[${i}]`, issues));
  },
};

function checkObject(value: unknown, path: string, issues: string[], immutable: readonly string[] = []): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.push(`${path || 'app'}: must be an object of app settings`);
    return;
  }
  const prefix = path ? `${path}.` : '';
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (immutable.includes(key)) issues.push(`${prefix}${key}: cannot be changed on an existing app`);
    else if (Object.hasOwn(FIELDS, key)) FIELDS[key as keyof AppSettings](v, `${prefix}${key}`, issues);
    else issues.push(`${prefix}${key}: unknown field (known: ${Object.keys(FIELDS).join(', ')})`);
  }
}

/** Validates a list of app inputs (the `--apps` file, or `apps` passed to startEmulator). */
export function validateAppInputs(value: unknown): { apps: AppInput[]; issues: string[] } {
  const issues: string[] = [];
  if (!Array.isArray(value)) return { apps: [], issues: ['the apps must be a JSON array of app settings objects'] };
  value.forEach((app, i) => checkObject(app, `[${i}]`, issues));
  const seen = new Set<string>();
  value.forEach((app: { clientId?: unknown }, i) => {
    if (typeof app?.clientId !== 'string') return;
    if (seen.has(app.clientId)) issues.push(`[${i}].clientId: the same client id is used by an earlier app`);
    seen.add(app.clientId);
  });
  return { apps: issues.length === 0 ? (value as AppInput[]) : [], issues };
}

/** Validates a patch for a running app. */
export function validateAppPatch(value: unknown): { patch: AppPatch; issues: string[] } {
  const issues: string[] = [];
  checkObject(value, '', issues, ['clientId', 'appType']);
  return { patch: issues.length === 0 ? (value as AppPatch) : {}, issues };
}
