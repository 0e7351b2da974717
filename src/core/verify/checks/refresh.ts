/**
 * Check 3: the refresh grant gives a new access token. When the app rotates refresh tokens, the new one
 * is saved before this check returns, so no later failure can lose it (losing it locks the user out).
 */
import { fail, pass, type Check } from '../../checks/check.js';
import { refreshAccessToken } from '../../oauth/token.js';
import { outcomeFromCallError } from '../explain-outcome.js';
import { profileNameFor, requireProfile, type VerifyContext } from '../context.js';

export const refreshCheck: Check<VerifyContext> = {
  id: 'refresh',
  title: 'Refresh token grant',
  needs: ['config'],
  async run(ctx) {
    const profile = requireProfile(ctx);
    let token;
    try {
      token = await refreshAccessToken(ctx.http, {
        loginUrl: profile.loginUrl,
        clientId: profile.clientId,
        ...(profile.clientSecret ? { clientSecret: profile.clientSecret } : {}),
        refreshToken: profile.refreshToken ?? '',
      });
    } catch (err) {
      return outcomeFromCallError(err, profile.appType, profileNameFor(ctx));
    }
    let rotation = '';
    if (token.refreshToken && token.refreshToken !== profile.refreshToken) {
      try {
        const where = await ctx.saveRotatedRefreshToken(token.refreshToken);
        ctx.rotatedTo = token.refreshToken;
        rotation = `; the app rotated the refresh token and the new one was saved to ${where}`;
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        return fail(
          `Salesforce rotated the refresh token, but sfoauth could not save the new one: ${reason}`,
          `the old refresh token no longer works; fix the problem above, then run \`sfoauth init --profile ${ctx.profileName}\``,
        );
      }
    }
    ctx.token = token;
    return pass(`new access token issued (scopes: ${token.scope.join(' ') || 'none listed'})${rotation}`);
  },
};
