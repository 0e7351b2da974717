/**
 * The token endpoint (docs/salesforce.md §4): the authorization-code exchange and the refresh grant, each
 * split oauth4webapi-style into a request (build the form, send it once) and processTokenResponse
 * (check the answer and map it to camelCase), so the parsing can be tested without a server.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.5
 */
import { BadResponseError } from '../../errors.js';
import type { HttpClient, HttpResponse } from '../http/request.js';
import { errorFromResponse, expectJson } from '../salesforce/errors-parse.js';
import { assertValidatedCallback, type ValidatedCallback } from './callback.js';

export interface TokenResponse {
  accessToken: string;
  /** Auth code: when refresh_token/offline_access was granted. Refresh: only when Salesforce rotated it. */
  refreshToken?: string;
  /** The org's My Domain URL, without a trailing slash. */
  instanceUrl: string;
  /** The identity URL (`id`), on login.salesforce.com or test.salesforce.com. */
  idUrl: string;
  /** Epoch milliseconds as Salesforce sends them (a string); '' if it sent none. */
  issuedAt: string;
  signature?: string;
  scope: string[];
  tokenType: string;
  idToken?: string;
  apiInstanceUrl?: string;
}

export function tokenEndpoint(loginUrl: string): string {
  return `${loginUrl.replace(/\/+$/, '')}/services/oauth2/token`;
}

/**
 * Exchanges an authorization code. Only a ValidatedCallback is accepted, so the state check cannot
 * be skipped. Never retried: a code is single use, and a retry after a lost response would burn it.
 */
export async function exchangeCode(
  http: HttpClient,
  p: { loginUrl: string; clientId: string; clientSecret?: string; redirectUri: string; callback: ValidatedCallback; codeVerifier: string },
): Promise<TokenResponse> {
  assertValidatedCallback(p.callback);
  const url = tokenEndpoint(p.loginUrl);
  const res = await http.request({
    method: 'POST',
    url,
    idempotent: false,
    form: {
      grant_type: 'authorization_code',
      code: p.callback.code,
      client_id: p.clientId,
      client_secret: p.clientSecret,
      redirect_uri: p.redirectUri,
      code_verifier: p.codeVerifier,
    },
  });
  return processTokenResponse(res, url);
}

/**
 * Uses a refresh token. Not retried either: with refresh token rotation on, Salesforce invalidates
 * the refresh token as soon as it is used, and reusing a rotated-out token revokes the whole token
 * family. If the first response is lost and we retried, we would kill the user's only refresh token.
 * The result carries refreshToken only when Salesforce rotated it (sent back a different one).
 */
export async function refreshAccessToken(
  http: HttpClient,
  p: { loginUrl: string; clientId: string; clientSecret?: string; refreshToken: string; timeoutMs?: number },
): Promise<TokenResponse> {
  const url = tokenEndpoint(p.loginUrl);
  const res = await http.request({
    method: 'POST',
    url,
    idempotent: false,
    // Once sent, only its own bound ends it: the answer may carry the only copy of a rotated token.
    uncancellable: true,
    ...(p.timeoutMs !== undefined ? { timeoutMs: p.timeoutMs } : {}),
    form: { grant_type: 'refresh_token', refresh_token: p.refreshToken, client_id: p.clientId, client_secret: p.clientSecret },
  });
  const token = processTokenResponse(res, url);
  if (token.refreshToken === p.refreshToken) delete token.refreshToken;
  return token;
}

/**
 * Checks a token endpoint response. 200 JSON → TokenResponse; an OAuth error → SalesforceError('token');
 * HTML, a redirect or other non-JSON → BadResponseError saying the host does not look like a Salesforce
 * login host. `endpoint` is the token URL that was requested (the response URL may differ after redirects).
 */
export function processTokenResponse(res: HttpResponse, endpoint: string | URL): TokenResponse {
  if (res.status !== 200) throw errorFromResponse(res, 'token', endpoint);
  const body = expectJson(res, 'token', endpoint);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw errorFromResponse(res, 'token', endpoint);
  const o = body as Record<string, unknown>;
  // A 200 that still carries an OAuth error is an error.
  if (typeof o.error === 'string') throw errorFromResponse(res, 'token', endpoint);

  const missing = (['access_token', 'instance_url', 'id'] as const).filter((k) => typeof o[k] !== 'string' || o[k] === '');
  if (missing.length > 0) {
    throw new BadResponseError(`The token response from ${hostOf(endpoint)} has no ${missing.join(', ')}.`, { status: res.status });
  }
  const instanceUrl = trimSlash(o.instance_url as string);
  const idUrl = o.id as string;
  for (const [field, value] of [['instance_url', instanceUrl], ['id', idUrl]] as const) {
    if (!isHttpUrl(value)) throw new BadResponseError(`The token response from ${hostOf(endpoint)} has an ${field} that is not a URL.`, { status: res.status });
  }

  const token: TokenResponse = {
    accessToken: o.access_token as string,
    instanceUrl,
    idUrl,
    issuedAt: typeof o.issued_at === 'string' ? o.issued_at : typeof o.issued_at === 'number' ? String(o.issued_at) : '',
    scope: typeof o.scope === 'string' ? o.scope.split(/\s+/).filter(Boolean) : [],
    tokenType: typeof o.token_type === 'string' && o.token_type !== '' ? o.token_type : 'Bearer',
  };
  if (typeof o.refresh_token === 'string' && o.refresh_token !== '') token.refreshToken = o.refresh_token;
  if (typeof o.signature === 'string' && o.signature !== '') token.signature = o.signature;
  if (typeof o.id_token === 'string' && o.id_token !== '') token.idToken = o.id_token;
  if (typeof o.api_instance_url === 'string' && o.api_instance_url !== '') token.apiInstanceUrl = trimSlash(o.api_instance_url);
  return token;
}

/** One old Salesforce sample has `instance_url` with a trailing slash; everything else has none. */
function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

function hostOf(url: string | URL): string {
  try {
    return new URL(url).host;
  } catch {
    return String(url);
  }
}
