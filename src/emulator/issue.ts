/**
 * Building a token response the way Salesforce does (docs/salesforce.md §4.2): `issued_at` as a string of
 * epoch milliseconds, `signature` over `id + issued_at`, no `expires_in`, `refresh_token` only when
 * one was issued, `id_token` when `openid` was granted.
 */
import type { EmulatorApp } from './apps.js';
import { identityUrl, type EmulatorContext } from './context.js';
import { signIdentity } from './crypto.js';
import type { EmuRequest } from './http-util.js';
import { accessTokenHash } from './id-token.js';
import type { AccessRecord } from './store.js';
import type { EmulatorUser } from './users.js';

/** Salesforce's base for Agentforce/Models APIs; returned as-is, nothing in the emulator serves it. */
export const API_INSTANCE_URL = 'https://api.salesforce.com';
/** id_token lifetime. */
const ID_TOKEN_TTL_S = 300;

/** A new access token; with the `noApiScope` fault on, it is issued without `api`/`full`. */
export function issueAccessToken(
  ctx: EmulatorContext,
  app: EmulatorApp,
  user: EmulatorUser,
  scopes: readonly string[],
  grantId?: string,
): AccessRecord {
  const now = ctx.now();
  const granted = ctx.faults.noApiScope ? scopes.filter((s) => s !== 'api' && s !== 'full') : [...scopes];
  return ctx.store.issueAccessToken(
    {
      clientId: app.clientId,
      userId: user.id,
      scopes: granted,
      issuedAt: now,
      expiresAt: now + app.sessionTimeoutMs,
      ...(grantId === undefined ? {} : { grantId }),
    },
    ctx.org.id,
  );
}

export async function tokenResponse(
  ctx: EmulatorContext,
  req: EmuRequest,
  p: { app: EmulatorApp; user: EmulatorUser; access: AccessRecord; refreshToken?: string; withIdToken: boolean; nonce?: string },
): Promise<Record<string, string>> {
  const id = identityUrl(ctx, p.user);
  const issuedAt = String(p.access.issuedAt);
  const body: Record<string, string> = { access_token: p.access.token };
  if (p.refreshToken !== undefined) body.refresh_token = p.refreshToken;
  body.signature = signIdentity(p.app.clientSecret, id, issuedAt);
  body.scope = p.access.scopes.join(' ');
  if (p.withIdToken) {
    const iat = Math.floor(p.access.issuedAt / 1000);
    body.id_token = await ctx.idTokens.sign({
      at_hash: accessTokenHash(p.access.token),
      sub: id,
      aud: p.app.clientId,
      iss: req.origin,
      exp: iat + ID_TOKEN_TTL_S,
      iat,
      ...(p.nonce === undefined ? {} : { nonce: p.nonce }),
      name: p.user.displayName,
      preferred_username: p.user.username,
      given_name: p.user.firstName,
      family_name: p.user.lastName,
      email: p.user.email,
      email_verified: true,
      zoneinfo: p.user.timezone,
    });
  }
  body.instance_url = ctx.instanceUrl;
  body.id = id;
  body.token_type = 'Bearer';
  body.issued_at = issuedAt;
  body.api_instance_url = API_INSTANCE_URL;
  return body;
}
