/**
 * OAuth scopes as Salesforce groups them on the app: "Perform requests at any time (refresh_token,
 * offline_access)" is one choice, "Access the identity URL service (id, profile, email, address, phone)"
 * another, and `full` covers everything except refresh. A request may name any scope its app allows.
 */

/** `scopes_supported` of login.salesforce.com's discovery document (docs/salesforce.md §2.1). */
export const SUPPORTED_SCOPES: readonly string[] = [
  'api', 'refresh_token', 'offline_access', 'web', 'full', 'id', 'openid', 'profile', 'email', 'address', 'phone',
  'visualforce', 'chatter_api', 'custom_permissions', 'wave_api', 'content', 'lightning', 'eclair_api',
  'pardot_api', 'sfap_api', 'mcp_api', 'einstein_gpt_api', 'cdp_api', 'cdp_profile_api', 'cdp_query_api',
  'cdp_ingest_api', 'cdp_segment_api', 'cdp_identityresolution_api', 'cdp_calculated_insight_api',
  'chatbot_api', 'interaction_api', 'scrt_api', 'user_registration_api', 'pwdless_login_api',
  'forgot_password', 'data_cloud_user_claims',
];

/** What a new app offers unless told otherwise: API, refresh, and the identity/OpenID scopes. */
export const DEFAULT_APP_SCOPES: readonly string[] = [
  'api', 'refresh_token', 'offline_access', 'id', 'profile', 'email', 'address', 'phone', 'openid',
];

const GROUPS: Readonly<Record<string, readonly string[]>> = {
  refresh_token: ['refresh_token', 'offline_access'],
  offline_access: ['refresh_token', 'offline_access'],
  id: ['id', 'profile', 'email', 'address', 'phone'],
  full: SUPPORTED_SCOPES.filter((s) => s !== 'refresh_token' && s !== 'offline_access'),
};

/** Space-separated scope parameter → distinct names in order; undefined when absent or blank. */
export function parseScopeParam(value: string | null | undefined): string[] | undefined {
  if (value == null) return undefined;
  const names = value.split(/\s+/).filter((s) => s !== '');
  return names.length === 0 ? undefined : [...new Set(names)];
}

/** Every scope name a request may ask for, given the scopes selected on the app. */
export function allowedScopes(appScopes: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const s of appScopes) for (const t of GROUPS[s] ?? [s]) out.add(t);
  return out;
}

/** The scopes a request names that its app does not allow (empty when the request is fine). */
export function disallowedScopes(requested: readonly string[], appScopes: readonly string[]): string[] {
  const allowed = allowedScopes(appScopes);
  return requested.filter((s) => !allowed.has(s));
}

/** A refresh token is issued only when the grant includes `refresh_token` or `offline_access`. */
export function grantsRefreshToken(scopes: readonly string[]): boolean {
  return scopes.includes('refresh_token') || scopes.includes('offline_access');
}

/** Client credentials tokens never carry `full`, `web` or the refresh scopes (simple-salesforce PR #662). */
export function clientCredentialsScopes(appScopes: readonly string[]): string[] {
  return appScopes.filter((s) => !['full', 'web', 'refresh_token', 'offline_access'].includes(s));
}

/** The REST API needs `api` (or `full`, which includes it). */
export function allowsRestApi(scopes: readonly string[]): boolean {
  return scopes.includes('api') || scopes.includes('full');
}
