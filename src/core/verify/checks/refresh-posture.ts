/**
 * Posture of the refresh token flow, as far as it can be seen from outside (docs/interop.md "Security
 * posture"): rotation is what the refresh check just saw (a new refresh token, or none), remembered in
 * the profile; whether the flow requires the secret is asked with a refresh grant that carries a
 * made-up refresh token and no secret, so nothing real is spent: Salesforce checks the client before the
 * token, answering `invalid_client` when the secret is required and `invalid_grant` when it is not.
 */
import { pass, skip, warn, type Check } from '../../checks/check.js';
import type { HttpClient } from '../../http/request.js';
import { explainPosture, type PostureFinding } from '../../salesforce/error-catalog.js';
import { knownAppType, requireProfile, requireToken, type VerifyContext } from '../context.js';

/** Not a refresh token: a probe that can only be refused. */
const PROBE_TOKEN = 'sfoauth-posture-probe-not-a-refresh-token';

export const refreshPostureCheck: Check<VerifyContext> = {
  id: 'refresh-posture',
  title: 'Refresh token rotation and secret',
  needs: ['refresh'],
  async run(ctx) {
    const profile = requireProfile(ctx);
    if (profile.flow !== 'web-server') return skip(`${profile.flow} flow: no refresh token, each run asks for a new access token`);
    // Without rotation Salesforce sends no refresh_token on a refresh; with it, a new one (already saved).
    const issued = requireToken(ctx).refreshToken;
    const rotation = issued !== undefined && issued !== '' && issued !== profile.refreshToken;
    const was = profile.refreshTokenRotation;
    if (was !== rotation && ctx.rememberRotation) await ctx.rememberRotation(rotation);

    const secretRequired = profile.clientSecret ? await refreshNeedsSecret(ctx.http, profile.loginUrl, profile.clientId) : undefined;
    const findings: PostureFinding[] = [];
    if (!rotation) findings.push('rotation-off');
    if (secretRequired === false) findings.push('refresh-secret-optional');

    const parts = [
      rotation ? 'rotation on (the new refresh token was saved)' : 'rotation off (the refresh token stays the same)',
      secretRequired === true
        ? 'the secret is required for refresh'
        : secretRequired === false
          ? 'the secret seems NOT required for refresh (a refresh grant without it was refused for its token, not for the missing secret)'
          : profile.clientSecret
            ? 'whether the secret is required could not be told'
            : 'public client: refresh works without a secret',
    ];
    const detail: string[] = [];
    if (was === true && !rotation) detail.push('The last run saw rotation on: someone turned it off on the app.');
    for (const f of findings) {
      const e = explainPosture(f, knownAppType(ctx));
      detail.push(`${e.title}. ${e.requirement}`, `To change: ${e.fix}: ${e.setup.join('; ')}`);
    }
    const summary = parts.join('; ');
    // Rotation is required only of some partner apps, so "off" is reported, not warned about.
    if (secretRequired === false || (was === true && !rotation)) {
      const e = explainPosture(secretRequired === false ? 'refresh-secret-optional' : 'rotation-off', knownAppType(ctx));
      return warn(summary, `${e.fix}: ${e.setup.join('; ')}`, { detail });
    }
    return pass(summary, detail.length > 0 ? { detail } : {});
  },
};

/** true / false from the probe's refusal; undefined when the answer says neither. */
async function refreshNeedsSecret(http: HttpClient, loginUrl: string, clientId: string): Promise<boolean | undefined> {
  const url = `${loginUrl.replace(/\/+$/, '')}/services/oauth2/token`;
  const res = await http.request({
    method: 'POST',
    url,
    idempotent: true,
    form: { grant_type: 'refresh_token', client_id: clientId, refresh_token: PROBE_TOKEN },
  });
  let error: unknown;
  try {
    error = (res.json() as { error?: unknown } | null)?.error;
  } catch {
    return undefined;
  }
  if (error === 'invalid_client') return true;
  if (error === 'invalid_grant') return false;
  return undefined;
}
