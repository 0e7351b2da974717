/**
 * Where things live in Salesforce Setup, as one set of named paths, so the error catalog, `steps` and
 * `doctor` send the user to the same screen with the same words. Labels are Salesforce's (from the
 * setup guides and docs/salesforce.md §10.5); `<app>`, `<user>` and `<profile>` are for the
 * reader to fill in. External Client Apps (ECA) split developer "Settings" from admin "Policies";
 * Connected Apps (CA) keep settings in App Manager and policies in Manage Connected Apps.
 */

/** A Setup location per app type; org-wide screens carry the same path for both. */
export interface SetupPaths {
  eca?: string;
  ca?: string;
}

const ECA_APP = 'Setup → Quick Find "External Client App Manager" → <app>';
const ECA_SETTINGS_EDIT = `${ECA_APP} → Settings tab → Edit`;
const ECA_POLICIES_EDIT = `${ECA_APP} → Policies tab → Edit → OAuth Policies`;

const CA_APP_EDIT = 'Setup → Quick Find "App Manager" → ▾ next to <app> → Edit → API (Enable OAuth Settings)';
const CA_POLICIES_EDIT = 'Setup → Quick Find "Manage Connected Apps" → Edit next to <app> → OAuth Policies';

// --- External Client App -------------------------------------------------------------------------

/** Where a new ECA is created (sandbox seed). */
export const ECA_CREATE = 'Setup → Quick Find "App Manager" → New External Client App';
/** The list of ECAs in this org: an ECA must appear here (created locally or installed) to be used. */
export const ECA_MANAGER = 'Setup → Quick Find "External Client App Manager"';
export const ECA_CONSUMER_KEY = `${ECA_APP} → Settings tab → OAuth Settings → Consumer Key and Secret`;
export const ECA_CALLBACK_URL = `${ECA_SETTINGS_EDIT} → OAuth Settings → Callback URL`;
export const ECA_OAUTH_SCOPES = `${ECA_SETTINGS_EDIT} → OAuth Settings → Selected OAuth Scopes`;
/** Offered in the ECA's OAuth Settings on some orgs only (setup-steps.ts says "if the page offers"). */
export const ECA_INTROSPECT_ALL_TOKENS = `${ECA_SETTINGS_EDIT} → OAuth Settings → Introspect All Tokens`;
export const ECA_FLOW_ENABLEMENT = `${ECA_SETTINGS_EDIT} → Flow Enablement → Enable Authorization Code and Credentials Flow`;
/** The three security boxes an ECA ticks by default. */
export const ECA_SECURITY = `${ECA_SETTINGS_EDIT} → Security ("Require secret for Web Server Flow", "Require secret for Refresh Token Flow", "Require Proof Key for Code Exchange (PKCE) extension for Supported Authorization Flows")`;
export const ECA_REFRESH_TOKEN_POLICY = `${ECA_POLICIES_EDIT} → App Authorization → Refresh Token Policy`;
/** Metadata field isRefreshTokenRotationEnabled (docs/interop.md "Security posture"). */
export const ECA_REFRESH_TOKEN_ROTATION = `${ECA_SETTINGS_EDIT} → Security → Enable Refresh Token Rotation`;
export const ECA_PERMITTED_USERS = `${ECA_POLICIES_EDIT} → Permitted Users (and the profiles or permission sets it lists)`;
export const ECA_IP_RELAXATION = `${ECA_POLICIES_EDIT} → IP Relaxation`;
export const ECA_CLIENT_CREDENTIALS = `${ECA_SETTINGS_EDIT} → Flow Enablement → Enable Client Credentials Flow, then ${ECA_POLICIES_EDIT} → Enable Client Credentials Flow → Run As user`;
/** The JWT bearer flow's certificate (label UNCONFIRMED; metadata ExtlClntAppGlobalOauthSettings.certificate, docs/flows.md). */
export const ECA_JWT_CERTIFICATE = `${ECA_SETTINGS_EDIT} → Flow Enablement → Enable JWT Bearer Flow → upload the certificate`;
/** Block / Unblock and per-user tokens of ECAs. */
export const ECA_OAUTH_USAGE = 'Setup → Quick Find "External Client Apps OAuth Usage" → <app>';

// --- Connected App -------------------------------------------------------------------------------

