/**
 * Profile: the Consumer Secret is present and of a known form (64 upper-case hex characters, or 19
 * digits for old Connected Apps). Whether Salesforce accepts it is the app-credentials check's job.
 */
import { EXIT } from '../../../exit-codes.js';
import { fail, pass, warn } from '../../checks/check.js';
import { checkConsumerSecret } from '../../salesforce/consumer-key.js';
import { requireDoctorProfile, type DoctorCheck } from '../context.js';
import { copyAgain } from './consumer-key.js';

export const consumerSecretCheck: DoctorCheck = {
  id: 'consumer-secret',
  group: 'profile',
  title: 'Consumer Secret',
  needs: ['profile'],
  async run(ctx) {
    const profile = requireDoctorProfile(ctx);
    const secret = profile.clientSecret;
    if (!secret && profile.flow === 'jwt-bearer') return pass('none stored: the JWT bearer flow signs an assertion instead (introspection is skipped)');
    if (!secret) {
      // A public client is legitimate, but External Client Apps require the secret for refresh by default.
      return pass('none stored: the app must not require a secret ("Require secret for Refresh Token Flow" off)');
    }
    const result = checkConsumerSecret(secret);
    if (!result.ok) return fail(result.warning ?? 'the Consumer Secret is unusable', copyAgain(ctx, 'Consumer Secret'), { exitCode: EXIT.USAGE });
    if (result.warning) return warn(result.warning, copyAgain(ctx, 'Consumer Secret'));
    return pass(`stored, of a known form (${secret.length} characters)`);
  },
};
