/**
 * An access token for the server-to-server flows (docs/flows.md): client credentials and the JWT bearer
 * grant. Neither has a refresh token, so nothing is spent or saved here and no lock is needed (unlike
 * refresh-profile.ts): each run simply asks for a new access token.
 */
import { UsageError } from '../../errors.js';
import type { HttpClient } from '../http/request.js';
import { hostOf } from '../http/url.js';
import { requestToken, type TokenResponse } from '../oauth/token.js';
import { jwtBearerClaims, signJwtBearerAssertion } from '../oauth/jwt-assertion.js';
import type { ClientCredentialsProfile, JwtBearerProfile } from '../config/profile.js';
import { classifyHost } from '../salesforce/hosts.js';

export type ServerProfile = ClientCredentialsProfile | JwtBearerProfile;

export interface ServerTokenInput {
  http: HttpClient;
  profile: ServerProfile;
  now: () => number;
  /** The PEM private key of a JWT bearer profile (read by the caller: a file, or SFOAUTH_PRIVATE_KEY). */
  privateKeyPem?: () => string;
  timeoutMs?: number;
}

/**
 * Salesforce refuses client credentials on login.salesforce.com and test.salesforce.com ("request not
 * supported on this domain", docs/flows.md): say so before sending anything. Undefined when the host may work.
 */
export function clientCredentialsHostProblem(loginUrl: string): string | undefined {
  const kind = classifyHost(loginUrl);
  if (kind !== 'generic-production' && kind !== 'generic-sandbox') return undefined;
  return `The client credentials flow only works on the org's My Domain, not on ${hostOf(loginUrl)}.`;
}

export const MY_DOMAIN_HINT = 'Use the My Domain URL as the login URL, e.g. --login-url https://<MyDomain>.my.salesforce.com (sandbox: https://<MyDomain>--<sandbox>.sandbox.my.salesforce.com).';

export function assertClientCredentialsHost(loginUrl: string): void {
  const problem = clientCredentialsHostProblem(loginUrl);
  if (problem) throw new UsageError(problem, { hint: MY_DOMAIN_HINT });
}

export async function requestServerToken(input: ServerTokenInput): Promise<TokenResponse> {
  const { http, profile } = input;
  const timeout = input.timeoutMs !== undefined ? { timeoutMs: input.timeoutMs } : {};
  if (profile.flow === 'client-credentials') {
    assertClientCredentialsHost(profile.loginUrl);
    return requestToken(http, {
      loginUrl: profile.loginUrl,
      client: { method: 'client_secret_post', clientId: profile.clientId, clientSecret: profile.clientSecret },
      grant: { type: 'client_credentials' },
      ...timeout,
    });
  }
  if (!input.privateKeyPem) throw new UsageError('The JWT bearer flow needs the private key.', { hint: 'Pass --private-key <file>, or set SFOAUTH_PRIVATE_KEY_FILE or SFOAUTH_PRIVATE_KEY.' });
  const claims = jwtBearerClaims({ consumerKey: profile.clientId, username: profile.username, audience: profile.audience, now: input.now() });
  const assertion = signJwtBearerAssertion(claims, input.privateKeyPem());
  return requestToken(http, { loginUrl: profile.loginUrl, client: { method: 'in_assertion' }, grant: { type: 'jwt_bearer', assertion }, ...timeout });
}
