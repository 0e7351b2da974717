/**
 * /services/oauth2/introspect (RFC 7662; docs/salesforce.md §7). The caller authenticates as an app (body
 * or Basic header). An app sees its own tokens; other apps' tokens only with "Introspect All Tokens".
 */
import { liveApp, identityUrl, type EmulatorContext } from '../context.js';
import { safeEqual } from '../crypto.js';
import { clientAuth, formOf, jsonReply, oauthError, type EmuRequest, type Reply } from '../http-util.js';
import { refreshTokenExpiry, refreshTokenLapsed } from '../store.js';

export function introspect(req: EmuRequest, ctx: EmulatorContext): Reply {
  if (req.method !== 'POST') return oauthError('invalid_request', 'must use HTTP POST');
  const form = formOf(req);
  const { clientId, clientSecret } = clientAuth(req, form);
  const caller = liveApp(ctx, clientId);
  if (!caller || !clientSecret || !safeEqual(clientSecret, caller.clientSecret)) {
    return oauthError('invalid_client', 'invalid client credentials', 401);
  }
  const token = form.get('token') ?? '';
  const inactive = jsonReply(200, { active: false });
  if (ctx.faults.introspectionDenied) return inactive;
  const now = ctx.now();
  const visible = (ownerClientId: string) => ownerClientId === caller.clientId || caller.introspectAllTokens;
  const seconds = (ms: number) => Math.floor(ms / 1000);

  const lookAtRefreshFirst = form.get('token_type_hint') === 'refresh_token';
  const tryAccess = () => {
    const a = ctx.store.accessTokens.get(token);
    if (!a) return undefined;
    const user = ctx.users.get(a.userId);
    if (a.revoked || a.expiresAt <= now || !visible(a.clientId) || !user) return inactive;
    return jsonReply(200, {
      active: true,
      scope: a.scopes.join(' '),
      client_id: a.clientId,
      username: user.username,
      sub: identityUrl(ctx, user),
      token_type: 'access_token',
      exp: seconds(a.expiresAt),
      iat: seconds(a.issuedAt),
      nbf: seconds(a.issuedAt),
    });
  };
  const tryRefresh = () => {
    const r = ctx.store.refreshTokens.get(token);
    if (!r) return undefined;
    const grant = ctx.store.grants.get(r.grantId);
    const app = grant && ctx.apps.get(grant.clientId);
    const user = grant && ctx.users.get(grant.userId);
    if (!grant || !app || !user || r.state !== 'current' || grant.revoked || !visible(grant.clientId)) return inactive;
    if (refreshTokenLapsed(app.refreshTokenPolicy, r, grant, now)) return inactive;
    const exp = refreshTokenExpiry(app.refreshTokenPolicy, r, grant);
    return jsonReply(200, {
      active: true,
      scope: grant.scopes.join(' '),
      client_id: grant.clientId,
      username: user.username,
      sub: identityUrl(ctx, user),
      token_type: 'refresh_token',
      ...(exp === undefined ? {} : { exp: seconds(exp) }),
      iat: seconds(r.createdAt),
      nbf: seconds(r.createdAt),
    });
  };
  return (lookAtRefreshFirst ? (tryRefresh() ?? tryAccess()) : (tryAccess() ?? tryRefresh())) ?? inactive;
}
