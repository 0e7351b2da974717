/**
 * /.well-known/openid-configuration, shaped like login.salesforce.com's (docs/salesforce.md §2.1) but with
 * this listener's URLs. Salesforce leaves out code_challenge_methods_supported, grant_types_supported,
 * end_session_endpoint and device_authorization_endpoint, so this does too. /id/keys is the JWKS.
 */
import type { EmulatorContext } from '../context.js';
import { jsonReply, type EmuRequest, type Reply } from '../http-util.js';
import { SUPPORTED_SCOPES } from '../scopes.js';

const CLAIMS = [
  'active', 'address', 'email', 'email_verified', 'family_name', 'given_name', 'is_app_installed', 'language', 'locale',
  'name', 'nickname', 'organization_id', 'phone_number', 'phone_number_verified', 'photos', 'picture',
  'preferred_username', 'profile', 'sub', 'updated_at', 'urls', 'user_id', 'user_type', 'zoneinfo',
];

/** Discovery is readable from any origin on Salesforce (CORS is always on for it). */
const CORS = { 'access-control-allow-origin': '*' };

export function discovery(req: EmuRequest): Reply {
  const o = req.origin;
  return jsonReply(
    200,
    {
      issuer: o,
      authorization_endpoint: `${o}/services/oauth2/authorize`,
      token_endpoint: `${o}/services/oauth2/token`,
      revocation_endpoint: `${o}/services/oauth2/revoke`,
      userinfo_endpoint: `${o}/services/oauth2/userinfo`,
      jwks_uri: `${o}/id/keys`,
      registration_endpoint: `${o}/services/oauth2/register`,
      introspection_endpoint: `${o}/services/oauth2/introspect`,
      scopes_supported: SUPPORTED_SCOPES,
      response_types_supported: ['code', 'token', 'token id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      display_values_supported: ['page', 'popup', 'touch'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'private_key_jwt'],
      claims_supported: CLAIMS,
    },
    CORS,
  );
}

export async function jwks(ctx: EmulatorContext): Promise<Reply> {
  return jsonReply(200, await ctx.idTokens.jwks(), CORS);
}
