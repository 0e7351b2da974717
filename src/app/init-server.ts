/**
 * `sfoauth init` for the server-to-server flows (docs/flows.md): no browser and no callback server. Client
 * credentials is refused on login/test.salesforce.com before anything is sent; JWT bearer uses
 * --private-key, or generates a key (0600) and a certificate under the config directory for the user to
 * upload. Then, as for the web-server flow: a token, userinfo, the REST API, and only then the save.
 */
import fs from 'node:fs';
import { getOrganization, getUserInfo, introspectToken } from '../core/salesforce/api.js';
import { parseIdUrl, defaultLoginUrl } from '../core/salesforce/hosts.js';
import { environmentMismatch } from '../core/salesforce/org-kind.js';
import { jwtAudienceFor } from '../core/oauth/jwt-assertion.js';
import { assertClientCredentialsHost } from '../core/credentials/server-token.js';
import { buildServerFlowGuide, type SetupGuide } from '../core/salesforce/setup-steps.js';
import type { ClientCredentialsProfile, JwtBearerProfile } from '../core/config/profile.js';
import type { ProfileStore } from '../core/config/store.js';
import { httpClientOf } from '../core/http/request.js';
import { certificatePathFor, generateKeyAndCertificate, keyMatchesCertificate, readPemFile, writeGeneratedKeyPair } from '../platform/certificate.js';
import type { InitDeps, InitResult } from './init.js';
import type { InitOptions } from './init-options.js';
import { serverToken } from './server-token.js';

export interface GeneratedKey {
  keyFile: string;
  certificateFile: string;
  /** Where to upload the certificate and how to pre-authorize the user. */
  guide: SetupGuide;
}

/**
 * Called when init generated a key: shows the certificate and the Setup steps; resolves true to verify
 * now (a person uploaded the certificate), false to stop with nothing saved (run init again with
 * --private-key once the certificate is on the app).
 */
export type OnKeyGenerated = (generated: GeneratedKey) => Promise<boolean>;

export type ServerInitResult = InitResult | { generated: GeneratedKey; saved: false };

export async function runServerInit(opts: InitOptions, store: ProfileStore, deps: InitDeps, onKeyGenerated: OnKeyGenerated): Promise<ServerInitResult> {
  const flow = opts.flow;
  if (flow === 'web-server') throw new Error('runServerInit is for the server-to-server flows');
  await store.assertWritable();
  const http = httpClientOf(deps);
  const warnings: string[] = [];
  const now = new Date(deps.clock.now()).toISOString();
  const base = { env: opts.env, appType: opts.appType, loginUrl: opts.loginUrl, clientId: opts.clientId, scopes: opts.scopes, createdAt: now };

  let profile: ClientCredentialsProfile | JwtBearerProfile;
  if (flow === 'client-credentials') {
    assertClientCredentialsHost(opts.loginUrl);
    profile = { ...base, flow, clientSecret: opts.clientSecret ?? '' };
  } else {
    const audience = jwtAudienceFor(opts.loginUrl) ?? defaultLoginUrl(opts.env);
    let keyFile = opts.privateKeyFile;
    let certificateFile: string | undefined;
    if (!keyFile) {
      const material = await generateKeyAndCertificate({ commonName: `sfoauth ${opts.profile}`, now: deps.clock.now() });
      const written = writeGeneratedKeyPair(store.path, opts.profile, material);
      keyFile = written.keyFile;
      certificateFile = written.certificateFile;
      const guide = buildServerFlowGuide({ flow, appType: opts.appType, env: opts.env, loginUrl: opts.loginUrl, certificateFile, username: opts.username ?? '', audience });
      if (!(await onKeyGenerated({ keyFile, certificateFile, guide }))) return { generated: { keyFile, certificateFile, guide }, saved: false };
    } else {
      certificateFile = existingCertificate(keyFile, warnings, opts.keyModeChecked === true);
    }
    profile = {
      ...base,
      flow,
      username: opts.username ?? '',
      audience,
      privateKeyFile: keyFile,
      ...(certificateFile ? { certificateFile } : {}),
      ...(opts.clientSecret ? { clientSecret: opts.clientSecret } : {}),
    };
  }

  const token = await serverToken({ profile, http, now: deps.clock.now });
  const session = { instanceUrl: token.instanceUrl, accessToken: token.accessToken };
  const [user, org, introspection] = await Promise.all([
    getUserInfo(http, session),
    getOrganization(http, session).catch(() => undefined),
    // Nango relies on introspection; it needs the Consumer Secret, which a JWT bearer profile may not hold.
    profile.clientSecret
      ? introspectToken(http, { baseUrl: token.instanceUrl, clientId: profile.clientId, clientSecret: profile.clientSecret, token: token.accessToken, hint: 'access_token' }).then(
          (r) => r.active,
          () => false,
        )
      : Promise.resolve(undefined),
  ]);
  if (introspection === false) warnings.push('Token introspection did not report the new token active: enable "Introspect All Tokens" on the app if Nango or another client introspects tokens.');
  const mismatch = org && environmentMismatch(opts.env, org);
  if (mismatch) warnings.push(`You chose ${opts.env}, but ${new URL(token.instanceUrl).host} is ${mismatch.what}. Re-run with ${mismatch.fix}.`);
  if (!org) warnings.push('The token could not read the Organization record through the REST API: add the "api" scope to the app.');

  const ids = parseIdUrl(token.idUrl);
  const saved = {
    ...profile,
    instanceUrl: token.instanceUrl,
    idUrl: token.idUrl,
    userId: user.userId || ids?.userId || '',
    orgId: user.organizationId || ids?.orgId || '',
    username: user.preferredUsername || profile.username || '',
    lastVerifiedAt: now,
  } as ClientCredentialsProfile | JwtBearerProfile;
  await store.withLock(async () => {
    await store.save(opts.profile, saved);
    await store.removeSidecar('access-token', opts.profile);
  });
  return { profileName: opts.profile, configFile: store.path, profile: saved, user, org, scopesGranted: token.scope, signatureVerified: undefined, warnings };
}

/** The certificate next to a given key (name.key → name.crt), when there is one; a mismatch is a warning. */
function existingCertificate(keyFile: string, warnings: string[], modeChecked: boolean): string | undefined {
  const key = readPemFile(keyFile);
  if (key.tooOpen && !modeChecked) warnings.push(`${keyFile} can be read by other users (mode ${key.mode.toString(8)}): run chmod 600 ${keyFile}.`);
  const certificateFile = certificatePathFor(keyFile);
  if (!fs.existsSync(certificateFile)) return undefined;
  if (!keyMatchesCertificate(key.text, readPemFile(certificateFile).text)) {
    warnings.push(`${certificateFile} does not belong to ${keyFile}: upload the certificate of this key to the app.`);
  }
  return certificateFile;
}

