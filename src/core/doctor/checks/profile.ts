/**
 * Profile: there is something to check (a saved profile or SFOAUTH_* variables) and it is complete.
 * Everything after the machine group needs this. The completeness rules are `sfoauth test`'s own
 * config check, so both commands agree on what a usable profile is.
 */
import { skip, type CheckOutcome } from '../../checks/check.js';
import { configCheck } from '../../verify/checks/config.js';
import type { DoctorCheck } from '../context.js';

export const profileCheck: DoctorCheck = {
  id: 'profile',
  group: 'profile',
  title: 'Profile',
  async run(ctx): Promise<CheckOutcome> {
    if (ctx.source === 'none') return skip('no profile and no SFOAUTH_* variables: nothing to check beyond this machine');
    if (ctx.configUnreadable && !ctx.profile) return skip('the config file could not be read (see "Config file" above)');
    const outcome = await configCheck.run(ctx.verify);
    if (outcome.status !== 'pass' || !ctx.profile) return outcome;
    const p = ctx.profile;
    const from = ctx.source === 'env' ? 'SFOAUTH_* environment variables' : `profile "${ctx.profileName}"`;
    return { ...outcome, summary: `${from}: ${p.env}, ${p.appType}, login ${p.loginUrl}` };
  },
};
