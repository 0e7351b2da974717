/**
 * The Salesforce calls sfoauth makes besides the token endpoint (docs/salesforce.md §7, §8, §11): revoke,
 * introspect, userinfo, the identity URL, the REST versions list, authenticated REST GETs and limits.
 * All are safe to repeat, so all are sent as idempotent (retried on network errors and 5xx).
 * Errors: SalesforceError when Salesforce said no (any of its body formats), BadResponseError when
 * the host does not answer like Salesforce.
 */
import { BadResponseError, type SalesforceEndpoint } from '../../errors.js';
import type { HttpClient, HttpResponse } from '../http/request.js';
import { errorFromResponse, expectJson } from './errors-parse.js';
import { parseLimitInfo, type LimitInfo } from './limit-info.js';

function join(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

function bearer(accessToken: string): Record<string, string> {
  return { authorization: `Bearer ${accessToken}` };
}

/** The JSON object of a 2xx response, or the right error. */
function objectBody(res: HttpResponse, endpoint: SalesforceEndpoint, url: string): Record<string, unknown> {
  if (res.status < 200 || res.status >= 300) throw errorFromResponse(res, endpoint, url);
  const body = expectJson(res, endpoint, url);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw errorFromResponse(res, endpoint, url);
  return body as Record<string, unknown>;
}

function str(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(o: Record<string, unknown>, key: string): number | undefined {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function required(o: Record<string, unknown>, keys: readonly string[], what: string, url: string, status: number): void {
  const missing = keys.filter((k) => str(o, k) === undefined);
  if (missing.length > 0) throw new BadResponseError(`The ${what} response from ${new URL(url).host} has no ${missing.join(', ')}.`, { status });
}

/** Sets `target[key]` only when there is a value, so absent fields stay absent (not `key: undefined`). */
function put<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

// ---------------------------------------------------------------------------------------------- revoke

/**
 * Revokes an access or refresh token (revoking a refresh token also ends the access tokens issued
 * from it). 200 → done; a 400 carries an urlencoded `error=…` body → SalesforceError('revoke').
 */
export async function revokeToken(http: HttpClient, p: { baseUrl: string; token: string }): Promise<void> {
  const url = join(p.baseUrl, '/services/oauth2/revoke');
  const res = await http.request({ method: 'POST', url, form: { token: p.token }, idempotent: true });
  if (res.status !== 200) throw errorFromResponse(res, 'revoke', url);
}

// ------------------------------------------------------------------------------------------ introspect

export interface IntrospectionResult {
  active: boolean;
  scope?: string[];
  clientId?: string;
  username?: string;
  /** The identity URL of the token's user. */
  sub?: string;
  /** `access_token` or `refresh_token` (not `Bearer`). */
  tokenType?: string;
  /** Epoch seconds. */
  exp?: number;
  iat?: number;
  nbf?: number;
}

/** RFC 7662 introspection with the app's own credentials in the form. */
export async function introspectToken(
  http: HttpClient,
  p: { baseUrl: string; clientId: string; clientSecret?: string; token: string; hint: 'access_token' | 'refresh_token' },
): Promise<IntrospectionResult> {
  const url = join(p.baseUrl, '/services/oauth2/introspect');
  const res = await http.request({
    method: 'POST',
    url,
    idempotent: true,
    form: { token: p.token, token_type_hint: p.hint, client_id: p.clientId, client_secret: p.clientSecret },
  });
  if (res.status !== 200) throw errorFromResponse(res, 'introspect', url);
  const o = objectBody(res, 'introspect', url);
  if (typeof o.active !== 'boolean') {
    throw new BadResponseError(`The introspection response from ${new URL(url).host} has no "active" field.`, { status: res.status });
  }
  const result: IntrospectionResult = { active: o.active };
  const scope = str(o, 'scope');
  if (scope !== undefined) result.scope = scope.split(/\s+/).filter(Boolean);
  put(result, 'clientId', str(o, 'client_id'));
  put(result, 'username', str(o, 'username'));
  put(result, 'sub', str(o, 'sub'));
  put(result, 'tokenType', str(o, 'token_type'));
  put(result, 'exp', num(o, 'exp'));
  put(result, 'iat', num(o, 'iat'));
  put(result, 'nbf', num(o, 'nbf'));
  return result;
}

// ------------------------------------------------------------------------------------------- userinfo

export interface UserInfo {
  userId: string;
  organizationId: string;
  /** The Salesforce username. */
  preferredUsername: string;
  name?: string;
  email?: string;
  /** The identity URL. */
  sub?: string;
  /** e.g. STANDARD */
  userType?: string;
  active?: boolean;
  /** The whole response, for fields not mapped here. */
  raw: Record<string, unknown>;
}

/** OIDC UserInfo on the org's host. A bad token: 403 `Bad_OAuth_Token` → SalesforceError('userinfo'). */
export async function getUserInfo(http: HttpClient, p: { instanceUrl: string; accessToken: string }): Promise<UserInfo> {
  const url = join(p.instanceUrl, '/services/oauth2/userinfo');
  const res = await http.request({ method: 'GET', url, headers: bearer(p.accessToken), idempotent: true });
  const o = objectBody(res, 'userinfo', url);
  required(o, ['user_id', 'organization_id', 'preferred_username'], 'userinfo', url, res.status);
  const info: UserInfo = {
    userId: o.user_id as string,
    organizationId: o.organization_id as string,
    preferredUsername: o.preferred_username as string,
    raw: o,
  };
  put(info, 'name', str(o, 'name'));
  put(info, 'email', str(o, 'email'));
  put(info, 'sub', str(o, 'sub'));
  put(info, 'userType', str(o, 'user_type'));
  if (typeof o.active === 'boolean') info.active = o.active;
  return info;
}

// ------------------------------------------------------------------------------------------- identity

export interface Identity {
  id: string;
  userId: string;
  organizationId: string;
  username: string;
  displayName?: string;
  email?: string;
  userType?: string;
  active?: boolean;
  /** API URL templates (`{version}` placeholders), by name: rest, sobjects, query, tooling_rest… */
  urls?: Record<string, string>;
  raw: Record<string, unknown>;
}

/** The identity URL (`id` of the token response). A bad token: 403 `Bad_OAuth_Token` → SalesforceError('identity'). */
export async function getIdentity(http: HttpClient, p: { idUrl: string; accessToken: string }): Promise<Identity> {
  const url = p.idUrl;
  const res = await http.request({ method: 'GET', url, headers: bearer(p.accessToken), idempotent: true });
  const o = objectBody(res, 'identity', url);
  required(o, ['user_id', 'organization_id', 'username'], 'identity', url, res.status);
  const identity: Identity = {
    id: str(o, 'id') ?? url,
    userId: o.user_id as string,
    organizationId: o.organization_id as string,
    username: o.username as string,
    raw: o,
  };
  put(identity, 'displayName', str(o, 'display_name'));
  put(identity, 'email', str(o, 'email'));
  put(identity, 'userType', str(o, 'user_type'));
  if (typeof o.active === 'boolean') identity.active = o.active;
  if (o.urls !== null && typeof o.urls === 'object' && !Array.isArray(o.urls)) {
    identity.urls = Object.fromEntries(Object.entries(o.urls).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }
  return identity;
}

// ------------------------------------------------------------------------------------------------ REST

export interface RestVersion {
  /** e.g. "Spring '26" */
  label: string;
  /** e.g. "/services/data/v66.0" */
  url: string;
  /** e.g. "66.0" */
  version: string;
}

/**
 * `GET <instance>/services/data/`, which needs no token. Any Salesforce org host answers it, so a
 * failure here means the host is not an org host.
 */
export async function listRestVersions(http: HttpClient, instanceUrl: string): Promise<RestVersion[]> {
  const url = join(instanceUrl, '/services/data/');
  const res = await http.request({ method: 'GET', url, idempotent: true });
  if (res.status !== 200) throw errorFromResponse(res, 'rest', url);
  const body = expectJson(res, 'rest', url);
  const versions = Array.isArray(body)
    ? body.filter(
        (v): v is RestVersion =>
          v !== null && typeof v === 'object' && typeof v.label === 'string' && typeof v.url === 'string' && typeof v.version === 'string',
      )
    : [];
  if (versions.length === 0) {
    throw new BadResponseError(
      `${new URL(url).host} did not list any REST API versions at /services/data/; it does not look like a Salesforce org host (use the instance_url from the token response).`,
      { status: res.status },
    );
  }
  return versions.map(({ label, url: path, version }) => ({ label, url: path, version }));
}

/** The highest version by number ("66.0" beats "9.0"); undefined for an empty list. */
export function latestVersion(versions: readonly RestVersion[]): RestVersion | undefined {
  let best: RestVersion | undefined;
  for (const v of versions) if (best === undefined || compareVersions(v.version, best.version) > 0) best = v;
  return best;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0 && !Number.isNaN(d)) return d;
  }
  return 0;
}

export interface RestResult {
  status: number;
  /** Parsed JSON; undefined for an empty body (204). */
  body: unknown;
  /** From the Sforce-Limit-Info header. */
  limitInfo?: LimitInfo;
}

/**
 * An authenticated GET on the org's REST API (`path` such as `/services/data/v66.0/limits/`).
 * A REST error array → SalesforceError('rest', errorCode, message): 401 INVALID_SESSION_ID (expired,
 * or "not valid for use with the REST API" when the token lacks the api scope), 403 REQUEST_LIMIT_EXCEEDED.
 */
export async function restGet(http: HttpClient, p: { instanceUrl: string; path: string; accessToken: string }): Promise<RestResult> {
  const url = join(p.instanceUrl, p.path);
  const res = await http.request({ method: 'GET', url, headers: bearer(p.accessToken), idempotent: true });
  if (res.status < 200 || res.status >= 300) throw errorFromResponse(res, 'rest', url);
  const result: RestResult = { status: res.status, body: res.text.trim() === '' ? undefined : expectJson(res, 'rest', url) };
  put(result, 'limitInfo', parseLimitInfo(res.headers.get('sforce-limit-info')));
  return result;
}

export interface Limit {
  max: number;
  remaining: number;
}

/** `GET /services/data/vXX.X/limits/` (needs "View Setup and Configuration"). `version` is "66.0" or "v66.0". */
export async function getLimits(
  http: HttpClient,
  p: { instanceUrl: string; accessToken: string; version: string },
): Promise<{ limits: Record<string, Limit>; limitInfo?: LimitInfo }> {
  const version = p.version.replace(/^v/i, '');
  const { body, limitInfo, status } = await restGet(http, {
    instanceUrl: p.instanceUrl,
    path: `/services/data/v${version}/limits/`,
    accessToken: p.accessToken,
  });
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new BadResponseError(`The limits response from ${new URL(p.instanceUrl).host} is not an object.`, { status });
  }
  const limits: Record<string, Limit> = {};
  for (const [name, value] of Object.entries(body)) {
    if (value === null || typeof value !== 'object') continue;
    const v = value as Record<string, unknown>;
    if (typeof v.Max === 'number' && typeof v.Remaining === 'number') limits[name] = { max: v.Max, remaining: v.Remaining };
  }
  return limitInfo ? { limits, limitInfo } : { limits };
}

// -------------------------------------------------------------------------------------- Organization

/** What the org says about itself (the Organization sObject; docs/interop.md "The Organization record"). */
export interface OrgRecord {
  id?: string;
  name?: string;
  isSandbox: boolean;
  /** OrganizationType: "Developer Edition", "Enterprise Edition", … */
  edition?: string;
  instanceName?: string;
  /** Set on trial and scratch orgs. */
  trialExpirationDate?: string;
}

export const ORG_QUERY = 'SELECT Id, Name, IsSandbox, OrganizationType, InstanceName, TrialExpirationDate FROM Organization';
/** Spring '24: the fields above exist in every version still served, so any recent one will do. */
const ORG_QUERY_VERSION = '60.0';

/**
 * The org's own record through a REST query (needs the `api` scope and read access to Organization).
 * REST errors → SalesforceError('rest'); a body without IsSandbox → BadResponseError.
 */
export async function getOrganization(http: HttpClient, p: { instanceUrl: string; accessToken: string }): Promise<OrgRecord> {
  const path = `/services/data/v${ORG_QUERY_VERSION}/query?q=${encodeURIComponent(ORG_QUERY)}`;
  const { body, status } = await restGet(http, { instanceUrl: p.instanceUrl, path, accessToken: p.accessToken });
  const records = body !== null && typeof body === 'object' && Array.isArray((body as { records?: unknown }).records) ? (body as { records: unknown[] }).records : [];
  const o = records[0];
  if (o === null || typeof o !== 'object' || typeof (o as Record<string, unknown>).IsSandbox !== 'boolean') {
    throw new BadResponseError(`The Organization query on ${new URL(p.instanceUrl).host} returned no record with IsSandbox.`, { status });
  }
  const r = o as Record<string, unknown>;
  // These strings reach the terminal and the summary: no control characters, and no more than a name's length.
  const text = (key: string) => str(r, key)?.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(0, 120) || undefined;
  const org: OrgRecord = { isSandbox: r.IsSandbox as boolean };
  put(org, 'id', text('Id'));
  put(org, 'name', text('Name'));
  put(org, 'edition', text('OrganizationType'));
  put(org, 'instanceName', text('InstanceName'));
  put(org, 'trialExpirationDate', text('TrialExpirationDate'));
  return org;
}
