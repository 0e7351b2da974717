/**
 * OAuth scopes: the names Salesforce publishes in `scopes_supported` (docs/salesforce.md §2.1), and the
 * labels the Setup screens show next to them, so the steps can name exactly what to tick.
 */
import { UsageError } from '../../errors.js';
import { editDistance } from '../edit-distance.js';

/** From login.salesforce.com's discovery document; any `cdp_*` (Data Cloud) scope is accepted too. */
export const KNOWN_SCOPES: readonly string[] = Object.freeze([
  'api',
  'refresh_token',
  'offline_access',
  'web',
  'full',
  'id',
  'openid',
  'profile',
  'email',
  'address',
  'phone',
  'visualforce',
  'chatter_api',
  'custom_permissions',
  'wave_api',
  'content',
  'lightning',
  'eclair_api',
  'pardot_api',
  'sfap_api',
  'mcp_api',
  'einstein_gpt_api',
  'chatbot_api',
  'interaction_api',
  'scrt_api',
  'user_registration_api',
  'pwdless_login_api',
  'forgot_password',
  'data_cloud_user_claims',
]);

const CDP_SCOPE = /^cdp_[a-z0-9_]+$/;

/** What sfoauth asks for unless told otherwise: the REST API, and a refresh token for CI. */
export const DEFAULT_SCOPES: readonly string[] = Object.freeze(['api', 'refresh_token']);

const IDENTITY_LABEL = 'Access the identity URL service (id, profile, email, address, phone)';
const REFRESH_LABEL = 'Perform requests on your behalf at any time (refresh_token, offline_access)';

/**
 * The "Selected OAuth Scopes" label of each scope, where a source gives it: api and refresh_token from
 * the public setup guides (docs/salesforce.md §10.5); the others from Salesforce's Mobile SDK page "Scope Parameter
 * Values" and its identity-URL wording. Scopes without a known label are absent (see scopeLabel).
 */
export const SCOPE_LABELS: Readonly<Record<string, string>> = Object.freeze({
  api: 'Access and manage your data (api)',
  refresh_token: REFRESH_LABEL,
  offline_access: REFRESH_LABEL,
  id: IDENTITY_LABEL,
  profile: IDENTITY_LABEL,
  email: IDENTITY_LABEL,
  address: IDENTITY_LABEL,
  phone: IDENTITY_LABEL,
  openid: 'Access unique user identifiers (openid)',
  chatter_api: 'Access Connect REST API resources (chatter_api)',
  wave_api: 'Access Analytics REST API resources (wave_api)',
  eclair_api: 'Access Analytics REST API Charts Geodata resources (eclair_api)',
  pardot_api: 'Manage Pardot services (pardot_api)',
  cdp_query_api: 'Perform ANSI SQL queries on Customer Data Platform data (cdp_query_api)',
  cdp_profile_api: 'Manage Customer Data Platform profile data (cdp_profile_api)',
  cdp_ingest_api: 'Manage Customer Data Platform Ingestion API data (cdp_ingest_api)',
});

/**
 * Newer wording of the same checkbox, from Salesforce's "Scope Parameter Values" page: orgs may show
 * either, so the steps can mention both.
 */
export const SCOPE_LABEL_ALTERNATES: Readonly<Record<string, string>> = Object.freeze({
  api: 'Manage user data via APIs (api)',
});

/** The Setup label of a scope, or the scope name itself when no label is known. */
export function scopeLabel(scope: string): string {
  return Object.hasOwn(SCOPE_LABELS, scope) ? (SCOPE_LABELS[scope] as string) : scope;
}

/** The distinct Setup labels to tick for these scopes, in order (refresh_token + offline_access is one box). */
export function setupLabelsFor(scopes: readonly string[]): string[] {
  return [...new Set(scopes.map(scopeLabel))];
}

export function isKnownScope(scope: string): boolean {
  return KNOWN_SCOPES.includes(scope) || CDP_SCOPE.test(scope);
}

/**
 * `--scopes "api refresh_token"`, `api,refresh_token`, or a repeated flag: split on spaces and commas,
 * lower-cased, de-duplicated in order, and checked against the known names.
 */
export function parseScopes(input: string | readonly string[]): string[] {
  const parts = (typeof input === 'string' ? [input] : input).flatMap((s) => s.split(/[\s,]+/));
  const scopes = [...new Set(parts.filter((s) => s !== '').map((s) => s.toLowerCase()))];
  if (scopes.length === 0) {
    throw new UsageError('No scopes given.', { hint: `Leave out --scopes for the default (${DEFAULT_SCOPES.join(' ')}), or list them: --scopes "api refresh_token".` });
  }
  const unknown = scopes.filter((s) => !isKnownScope(s));
  if (unknown.length > 0) {
    const details = unknown.map((s) => {
      const close = closeMatches(s);
      return close.length > 0 ? `"${s}" (did you mean ${close.join(' or ')}?)` : `"${s}"`;
    });
    throw new UsageError(`Unknown Salesforce scope${unknown.length > 1 ? 's' : ''}: ${details.join(', ')}.`, {
      hint: `Known scopes: ${KNOWN_SCOPES.join(', ')}, and cdp_* (Data Cloud). The default is ${DEFAULT_SCOPES.join(' ')}.`,
    });
  }
  return scopes;
}

/** True when the scopes make Salesforce return a refresh token (`full` alone does not). */
export function hasRefreshScope(scopes: readonly string[]): boolean {
  return scopes.includes('refresh_token') || scopes.includes('offline_access');
}

/** Known scopes within a small edit distance, or that contain / are contained in the input. */
function closeMatches(input: string): string[] {
  const scored = KNOWN_SCOPES.map((known) => ({ known, d: editDistance(input, known) }))
    .filter(({ known, d }) => d <= Math.max(1, Math.floor(known.length / 4)) || (input.length >= 3 && (known.startsWith(input) || input.startsWith(known))))
    .sort((a, b) => a.d - b.d);
  return scored.slice(0, 3).map(({ known }) => known);
}
