/**
 * /services/oauth2/token (docs/salesforce.md §4, §5, §9, §10.1, §10.2): authorization_code, refresh_token,
 * client_credentials and the JWT bearer grant, with Salesforce's exact error codes and descriptions, all
 * as 400 JSON.
 */
import type { EmulatorApp } from '../apps.js';
import { liveApp, type EmulatorContext } from '../context.js';
import { safeEqual, verifierMatches } from '../crypto.js';
import { clientAuth, formOf, jsonReply, oauthError, type EmuRequest, type Reply } from '../http-util.js';
import { issueAccessToken, tokenResponse } from '../issue.js';
import { clientCredentialsScopes, grantsRefreshToken } from '../scopes.js';
import { CODE_LIFETIME_MS, refreshTokenLapsed } from '../store.js';
import { JWT_BEARER_GRANT, jwtBearer } from './jwt-bearer.js';

const GRANTS = ['authorization_code', 'refresh_token', 'client_credentials', JWT_BEARER_GRANT] as const;
type Grant = (typeof GRANTS)[number];

export async function token(req: EmuRequest, ctx: EmulatorContext): Promise<Reply> {
  if (req.method !== 'POST') return oauthError('invalid_request', 'must use HTTP POST');
  // A body that is not form-encoded has no grant_type either: Salesforce says "grant type not supported".
  const form = formOf(req);
  const grantType = form.get('grant_type');
  if (!isGrant(grantType)) return oauthError('unsupported_grant_type', 'grant type not supported');
  // The assertion names the app (iss) and proves it with a signature: no client id or secret.
  if (grantType === JWT_BEARER_GRANT) return jwtBearer(form, ctx);

  const { clientId, clientSecret } = clientAuth(req, form);
  const app = liveApp(ctx, clientId);
  if (!app) return oauthError('invalid_client_id', 'client identifier invalid');
  // A secret that is sent is always checked, even when the app does not require one.
  const secret = clientSecret === '' ? undefined : clientSecret;
  const required =
    grantType === 'authorization_code' ? app.requireSecretWebServer : grantType === 'refresh_token' ? app.requireSecretRefresh : true;
  if (secret === undefined ? required : !safeEqual(secret, app.clientSecret)) {
    return oauthError('invalid_client', 'invalid client credentials');
  }
  if (grantType === 'client_credentials' && req.role === 'login') {
    return oauthError('invalid_grant', 'request not supported on this domain');
  }
  if (ctx.faults.ipRestricted) return oauthError('invalid_grant', 'ip restricted');
  if (ctx.faults.userInactive) return oauthError('invalid_grant', 'authentication failure');

  if (grantType === 'authorization_code') return authorizationCode(req, form, app, ctx);
  if (grantType === 'refresh_token') return refresh(req, form, app, ctx);
  return clientCredentials(req, app, ctx);
}

function isGrant(value: string | null): value is Grant {
  return (GRANTS as readonly (string | null)[]).includes(value);
}

async function authorizationCode(req: EmuRequest, form: URLSearchParams, app: EmulatorApp, ctx: EmulatorContext): Promise<Reply> {
  const code = form.get('code') ?? '';
  const record = ctx.store.codes.get(code);
  if (!record || record.clientId !== app.clientId) return oauthError('invalid_grant', 'invalid authorization code');
  // Salesforce answers a reused code exactly like an old one.
  if (record.used || ctx.now() - record.issuedAt > CODE_LIFETIME_MS) return oauthError('invalid_grant', 'expired authorization code');
  record.used = true; // any attempt spends the code: a failed exchange must restart the flow

  if (form.get('redirect_uri') !== record.redirectUri) return oauthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
  const verifier = form.get('code_verifier') || undefined;
  if (record.challenge !== undefined) {
    if (verifier === undefined || !verifierMatches(verifier, record.challenge, record.method)) {
      return oauthError('invalid_grant', 'invalid code verifier');
    }
  } else if (verifier !== undefined) {
    return oauthError('invalid_grant', 'unexpected code verifier');
  }

  const user = ctx.users.get(record.userId);
  if (!user?.active) return oauthError('invalid_grant', 'authentication failure');
  const created = grantsRefreshToken(record.scopes) ? ctx.store.createGrant(app.clientId, user.id, record.scopes, ctx.now()) : undefined;
  const access = issueAccessToken(ctx, app, user, record.scopes, created?.grant.id);
  const body = await tokenResponse(ctx, req, {
    app,
    user,
    access,
    ...(created ? { refreshToken: created.refresh.token } : {}),
    withIdToken: record.scopes.includes('openid'),
    ...(record.nonce === undefined ? {} : { nonce: record.nonce }),
  });
  return jsonReply(200, body);
}

async function refresh(req: EmuRequest, form: URLSearchParams, app: EmulatorApp, ctx: EmulatorContext): Promise<Reply> {
  const expired = () => oauthError('invalid_grant', 'expired access/refresh token');
  const record = ctx.store.refreshTokens.get(form.get('refresh_token') ?? '');
  const grant = record && ctx.store.grants.get(record.grantId);
  if (!record || !grant || grant.clientId !== app.clientId) return expired();
  if (record.state === 'rotated') {
    // Reuse of a rotated-out token looks like theft: the current token and its sessions die too.
    ctx.store.revokeGrant(grant.id);
    return expired();
  }
  if (record.state === 'revoked' || grant.revoked) return expired();

  const now = ctx.now();
  const lapsed = refreshTokenLapsed(app.refreshTokenPolicy, record, grant, now);
  if (lapsed) {
    ctx.store.revokeGrant(grant.id);
    return expired();
  }
  const user = ctx.users.get(grant.userId);
  if (!user?.active) return oauthError('invalid_grant', 'authentication failure');

  record.lastUsedAt = now;
  const rotated = app.rotateRefreshTokens ? ctx.store.rotate(grant, now) : undefined;
  const access = issueAccessToken(ctx, app, user, grant.scopes, grant.id);
  const body = await tokenResponse(ctx, req, {
    app,
    user,
    access,
    ...(rotated ? { refreshToken: rotated.token } : {}),
    withIdToken: grant.scopes.includes('openid'),
  });
  return jsonReply(200, body);
}

async function clientCredentials(req: EmuRequest, app: EmulatorApp, ctx: EmulatorContext): Promise<Reply> {
  // Not enabled on the app: Salesforce's answer is UNCONFIRMED (docs/salesforce.md §16.1; third-party
  // write-ups disagree), so the emulator gives the standard one for a grant the client may not use.
  if (!app.clientCredentials.enabled) return oauthError('unsupported_grant_type', 'grant type not supported');
  const runAs = app.clientCredentials.runAsUsername;
  const user = runAs === undefined ? undefined : ctx.userByUsername(runAs, true);
  if (!user) return oauthError('invalid_grant', 'no client credentials user enabled');
  const access = issueAccessToken(ctx, app, user, clientCredentialsScopes(app.scopes));
  return jsonReply(200, await tokenResponse(ctx, req, { app, user, access, withIdToken: false }));
}
