/**
 * init's cheap checks, run before the browser login (a login whose result cannot be used orphans an
 * approval; Salesforce keeps 5 per user and app) and after it (the org's own word on its kind).
 *
 * The secret probe is doctor's App check (core/doctor/checks/app-credentials.ts): the refresh grant with
 * the Consumer Key, the Secret, and a made-up refresh token. Salesforce authenticates the client first,
 * so `invalid_client` means the secret is wrong and `invalid_grant` means key and secret are fine. The
 * made-up value is not a token: nothing can be spent, rotated or revoked by it.
 */
import type { SalesforceError } from '../errors.js';
import { probeClient } from '../core/doctor/checks/app-credentials.js';
import { environmentOfOrg, environmentMismatch, nangoIntegrationFor } from '../core/salesforce/org-kind.js';
import { environmentOfToken } from '../core/salesforce/hosts.js';
import type { OrgRecord } from '../core/salesforce/api.js';
import type { Environment } from '../core/config/profile.js';
import type { HttpClient } from '../core/http/request.js';

/** What init says when the secret is refused: one line for the wizard, and the error that stops a run. */
export interface RefusedSecret {
  said: string;
  error: SalesforceError;
}

/**
 * Undefined unless the token endpoint answers `invalid_client` (the key is known, the secret is not its
 * secret). Anything else is left to the login itself: `invalid_client_id` is the authorize probe's
 * business (propagation), and an answer that is not Salesforce's is no reason to stop here. A network
 * failure is thrown: the login would fail the same way.
 */
export async function checkClientSecret(http: HttpClient, app: { loginUrl: string; clientId: string; clientSecret: string }): Promise<RefusedSecret | undefined> {
  const refused = await probeClient(http, app);
  if (refused?.error !== 'invalid_client') return undefined;
  refused.hint = 'Nothing was opened or saved: sfoauth checks the Consumer Key and Secret before the browser login, so no approval was spent.';
  return { said: `${new URL(app.loginUrl).host} knows the Consumer Key but rejects this Consumer Secret (invalid_client).`, error: refused };
}

export interface EnvironmentFinding {
  /** The environment the org says it is in. */
  detected: Environment;
  /** One sentence: what was chosen, what the org is. */
  said: string;
}

/** After the login: undefined when the chosen environment is the org's (or nothing tells). */
export function environmentFinding(
  chosen: Environment,
  org: OrgRecord | undefined,
  token: { instanceUrl: string; idUrl: string },
): EnvironmentFinding | undefined {
  const host = new URL(token.instanceUrl).host;
  if (org) {
    const mismatch = environmentMismatch(chosen, org);
    return mismatch ? { detected: environmentOfOrg(org), said: `You chose ${chosen}, but ${host} is ${mismatch.what}.` } : undefined;
  }
  const detected = environmentOfToken(token);
  return detected && detected !== chosen ? { detected, said: `You chose ${chosen}, but ${host} is a ${detected} org.` } : undefined;
}

/** The warning kept in the result when the profile was saved with the detected environment. */
export function savedAsDetected(f: EnvironmentFinding): string {
  return `${f.said} The profile was saved as ${f.detected}; in Nango use the ${nangoIntegrationFor(f.detected)} integration.`;
}

/** The warning kept when the person chose to keep the environment they gave. */
export function keptAsChosen(f: EnvironmentFinding, chosen: Environment): string {
  return `${f.said} The profile was saved as ${chosen}, as you chose; in Nango the ${nangoIntegrationFor(f.detected)} integration matches this org.`;
}
