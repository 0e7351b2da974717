/**
 * The one catalog of Salesforce OAuth / REST errors: what each means, why it usually happens, how to fix
 * it, and which Setup screen to visit. Everything that shows a Salesforce error (init, test, doctor,
 * explain, main.ts) explains it from here. Codes and descriptions are Salesforce's exact strings
 * (docs/salesforce.md §3.3, §5, §8, §10, §11); the sentences are ours. Where the cause is a guess, the text
 * says "usually" or "probably".
 */
import type { SalesforceEndpoint } from '../../errors.js';
import type { AppType } from '../config/profile.js';
import * as S from './setup-screens.js';
import type { SetupPaths } from './setup-screens.js';
import { editDistance } from '../edit-distance.js';

/** Where Salesforce shows the error. `authorize-page` = rendered on Salesforce's own page, no redirect. */
export type CatalogWhere =
  | 'authorize-page'
  | 'authorize-redirect'
  | 'token'
  | 'revoke'
  | 'introspect'
  | 'userinfo'
  | 'identity'
  | 'rest';

export interface CatalogEntry {
  /** Salesforce's code, in Salesforce's case (`invalid_grant`, `OAUTH_APP_BLOCKED`, `INVALID_SESSION_ID`). */
  readonly code: string;
  /** Exact `error_description` / REST `message` texts for this meaning; empty = the code's general entry. */
  readonly descriptions: readonly string[];
  readonly where: readonly CatalogWhere[];
  readonly status?: number;
  readonly title: string;
  readonly cause: string;
  readonly fix: string;
  readonly setup?: SetupPaths;
}

/** What callers show: one entry resolved for one error (SalesforceError, callback, or pasted text). */
export interface Explanation {
  code: string;
  description?: string;
  title: string;
  cause: string;
  fix: string;
  setup?: string;
  known: boolean;
}

export interface ExplainInput {
  error: string;
  description?: string;
  endpoint?: SalesforceEndpoint;
  status?: number;
  appType?: AppType;
}

/** Several Setup screens for one fix, per app type. */
function both(...parts: SetupPaths[]): SetupPaths {
  const join = (key: keyof SetupPaths) => {
    const list = [...new Set(parts.map((p) => p[key]).filter((p): p is string => p !== undefined))];
    return list.length > 0 ? list.join('; ') : undefined;
  };
  const out: SetupPaths = {};
  const eca = join('eca');
  const ca = join('ca');
  if (eca !== undefined) out.eca = eca;
  if (ca !== undefined) out.ca = ca;
  return out;
}

/**
 * Slots in a fix for what depends on where the credentials came from; explain-failure.ts fills them for
 * a saved profile (its real name), for SFOAUTH_* variables (which variable to update), or, when nobody
 * knows (`sfoauth explain`), with a `<name>` placeholder. `{Reauth}` is `{reauth}` starting a sentence;
 * `{reauth:FLAGS}` adds flags to the init command.
 *   {reauth}       get a new refresh token
 *   {resecret}     put a re-copied Consumer Secret where sfoauth reads it
 *   {rekey}        put a re-copied Consumer Key where sfoauth reads it
 *   {loginUrl}     where the login host is set (--login-url, SFOAUTH_LOGIN_URL)
 *   {callbackUrl}  the callback URL that was sent as redirect_uri, when known
 */
const REAUTH = '{reauth}';
const reauthWith = (flags: string) => `{reauth:${flags}}`;
const SCOPE_API = '"Access and manage your data (api)"';
const SCOPE_REFRESH = '"Perform requests on your behalf at any time (refresh_token, offline_access)"';
const VALID_UNTIL_REVOKED = '"Refresh token is valid until revoked"';