/** Off by default in new orgs since Winter '26; needs Salesforce Support since Spring '26. */
export const CA_ALLOW_CREATION = 'Setup → Apps → External Client App Manager → Settings → Allow creation of connected apps';
/** The app's OAuth settings page (callback URLs, scopes, flows, security boxes). */
export const CA_OAUTH_SETTINGS = CA_APP_EDIT;
export const CA_CONSUMER_KEY = 'Setup → Quick Find "App Manager" → ▾ next to <app> → View → Manage Consumer Details';
export const CA_CALLBACK_URL = `${CA_APP_EDIT} → Callback URL`;
export const CA_OAUTH_SCOPES = `${CA_APP_EDIT} → Selected OAuth Scopes`;
export const CA_SECURITY = `${CA_APP_EDIT} → "Require Secret for Web Server Flow", "Require Secret for Refresh Token Flow", "Require Proof Key for Code Exchange (PKCE) Extension for Supported Authorization Flows"`;
export const CA_INTROSPECT_ALL_TOKENS = `${CA_APP_EDIT} → Introspect All Tokens`;
export const CA_REFRESH_TOKEN_POLICY = `${CA_POLICIES_EDIT} → Refresh Token Policy`;
export const CA_REFRESH_TOKEN_ROTATION = `${CA_APP_EDIT} → Enable Refresh Token Rotation`;
export const CA_PERMITTED_USERS = `${CA_POLICIES_EDIT} → Permitted Users (then Manage Profiles / Manage Permission Sets on the app's page)`;
export const CA_IP_RELAXATION = `${CA_POLICIES_EDIT} → IP Relaxation`;
export const CA_CLIENT_CREDENTIALS = `${CA_APP_EDIT} → Enable Client Credentials Flow, then Setup → Quick Find "Manage Connected Apps" → <app> → Edit Policies → Client Credentials Flow → Run As`;
export const CA_JWT_CERTIFICATE = `${CA_APP_EDIT} → Use digital signatures → upload the certificate`;
/** Block / Unblock / Install of connected apps used in this org. */
export const CA_OAUTH_USAGE = 'Setup → Quick Find "Connected Apps OAuth Usage" → <app>';

// --- Org-wide (the same for both app types) ------------------------------------------------------

export const USERS = 'Setup → Quick Find "Users" → <user> (Active, Freeze / Unfreeze)';
export const LOGIN_HISTORY = 'Setup → Quick Find "Login History"';
export const PROFILE_LOGIN_IP_RANGES = 'Setup → Quick Find "Profiles" → <profile> → Login IP Ranges / Login Hours';
export const NETWORK_ACCESS = 'Setup → Quick Find "Network Access"';
export const MY_DOMAIN = 'Setup → Quick Find "My Domain"';
export const SESSION_SETTINGS = 'Setup → Quick Find "Session Settings" → Timeout Value';
export const COMPANY_INFORMATION = 'Setup → Quick Find "Company Information" → API Requests, Last 24 Hours';
export const OAUTH_OIDC_SETTINGS = 'Setup → Quick Find "OAuth and OpenID Connect Settings"';

// --- Pairs the catalog uses ----------------------------------------------------------------------

/** The same org-wide screen for both app types. */
export function orgWide(...paths: string[]): SetupPaths {
  const path = paths.join('; ');
  return { eca: path, ca: path };
}

export const SETUP_CONSUMER_KEY: SetupPaths = { eca: ECA_CONSUMER_KEY, ca: CA_CONSUMER_KEY };
export const SETUP_CALLBACK_URL: SetupPaths = { eca: ECA_CALLBACK_URL, ca: CA_CALLBACK_URL };
export const SETUP_OAUTH_SCOPES: SetupPaths = { eca: ECA_OAUTH_SCOPES, ca: CA_OAUTH_SCOPES };
export const SETUP_INTROSPECT_ALL_TOKENS: SetupPaths = { eca: ECA_INTROSPECT_ALL_TOKENS, ca: CA_INTROSPECT_ALL_TOKENS };
export const SETUP_SECURITY: SetupPaths = { eca: ECA_SECURITY, ca: CA_SECURITY };
export const SETUP_REFRESH_TOKEN_POLICY: SetupPaths = { eca: ECA_REFRESH_TOKEN_POLICY, ca: CA_REFRESH_TOKEN_POLICY };
export const SETUP_REFRESH_TOKEN_ROTATION: SetupPaths = { eca: ECA_REFRESH_TOKEN_ROTATION, ca: CA_REFRESH_TOKEN_ROTATION };
export const SETUP_PERMITTED_USERS: SetupPaths = { eca: ECA_PERMITTED_USERS, ca: CA_PERMITTED_USERS };
export const SETUP_CLIENT_CREDENTIALS: SetupPaths = { eca: ECA_CLIENT_CREDENTIALS, ca: CA_CLIENT_CREDENTIALS };
export const SETUP_OAUTH_USAGE: SetupPaths = { eca: ECA_OAUTH_USAGE, ca: CA_OAUTH_USAGE };
export const SETUP_JWT_CERTIFICATE: SetupPaths = { eca: ECA_JWT_CERTIFICATE, ca: CA_JWT_CERTIFICATE };
