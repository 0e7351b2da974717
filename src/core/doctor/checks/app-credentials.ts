/**
 * App: does Salesforce know the Consumer Key, and is the Secret right? Asked without the real refresh
 * token: the refresh grant is sent with the profile's key and secret and a refresh token that cannot
 * exist. Salesforce authenticates the client before it looks the token up, so the error names the
 * first thing that is wrong:
 *   invalid_client_id → the key is unknown here (or the app has not propagated yet);
 *   invalid_client    → the key is known, the secret is wrong (or required and missing);
 *   invalid_grant     → key and secret are fine; only the made-up token was refused.
 * Why this is safe: the probe value is not a token, so nothing can be consumed, rotated or revoked (the
 * rotation rule that kills a token family applies to reuse of a real, rotated-out token), and the
 * profile's refresh token is never sent here. The token group still runs after this, with the real token.
 */
import { NetworkError, SalesforceError } from '../../../errors.js';
import { fail, networkFailure, pass, skip, warn, type CheckOutcome } from '../../checks/check.js';
import { refreshAccessToken } from '../../oauth/token.js';
import { setupLines } from '../../salesforce/error-catalog.js';
import { explainFailure, failureOf } from '../../salesforce/explain-failure.js';
import { SETUP_CONSUMER_KEY, SETUP_SECURITY } from '../../salesforce/setup-screens.js';
import { outcomeFromCallError } from '../../verify/explain-outcome.js';
import type { HttpClient } from '../../http/request.js';
import { requireDoctorProfile, type DoctorCheck, type DoctorContext } from '../context.js';
import { consumerKeyScreens, failureContextFor, initCommand, knownAppType } from '../../verify/context.js';

/** Not a token: far too short and shaped like none Salesforce issues, so it can never match a real one. */
export const PROBE_REFRESH_TOKEN = 'sfoauth-doctor-probe-not-a-token';

/**
 * The probe (doctor's App check, init's secret check): the refresh grant with the app's key and secret
 * and PROBE_REFRESH_TOKEN. Resolves with Salesforce's refusal (`invalid_grant` when key and secret are
 * fine), or undefined when a token was issued; anything else (the network) is thrown.
 */
export async function probeClient(http: HttpClient, app: { loginUrl: string; clientId: string; clientSecret?: string }): Promise<SalesforceError | undefined> {
  try {
    await refreshAccessToken(http, {
      loginUrl: app.loginUrl,
      clientId: app.clientId,
      ...(app.clientSecret !== undefined ? { clientSecret: app.clientSecret } : {}),
      refreshToken: PROBE_REFRESH_TOKEN,
    });
    return undefined;
  } catch (err) {
    if (err instanceof SalesforceError) return err;
    throw err;
  }
}

export const appCredentialsCheck: DoctorCheck = {
  id: 'app-credentials',
  group: 'app',
  title: 'Consumer Key and Secret',
  needs: ['consumer-key', 'tcp-tls'],
  async run(ctx) {
    const profile = requireDoctorProfile(ctx);
    // The JWT bearer grant carries no client secret: the token group's grant is what checks the app.
    if (profile.flow === 'jwt-bearer') return skip('jwt-bearer flow: the app is checked by the JWT bearer grant itself (The saved token)');
    const app = { loginUrl: profile.loginUrl, clientId: profile.clientId, ...(profile.clientSecret ? { clientSecret: profile.clientSecret } : {}) };
    const refused = await probeClient(ctx.http, app).catch((err: unknown) => err);
    if (refused !== undefined) return outcomeOf(ctx, refused);
    return warn(
      `${new URL(profile.loginUrl).host} issued a token for a refresh token that does not exist; it does not behave like Salesforce`,
      'check the login URL: it should be https://login.salesforce.com, https://test.salesforce.com or your My Domain',
    );
  },
};

function outcomeOf(ctx: DoctorContext, err: unknown): CheckOutcome {
  const profile = requireDoctorProfile(ctx);
  const host = new URL(profile.loginUrl).host;
  if (err instanceof NetworkError) return networkFailure(err, 'check your network and proxy settings');
  if (!(err instanceof SalesforceError)) return outcomeFromCallError(err);

  if (err.error === 'invalid_grant') {
    return pass(`${host} accepts the Consumer Key and Secret (it refused only the made-up refresh token, as intended)`);
  }
  const e = explainFailure({ ...failureOf(err), endpoint: 'token' }, failureContextFor(ctx.verify));
  const said = `${err.error}${err.errorDescription ? ` (${err.errorDescription})` : ''}`;
  const setup = (paths: typeof SETUP_CONSUMER_KEY) => setupLines(paths, knownAppType(ctx));

  if (err.error === 'invalid_client_id') {
    return fail(`${host} does not know this Consumer Key (${said}): the app is new and not propagated yet, or the key is wrong for this org`, e.fix, {
      detail: [`Cause: ${e.cause}`, ...setup(SETUP_CONSUMER_KEY).map((s) => `Setup: ${s}`)],
    });
  }
  if (err.error === 'invalid_client') {
    const summary = profile.clientSecret
      ? `${host} knows the Consumer Key but rejects the Consumer Secret (${said})`
      : `${host} knows the Consumer Key but the app requires a Consumer Secret and none is stored (${said})`;
    const fix = profile.clientSecret
      ? `copy the Consumer Secret again (${consumerKeyScreens(ctx)}) and ${ctx.source === 'env' ? 'set SFOAUTH_CLIENT_SECRET to it' : `run ${initCommand(ctx.profileName)}`}`
      : `store the secret (${ctx.source === 'env' ? 'SFOAUTH_CLIENT_SECRET' : initCommand(ctx.profileName)}), or turn off "Require secret for Refresh Token Flow" (${setup(SETUP_SECURITY).join('; ')})`;
    return fail(summary, fix, { detail: [`Cause: ${e.cause}`] });
  }
  return fail(`${host} refused the app: ${said}`, e.fix, {
    detail: [`Cause: ${e.cause}`, ...e.setup.map((screen, i) => `${i === 0 ? 'Setup:' : '      '} ${screen}`)],
  });
}
