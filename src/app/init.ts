/**
 * The init use case, from resolved options (cli/commands/init/resolve.ts): check the profile may be
 * written, run the browser flow, verify what came back, and only then save. A failed or cancelled run leaves any
 * previous profile exactly as it was.
 */
import { BadResponseError } from '../errors.js';
import { verifySignature } from '../core/oauth/signature.js';
import { getOrganization, getUserInfo, type OrgRecord, type UserInfo } from '../core/salesforce/api.js';
import { loginHostProblems, parseIdUrl } from '../core/salesforce/hosts.js';
import { checkClientSecret, environmentFinding, keptAsChosen, savedAsDetected } from './init-checks.js';
import { hasRefreshScope } from '../core/salesforce/scopes.js';
import type { Profile } from '../core/config/profile.js';
import type { ProfileStore } from '../core/config/store.js';
import type { Deps } from '../deps.js';
import { httpClientOf, type HttpClient } from '../core/http/request.js';
import { runAuthorizationFlow } from './init-flow.js';
import { whileWaiting } from './waiting.js';
import type { InitOptions } from './init-options.js';

export interface InitResult {
  profileName: string;
  configFile: string;
  profile: Profile;
  user: UserInfo;
  /** The Organization record, when the token could read it (otherwise host names decided). */
  org: OrgRecord | undefined;
  scopesGranted: string[];
  /** undefined when there was no secret or no signature to check. */
  signatureVerified: boolean | undefined;
  warnings: string[];
}

export type InitDeps = Pick<Deps, 'io' | 'env' | 'fetch' | 'clock' | 'random' | 'openBrowser' | 'prompter' | 'openStore' | 'signal' | 'trace' | 'showWaiting'>;

export async function runInit(given: InitOptions, store: ProfileStore, deps: InitDeps): Promise<InitResult> {
  const http = httpClientOf(deps);
  const warnings: string[] = [];
  const c = deps.io.color;
  // Before the browser opens: a login whose result cannot be saved would orphan an approval
  // (Salesforce keeps 5 per user and app). Exit 2 with the path and the fix, nothing spent.
  await store.assertWritable();
  // The wizard showed these as the host was chosen; with flags only, they come here, before the login,
  // and with the result's warnings (the --json document has no other place for them).
  if (!given.interactive) {
    for (const problem of loginHostProblems(given.loginUrl, given.env)) {
      deps.io.err(`${c.yellow('!')} ${problem}`);
      warnings.push(problem);
    }
  }
  const flow = await runAuthorizationFlow(given, http, deps, (o) => checkSecretBeforeLogin(o, http, deps));
  const { token } = flow;
  let opts = flow.opts;

  let signatureVerified: boolean | undefined;
  if (opts.clientSecret && token.signature) {
    signatureVerified = verifySignature({ idUrl: token.idUrl, issuedAt: token.issuedAt, signature: token.signature }, opts.clientSecret);
    if (!signatureVerified) {
      throw new BadResponseError('The token response signature does not verify with the Consumer Secret you entered; nothing was saved.', {
        hint: 'Copy the Consumer Secret again from the app and re-run `sfoauth init`.',
      });
    }
  }

  const session = { instanceUrl: token.instanceUrl, accessToken: token.accessToken };
  const [user, org] = await whileWaiting(deps, 'Reading the user and the org…', () => Promise.all([
    getUserInfo(http, session),
    // The org's own word on its kind; a token without the api scope cannot read it, and host names decide.
    getOrganization(http, session).catch(() => undefined),
  ]));

  // The org's own word on its kind beats the choice made before the login: a person is asked, and
  // without one the detected environment is saved, with a warning that says so.
  const finding = environmentFinding(opts.env, org, token);
  if (finding) {
    const useDetected =
      !opts.interactive ||
      (await deps.prompter.confirm({ message: `${finding.said} Save the profile as ${finding.detected}?`, default: true }));
    warnings.push(useDetected ? savedAsDetected(finding) : keptAsChosen(finding, opts.env));
    if (useDetected) opts = { ...opts, env: finding.detected };
  }
  if (!token.refreshToken) {
    warnings.push(
      hasRefreshScope(token.scope)
        ? 'Salesforce granted no refresh token: `sfoauth test` and `sfoauth token` will not work. Check the Refresh Token Policy on the app.'
        : 'No refresh token: the app did not grant "Perform requests on your behalf at any time (refresh_token, offline_access)". Add that scope to the app and to --scopes, then run init again.',
    );
  }

  const ids = parseIdUrl(token.idUrl);
  const now = new Date(deps.clock.now()).toISOString();
  const profile: Profile = {
    flow: 'web-server',
    env: opts.env,
    appType: opts.appType,
    loginUrl: opts.loginUrl,
    callbackUrl: opts.callbackUrl,
    extraCallbackUrls: opts.extraCallbackUrls,
    clientId: opts.clientId,
    ...(opts.clientSecret ? { clientSecret: opts.clientSecret } : {}),
    scopes: opts.scopes,
    ...(token.refreshToken ? { refreshToken: token.refreshToken } : {}),
    instanceUrl: token.instanceUrl,
    idUrl: token.idUrl,
    userId: user.userId || ids?.userId || '',
    orgId: user.organizationId || ids?.orgId || '',
    username: user.preferredUsername,
    createdAt: now,
    lastVerifiedAt: now,
  };
  // Under the lock: the new login replaces the profile, and the old login's cached access token must
  // not be handed out for it. A journal of the old login no longer matches and is kept aside by the
  // next refresh (docs/credentials.md), never applied over the new token.
  await store.withLock(async () => {
    await store.save(opts.profile, profile);
    await store.removeSidecar('access-token', opts.profile);
  });
  return {
    profileName: opts.profile,
    configFile: store.path,
    profile,
    user,
    org,
    scopesGranted: token.scope,
    signatureVerified,
    warnings,
  };
}

/**
 * The secret, probed before the browser opens (init-checks.ts). A wrong one stops the run with the fix,
 * or, when a person is there, is asked for again.
 */
async function checkSecretBeforeLogin(opts: InitOptions, http: HttpClient, deps: InitDeps): Promise<InitOptions> {
  let current = opts;
  for (;;) {
    const { clientSecret } = current;
    if (!clientSecret) return current;
    const refused = await whileWaiting(deps, 'Checking the Consumer Key and Secret with Salesforce…', () =>
      checkClientSecret(http, { loginUrl: current.loginUrl, clientId: current.clientId, clientSecret }),
    );
    if (!refused) return current;
    if (!current.interactive) throw refused.error;
    // Why the question that follows is asked (said even with --json).
    deps.io.instruct(`${deps.io.color.yellow('!')} ${refused.said}`);
    const again = await deps.prompter.password({
      message: 'Consumer Secret (hidden), copied again from the app:',
      validate: (v) => (v.trim() === '' ? 'The Consumer Secret is required.' : true),
    });
    current = { ...current, clientSecret: again.trim() };
  }
}
