/**
 * The JWT bearer grant on /services/oauth2/token (docs/flows.md "JWT bearer"; docs/salesforce.md §10.2,
 * §16.2): `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<RS256 JWT>`. The app is
 * the one whose Consumer Key is `iss`; its uploaded certificate must verify the signature; `aud` names
 * the login host (or the My Domain); `exp` lies ahead; `sub` is a user allowed by Permitted Users.
 * No client secret, no refresh token.
 */
import { createVerify, X509Certificate } from 'node:crypto';
import type { EmulatorApp } from '../apps.js';
import { identityUrl, liveApp, type EmulatorContext } from '../context.js';
import { jsonReply, oauthError, type Reply } from '../http-util.js';
import { API_INSTANCE_URL, issueAccessToken } from '../issue.js';
import { clientCredentialsScopes } from '../scopes.js';
import type { EmulatorUser } from '../users.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** An assertion longer than this is not one a client would send. */
const MAX_ASSERTION_CHARS = 8 * 1024;
/** Leeway for a client clock slightly ahead of ours (RFC 7519 §4.1.4 allows "a few minutes" at most). */
export const CLOCK_SKEW_S = 30;

interface Claims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
}

/**
 * Salesforce's answer to a malformed assertion or one whose signature does not verify. "invalid
 * assertion" is seen for a malformed one (docs/flows.md cites the public report); the answer to a bad
 * signature is UNCONFIRMED (docs/salesforce.md §10.2 lists no wording), so the emulator reuses it.
 */
const invalidAssertion = () => oauthError('invalid_grant', 'invalid assertion');

export function jwtBearer(form: URLSearchParams, ctx: EmulatorContext): Reply {
  const assertion = form.get('assertion') ?? '';
  const parsed = parseAssertion(assertion);
  if (!parsed) return invalidAssertion();
  const app = liveApp(ctx, parsed.claims.iss);
  if (!app) return oauthError('invalid_client_id', 'client identifier invalid');
  if (!signatureVerifies(app, parsed.signingInput, parsed.signature)) return invalidAssertion();
  if (!audiences(ctx).includes(parsed.claims.aud)) return oauthError('invalid_grant', 'audience is invalid');
  // A stale assertion gets the text of a stale code (docs/salesforce.md §5, SE q. 282513). No upper
  // bound on exp: Salesforce asks for 3 minutes, yet sfdx-core sends milliseconds (far future) and works.
  if (parsed.claims.exp + CLOCK_SKEW_S <= ctx.now() / 1000) return oauthError('invalid_grant', 'expired authorization code');

  const user = subjectUser(app, parsed.claims.sub, ctx);
  if (user === 'not-admin-approved') return oauthError('invalid_app_access', 'user is not admin approved to access this app');
  if (!user) return oauthError('invalid_grant', "user hasn't approved this consumer");
  if (ctx.faults.ipRestricted) return oauthError('invalid_grant', 'ip restricted');
  if (ctx.faults.userInactive || !user.active) return oauthError('invalid_grant', 'authentication failure');

  // The app's scopes minus the refresh ones: no refresh token in this flow (docs/salesforce.md §10.2).
  const access = issueAccessToken(ctx, app, user, clientCredentialsScopes(app.scopes));
  // The documented shape: no signature, no issued_at (docs/salesforce.md §10.2).
  return jsonReply(200, {
    access_token: access.token,
    scope: access.scopes.join(' '),
    instance_url: ctx.instanceUrl,
    id: identityUrl(ctx, user),
    token_type: 'Bearer',
    api_instance_url: API_INSTANCE_URL,
  });
}

/** The login host the emulator plays (login or test.salesforce.com) and the org's My Domain. */
function audiences(ctx: EmulatorContext): string[] {
  return [ctx.loginUrl, ctx.instanceUrl];
}

/**
 * Who the assertion may act for. "Admin approved users are pre-authorized": only the listed users
 * (they stand for a profile or permission set), others get `invalid_app_access`. "All users may
 * self-authorize": a user who approved the app before (an approval that is still live).
 */
function subjectUser(app: EmulatorApp, username: string, ctx: EmulatorContext): EmulatorUser | 'not-admin-approved' | undefined {
  const listed = app.preAuthorizedUsers.some((u) => u.toLowerCase() === username.toLowerCase());
  const user = ctx.userByUsername(username, listed);
  if (!user) return undefined; // an unknown username (a sandbox user without its suffix, say) gets the same answer
  if (app.permittedUsers === 'admin-approved-pre-authorized') return listed ? user : 'not-admin-approved';
  const approved = [...ctx.store.grants.values()].some((g) => !g.revoked && g.clientId === app.clientId && g.userId === user.id);
  return approved ? user : undefined;
}

function signatureVerifies(app: EmulatorApp, signingInput: string, signature: Buffer): boolean {
  if (app.certificate === undefined) return false;
  const verifier = createVerify('RSA-SHA256');
  verifier.update(signingInput);
  return verifier.verify(new X509Certificate(app.certificate).publicKey, signature);
}

/** header.claims.signature with `alg` RS256 and the four claims typed; undefined for anything else. */
function parseAssertion(assertion: string): { claims: Claims; signingInput: string; signature: Buffer } | undefined {
  if (assertion.length > MAX_ASSERTION_CHARS) return undefined;
  const parts = assertion.split('.');
  if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  const json = (part: string): Record<string, unknown> | undefined => {
    try {
      const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };
  if (json(header)?.alg !== 'RS256') return undefined;
  const c = json(payload);
  if (!c || typeof c.iss !== 'string' || typeof c.sub !== 'string' || typeof c.aud !== 'string' || typeof c.exp !== 'number') return undefined;
  if (!Number.isFinite(c.exp)) return undefined;
  return { claims: { iss: c.iss, sub: c.sub, aud: c.aud, exp: c.exp }, signingInput: `${header}.${payload}`, signature: Buffer.from(signature, 'base64url') };
}
