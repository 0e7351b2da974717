/** Check 4: the token response's `signature` verifies with the stored client secret. */
import { fail, pass, skip, warn, type Check } from '../../checks/check.js';
import { verifySignature } from '../../oauth/signature.js';
import { consumerKeyScreens, initCommand, requireProfile, requireToken, type VerifyContext } from '../context.js';

export const signatureCheck: Check<VerifyContext> = {
  id: 'signature',
  title: 'Client secret (signature)',
  needs: ['refresh'],
  async run(ctx) {
    const profile = requireProfile(ctx);
    const token = requireToken(ctx);
    if (profile.flow === 'jwt-bearer') return skip('jwt-bearer flow: the signed assertion, not the secret, authenticates the app');
    if (!profile.clientSecret) return skip('no client secret stored (public client), nothing to verify');
    if (!token.signature) return warn('Salesforce sent no signature, so the secret could not be verified');
    if (verifySignature({ idUrl: token.idUrl, issuedAt: token.issuedAt, signature: token.signature }, profile.clientSecret)) {
      return pass('signature verifies: the stored Consumer Secret is right');
    }
    return fail(
      'signature does not verify: the stored Consumer Secret does not belong to this app',
      `copy the Consumer Secret again (${consumerKeyScreens(ctx)}) and ${ctx.source === 'env' ? 'update the SFOAUTH_CLIENT_SECRET secret with it' : `run ${initCommand(ctx.profileName)}`}`,
    );
  },
};
