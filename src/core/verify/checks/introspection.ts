/** Check 7: token introspection reports the access token active (Nango relies on this endpoint). */
import { pass, skip, warn, type Check } from '../../checks/check.js';
import { introspectToken } from '../../salesforce/api.js';
import { SalesforceError } from '../../../errors.js';
import { outcomeFromCallError } from '../explain-outcome.js';
import { failureContextFor, knownAppType, requireProfile, requireToken, type VerifyContext } from '../context.js';
import { setupLines } from '../../salesforce/error-catalog.js';
import { SETUP_INTROSPECT_ALL_TOKENS } from '../../salesforce/setup-screens.js';

/** The fix names the profile's app type's screen (both when SFOAUTH_* variables leave the type unknown). */
const introspectFix = (ctx: VerifyContext) =>
  `enable "Introspect All Tokens" on the app (${setupLines(SETUP_INTROSPECT_ALL_TOKENS, knownAppType(ctx)).join('; ')})`;

export const introspectionCheck: Check<VerifyContext> = {
  id: 'introspection',
  title: 'Token introspection',
  needs: ['refresh'],
  async run(ctx) {
    const profile = requireProfile(ctx);
    const token = requireToken(ctx);
    if (profile.flow === 'jwt-bearer' && !profile.clientSecret) {
      return skip('introspection authenticates with the Consumer Secret, which this JWT bearer profile does not hold');
    }
    try {
      const result = await introspectToken(ctx.http, {
        baseUrl: token.instanceUrl,
        clientId: profile.clientId,
        ...(profile.clientSecret ? { clientSecret: profile.clientSecret } : {}),
        token: token.accessToken,
        hint: 'access_token',
      });
      if (result.active) return pass('introspection reports the access token active');
      return warn('introspection reports the access token inactive: the app may not be allowed to introspect tokens', introspectFix(ctx));
    } catch (err) {
      if (err instanceof SalesforceError) {
        const o = outcomeFromCallError(err, failureContextFor(ctx));
        // Introspection is what Nango uses to decide when to refresh; it does not block API calls.
        return warn(`introspection refused: ${o.summary}`, o.fix ?? introspectFix(ctx), o.detail ? { detail: o.detail } : {});
      }
      return outcomeFromCallError(err, failureContextFor(ctx));
    }
  },
};
