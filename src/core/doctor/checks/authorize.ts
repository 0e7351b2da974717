/**
 * App: the authorize endpoint accepts the app with the profile's callback URL(s), as `sfoauth init` (and
 * Nango) will send them. No browser and no login: a GET of the authorize URL, redirects not followed.
 * Salesforce shows an unknown client or an unregistered callback on its own page (docs/salesforce.md §3.3),
 * and otherwise sends the browser on to log in; org refusals such as a blocked app or an External
 * Client App not installed here come back to the callback as `?error=` (where Salesforce decides them
 * before the login, or the emulator approves at once). A code that comes back is never exchanged.
 */
import { NetworkError } from '../../../errors.js';
import { fail, networkFailure, outcomeFromError, pass, skip, warn, type CheckOutcome } from '../../checks/check.js';
import { buildAuthorizeUrl } from '../../oauth/authorize-url.js';
import { parseCallbackUrl } from '../../oauth/callback-url.js';
import { createPkcePair } from '../../oauth/pkce.js';
import { createState } from '../../oauth/state.js';
import { explainFailure } from '../../salesforce/explain-failure.js';
import { failureContextFor } from '../../verify/context.js';
import { askAuthorize, type AuthorizeAnswer } from '../../salesforce/authorize-probe.js';
import { requireDoctorProfile, type DoctorCheck, type DoctorContext } from '../context.js';

type Answer = AuthorizeAnswer;

export const authorizeCheck: DoctorCheck = {
  id: 'authorize',
  group: 'app',
  title: 'Authorize endpoint and callback URL',
  needs: ['app-credentials'],
  async run(ctx) {
    const profile = requireDoctorProfile(ctx);
    if (profile.flow !== 'web-server') return skip(`${profile.flow} flow: the authorize endpoint is not used`);
    if (ctx.source === 'env') return skip('SFOAUTH_* variables name no callback URL; run doctor on a saved profile to check it');
    try {
      parseCallbackUrl(profile.callbackUrl);
    } catch {
      return skip('the callback URL is not usable (see "Callback URL and port")');
    }
    const host = new URL(profile.loginUrl).host;
    const urls = [profile.callbackUrl, ...profile.extraCallbackUrls];
    let answers: Answer[];
    try {
      answers = await Promise.all(urls.map((u) => ask(ctx, u)));
    } catch (err) {
      if (err instanceof NetworkError) return networkFailure(err, 'check your network and proxy settings');
      return outcomeFromError(err);
    }

    for (const [i, answer] of answers.entries()) {
      if (answer.kind !== 'page-error' && answer.kind !== 'redirect-error') continue;
      return explained(ctx, host, urls[i]!, i > 0, answer.error, answer.description);
    }
    const unknown = answers.find((a): a is Extract<Answer, { kind: 'unknown' }> => a.kind === 'unknown');
    if (unknown) {
      return warn(`${host} answered the authorize request with HTTP ${unknown.status} and no Salesforce error`, 'run `sfoauth init` to see what the browser gets, or check the login URL');
    }
    const registered = urls.length > 1 ? `the callback URLs ${urls.join(', ')}` : `the callback URL ${urls[0]}`;
    const next = answers[0]?.kind === 'approved' ? 'it approved at once (the code it sent back was not used)' : 'it sent the browser on to log in';
    return pass(`${host} accepts the app with ${registered}; ${next}`);
  },
};

function ask(ctx: DoctorContext, redirectUri: string): Promise<Answer> {
  const profile = requireDoctorProfile(ctx);
  const url = buildAuthorizeUrl({
    loginUrl: profile.loginUrl,
    clientId: profile.clientId,
    redirectUri,
    scopes: profile.scopes,
    state: createState(ctx.random),
    codeChallenge: createPkcePair(ctx.random).challenge,
  });
  return askAuthorize(ctx.http, url, redirectUri);
}

function explained(ctx: DoctorContext, host: string, callbackUrl: string, extra: boolean, error: string, description: string | undefined): CheckOutcome {
  const e = explainFailure({ error, description, endpoint: 'authorize' }, failureContextFor(ctx.verify));
  const said = `${error}${description ? ` (${description})` : ''}`;
  const setupText = e.setup.length > 0 ? e.setup.join('; ') : undefined;
  const detail = [`Cause: ${e.cause}`, ...e.setup.map((screen, i) => `${i === 0 ? 'Setup:' : '      '} ${screen}`)];
  if (error === 'redirect_uri_mismatch') {
    const which = extra ? 'the extra callback URL' : 'the callback URL';
    return fail(`${which} ${callbackUrl} is not registered on the app (${said})`, `add ${callbackUrl} to the app's Callback URL list, save, and wait up to 10 minutes${setupText ? ` (${setupText})` : ''}`, {
      detail: [`Cause: ${e.cause}`],
    });
  }
  if (error === 'access_denied') {
    // Only the approval step said no (the emulator's userDenies switch): the app itself is accepted.
    return warn(`${host} accepts the app, but the approval was declined (${said})`, e.fix, { detail });
  }
  return fail(`${host} refuses the app at the authorize step: ${said}`, e.fix, { detail });
}
