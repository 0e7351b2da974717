/**
 * Profile: the client id looks like a Consumer Key (3MVG9…, about 85 characters, nothing pasted around
 * it). Only damage is a failure; an odd shape is a warning, since Salesforce has the last word (the
 * app-credentials check asks it). The value is never shown: it may be a secret pasted into the wrong field.
 */
import { EXIT } from '../../../exit-codes.js';
import { fail, pass, warn } from '../../checks/check.js';
import { checkConsumerKey } from '../../salesforce/consumer-key.js';
import { requireDoctorProfile, type DoctorCheck, type DoctorContext } from '../context.js';
import { consumerKeyScreens, initCommand } from '../../verify/context.js';

export const consumerKeyCheck: DoctorCheck = {
  id: 'consumer-key',
  group: 'profile',
  title: 'Consumer Key',
  needs: ['profile'],
  async run(ctx) {
    const profile = requireDoctorProfile(ctx);
    const key = profile.clientId;
    const result = checkConsumerKey(key);
    if (!result.ok) return fail(result.warning ?? 'the Consumer Key is unusable', copyAgain(ctx, 'Consumer Key'), { exitCode: EXIT.USAGE });
    if (result.warning) return warn(result.warning, copyAgain(ctx, 'Consumer Key'));
    return pass(`looks like a Consumer Key (${key.slice(0, 5)}…, ${key.length} characters)`);
  },
};

/** "Copy it again from <Setup screen>, then save it again." */
export function copyAgain(ctx: DoctorContext, what: 'Consumer Key' | 'Consumer Secret'): string {
  const where = consumerKeyScreens(ctx);
  const save =
    ctx.source === 'env'
      ? `set ${what === 'Consumer Key' ? 'SFOAUTH_CLIENT_ID' : 'SFOAUTH_CLIENT_SECRET'} to it`
      : `run ${initCommand(ctx.profileName)}`;
  return `copy the ${what} again from ${where} and ${save}`;
}
