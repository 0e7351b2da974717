/**
 * Check 3: the refresh grant gives a new access token. ctx.refresh spends the token the safe way
 * (docs/credentials.md): a rotated refresh token is saved before this check returns, so no later
 * failure can lose it (losing it locks the user out).
 */
import { pass, skip, type Check } from '../../checks/check.js';
import { outcomeFromCallError } from '../explain-outcome.js';
import { failureContextFor, requireProfile, type VerifyContext } from '../context.js';

export const refreshCheck: Check<VerifyContext> = {
  id: 'refresh',
  title: 'Refresh token grant',
  // The server-to-server flows have no refresh token: this check is their grant (docs/flows.md).
  titleFor: (ctx) => (ctx.profile?.flow === 'client-credentials' ? 'Client credentials grant' : ctx.profile?.flow === 'jwt-bearer' ? 'JWT bearer grant' : 'Refresh token grant'),
  needs: ['config'],
  async run(ctx) {
    requireProfile(ctx); // throws the config problem when there is no profile
    if (ctx.refreshSkipped) return skip(ctx.refreshSkipped);
    let result;
    try {
      result = await ctx.refresh();
    } catch (err) {
      return outcomeFromCallError(err, failureContextFor(ctx));
    }
    const { token, rotatedSavedTo } = result;
    ctx.token = token;
    const rotation = rotatedSavedTo ? `; the app rotated the refresh token and the new one was saved to ${rotatedSavedTo}` : '';
    return pass(`new access token issued (scopes: ${token.scope.join(' ') || 'none listed'})${rotation}`);
  },
};
