/**
 * App: the authorize endpoint accepts the app with the profile's callback URL(s), as `sfoauth init` (and
 * Nango) will send them. No browser and no login: a GET of the authorize URL, redirects not followed.
 * Salesforce shows an unknown client or an unregistered callback on its own page (SALESFORCE.md §3.3),
 * and otherwise sends the browser on to log in; org refusals such as a blocked app or an External
 * Client App not installed here come back to the callback as `?error=` (where Salesforce decides them
 * before the login, or the emulator approves at once). A code that comes back is never exchanged.
 */
import { EXIT } from '../../../exit-codes.js';
import { NetworkError } from '../../../errors.js';
import { fail, outcomeFromError, pass, skip, warn, type CheckOutcome } from '../../checks/check.js';
import { buildAuthorizeUrl } from '../../oauth/authorize-url.js';
import { parseCallbackUrl } from '../../oauth/callback-url.js';
import { createPkcePair } from '../../oauth/pkce.js';
import { createState } from '../../oauth/state.js';
import { explainError } from '../../salesforce/error-catalog.js';
import { parseErrorText } from '../../salesforce/parse-error-text.js';
import { requireDoctorProfile, type DoctorCheck, type DoctorContext } from '../context.js';

/** The errors Salesforce renders on its own page instead of redirecting. */
const PAGE_ERRORS = new Set(['invalid_client_id', 'redirect_uri_mismatch', 'redirect_uri_missing']);

type Answer =
  | { kind: 'login' }
  | { kind: 'approved' }
  | { kind: 'page-error' | 'redirect-error'; error: string; description: string | undefined }
  | { kind: 'unknown'; status: number };

export const authorizeCheck: DoctorCheck = {
  id: 'authorize',
  group: 'app',
  title: 'Authorize endpoint and callback URL',
  needs: ['app-credentials'],
  async run(ctx) {
    const profile = requireDoctorProfile(ctx);
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
      if (err instanceof NetworkError) return fail(err.message, err.hint ?? 'check your network and proxy settings', { exitCode: EXIT.NETWORK });
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

async function ask(ctx: DoctorContext, redirectUri: string): Promise<Answer> {
  const profile = requireDoctorProfile(ctx);
  const url = buildAuthorizeUrl({
    loginUrl: profile.loginUrl,
    clientId: profile.clientId,
    redirectUri,
    scopes: profile.scopes,
    state: createState(ctx.random),
    codeChallenge: createPkcePair(ctx.random).challenge,
  });
  const res = await ctx.http.request({ method: 'GET', url, idempotent: true, redirect: 'manual' });
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.get('location');
    const target = location ? safeUrl(location, url) : undefined;
    if (target && sameEndpoint(target, redirectUri)) {
      const error = target.searchParams.get('error');
      if (error) return { kind: 'redirect-error', error, description: target.searchParams.get('error_description') ?? undefined };
      if (target.searchParams.has('code')) return { kind: 'approved' };
    }
    return { kind: 'login' };
  }
  const page = parseErrorText(res.text).find((e) => PAGE_ERRORS.has(e.error));
  if (page) return { kind: 'page-error', error: page.error, description: page.description };
  if (res.status === 200) return { kind: 'login' };
  return { kind: 'unknown', status: res.status };
}

function explained(ctx: DoctorContext, host: string, callbackUrl: string, extra: boolean, error: string, description: string | undefined): CheckOutcome {
  const profile = requireDoctorProfile(ctx);
  const e = explainError({ error, ...(description ? { description } : {}), endpoint: 'authorize', appType: profile.appType });
  const said = `${error}${description ? ` (${description})` : ''}`;
  const detail = [`Cause: ${e.cause}`, ...(e.setup ? [`Setup: ${e.setup}`] : [])];
  if (error === 'redirect_uri_mismatch') {
    const which = extra ? 'the extra callback URL' : 'the callback URL';
    return fail(`${which} ${callbackUrl} is not registered on the app (${said})`, `add ${callbackUrl} to the app's Callback URL list, save, and wait up to 10 minutes${e.setup ? ` (${e.setup})` : ''}`, {
      detail: [`Cause: ${e.cause}`],
    });
  }
  if (error === 'access_denied') {
    // Only the approval step said no (the emulator's userDenies switch): the app itself is accepted.
    return warn(`${host} accepts the app, but the approval was declined (${said})`, e.fix, { detail });
  }
  return fail(`${host} refuses the app at the authorize step: ${said}`, e.fix, { detail });
}

function safeUrl(location: string, base: URL): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}

/** Same scheme, host, port and path: the redirect went back to the callback. */
function sameEndpoint(target: URL, redirectUri: string): boolean {
  const cb = safeUrl(redirectUri, target);
  return cb !== undefined && cb.origin === target.origin && cb.pathname === target.pathname;
}
