/**
 * Profile: the callback URL is a loopback http URL and its port can be bound right now. A busy port does
 * not break saved credentials, but `sfoauth init` could not receive the authorization code, so it is a
 * warning that names the process holding the port.
 */
import { PortInUseError, SfOAuthError } from '../../../errors.js';
import { EXIT } from '../../../exit-codes.js';
import { fail, pass, skip, warn } from '../../checks/check.js';
import { bindAddressesFor, parseCallbackUrl } from '../../oauth/callback-url.js';
import { initCommand } from '../../salesforce/explain-failure.js';
import { requireDoctorProfile, type DoctorCheck } from '../context.js';

export const callbackPortCheck: DoctorCheck = {
  id: 'callback-port',
  group: 'profile',
  title: 'Callback URL and port',
  needs: ['profile'],
  async run(ctx) {
    const profile = requireDoctorProfile(ctx);
    if (profile.flow !== 'web-server') return skip(`${profile.flow} flow: no browser and no callback`);
    if (ctx.source === 'env') return skip('SFOAUTH_* variables name no callback URL; only `sfoauth init` listens for one');
    let addresses: string[];
    let callback;
    try {
      callback = parseCallbackUrl(profile.callbackUrl);
      addresses = bindAddressesFor(callback.host);
    } catch (err) {
      if (!(err instanceof SfOAuthError)) throw err;
      return fail(err.message, err.hint ?? `run ${initCommand(ctx.profileName, '--callback-url http://localhost:1717/OauthRedirect')}`, {
        exitCode: EXIT.USAGE,
      });
    }
    try {
      await ctx.checkPortFree(callback.port, addresses, callback.url);
    } catch (err) {
      if (err instanceof PortInUseError) {
        return warn(`${err.message} \`sfoauth init\` cannot receive the callback until it is free.`, err.hint);
      }
      if (err instanceof SfOAuthError) return fail(err.message, err.hint, { exitCode: EXIT.USAGE });
      throw err;
    }
    return pass(`${callback.url.href}: port ${callback.port} is free on ${addresses.join(' and ')}`);
  },
};
