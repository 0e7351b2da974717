/**
 * /services/oauth2/revoke (docs/salesforce.md §8.1): POST form or GET `?token=`; 200 with an empty body;
 * failures are 400 with an urlencoded body. Revoking a refresh token ends every session issued from it.
 */
import type { EmulatorContext } from '../context.js';
import { formOf, textReply, urlencode, type EmuRequest, type Reply } from '../http-util.js';

const URLENCODED = 'application/x-www-form-urlencoded;charset=UTF-8';

export function revoke(req: EmuRequest, ctx: EmulatorContext): Reply {
  const token = formOf(req).get('token') ?? req.url.searchParams.get('token') ?? '';
  const access = ctx.store.accessTokens.get(token);
  const refresh = ctx.store.refreshTokens.get(token);
  if (!access && !refresh) {
    return textReply(400, urlencode({ error: 'unsupported_token_type', error_description: 'this token type is not supported' }), URLENCODED);
  }
  if (access) {
    if (access.revoked) return textReply(400, urlencode({ error: 'invalid_token' }), URLENCODED);
    access.revoked = true;
  }
  if (refresh) {
    if (refresh.state !== 'current') return textReply(400, urlencode({ error: 'invalid_token' }), URLENCODED);
    ctx.store.revokeGrant(refresh.grantId);
  }
  return { status: 200, headers: { 'cache-control': 'no-store' }, body: '' };
}
