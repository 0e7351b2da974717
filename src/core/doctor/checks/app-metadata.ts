/**
 * The app's settings as deployed, compared with what the profile needs (docs/create.md §10): read with
 * the access token the token group already has (never a refresh of its own) through the Metadata API's
 * listMetadata/readMetadata (core/salesforce/metadata-read.ts). The app is the External Client App whose
 * global OAuth settings carry the profile's Consumer Key. A token that may not read metadata (no Modify
 * Metadata / Modify All Data, the org setting that hides OAuth settings, a JWT-format token the SOAP API
 * refuses) makes this a skip that says why: reading is a bonus, never a verdict on the app.
 *
 * Compared: PKCE required; the callback URLs include the profile's; the scopes cover the profile's; the
 * refresh token policy and rotation; client credentials enabled with a Run As user; a JWT certificate,
 * the same as the profile's when sfoauth knows it.
 */
import { NetworkError, SalesforceError } from '../../../errors.js';
import { fail, pass, skip, warn, type CheckOutcome } from '../../checks/check.js';
import type { Profile } from '../../config/profile.js';
import { latestVersion, listRestVersions } from '../../salesforce/api.js';
import { ECA_TYPES, MIN_ECA_METADATA_VERSION, oauthScopeFromMetadata } from '../../salesforce/eca-metadata.js';
import { listMetadata, readMetadata, type MetadataRecord } from '../../salesforce/metadata-read.js';
import {
  ECA_CALLBACK_URL,
  ECA_CLIENT_CREDENTIALS,
  ECA_JWT_CERTIFICATE,
  ECA_OAUTH_SCOPES,
  ECA_REFRESH_TOKEN_POLICY,
  ECA_SECURITY,
} from '../../salesforce/setup-screens.js';
import { requireToken } from '../../verify/context.js';
import { requireDoctorProfile, type DoctorCheck, type DoctorContext } from '../context.js';

/** The app's settings as read: the global OAuth settings, and the OAuth settings and policies when found. */
export interface DeployedApp {
  name: string;
  global: Record<string, string>;
  oauth: Record<string, string> | undefined;
  policies: Record<string, string> | undefined;
}

export const appMetadataCheck: DoctorCheck = {
  id: 'app-metadata',
  group: 'token',
  title: "The app's settings as deployed",
  needs: ['rest-api'],
  async run(ctx) {
    const profile = requireDoctorProfile(ctx);
    if (profile.appType !== 'external-client-app') return skip('a Connected App: its settings are not External Client App metadata');
    let app: DeployedApp | string;
    try {
      app = await readDeployedApp(ctx, profile);
    } catch (err) {
      if (err instanceof SalesforceError) return skip(`skipped: this token may not read the app's metadata (${err.error}${err.errorDescription ? `: ${err.errorDescription.slice(0, 160)}` : ''}); an admin's profile can`);
      if (err instanceof NetworkError) return warn(`the app's metadata could not be read: ${err.message}`);
      throw err;
    }
    if (typeof app === 'string') return skip(`skipped: ${app}`);
    return compareApp(app, profile, certificateOf(ctx, profile));
  },
};

/** The deployed app whose Consumer Key is the profile's, or why it could not be found. */
async function readDeployedApp(ctx: DoctorContext, profile: Profile): Promise<DeployedApp | string> {
  const token = requireToken(ctx.verify);
  const versions = (profile.instanceUrl === token.instanceUrl ? await ctx.verify.restVersions : undefined) ?? (await listRestVersions(ctx.http, token.instanceUrl));
  const version = latestVersion(versions)?.version;
  if (version === undefined || parseInt(version, 10) < MIN_ECA_METADATA_VERSION) return `the org's API ${version ?? '(unknown)'} has no External Client App metadata (59.0+)`;
  const s = { instanceUrl: token.instanceUrl, accessToken: token.accessToken, version };
  const names = await listMetadata(ctx.http, s, [ECA_TYPES.global.type, ECA_TYPES.oauth.type, ECA_TYPES.policies.type]);
  const globals = await readMetadata(ctx.http, s, ECA_TYPES.global.type, names.get(ECA_TYPES.global.type) ?? []);
  const global = globals.find((r) => r.fields.consumerKey === profile.clientId);
  if (!global) {
    return `none of the ${globals.length} External Client Apps' global OAuth settings this token can read carries the profile's Consumer Key (reading them needs "Allow Access to OAuth Consumer Secrets via Metadata API")`;
  }
  const name = global.fields.externalClientApplication ?? '';
  const ofApp = (records: MetadataRecord[]) => records.find((r) => (r.fields.externalClientApplication ?? '').toLowerCase() === name.toLowerCase())?.fields;
  const oauth = ofApp(await readMetadata(ctx.http, s, ECA_TYPES.oauth.type, names.get(ECA_TYPES.oauth.type) ?? []));
  const policies = ofApp(await readMetadata(ctx.http, s, ECA_TYPES.policies.type, names.get(ECA_TYPES.policies.type) ?? []));
  return { name, global: global.fields, oauth, policies };
}

/** The certificate file next to a JWT bearer profile's key, as text, when doctor may read it. */
function certificateOf(ctx: DoctorContext, profile: Profile): string | undefined {
  if (profile.flow !== 'jwt-bearer' || !profile.certificateFile || !ctx.keyFiles) return undefined;
  try {
    return ctx.keyFiles.readPemFile(profile.certificateFile).text;
  } catch {
    return undefined; // the server-flow check reports an unreadable file
  }
}

const pem = (s: string) => s.replace(/\s+/g, '');
const on = (fields: Record<string, string> | undefined, name: string) => fields?.[name] === 'true';
const where = (path: string, app: string) => path.replace('<app>', app);