export const CATALOG: readonly CatalogEntry[] = [
  // ---- /authorize, rendered on Salesforce's page (and the same codes from /token) ----
  {
    code: 'invalid_client_id',
    descriptions: ['client identifier invalid'],
    where: ['authorize-page', 'token'],
    status: 400,
    title: 'Salesforce does not recognise the Consumer Key (client_id)',
    cause:
      'Most often the app is new or was just changed: Salesforce can take up to 10 minutes to propagate it and answers ' +
      '"client identifier invalid" until then. Otherwise the key is wrong for this login host: cut short or padded with ' +
      'spaces when copied, taken from another app or org, or sent to the login host of the other environment (an app ' +
      'created in a sandbox fails on login.salesforce.com; a production or Developer Edition app fails on test.salesforce.com), ' +
      'or the app was deleted. A developer user password containing special characters has also caused it (Salesforce ' +
      'developer forums, as cited by the sandbox setup guide).',
    fix:
      'If the app was created or changed less than 10 minutes ago, wait, then retry; `sfoauth init --wait 10` keeps retrying ' +
      'while it propagates. Otherwise copy the Consumer Key again, whole, from the app in the org you log in to ({rekey}), and use ' +
      'that org\'s login host: test.salesforce.com for a sandbox, login.salesforce.com for production and Developer Edition, ' +
      'or the org\'s My Domain ({loginUrl}). If it still fails, give the developer user a password without special characters.',
    setup: S.SETUP_CONSUMER_KEY,
  },
  {
    code: 'redirect_uri_mismatch',
    descriptions: ['redirect_uri must match configuration'],
    where: ['authorize-page'],
    status: 400,
    title: 'The callback URL is not registered on the app',
    cause:
      'The redirect_uri sent to /authorize is not one of the app\'s Callback URLs. Salesforce compares them character for ' +
      'character: http vs https, localhost vs 127.0.0.1, the port, the path and a trailing slash all count. A Callback URL ' +
      'saved in the last 10 minutes may not have propagated yet.',
    // One fix: register the URL that was sent. (Sending another, already registered URL instead would
    // be a second, contradicting fix; the user picks the URL when registering.)
    fix:
      'Add {callbackUrl} to the app\'s Callback URL list exactly as written (one URL per line), save, wait up to 10 ' +
      'minutes for Salesforce to propagate it, and retry.',
    setup: S.SETUP_CALLBACK_URL,
  },
  {
    code: 'redirect_uri_mismatch',
    descriptions: ['redirect_uri must match configuration'],
    where: ['token'],
    status: 400,
    title: 'The code exchange used a different redirect_uri',
    cause:
      'At the token endpoint, redirect_uri must be the very string sent to /authorize, and still registered on the app. ' +
      'Either the client changed it between the two steps, or the app\'s Callback URLs were edited in between.',
    fix:
      'Send the same redirect_uri in both steps. If the Callback URLs were just changed, wait up to 10 minutes and ' +
      `${REAUTH}.`,
    setup: S.SETUP_CALLBACK_URL,
  },
  {
    code: 'redirect_uri_missing',
    descriptions: ['redirect_uri not provided'],
    where: ['authorize-page'],
    status: 400,
    title: 'The authorize request had no redirect_uri',
    cause: 'The /authorize URL was sent without a redirect_uri parameter (an old Salesforce error; sfoauth always sends one).',
    fix: 'Send redirect_uri, URL-encoded, matching one of the app\'s Callback URLs.',
    setup: S.SETUP_CALLBACK_URL,
  },
  {
    code: 'OAUTH_APPROVAL_ERROR_GENERIC',
    descriptions: ['An unexpected error has occurred during authentication. Please try again.'],
    where: ['authorize-page'],
    title: 'Salesforce stopped on its generic authentication error page',
    cause:
      'Salesforce does not say why. Reported cases: an app that requires PKCE receiving a request without code_challenge, ' +
      'a custom-scheme callback URL without PKCE, and (probably) app settings that had not finished propagating.',
    fix:
      'Retry once (sfoauth always sends PKCE). If it repeats, check the app\'s flow and security settings, wait 10 minutes ' +
      'after any change, and read the user\'s Login History for the failed attempt.',
    setup: both({ eca: S.ECA_FLOW_ENABLEMENT }, S.SETUP_SECURITY, S.orgWide(S.LOGIN_HISTORY)),
  },
  {
    code: 'OAUTH_AUTHORIZATION_BLOCKED',
    descriptions: [],
    where: ['authorize-page', 'authorize-redirect'],
    title: 'Salesforce blocked this authorization',
    cause:
      'Not documented. It has been seen together with OAUTH_APP_ACCESS_DENIED, so it is probably an admin policy on the ' +
      'app (blocked, or admin-approved users only) or on the user.',
    fix: 'Ask an admin to check that the app is not blocked and that the user is allowed to use it.',
    setup: both(S.SETUP_OAUTH_USAGE, S.SETUP_PERMITTED_USERS),
  },

  // ---- /authorize, redirected to the callback with ?error= ----
  {
    code: 'access_denied',
    descriptions: ['end-user denied authorization'],
    where: ['authorize-redirect'],
    title: 'The user clicked Deny',
    cause: 'On Salesforce\'s approval page the user chose Deny instead of Allow.',
    fix:
      'Run the flow again and click Allow. To approve as a different user, log out of Salesforce in that browser first ' +
      '(or use a private window).',
  },
  {
    code: 'invalid_request',
    descriptions: ['missing required code challenge'],
    where: ['authorize-redirect'],
    title: 'The app requires PKCE and no code_challenge was sent',
    cause:
      'The app requires PKCE ("Require Proof Key for Code Exchange (PKCE) extension for Supported Authorization Flows", ' +
      'on by default for External Client Apps) and the /authorize URL had no code_challenge.',
    fix:
      'Send an S256 code_challenge and its code_verifier (sfoauth always does; another client must add PKCE). Only if that ' +
      'client cannot do PKCE, untick the PKCE requirement on the app.',
    setup: S.SETUP_SECURITY,
  },
  {
    code: 'invalid_request',
    descriptions: ['HTTPS required', 'must use HTTP POST', 'must use HTTP GET', 'out-of-band not supported'],
    where: ['authorize-page', 'authorize-redirect', 'token'],
    status: 400,
    title: 'The request was sent the wrong way',
    cause:
      'Salesforce refused how the request travelled: plain http ("HTTPS required"), a token request that was not a form ' +
      'POST ("must use HTTP POST"; an http:// login URL redirects to https and turns the POST into a GET), a user-agent ' +
      'authorize request that was not a GET ("must use HTTP GET"), or an out-of-band redirect_uri.',
    fix: 'Use https://, POST application/x-www-form-urlencoded to /services/oauth2/token, and a real callback URL.',
  },
  {
    code: 'invalid_request',
    descriptions: [],
    where: ['authorize-redirect', 'token'],
    status: 400,
    title: 'Salesforce found the request malformed',
    cause: 'A required parameter is missing or malformed; the error_description names it.',
    fix: 'Read the description; run `sfoauth doctor` to check the profile and app settings.',
  },
  {
    code: 'invalid_scope',
    descriptions: ['requested scope is invalid, unknown, or malformed'],
    where: ['authorize-redirect'],
    title: 'A requested scope is not on the app',
    cause: 'The scope parameter asked for a scope the app does not have in Selected OAuth Scopes, or a misspelled one.',
    fix:
      `Request only scopes the app has (sfoauth's default is \`api refresh_token\`), or add them to Selected OAuth Scopes: ` +
      `${SCOPE_API} and ${SCOPE_REFRESH}. Wait up to 10 minutes after saving.`,
    setup: S.SETUP_OAUTH_SCOPES,
  },
  {
    code: 'OAUTH_APP_BLOCKED',
    descriptions: ['this app is blocked by admin'],
    where: ['authorize-redirect'],
    title: 'An admin blocked this app in the org',
    cause:
      'The app is blocked in the org the user logged in to, or API Access Control is on and the app is not installed ' +
      'and allowed there.',
    fix: 'Ask an admin of that org to unblock the app (OAuth Usage page → Unblock), and with API Access Control on, to install it and allow it for the user\'s profile or permission set.',
    setup: S.SETUP_OAUTH_USAGE,
  },
  {
    code: 'OAUTH_APP_ACCESS_DENIED',
    descriptions: ['user is not admin approved to access this app'],
    where: ['authorize-redirect'],
    title: 'The user is not allowed to use this app',
    cause:
      'Permitted Users is "Admin approved users are pre-authorized" and the user\'s profile or permission set is not ' +
      'assigned to the app.',
    fix: 'Assign the user\'s profile or a permission set to the app, or set Permitted Users to "All users may self-authorize".',
    setup: S.SETUP_PERMITTED_USERS,
  },
  {
    code: 'OAUTH_EC_APP_NOT_FOUND',
    descriptions: ['External client app is not installed in this org'],
    where: ['authorize-redirect'],
    title: 'The External Client App is not installed in the org the user logged in to',
    cause:
      'The Consumer Key belongs to an External Client App that this org does not have: a Local app used by a user of ' +
      'another org, a Packaged app whose package is not installed here, or a generic login host (login/test.salesforce.com) ' +
      'that took the user to a different org than the one that owns the app.',
    fix:
      'Log in as a user of the org that created the Local app (give its My Domain as the login URL, {loginUrl}, to be sure), or ' +
      'install the app\'s package in the user\'s org. The app must be listed in External Client App Manager there.',
    setup: { eca: S.ECA_MANAGER },
  },
  {
    code: 'immediate_unsuccessful',
    descriptions: ['immediate unsuccessful'],
    where: ['authorize-redirect'],
    title: 'Silent authorization was not possible',
    cause: 'The request had immediate=true, but the user had no Salesforce session or had not approved the app yet.',
    fix: 'Drop immediate=true (sfoauth never sends it) so the user can log in and approve.',
  },
  {
    code: 'unsupported_response_type',
    descriptions: ['response type not supported'],
    where: ['authorize-redirect', 'authorize-page'],
    title: 'The response_type is not supported',
    cause: 'The /authorize URL had a response_type Salesforce does not accept for this app.',
    fix: 'Use response_type=code for the web server flow (sfoauth does).',
  },

  // ---- /token ----
  {
    code: 'invalid_client',
    descriptions: ['invalid client credentials'],
    where: ['token', 'introspect'],
    status: 400,
    title: 'The Consumer Secret is wrong or missing',
    cause:
      'The client secret does not match the Consumer Key: mistyped, copied from another app, or rotated since; or the app ' +
      'requires a secret ("Require secret for Web Server Flow" / "Require secret for Refresh Token Flow") and none was sent. ' +
      'At /introspect it probably means the same (unconfirmed).',
    fix:
      'Copy the Consumer Secret again and {resecret}. A public client without a ' +
      'secret needs both "Require secret…" boxes unticked.',
    setup: both(S.SETUP_CONSUMER_KEY, S.SETUP_SECURITY),
  },
  {
    code: 'unsupported_grant_type',
    descriptions: ['grant type not supported'],
    where: ['token'],
    status: 400,
    title: 'The token endpoint did not accept the grant',
    cause:
      'Usually the request did not arrive as a form POST: a login URL with http:// (the redirect to https turns the POST ' +
      'into a GET) or a body that is not application/x-www-form-urlencoded. Also a misspelled grant_type, or the wrong ' +
      'host type (a scratch org on login.salesforce.com).',
    fix: 'Use an https login URL of the right environment, POST form-encoded, and check grant_type.',
  },
  {
    code: 'invalid_grant',
    descriptions: ['expired authorization code'],
    where: ['token'],
    status: 400,
    title: 'The authorization code expired or was already used',
    cause:
      'An authorization code is valid for 15 minutes and works once; a second exchange of the same code (a retry) gets ' +
      'this. A JWT bearer assertion past its exp gets the same text.',
    fix: `Run the flow again (${REAUTH}) and exchange the new code at once, exactly once. For JWT bearer, set exp a few minutes ahead and check the clock.`,
  },
  {
    code: 'invalid_grant',
    descriptions: ['invalid authorization code'],
    where: ['token'],
    status: 400,
    title: 'The authorization code is not valid',
    cause:
      'The code is unknown or damaged: usually not URL-decoded (codes often end in %3D%3D, which must become ==), cut ' +
      'short when pasted, or issued to another app or org.',
    fix: 'Paste the whole redirected URL rather than the code, or restart the flow.',
  },
  {
    code: 'invalid_grant',
    descriptions: ['invalid code verifier'],
    where: ['token'],
    status: 400,
    title: 'The PKCE code_verifier does not match the code_challenge',
    cause:
      'The code_verifier does not hash (SHA-256, base64url) to the code_challenge sent at /authorize: a verifier from ' +
      'another attempt, or a challenge computed the wrong way.',
    fix: `Exchange each code with the verifier of the same attempt; ${REAUTH}.`,
  },
  {
    code: 'invalid_grant',
    descriptions: ['unexpected code verifier'],
    where: ['token'],
    status: 400,
    title: 'A code_verifier was sent without a code_challenge',
    cause: 'The token request carried a code_verifier, but the /authorize request had no code_challenge (this text\'s error code is unconfirmed).',
    fix: 'Send both the challenge and the verifier, or neither. sfoauth sends both, so another client is mixing two attempts.',
  },
  {
    code: 'invalid_grant',
    descriptions: ['expired access/refresh token'],
    where: ['token'],
    status: 400,
    title: 'The refresh token no longer works',
    cause:
      'Salesforce no longer accepts this refresh token. Likely causes: it was revoked (by an admin, the user, ' +
      '`sfoauth logout --revoke`, or a deactivated user); the app\'s Refresh Token Policy is not ' +
      `${VALID_UNTIL_REVOKED} (expire after N units, expire if unused for N units, or "Immediately expire refresh token"); ` +
      'the user approved the same app more than 5 times, so Salesforce revoked the oldest (each new `sfoauth init` counts); ' +
      'refresh token rotation is on and an old, rotated-out token was reused, which also revokes the current one; or the ' +
      `app lacks the ${SCOPE_REFRESH} scope.`,
    fix:
      '{Reauth}. To keep it working, set the Refresh Token ' +
      `Policy to ${VALID_UNTIL_REVOKED}, keep the refresh_token scope, avoid re-authorizing the same user more than 5 times, ` +
      'and with rotation always store the newest token (sfoauth does).',
    setup: S.SETUP_REFRESH_TOKEN_POLICY,
  },
  {
    code: 'invalid_grant',
    descriptions: ['authentication failure'],
    where: ['token'],
    status: 400,
    title: 'Salesforce could not authenticate the user behind this grant',
    cause:
      'Usually the user was deactivated or frozen, the user\'s password was reset (reported, unconfirmed), the flow is ' +
      'blocked by org policy, or (JWT bearer) the certificate and username do not belong together.',
    fix: `Check the user is active and not frozen, and read Login History for the failed attempt; then ${REAUTH}.`,
    setup: S.orgWide(S.USERS, S.LOGIN_HISTORY),
  },
  {
    code: 'invalid_grant',
    descriptions: ['ip restricted', 'IP restricted or invalid login hours'],
    where: ['token'],
    status: 400,
    title: 'The request came from a disallowed IP address or time',
    cause:
      'The caller\'s IP address is outside the user\'s profile Login IP Ranges (or the time is outside Login Hours), and ' +
      'the app\'s IP Relaxation policy enforces them.',
    fix:
      'Run from an allowed network, add the machine\'s (or CI runner\'s) IP address to the profile\'s Login IP Ranges or the ' +
      'org\'s Network Access, or set the app\'s IP Relaxation to "Relax IP restrictions".',
    setup: both({ eca: S.ECA_IP_RELAXATION, ca: S.CA_IP_RELAXATION }, S.orgWide(S.PROFILE_LOGIN_IP_RANGES, S.NETWORK_ACCESS)),
  },
  {
    code: 'invalid_grant',
    descriptions: ['request not supported on this domain'],
    where: ['token'],
    status: 400,
    title: 'This grant needs the org\'s My Domain host',
    cause: 'The client credentials grant was sent to login.salesforce.com or test.salesforce.com; it only works on the org\'s My Domain.',
    fix: 'Use the My Domain URL as the login URL ({loginUrl}), e.g. `https://<MyDomain>.my.salesforce.com` (sandbox: `https://<MyDomain>--<sandbox>.sandbox.my.salesforce.com`).',
    setup: S.orgWide(S.MY_DOMAIN),
  },
  {
    code: 'invalid_grant',
    descriptions: ['no client credentials user enabled'],
    where: ['token'],
    status: 400,
    title: 'The client credentials flow has no Run As user',
    cause: 'The app allows the client credentials flow but no execution (Run As) user is set, so Salesforce has nobody to issue the token for.',
    fix: 'Pick a Run As user in the app\'s policies (Salesforce recommends an integration user with "API Only User").',
    setup: S.SETUP_CLIENT_CREDENTIALS,
  },
  {
    code: 'invalid_grant',
    descriptions: ["user hasn't approved this consumer"],
    where: ['token'],
    status: 400,
    title: 'The user has not approved this app',
    cause:
      'A JWT bearer (or token exchange) request for a user who never approved the app with a refresh_token scope, and whose ' +
      'profile or permission set is not pre-authorized; or a sub that is not a username of this org (a sandbox username ' +
      'without its .<sandbox> suffix, an email instead of the username).',
    fix: 'Set Permitted Users to "Admin approved users are pre-authorized" and assign the user\'s profile or a permission set, or have the user approve the app once through the web flow.',
    setup: S.SETUP_PERMITTED_USERS,
  },
  {
    code: 'invalid_grant',
    descriptions: ['audience is invalid', 'Audience validation failed'],
    where: ['token'],
    status: 400,
    title: 'The JWT audience is wrong',
    cause: 'The JWT bearer assertion\'s aud claim is not a host Salesforce accepts for this org (often a sandbox asked with https://login.salesforce.com, or the other way round).',
    fix:
      'Set aud to https://login.salesforce.com (production, Developer Edition), https://test.salesforce.com (sandbox, scratch ' +
      'org) or the Experience Cloud site URL; the token request itself may go to the My Domain.',
    setup: S.orgWide(S.MY_DOMAIN),
  },
  {
    code: 'invalid_grant',
    descriptions: ['invalid assertion'],
    where: ['token'],
    status: 400,
    title: 'Salesforce could not read or verify the JWT assertion',
    cause:
      'The assertion is not a JWT signed with RS256 carrying iss, sub, aud and exp (a private key or certificate pasted as ' +
      'the assertion gets this), or probably its signature does not verify with the certificate uploaded to the app ' +
      '(another key pair, or a certificate replaced since).',
    fix:
      'Sign header.claims with the private key whose certificate is on the app (RS256, base64url without padding); if the ' +
      'key changed, upload its certificate again and wait a few minutes for the change to reach the servers.',
    setup: S.SETUP_JWT_CERTIFICATE,
  },
  {
    code: 'invalid_grant',
    descriptions: ['invalid user credentials'],
    where: ['token'],
    status: 400,
    title: 'Wrong username or password',
    cause: 'An old message of the username-password flow: the username, password or security token is wrong. sfoauth does not use that flow.',
    fix: 'Use the web server flow (`sfoauth init`), or check the credentials the other client sends.',
  },
  {
    code: 'invalid_grant',
    descriptions: [],
    where: ['token'],
    status: 400,
    title: 'Salesforce refused the grant',
    cause:
      'The code, refresh token or assertion was refused; the description says why. A code_challenge sent at /authorize ' +
      'without a code_verifier at the exchange also ends here.',
    fix: `Run \`sfoauth doctor\`; if the refresh token is the problem, ${REAUTH}.`,
  },
  {
    code: 'inactive_user',
    descriptions: ['user is inactive'],
    where: ['token', 'authorize-redirect'],
    status: 400,
    title: 'The user is inactive',
    cause: 'The Salesforce user was deactivated (an old error code; current orgs may answer invalid_grant instead).',
    fix: `Reactivate the user or use another one, then ${REAUTH}.`,
    setup: S.orgWide(S.USERS),
  },
  {
    code: 'inactive_org',
    descriptions: ['organization is locked, closed, or suspended'],
    where: ['token', 'authorize-redirect'],
    status: 400,
    title: 'The org is locked, closed or suspended',
    cause: 'The org cannot be used: often an expired trial or Developer Edition, or an org locked by Salesforce.',
    fix: 'Log in to the org in a browser to see its state; contact its admin or Salesforce, or use another org.',
    setup: S.orgWide(S.COMPANY_INFORMATION),
  },
  {
    code: 'rate_limit_exceeded',
    descriptions: ['number of logins exceeded'],
    where: ['token', 'authorize-redirect'],
    status: 400,
    title: 'Too many logins for this user',
    cause: 'The user hit Salesforce\'s per-user login rate limit, usually from a loop that logs in or refreshes again and again.',
    fix: 'Wait before retrying, and reuse access tokens instead of refreshing on every call.',
  },
  {
    code: 'invalid_app_access',
    descriptions: ['user is not admin approved to access this app'],
    where: ['token'],
    status: 400,
    title: 'The user is not allowed to use this app',
    cause: 'A JWT bearer or client credentials request for a user that the app\'s "Admin approved users are pre-authorized" policy does not include.',
    fix: 'Assign the user\'s profile or a permission set to the app.',
    setup: S.SETUP_PERMITTED_USERS,
  },
  {
    code: 'authorization_pending',
    descriptions: [],
    where: ['token'],
    status: 400,
    title: 'Device flow: the user has not approved yet',
    cause: 'The device code is valid but the user has not finished logging in and approving on the verification page.',
    fix: 'Keep polling at the given interval until the user approves.',
  },
  {
    code: 'slow_down',
    descriptions: [],
    where: ['token'],
    status: 400,
    title: 'Device flow: polling too fast',
    cause: 'The client polled the token endpoint faster than allowed (exactly when Salesforce sends this is unconfirmed).',
    fix: 'Add a few seconds to the polling interval and keep polling.',
  },

  // ---- /revoke ----
  {
    code: 'unsupported_token_type',
    descriptions: ['this token type is not supported'],
    where: ['revoke'],
    status: 400,
    title: 'This token cannot be revoked through OAuth',
    cause: 'The value is not an OAuth-issued token (for example a SOAP login session id) or is unknown.',
    fix: 'Revoke an access or refresh token issued by this app; end other sessions from Setup.',
  },
  {
    code: 'invalid_token',
    descriptions: [],
    where: ['revoke'],
    status: 400,
    title: 'The token to revoke is not valid',
    cause: 'The token is unknown, already revoked or expired, or belongs to another org or host.',
    fix: 'Nothing to do if the goal was to end it: it no longer works. `sfoauth logout` removes the profile either way.',
  },

  // ---- REST API (JSON array bodies) ----
  {
    code: 'INVALID_SESSION_ID',
    descriptions: ['Session expired or invalid'],
    where: ['rest'],
    status: 401,
    title: 'The access token expired or was revoked',
    cause:
      'The access token is past the session timeout (2 hours by default), was revoked, or is used on another org\'s host ' +
      '(a wrong instance_url).',
    fix:
      'Get a fresh access token with the refresh token (`sfoauth token` does), and call the instance_url saved with the ' +
      'profile. If the refresh fails too, see invalid_grant.',
    setup: S.orgWide(S.SESSION_SETTINGS),
  },
  {
    code: 'INVALID_SESSION_ID',
    descriptions: ['This session is not valid for use with the REST API'],
    where: ['rest'],
    status: 401,
    title: 'The token has no `api` scope',
    cause:
      `Almost always the token was granted without the ${SCOPE_API} scope. Less often it is an Experience Cloud or ` +
      'Lightning session, API Access Control blocks the app, or the profile requires a higher session level. Refreshing ' +
      'does not help: the new token has the same scopes.',
    fix: `Add ${SCOPE_API} to the app's Selected OAuth Scopes, wait up to 10 minutes, and ${reauthWith('--scopes "api refresh_token"')}.`,
    setup: S.SETUP_OAUTH_SCOPES,
  },
  {
    code: 'INVALID_SESSION_ID',
    descriptions: ['This session is not valid for use with the specified REST API endpoint'],
    where: ['rest'],
    status: 401,
    title: 'The token lacks a scope this endpoint needs',
    cause: 'The endpoint needs a scope the token was not granted; the message lists the scopes that would do.',
    fix: `Add one of the listed scopes to the app's Selected OAuth Scopes and to \`--scopes\`, then ${REAUTH}.`,
    setup: S.SETUP_OAUTH_SCOPES,
  },
  {
    code: 'INVALID_AUTH_HEADER',
    descriptions: ['INVALID_HEADER_TYPE'],
    where: ['rest'],
    status: 401,
    title: 'The Authorization header is malformed',
    cause: 'The REST call\'s Authorization header is not "Bearer <access token>" (missing, wrong scheme, or extra characters).',
    fix: 'Send `Authorization: Bearer <access token>` exactly.',
  },
  {
    code: 'REQUEST_LIMIT_EXCEEDED',
    descriptions: ['TotalRequests Limit exceeded.'],
    where: ['rest'],
    status: 403,
    title: 'The org used up its daily API requests',
    cause: 'The org reached its rolling 24-hour API request limit; every API call fails until usage drops.',
    fix: 'Wait, find the client making the calls, and watch the Sforce-Limit-Info header (`sfoauth test` reports it).',
    setup: S.orgWide(S.COMPANY_INFORMATION),
  },

  // ---- identity URL / userinfo ----
  {
    code: 'Bad_OAuth_Token',
    descriptions: [],
    where: ['identity', 'userinfo'],
    status: 403,
    title: 'The identity URL refused the access token',
    cause: 'The access token is expired, revoked or from another org (userinfo probably answers the same way; unconfirmed).',
    fix: `Refresh the access token (\`sfoauth token\`); if that fails, ${REAUTH}.`,
  },

  // ---- other codes Salesforce defines (Mobile SDK enum); descriptions unknown, causes hedged ----
  {
    code: 'app_blocked',
    descriptions: [],
    where: ['authorize-redirect', 'token'],
    title: 'The app is blocked',
    cause: 'Probably the same as OAUTH_APP_BLOCKED: an admin blocked the app in this org.',
    fix: 'Ask an admin to unblock the app.',
    setup: S.SETUP_OAUTH_USAGE,
  },
  {
    code: 'fail_close_app_blocked',
    descriptions: [],
    where: ['authorize-redirect', 'token'],
    title: 'The app is blocked by a fail-closed policy',
    cause: 'Not documented; the name suggests an org policy (such as API Access Control) that blocks apps not explicitly allowed.',
    fix: 'Ask an admin to install and allow the app for the user.',
    setup: S.SETUP_OAUTH_USAGE,
  },
  {
    code: 'app_not_found',
    descriptions: [],
    where: ['authorize-redirect', 'token'],
    title: 'Salesforce found no app for this client_id',
    cause: 'Probably the Consumer Key matches no app available in this org (see invalid_client_id and OAUTH_EC_APP_NOT_FOUND).',
    fix: 'Check the Consumer Key and the login host; wait 10 minutes after creating the app.',
    setup: S.SETUP_CONSUMER_KEY,
  },
  {
    code: 'ecapp_policy_not_found',
    descriptions: [],
    where: ['authorize-redirect', 'token'],
    title: 'The External Client App has no policies in this org',
    cause: 'Probably the app is not installed here or its OAuth policies were never created (an app deployed without its policies file).',
    fix: 'Open the app in External Client App Manager, save its Policies tab once, or reinstall it.',
    setup: { eca: `${S.ECA_MANAGER}; ${S.ECA_REFRESH_TOKEN_POLICY}` },
  },
  {
    code: 'oauth_policy_not_found',
    descriptions: [],
    where: ['authorize-redirect', 'token'],
    title: 'The app has no OAuth policies in this org',
    cause: 'Probably the app is not installed in this org, or its OAuth policies are missing.',
    fix: 'Check the app is installed and open its OAuth policies once as an admin.',
    setup: S.SETUP_REFRESH_TOKEN_POLICY,
  },
  {
    code: 'oauth_flow_disabled',
    descriptions: [],
    where: ['authorize-redirect', 'token'],
    title: 'This OAuth flow is turned off',
    cause: 'Usually the flow is not enabled on the app (Flow Enablement, client credentials, device flow) or is turned off for the whole org.',
    fix: 'Enable the flow on the app, and check the org\'s OAuth and OpenID Connect Settings.',
    setup: both({ eca: S.ECA_FLOW_ENABLEMENT, ca: S.CA_OAUTH_SETTINGS }, S.orgWide(S.OAUTH_OIDC_SETTINGS)),
  },
  {
    code: 'invalid_assertion_type',
    descriptions: [],
    where: ['token'],
    title: 'Wrong assertion type',
    cause: 'The client_assertion_type (or JWT grant type) is not one Salesforce accepts.',
    fix: 'Use urn:ietf:params:oauth:client-assertion-type:jwt-bearer for client_assertion.',
  },
  {
    code: 'invalid_basic_auth_header',
    descriptions: [],
    where: ['token', 'introspect', 'revoke'],
    title: 'The Basic Authorization header is malformed',
    cause: 'The HTTP Basic header is not base64(client_id:client_secret).',
    fix: 'Send the client id and secret in the form body instead (sfoauth does), or fix the header encoding.',
  },
  {
    code: 'invalid_session_level',
    descriptions: [],
    where: ['authorize-redirect', 'token'],
    title: 'The session is not secure enough for this app',
    cause: 'Usually the app or profile requires a high-assurance session and the user logged in without multi-factor authentication.',
    fix: 'Log in with MFA, or ask an admin to lower the app\'s required session level.',
  },
  {
    code: 'bad_jti_claim',
    descriptions: [],
    where: ['token'],
    title: 'The JWT jti claim was refused',
    cause: 'Probably the assertion\'s jti is missing, malformed or was used before.',
    fix: 'Give every JWT assertion a new random jti.',
  },
  {
    code: 'invalid_dpop_proof',
    descriptions: [],
    where: ['token', 'rest'],
    title: 'The DPoP proof was refused',
    cause: 'The DPoP header is missing or does not match the request or key (DPoP details at Salesforce are undocumented here).',
    fix: 'Build a fresh DPoP proof for each request, with the right method and URL.',
  },
  {
    code: 'use_dpop_nonce',
    descriptions: [],
    where: ['token', 'rest'],
    title: 'Salesforce wants a DPoP nonce',
    cause: 'The server requires a nonce in the DPoP proof (RFC 9449) and sent one in the DPoP-Nonce header.',
    fix: 'Retry with the nonce from the DPoP-Nonce response header in the proof.',
  },
  {
    code: 'login_error',
    descriptions: [],
    where: ['authorize-redirect', 'token'],
    title: 'The login failed',
    cause: 'A login step failed; Salesforce does not say which.',
    fix: 'Read the user\'s Login History for the attempt\'s status, then retry.',
    setup: S.orgWide(S.LOGIN_HISTORY),
  },
  {
    code: 'server_error',
    descriptions: [],
    where: ['authorize-redirect', 'token'],
    title: 'Salesforce had an internal error',
    cause: 'A server-side failure at Salesforce, not a problem with the request (usually temporary).',
    fix: 'Retry in a few minutes; check https://status.salesforce.com for the instance.',
  },
  {
    code: 'service_unavailable',
    descriptions: [],
    where: ['authorize-redirect', 'token'],
    title: 'Salesforce is unavailable',
    cause: 'The service is temporarily down or in maintenance.',
    fix: 'Retry later; check https://status.salesforce.com for the instance.',
  },
  {
    code: 'system_down',
    descriptions: [],
    where: ['authorize-redirect', 'token'],
    title: 'Salesforce is down for maintenance',
    cause: 'The org\'s instance is unavailable, usually planned maintenance.',
    fix: 'Retry after the maintenance window; check https://status.salesforce.com.',
  },
  {
    code: 'unknown_error',
    descriptions: [],
    where: ['authorize-redirect', 'token'],
    title: 'Salesforce reported an unknown error',
    cause: 'Salesforce did not classify the failure.',
    fix: 'Retry once; if it repeats, run `sfoauth doctor` and read the user\'s Login History.',
    setup: S.orgWide(S.LOGIN_HISTORY),
  },
  {
    code: 'invalid_distribution_state',
    descriptions: [],
    where: ['authorize-redirect', 'token'],
    title: 'The External Client App\'s distribution state does not allow this',
    cause: 'Usually a Packaged External Client App used where only Local is supported (sandboxes), or the reverse.',
    fix: 'In a sandbox, create the External Client App with Distribution State "Local".',
    setup: { eca: S.ECA_CREATE },
  },
  {
    code: 'installation_error',
    descriptions: [],
    where: ['authorize-redirect', 'token'],
    title: 'The app could not be installed',
    cause: 'Probably Salesforce failed to install the app for this org or user during authorization.',
    fix: 'Ask an admin to install the app (or its package) in the org, then retry.',
    setup: S.SETUP_OAUTH_USAGE,
  },
  {
    code: 'exceeded_registration_limit',
    descriptions: [],
    where: ['token'],
    title: 'Too many dynamically registered clients',
    cause: 'Dynamic client registration (/services/oauth2/register) hit its limit. sfoauth does not use it.',
    fix: 'Remove unused registered clients, or register the app in Setup instead.',
  },
  {
    code: 'failed_registration',
    descriptions: [],
    where: ['token'],
    title: 'Dynamic client registration failed',
    cause: 'A /services/oauth2/register request was refused. sfoauth does not use dynamic registration.',
    fix: 'Create the app in Setup instead.',
    setup: { eca: S.ECA_CREATE },
  },
  {
    code: 'registration_error',
    descriptions: [],
    where: ['token'],
    title: 'Dynamic client registration error',
    cause: 'A /services/oauth2/register request had an error. sfoauth does not use dynamic registration.',
    fix: 'Create the app in Setup instead.',
    setup: { eca: S.ECA_CREATE },
  },
  {
    code: 'invalid_otp',
    descriptions: [],
    where: ['token'],
    title: 'The one-time password is wrong',
    cause: 'A headless (passwordless or registration) flow got a wrong or expired one-time code.',
    fix: 'Request a new code and retry.',
  },
  {
    code: 'otp_error',
    descriptions: [],
    where: ['token'],
    title: 'The one-time password step failed',
    cause: 'Probably the headless flow could not send or check the one-time code.',
    fix: 'Retry; check the Experience Cloud site\'s headless identity settings.',
  },
  {
    code: 'invalid_expid',
    descriptions: [],
    where: ['authorize-redirect', 'token'],
    title: 'The Experience ID is not valid',
    cause: 'An Experience Cloud request carried an experience id (expid) the site does not know.',
    fix: 'Send a valid expid, or none.',
  },
  {
    code: 'unsupported_expid',
    descriptions: [],
    where: ['authorize-redirect', 'token'],
    title: 'Experience IDs are not supported here',
    cause: 'Probably an expid was sent to a site or flow that does not support dynamic branding.',
    fix: 'Remove the expid parameter.',
  },

  // ---- External Client Apps as metadata: the deploy and the credentials read-back (docs/salesforce.md §14,
  // docs/create.md). Codes starting SFOAUTH_ are sfoauth's own: Salesforce's code and wording for these
  // refusals are UNCONFIRMED, so core/salesforce/app-credentials-api.ts and deploy.ts classify the
  // refusal and raise it under these codes, keeping Salesforce's text as the description. ----
  {
    code: 'SFOAUTH_ECA_SECRET_REST_API_OFF',
    descriptions: [],
    where: ['rest'],
    title: 'The org does not allow reading consumer secrets through the REST API',
    cause:
      'The app was created, but Salesforce only returns an External Client App\'s Consumer Key and Secret over the credentials ' +
      'REST API when the org setting "Allow access to External Client App consumer secrets via REST API" is on ' +
      '(ExternalClientAppSettings.enableClientSecretInRestApiAccess, API 62.0). It is off by default.',
    fix:
      'Either turn the setting on (an admin, once per org) and run the command again, or copy the Consumer Key and Secret from ' +
      'the app\'s Settings tab and paste them when asked.',
    setup: {
      eca: 'Setup → Quick Find "External Client App Settings" → Allow access to External Client App consumer secrets via REST API; or, to copy them by hand, ' + S.ECA_CONSUMER_KEY,
    },
  },
  {
    code: 'SFOAUTH_ECA_DEVELOPER_PERMISSION_MISSING',
    descriptions: [],
    where: ['rest'],
    title: 'The user may not read External Client App credentials',
    cause:
      'Listing External Client Apps and their OAuth consumers over REST needs the user permission "External Client App Developer" ' +
      '(Help xcloud.eca_stage_oauth_credentials.htm). The deploying user has the right to deploy but not this one.',
    fix:
      'Give the user a permission set with "External Client App Developer" and "View Client Secret", then run the command again; ' +
      'or copy the Consumer Key and Secret from the app\'s Settings tab and paste them when asked.',
    setup: {
      eca: 'Setup → Quick Find "Permission Sets" → New (or one assigned to <user>) → System Permissions → "External Client App Developer" and "View Client Secret" → Manage Assignments → <user>',
    },
  },
  {
    code: 'SFOAUTH_ECA_VIEW_SECRET_PERMISSION_MISSING',
    descriptions: [],
    where: ['rest'],
    title: 'The user may not see consumer secrets',
    cause:
      'Salesforce listed the app but refused its secret: reading an External Client App\'s Consumer Secret over REST needs the ' +
      'user permission "View Client Secret" as well as "External Client App Developer" (Help xcloud.eca_stage_oauth_credentials.htm).',
    fix:
      'Add "View Client Secret" to a permission set assigned to the user and run the command again; or copy the Consumer Secret ' +
      'from the app\'s Settings tab and paste it when asked.',
    setup: {
      eca: 'Setup → Quick Find "Permission Sets" → <permission set of <user>> → System Permissions → "View Client Secret"; or ' + S.ECA_CONSUMER_KEY,
    },
  },
  {
    code: 'INSUFFICIENT_ACCESS',
    descriptions: ['use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions'],
    where: ['rest'],
    title: 'The user may not deploy metadata',
    cause:
      'Deploying through the Metadata API needs "Modify Metadata Through Metadata API Functions" or "Modify All Data", and ' +
      'creating an External Client App also needs "Create, Edit, and Delete External Client Apps" (docs/salesforce.md §14.7; ' +
      'the exact minimum is UNCONFIRMED). The token belongs to a user without them.',
    fix: 'Deploy with an administrator\'s token, or give this user a permission set with those permissions.',
    setup: { eca: 'Setup → Quick Find "Permission Sets" → <permission set of <user>> → System Permissions → "Modify Metadata Through Metadata API Functions", "Create, Edit, and Delete External Client Apps"' },
  },
  {
    code: 'INSUFFICIENT_ACCESS',
    descriptions: [],
    where: ['rest'],
    title: 'The user lacks a permission this request needs',
    cause: 'Salesforce refused the REST request because the token\'s user does not have the permission it requires.',
    fix: 'Use a token of a user with the permission (usually an administrator), or add it through a permission set.',
    setup: S.orgWide('Setup → Quick Find "Permission Sets"'),
  },
  {
    code: 'SFOAUTH_DEPLOY_FAILED',
    descriptions: ['Required field is missing'],
    where: ['rest'],
    title: 'A metadata file lacks a required field',
    cause: 'Salesforce rejected a component because a field it requires is absent (the problem names it).',
    fix: 'If sfoauth built the package, this is a bug: report it with the deploy\'s problem text. If the files were edited by hand, add the field.',
  },
  {
    code: 'SFOAUTH_DEPLOY_FAILED',
    descriptions: ['Unknown type name', 'Not available for deploy for this organization'],
    where: ['rest'],
    title: 'The org does not know the External Client App metadata types',
    cause:
      'The org refused the External Client App types: External Client Apps are not turned on in this org, or the API version ' +
      'is older than 59.0 (Winter \'24), when the types appeared (docs/salesforce.md §14.1–§14.2).',
    fix: 'Turn on External Client Apps for the org, and deploy with API version 59.0 or later (sfoauth uses the org\'s latest).',
    setup: { eca: 'Setup → Quick Find "External Client App Settings" → Allow access to External Client Apps (Opt in to External Client Apps)' },
  },
  {
    code: 'SFOAUTH_DEPLOY_FAILED',
    descriptions: [],
    where: ['rest'],
    title: 'The External Client App metadata did not deploy',
    cause: 'Salesforce rejected one or more components; each problem above says why. Nothing was created (the deploy rolls back).',
    fix: 'Fix what the problems name and run the command again; `--dry-run` shows the package without deploying.',
    setup: { eca: 'Setup → Quick Find "Deployment Status"' },
  },
];

