/**
 * The token endpoint (docs/salesforce.md §4): one request, requestToken(), parameterised by the grant and
 * the client authentication; the authorization-code exchange and the refresh grant are thin callers. Split
 * oauth4webapi-style into the request (build the form, send it once) and processTokenResponse (check the
 * answer and map it to camelCase), so the parsing can be tested without a server.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.5
 */
import { BadResponseError } from '../../errors.js';
import type { HttpClient, HttpResponse } from '../http/request.js';
import { hostOf } from '../http/url.js';
import { errorFromResponse, expectJson } from '../salesforce/errors-parse.js';
import { assertValidatedCallback, type ValidatedCallback } from './callback.js';
import { jwtBearerForm } from './jwt-assertion.js';

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
 * How the client proves who it is at the token endpoint (RFC 6749 §2.3; docs/salesforce.md §4). A new
 * method (e.g. a private_key_jwt-style `client_assertion`, RFC 7523 §2.2) is a new variant here and a
 * case in clientAuthForm(), nothing else.
 */
export type ClientAuth =
  /** The Consumer Key and, when the app has one, the Consumer Secret in the form body. */
  | { method: 'client_secret_post'; clientId: string; clientSecret?: string }
  /** A public client: only the Consumer Key (PKCE, or an app that does not require the secret). */
  | { method: 'none'; clientId: string }
  /** The JWT bearer grant: the assertion names the app (`iss`) and is signed, so no client fields. */
  | { method: 'in_assertion' };

/**
 * The grant: what is being exchanged for an access token. A new grant (client_credentials, the JWT
 * bearer grant of RFC 7523 §2.1) is a new variant here and a case in grantForm().
 */
export type Grant =
  | { type: 'authorization_code'; callback: ValidatedCallback; redirectUri: string; codeVerifier: string }
  | { type: 'refresh_token'; refreshToken: string }
  /** Client credentials (docs/flows.md): only to the org's My Domain; a token for the app's Run As user. */
  | { type: 'client_credentials' }
  /** RFC 7523 §2.1 (docs/flows.md "JWT bearer"): a signed assertion from jwt-assertion.ts. */
  | { type: 'jwt_bearer'; assertion: string };

export interface TokenRequest {
  loginUrl: string;
  client: ClientAuth;
  grant: Grant;
  /** Per request; the client's default otherwise. */
  timeoutMs?: number;
  /** Once sent, not aborted by Ctrl-C or a deadline: the answer may carry the only copy of a rotated token. */
  uncancellable?: boolean;
}

/** client_secret_post when there is a secret, else none: what Salesforce accepts for both app types. */
export function clientAuthFor(p: { clientId: string; clientSecret?: string | undefined }): ClientAuth {
  return p.clientSecret ? { method: 'client_secret_post', clientId: p.clientId, clientSecret: p.clientSecret } : { method: 'none', clientId: p.clientId };
}

function grantForm(grant: Grant): Record<string, string> {
  switch (grant.type) {
    case 'authorization_code':
      assertValidatedCallback(grant.callback);
      return { grant_type: 'authorization_code', code: grant.callback.code, redirect_uri: grant.redirectUri, code_verifier: grant.codeVerifier };
    case 'refresh_token':
      return { grant_type: 'refresh_token', refresh_token: grant.refreshToken };
    case 'client_credentials':
      return { grant_type: 'client_credentials' };
    case 'jwt_bearer':
      return jwtBearerForm(grant.assertion);
  }
}

function clientAuthForm(client: ClientAuth): Record<string, string | undefined> {
  switch (client.method) {
    case 'client_secret_post':
      return { client_id: client.clientId, client_secret: client.clientSecret };
    case 'none':
      return { client_id: client.clientId };
    case 'in_assertion':
      return {};
  }
}

/**
 * The one token-endpoint request: the grant's fields and the client's credentials in one form, sent
 * once (never retried: a code is single use, and a refresh with rotation spends the token it sends),
 * and the answer checked by processTokenResponse().
 */
export async function requestToken(http: HttpClient, req: TokenRequest): Promise<TokenResponse> {
  const url = tokenEndpoint(req.loginUrl);
  const res = await http.request({
    method: 'POST',
    url,
    idempotent: false,
    ...(req.uncancellable ? { uncancellable: true } : {}),
    ...(req.timeoutMs !== undefined ? { timeoutMs: req.timeoutMs } : {}),
    form: { ...grantForm(req.grant), ...clientAuthForm(req.client) },
  });
  return processTokenResponse(res, url);
}

/**
 * Exchanges an authorization code. Only a ValidatedCallback is accepted, so the state check cannot
 * be skipped. Never retried: a code is single use, and a retry after a lost response would burn it.
 */
export async function exchangeCode(
  http: HttpClient,
  p: { loginUrl: string; clientId: string; clientSecret?: string; redirectUri: string; callback: ValidatedCallback; codeVerifier: string },
): Promise<TokenResponse> {
  return requestToken(http, {
    loginUrl: p.loginUrl,
    client: clientAuthFor(p),
    grant: { type: 'authorization_code', callback: p.callback, redirectUri: p.redirectUri, codeVerifier: p.codeVerifier },
  });
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
  const token = await requestToken(http, {
    loginUrl: p.loginUrl,
    client: clientAuthFor(p),
    grant: { type: 'refresh_token', refreshToken: p.refreshToken },
    uncancellable: true,
    ...(p.timeoutMs !== undefined ? { timeoutMs: p.timeoutMs } : {}),
  });
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