/**
 * Pure: the comparison. Anything that breaks the profile's flow fails with the Setup path to fix it;
 * a weaker posture than sfoauth's defaults warns; the rest is listed in the detail.
 */
export function compareApp(app: DeployedApp, profile: Profile, certificatePem?: string): CheckOutcome {
  const failures: { text: string; fix: string }[] = [];
  const warnings: { text: string; fix: string }[] = [];
  const seen: string[] = [];
  const g = app.global;

  if (profile.flow === 'web-server') {
    const registered = (g.callbackUrl ?? '').split(/\r?\n/).map((u) => u.trim()).filter(Boolean);
    const missing = [profile.callbackUrl, ...profile.extraCallbackUrls].filter((u) => !registered.includes(u));
    if (missing.length > 0) failures.push({ text: `the callback URLs lack ${missing.join(', ')}`, fix: `add ${missing.join(', ')} in ${where(ECA_CALLBACK_URL, app.name)}` });
    else seen.push(`callback URLs include ${profile.callbackUrl}`);
    if (!on(g, 'isPkceRequired')) warnings.push({ text: 'PKCE is not required', fix: `tick "Require Proof Key for Code Exchange" in ${where(ECA_SECURITY, app.name)} (Salesforce's 2026 requirement; sfoauth always sends PKCE)` });
    else seen.push('PKCE required');
    const policy = app.policies?.refreshTokenPolicyType;
    if (policy === 'Immediately') failures.push({ text: 'the refresh token policy expires refresh tokens immediately', fix: `pick "Refresh token is valid until revoked" in ${where(ECA_REFRESH_TOKEN_POLICY, app.name)}` });
    else if (policy === 'SpecificLifetime' || policy === 'ExpireIfNotUsed') seen.push(`refresh tokens ${policy === 'SpecificLifetime' ? 'expire after' : 'expire if unused for'} ${app.policies?.refreshTokenValidityPeriod ?? '?'} ${app.policies?.refreshTokenValidityUnit ?? ''}`.trim());
    else if (policy !== undefined) seen.push(`refresh tokens valid until revoked`);
    const rotation = on(g, 'isRefreshTokenRotationEnabled');
    seen.push(`refresh token rotation ${rotation ? 'on (every client must store each new refresh token)' : 'off'}`);
    if (profile.refreshTokenRotation !== undefined && profile.refreshTokenRotation !== rotation) {
      warnings.push({ text: `rotation is ${rotation ? 'on' : 'off'} in the app, but the last refresh sfoauth saw ${profile.refreshTokenRotation ? 'rotated' : 'did not rotate'} the token`, fix: 'a change in Setup takes minutes to apply; run `sfoauth test` again later' });
    }
  }

  const scopes = new Set((app.oauth?.commaSeparatedOauthScopes ?? '').split(',').map((s) => oauthScopeFromMetadata(s)).filter((s): s is string => s !== undefined));
  if (app.oauth) {
    // The server flows never get a refresh token; their profile may still list the scope.
    const needed = profile.scopes.filter((s) => profile.flow === 'web-server' || (s !== 'refresh_token' && s !== 'offline_access'));
    const lacking = needed.filter((s) => !scopes.has(s) && !(s === 'offline_access' && scopes.has('refresh_token')));
    if (lacking.length > 0) failures.push({ text: `the app's OAuth scopes lack ${lacking.join(', ')}`, fix: `add them in ${where(ECA_OAUTH_SCOPES, app.name)}` });
    else seen.push(`scopes cover ${needed.join(' ')}`);
  }

  if (profile.flow === 'client-credentials') {
    const runAs = app.policies?.clientCredentialsFlowUser;
    const enabled = on(g, 'isClientCredentialsFlowEnabled') && (app.policies === undefined || on(app.policies, 'isClientCredentialsFlowEnabled'));
    if (!enabled || !runAs) failures.push({ text: !enabled ? 'the client credentials flow is not enabled' : 'the client credentials flow has no Run As user', fix: where(ECA_CLIENT_CREDENTIALS, app.name) });
    else {
      seen.push(`client credentials on, Run As ${runAs}`);
      if (profile.username && profile.username.toLowerCase() !== runAs.toLowerCase()) {
        warnings.push({ text: `the Run As user is ${runAs}, but the profile's tokens were for ${profile.username}`, fix: 'run `sfoauth test` to see which user the tokens are for now' });
      }
    }
  }

  if (profile.flow === 'jwt-bearer') {
    const onApp = g.certificate;
    if (!onApp) failures.push({ text: 'the app has no certificate: the JWT bearer flow is off', fix: where(ECA_JWT_CERTIFICATE, app.name) });
    else if (certificatePem !== undefined && pem(certificatePem) !== pem(onApp)) {
      failures.push({ text: `the certificate on the app is not ${profile.certificateFile ?? 'the profile\'s'}`, fix: `upload ${profile.certificateFile ?? 'the certificate of the key'} in ${where(ECA_JWT_CERTIFICATE, app.name)}` });
    } else seen.push(certificatePem !== undefined ? 'the certificate on the app is the profile\'s' : 'a certificate is on the app');
  }

  const detail = [`External Client App ${app.name}`, ...seen.map((s) => `  ✓ ${s}`), ...warnings.map((w) => `  ! ${w.text}`), ...failures.map((f) => `  ✗ ${f.text}`)];
  const first = failures[0];
  if (first) return fail(`${app.name}: ${failures.map((f) => f.text).join('; ')}`, first.fix, { detail });
  const w = warnings[0];
  if (w) return warn(`${app.name}: ${warnings.map((x) => x.text).join('; ')}`, w.fix, { detail });
  return pass(`${app.name} as deployed fits the profile (${seen.length} settings compared)`, { detail });
}
