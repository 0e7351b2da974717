/** Check 1: the profile (or SFOAUTH_* variables) has everything the other checks need. */
import { EXIT } from '../../../exit-codes.js';
import { fail, pass, type Check } from '../../checks/check.js';
import { initCommand, type VerifyContext } from '../context.js';

export const configCheck: Check<VerifyContext> = {
  id: 'config',
  title: 'Configuration',
  async run(ctx) {
    if (!ctx.profile) {
      const p = ctx.configProblem ?? { summary: 'no configuration found', fix: 'run `sfoauth init`' };
      return fail(p.summary, p.fix, { exitCode: EXIT.USAGE, ...(p.detail ? { detail: p.detail } : {}) });
    }
    const missing: string[] = [];
    if (ctx.profile.flow === 'client-credentials' && !ctx.profile.clientSecret) missing.push(ctx.source === 'env' ? 'SFOAUTH_CLIENT_SECRET' : 'clientSecret');
    if (ctx.profile.flow === 'jwt-bearer' && !ctx.profile.username) missing.push(ctx.source === 'env' ? 'SFOAUTH_USERNAME' : 'username');
    if (!ctx.profile.clientId) missing.push(ctx.source === 'env' ? 'SFOAUTH_CLIENT_ID' : 'clientId');
    if (ctx.profile.flow === 'web-server' && !ctx.profile.refreshToken) missing.push(ctx.source === 'env' ? 'SFOAUTH_REFRESH_TOKEN' : 'refreshToken');
    if (missing.length > 0) {
      const fix =
        ctx.source === 'env'
          ? `set ${missing.join(' and ')} (see \`sfoauth export --format env --include-secrets\`)`
          : `run ${initCommand(ctx.profileName)} to complete the profile`;
      return fail(`missing ${missing.join(', ')}`, fix, { exitCode: EXIT.USAGE });
    }
    const from = ctx.source === 'env' ? 'SFOAUTH_* environment variables' : `profile "${ctx.profileName}"`;
    const flow = ctx.profile.flow === 'web-server' ? '' : `${ctx.profile.flow} flow, `;
    return pass(`${from}: ${flow}${ctx.profile.env}, ${ctx.profile.loginUrl}`);
  },
};
