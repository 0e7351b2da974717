/** Check 5: userinfo answers for the saved user and org. */
import { pass, warn, type Check } from '../../checks/check.js';
import { getUserInfo } from '../../salesforce/api.js';
import { outcomeFromCallError } from '../explain-outcome.js';
import { failureContextFor, initCommand, requireProfile, requireToken, type VerifyContext } from '../context.js';

export const userinfoCheck: Check<VerifyContext> = {
  id: 'userinfo',
  title: 'User and org (userinfo)',
  needs: ['refresh'],
  async run(ctx) {
    const profile = requireProfile(ctx);
    const token = requireToken(ctx);
    let info;
    try {
      info = await getUserInfo(ctx.http, { instanceUrl: token.instanceUrl, accessToken: token.accessToken });
    } catch (err) {
      return outcomeFromCallError(err, failureContextFor(ctx));
    }
    const who = `${info.preferredUsername} (user ${info.userId}, org ${info.organizationId})`;
    const changed: string[] = [];
    if (profile.userId && !sameId(profile.userId, info.userId)) changed.push(`user (saved ${profile.userId})`);
    if (profile.orgId && !sameId(profile.orgId, info.organizationId)) changed.push(`org (saved ${profile.orgId})`);
    if (changed.length > 0) {
      return warn(
        `the token belongs to ${who}, not the saved ${changed.join(' and ')}`,
        `if that is not intended, run ${initCommand(ctx.profileName)} and log in as the right user`,
      );
    }
    return pass(who);
  },
};

/** Salesforce ids come in 15- and 18-character forms; the first 15 characters identify the record. */
function sameId(a: string, b: string): boolean {
  return a.slice(0, 15) === b.slice(0, 15);
}
