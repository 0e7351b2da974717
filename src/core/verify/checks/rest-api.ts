/** Check 6: the REST API accepts the token (the `api` scope works), with API usage from Sforce-Limit-Info. */
import { pass, warn, type Check } from '../../checks/check.js';
import { latestVersion, listRestVersions, restGet } from '../../salesforce/api.js';
import { outcomeFromCallError } from '../explain-outcome.js';
import { failureContextFor, requireProfile, requireToken, type VerifyContext } from '../context.js';

export const restApiCheck: Check<VerifyContext> = {
  id: 'rest-api',
  title: 'REST API (api scope)',
  needs: ['refresh'],
  async run(ctx) {
    const profile = requireProfile(ctx);
    const token = requireToken(ctx);
    try {
      const prefetched = profile.instanceUrl === token.instanceUrl ? await ctx.restVersions : undefined;
      const versions = prefetched ?? (await listRestVersions(ctx.http, token.instanceUrl));
      const latest = latestVersion(versions);
      const path = latest ? `/services/data/v${latest.version}/` : '/services/data/';
      const res = await restGet(ctx.http, { instanceUrl: token.instanceUrl, path, accessToken: token.accessToken });
      const usage = res.limitInfo?.apiUsage;
      const usageText = usage ? `; API usage ${usage.used}/${usage.max} today` : '';
      const answered = `${latest ? `v${latest.version}` : 'REST API'} answered${usageText}`;
      if (usage && usage.max > 0 && usage.used / usage.max >= 0.9) {
        return warn(`${answered} (over 90% of the daily limit)`, 'API calls fail with REQUEST_LIMIT_EXCEEDED once the limit is reached; check Setup → Company Information → API Requests');
      }
      return pass(answered);
    } catch (err) {
      return outcomeFromCallError(err, failureContextFor(ctx));
    }
  },
};