// ---- lookup ----

/** Codes compare case-insensitively, and `access-denied` (the help page's spelling) equals `access_denied`. */
function normCode(code: string): string {
  return code.trim().toLowerCase().replace(/-/g, '_');
}

/** Descriptions compare without case, spacing, quotes, curly apostrophes or a final full stop. */
export function normalizeDescription(text: string): string {
  return text
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^["'`]+|["'`]+$/g, '')
    .replace(/[.\s]+$/, '')
    .toLowerCase();
}

const BY_CODE = new Map<string, CatalogEntry[]>();
for (const entry of CATALOG) {
  const key = normCode(entry.code);
  const list = BY_CODE.get(key);
  if (list) list.push(entry);
  else BY_CODE.set(key, [entry]);
}

/** True when `code` (any case) is in the catalog. */
export function isKnownCode(code: string): boolean {
  return BY_CODE.has(normCode(code));
}

function endpointWhere(endpoint: SalesforceEndpoint): readonly CatalogWhere[] {
  return endpoint === 'authorize' ? ['authorize-page', 'authorize-redirect'] : [endpoint];
}

/**
 * The entry for a code and description: the entry listing that description (exactly, then by containment),
 * else the code's general entry (the one with no descriptions, or the first). `endpoint` breaks ties between
 * entries that share a description (redirect_uri_mismatch at /authorize vs /token).
 */
export function lookupCatalog(code: string, description?: string, endpoint?: SalesforceEndpoint): CatalogEntry | undefined {
  const entries = BY_CODE.get(normCode(code));
  if (!entries) return undefined;
  const prefer = (list: CatalogEntry[]): CatalogEntry | undefined => {
    if (endpoint) {
      const wanted = endpointWhere(endpoint);
      const hit = list.find((e) => e.where.some((w) => wanted.includes(w)));
      if (hit) return hit;
    }
    return list[0];
  };
  const desc = description === undefined ? '' : normalizeDescription(description);
  if (desc) {
    const exact = entries.filter((e) => e.descriptions.some((d) => normalizeDescription(d) === desc));
    if (exact.length > 0) return prefer(exact);
    // "IP restricted or invalid login hours" contains "ip restricted"; longer known texts win.
    const contained = entries
      .flatMap((e) => e.descriptions.map((d) => ({ e, d: normalizeDescription(d) })))
      .filter(({ d }) => desc.includes(d) || (desc.length >= 12 && d.includes(desc)))
      .sort((a, b) => b.d.length - a.d.length);
    if (contained.length > 0) return prefer(contained.map((c) => c.e));
  }
  const general = entries.filter((e) => e.descriptions.length === 0);
  return prefer(general.length > 0 ? general : entries);
}

/** The Setup screen(s) of an entry as lines, the app type's own first (or only, when given). */
export function setupLines(setup: SetupPaths | undefined, appType?: AppType): string[] {
  if (!setup) return [];
  const { eca, ca } = setup;
  if (eca !== undefined && eca === ca) return [eca];
  if (appType === 'external-client-app' && eca !== undefined) return [eca];
  if (appType === 'connected-app' && ca !== undefined) return [ca];
  const lines: string[] = [];
  if (eca !== undefined) lines.push(`External Client App: ${eca}`);
  if (ca !== undefined) lines.push(`Connected App: ${ca}`);
  return lines;
}

/** Explains one Salesforce error from the catalog; unknown codes get a generic explanation. */
export function explainError(input: ExplainInput): Explanation {
  const entry = lookupCatalog(input.error, input.description, input.endpoint);
  const description = input.description?.trim() ? input.description.trim() : undefined;
  if (!entry) {
    const out: Explanation = {
      code: input.error,
      title: 'Unknown Salesforce error',
      cause: unknownCause(input),
      fix: 'Run `sfoauth doctor` to check the profile, the app and the token, and run the failing command again with --verbose for the HTTP trace.',
      known: false,
    };
    if (description !== undefined) out.description = description;
    return out;
  }
  const out: Explanation = { code: entry.code, title: entry.title, cause: entry.cause, fix: entry.fix, known: true };
  if (description !== undefined) out.description = description;
  const setup = setupLines(entry.setup, input.appType);
  if (setup.length > 0) out.setup = setup.join('; ');
  return out;
}

function unknownCause(input: ExplainInput): string {
  const what = `Salesforce answered "${input.error}"${input.description ? ` ("${input.description}")` : ''}, which sfoauth's catalog does not list.`;
  const status = input.status;
  if (status !== undefined && status >= 500) return `${what} The HTTP ${status} status means a problem on Salesforce's side, usually temporary.`;
  if (status === 401 || status === 403) return `${what} The HTTP ${status} status usually means the token or the user's permissions were refused.`;
  return `${what} The description, if any, is the best clue.`;
}

// ---- suggestions ----

/** 0 = same; substrings score low; otherwise the edit distance relative to the longer string. */
function similarity(query: string, candidate: string): number {
  if (query === candidate) return 0;
  if (query.length >= 3 && candidate.includes(query)) return 0.1 + 0.1 * (1 - query.length / candidate.length);
  if (candidate.length >= 4 && query.includes(candidate)) return 0.15 + 0.1 * (1 - candidate.length / query.length);
  return editDistance(query, candidate) / Math.max(query.length, candidate.length);
}

/** The `n` catalog codes nearest to `text`, by code and by description (for "did you mean"). */
export function closestCodes(text: string, n = 3): string[] {
  const query = text.trim().toLowerCase().replace(/-/g, '_').slice(0, 200);
  if (!query || n <= 0) return [];
  const best = new Map<string, { code: string; score: number; order: number }>();
  CATALOG.forEach((entry, order) => {
    // "redirect uri" should find redirect_uri_*: codes are also compared with spaces read as underscores.
    const score = Math.min(
      similarity(query, entry.code.toLowerCase()),
      similarity(query.replace(/\s+/g, '_'), entry.code.toLowerCase()),
      ...entry.descriptions.map((d) => similarity(query, normalizeDescription(d))),
    );
    const key = normCode(entry.code);
    const seen = best.get(key);
    if (!seen || score < seen.score) best.set(key, { code: entry.code, score, order: seen?.order ?? order });
  });
  return [...best.values()]
    .sort((a, b) => a.score - b.score || a.order - b.order)
    .slice(0, n)
    .map((b) => b.code);
}

// ------------------------------------------------------------------------------------------- posture

/**
 * What `doctor` and `test` observe about an app's security settings from outside, against what
 * Salesforce requires (docs/interop.md "Security posture"). Each finding names the requirement, the
 * apps it applies to, and the Setup screen that changes it.
 */
export type PostureFinding = 'pkce-not-required' | 'rotation-off' | 'refresh-secret-optional';

interface PostureEntry {
  readonly title: string;
  /** What Salesforce requires, and of which apps. */
  readonly requirement: string;
  readonly fix: string;
  readonly setup: SetupPaths;
}

const PARTNER_MANDATE =
  'Salesforce requires it (since May 2026) of partner apps used by more than 2 customer production orgs, and new External Client Apps in many orgs have it on and locked';

export const POSTURE: Readonly<Record<PostureFinding, PostureEntry>> = {
  'pkce-not-required': {
    title: 'PKCE is not required by the app',
    requirement: `${PARTNER_MANDATE}; once on, partners cannot turn it off. sfoauth and Nango always send PKCE, so requiring it breaks neither.`,
    fix: 'tick "Require Proof Key for Code Exchange (PKCE)" on the app',
    setup: S.SETUP_SECURITY,
  },
  'rotation-off': {
    title: 'Refresh token rotation is off',
    requirement: `${PARTNER_MANDATE}. With rotation each refresh returns a new refresh token and retires the old one; sfoauth saves the new one at once.`,
    fix: 'turn on "Enable Refresh Token Rotation" when the app must meet the partner requirements (clients must then store every new refresh token)',
    setup: S.SETUP_REFRESH_TOKEN_ROTATION,
  },
  'refresh-secret-optional': {
    title: 'The refresh token flow does not require the secret',
    requirement:
      'Confidential clients should send both the secret and the PKCE verifier; Nango\'s setup guide keeps "Require secret for Refresh Token Flow" ticked, so a leaked refresh token alone is not enough.',
    fix: 'tick "Require secret for Refresh Token Flow" on the app (public clients without a secret leave it off)',
    setup: S.SETUP_SECURITY,
  },
};

/** A posture finding resolved for one app type: the Setup screen(s) as lines. */
export function explainPosture(finding: PostureFinding, appType?: AppType): { title: string; requirement: string; fix: string; setup: string[] } {
  const e = POSTURE[finding];
  return { title: e.title, requirement: e.requirement, fix: e.fix, setup: setupLines(e.setup, appType) };
}
