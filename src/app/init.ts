/**
 * The init use case, from resolved options (cli/commands/init/resolve.ts): check the profile may be
 * written, run the browser flow, verify what came back, and only then save. A failed or cancelled run leaves any
 * previous profile exactly as it was.
 */
import { BadResponseError } from '../errors.js';
import { verifySignature } from '../core/oauth/signature.js';
import { getOrganization, getUserInfo, type OrgRecord, type UserInfo } from '../core/salesforce/api.js';
import { environmentOfToken, parseIdUrl } from '../core/salesforce/hosts.js';
import { environmentMismatch, nangoIntegrationFor } from '../core/salesforce/org-kind.js';
import { hasRefreshScope } from '../core/salesforce/scopes.js';
import type { Profile } from '../core/config/profile.js';
import type { ProfileStore } from '../core/config/store.js';
import type { Deps } from '../deps.js';
import { httpClientOf } from '../core/http/request.js';
import { runAuthorizationFlow } from './init-flow.js';
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

export async function runInit(opts: InitOptions, store: ProfileStore, deps: InitDeps): Promise<InitResult> {
  const http = httpClientOf(deps);
  const warnings: string[] = [];
  // Before the browser opens: a login whose result cannot be saved would orphan an approval
  // (Salesforce keeps 5 per user and app). Exit 2 with the path and the fix, nothing spent.
  await store.assertWritable();
  const token = await runAuthorizationFlow(opts, http, deps);

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
  const [user, org] = await Promise.all([
    getUserInfo(http, session),
    // The org's own word on its kind; a token without the api scope cannot read it, and host names decide.
    getOrganization(http, session).catch(() => undefined),
  ]);

  const host = new URL(token.instanceUrl).host;
  const mismatch = org && environmentMismatch(opts.env, org);
  const actualEnv = org ? undefined : environmentOfToken({ instanceUrl: token.instanceUrl, idUrl: token.idUrl });
  if (mismatch) {
    warnings.push(`You chose ${opts.env}, but ${host} is ${mismatch.what}. Re-run with ${mismatch.fix}.`);
  } else if (actualEnv && actualEnv !== opts.env) {
    warnings.push(`You chose ${opts.env}, but ${host} is a ${actualEnv} org. Re-run with --env ${actualEnv}; in Nango use the ${nangoIntegrationFor(actualEnv)} integration.`);
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
