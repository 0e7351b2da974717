/**
 * Posture: the app requires PKCE. One authorize GET without code_challenge (redirects not followed):
 * Salesforce refuses it at once with `invalid_request` / "missing required code challenge" when the app
 * requires PKCE, so the refusal happens before any login or approval. Otherwise it sends the browser on
 * to log in (or the emulator approves at once; that code is never used). docs/interop.md "Security posture".
 */
import { EXIT } from '../../../exit-codes.js';
import { NetworkError } from '../../../errors.js';
import { fail, pass, skip, warn, type Check } from '../../checks/check.js';
import { buildAuthorizeUrl } from '../../oauth/authorize-url.js';
import { createState } from '../../oauth/state.js';
import { askAuthorize } from '../../salesforce/authorize-probe.js';
import { explainPosture } from '../../salesforce/error-catalog.js';
import { knownAppType, requireProfile, type VerifyContext } from '../context.js';

const random = (n: number) => globalThis.crypto.getRandomValues(new Uint8Array(n));

export const pkceCheck: Check<VerifyContext> = {
  id: 'pkce',
  title: 'PKCE required by the app',
  needs: ['login-host'],
  async run(ctx) {
    const profile = requireProfile(ctx);
    if (profile.flow !== 'web-server') return skip(`${profile.flow} flow: PKCE belongs to the web-server flow`);
    if (ctx.source === 'env') return skip('SFOAUTH_* variables name no registered callback URL; run it on a saved profile');
    const url = buildAuthorizeUrl({
      loginUrl: profile.loginUrl,
      clientId: profile.clientId,
      redirectUri: profile.callbackUrl,
      scopes: profile.scopes,
      state: createState(random),
      codeChallenge: 'placeholder',
    });
    // The probe is the same request without PKCE: the builder insists on a challenge, so drop it here.
    url.searchParams.delete('code_challenge');
    url.searchParams.delete('code_challenge_method');
    let answer;
    try {
      answer = await askAuthorize(ctx.http, url, profile.callbackUrl);
    } catch (err) {
      if (err instanceof NetworkError) return fail(err.message, err.hint, { exitCode: EXIT.NETWORK });
      throw err;
    }
    if (answer.kind === 'redirect-error' && answer.error === 'invalid_request' && /code.challenge/i.test(answer.description ?? '')) {
      return pass(`enforced: an authorize request without code_challenge is refused (${answer.error}: ${answer.description})`);
    }
    if (answer.kind === 'login' || answer.kind === 'approved') {
      const e = explainPosture('pkce-not-required', knownAppType(ctx));
      const went = answer.kind === 'login' ? 'it went on to the login page' : 'it approved at once; that code was not used';
      return warn(`${e.title}: an authorize request without code_challenge was accepted (${went})`, `${e.fix}: ${e.setup.join('; ')}`, {
        detail: [`Why: ${e.requirement}`],
      });
    }
    const said = answer.kind === 'unknown' ? `HTTP ${answer.status}` : `${answer.error}${answer.description ? ` (${answer.description})` : ''}`;
    return skip(`not judged: the authorize endpoint answered ${said}; \`sfoauth doctor\` checks the app and its callback URL`);
  },
};
