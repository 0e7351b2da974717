/**
 * Check 9: the environment the profile says (production/sandbox) matches the org the token belongs to.
 * The Organization record decides when the token can read it; host names are the fallback.
 */
import { pass, warn, type Check } from '../../checks/check.js';
import { environmentOfToken, inputNamesFor, loginHostProblems } from '../../salesforce/hosts.js';
import { environmentMismatch, environmentOfOrg, nangoIntegrationFor } from '../../salesforce/org-kind.js';
import { organizationOf, requireProfile, requireToken, setInputFix, type VerifyContext } from '../context.js';

export const environmentCheck: Check<VerifyContext> = {
  id: 'environment',
  title: 'Environment and host agree',
  needs: ['refresh'],
  async run(ctx) {
    const profile = requireProfile(ctx);
    const token = requireToken(ctx);
    const host = new URL(token.instanceUrl).host;
    const { org } = await organizationOf(ctx);
    // In env-var mode the fix is the variable; the refresh worked, so the login URL already reaches the org.
    const rerun = (env: string) => setInputFix(ctx, 'env', env);
    if (org) {
      const mismatch = environmentMismatch(profile.env, org);
      if (mismatch) {
        return warn(`the profile says ${profile.env}, but the org is ${mismatch.what} (${host})`, `${rerun(mismatch.env)}; in Nango use the ${nangoIntegrationFor(mismatch.env)} integration`);
      }
    }
    const actual = org ? environmentOfOrg(org) : environmentOfToken({ instanceUrl: token.instanceUrl, idUrl: token.idUrl });
    if (actual && actual !== profile.env) {
      return warn(
        `the profile says ${profile.env}, but the org is a ${actual} org (${host})`,
        `${rerun(actual)}; in Nango use the ${nangoIntegrationFor(actual)} integration`,
      );
    }
    const problems = loginHostProblems(profile.loginUrl, profile.env, inputNamesFor(ctx.source));
    if (problems.length > 0) return warn(problems[0]!, undefined, { detail: problems.slice(1) });
    return pass(`${actual ?? profile.env} org at ${token.instanceUrl} (Nango integration: ${nangoIntegrationFor(actual ?? profile.env)})`);
  },
};
