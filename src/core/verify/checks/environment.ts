/** Check 8: the environment the profile says (production/sandbox) matches the org the token belongs to. */
import { pass, warn, type Check } from '../../checks/check.js';
import { environmentOfToken, loginHostProblems } from '../../salesforce/hosts.js';
import { requireProfile, requireToken, type VerifyContext } from '../context.js';

export const environmentCheck: Check<VerifyContext> = {
  id: 'environment',
  title: 'Environment and host agree',
  needs: ['refresh'],
  async run(ctx) {
    const profile = requireProfile(ctx);
    const token = requireToken(ctx);
    const actual = environmentOfToken({ instanceUrl: token.instanceUrl, idUrl: token.idUrl });
    const integration = (env: string) => (env === 'sandbox' ? 'salesforce-sandbox' : 'salesforce');
    if (actual && actual !== profile.env) {
      return warn(
        `the profile says ${profile.env}, but the org is a ${actual} org (${new URL(token.instanceUrl).host})`,
        `run \`sfoauth init --profile ${ctx.profileName} --env ${actual}\`; in Nango use the ${integration(actual)} integration`,
      );
    }
    const problems = loginHostProblems(profile.loginUrl, profile.env);
    if (problems.length > 0) return warn(problems[0]!, undefined, { detail: problems.slice(1) });
    return pass(`${actual ?? profile.env} org at ${token.instanceUrl} (Nango integration: ${integration(actual ?? profile.env)})`);
  },
};
