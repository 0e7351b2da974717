/**
 * sfoauth's own deploy and credentials client (src/core/salesforce) against the emulator's Metadata API
 * and credentials resources (docs/create.md): a deploy creates a working app, component failures and
 * every setting or permission gap end in the catalog's explanation.
 */
import { zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/deps.js';
import { SalesforceError } from '../../src/errors.js';
import { createHttpClient } from '../../src/core/http/request.js';
import { CredentialsAccessError, readAppCredentials, type AppCredentials } from '../../src/core/salesforce/app-credentials-api.js';
import { DeployFailedError, deployMultipart, pollDeploy, startDeploy, type DeployStatus } from '../../src/core/salesforce/deploy.js';
import { ecaMetadataFiles, resolveEcaSpec, type EcaSpecInput, type MetadataFile } from '../../src/core/salesforce/eca-metadata.js';
import { buildDeployZip } from '../../src/core/salesforce/eca-package.js';
import { explainError } from '../../src/core/salesforce/error-catalog.js';
import { parseFaultFlag } from '../../src/emulator/faults.js';
import { generateKeyAndCertificate } from '../../src/platform/certificate.js';
import { jwtBearerClaims, jwtBearerForm, signJwtBearerAssertion } from '../../src/core/oauth/jwt-assertion.js';
import { DEMO_USERNAME, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';
import { authorizeUrl, first, get, login, manualClock, pkcePair, postForm, postJson } from './helpers.js';

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const VERSION = '66.0';
const SPEC: EcaSpecInput = { name: 'CI_App', label: 'CI <app> & "friends"', contactEmail: 'dev@example.com', scopes: ['api', 'refresh_token', 'openid'] };

/** An emulator on a manual clock, the admin's token, and a core HTTP client whose sleeps move that clock. */
async function setup(opts: EmulatorOptions = {}) {
  const time = manualClock();
  emu = await startEmulator({ autoApprove: true, clock: time.now, ...opts });
  const admin = await login(emu);
  const clock: Clock = { now: time.now, sleep: async (ms) => time.advance(ms) };
  const http = createHttpClient({ fetch: globalThis.fetch, clock, retries: 0 });
  const p = { instanceUrl: emu.instanceUrl, accessToken: admin.access_token, version: VERSION };
  return { emu, time, clock, http, p };
}

type Setup = Awaited<ReturnType<typeof setup>>;

async function deploy(s: Setup, files: MetadataFile[], onProgress?: (st: DeployStatus) => void): Promise<DeployStatus> {
  const id = await startDeploy(s.http, { ...s.p, zip: await buildDeployZip(files) });
  return pollDeploy({ http: s.http, clock: s.clock, ...s.p, id, intervalMs: 100, timeoutMs: 60_000, ...(onProgress ? { onProgress } : {}) });
}

function specFiles(input: Partial<EcaSpecInput> = {}, version = VERSION): MetadataFile[] {
  return ecaMetadataFiles(resolveEcaSpec({ ...SPEC, ...input }), version);
}

function explained(err: unknown) {
  const e = err as SalesforceError;
  return explainError({ error: e.error, description: e.errorDescription, endpoint: 'rest', appType: 'external-client-app' });
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('deploy, read back, log in', () => {
  it('creates an app whose minted key and secret complete the web server flow with PKCE', async () => {
    const s = await setup();
    const seen: string[] = [];
    const status = await deploy(s, specFiles(), (st) => seen.push(st.status));
    expect(seen[0]).toBe('InProgress');
    expect(seen.at(-1)).toBe('Succeeded');
    expect(status).toMatchObject({ success: true, componentsDeployed: 3, componentErrors: 0 });

    const creds = (await readAppCredentials(s.http, { ...s.p, developerName: 'ci_app' })) as AppCredentials;
    const state = (await (await get(`${s.emu.loginUrl}/__emulator/state`)).json()) as { externalClientApps: unknown[] };
    expect(state.externalClientApps).toEqual([expect.objectContaining({ developerName: 'CI_App', clientId: creds.consumerKey, consumerId: creds.consumerId })]);
    expect(JSON.stringify(state)).not.toContain(creds.consumerSecret);
    expect(creds.consumerKey).toMatch(/^3MVG9/);
    expect(creds.consumerSecret.length).toBeGreaterThan(30);
    expect(creds.consumerId).toMatch(/^888/);

    const app = s.emu.apps.find((a) => a.clientId === creds.consumerKey)!;
    expect(app).toMatchObject({
      name: 'CI <app> & "friends"',
      appType: 'external-client-app',
      clientSecret: creds.consumerSecret,
      callbackUrls: ['http://localhost:1717/OauthRedirect'],
      requirePkce: true,
      requireSecretWebServer: true,
      requireSecretRefresh: true,
      rotateRefreshTokens: false,
    });
    expect(app.scopes).toEqual(expect.arrayContaining(['api', 'refresh_token', 'openid']));
    const tokens = await login(s.emu, app);
    expect(tokens.scope.split(' ')).toEqual(expect.arrayContaining(['api', 'refresh_token']));
    expect(tokens.refresh_token).toBeTruthy();
  });

  it('the app answers invalid_client_id until the propagation delay has passed', async () => {
    const s = await setup({ deployedAppPropagationMs: 60_000 });
    await deploy(s, specFiles());
    const creds = (await readAppCredentials(s.http, { ...s.p, developerName: 'CI_App' }))!;
    const { challenge } = pkcePair();
    const url = authorizeUrl(s.emu.loginUrl, { response_type: 'code', client_id: creds.consumerKey, redirect_uri: 'http://localhost:1717/OauthRedirect', code_challenge: challenge });
    const early = await get(url);
    expect(early.status).toBe(400);
    expect(await early.text()).toContain('error=invalid_client_id');
    s.time.advance(60_000);
    expect((await get(url)).status).toBe(302);
  });

  it('carries rotation, the refresh policy and the callback URLs into the app', async () => {
    const s = await setup();
    await deploy(s, specFiles({ rotateRefreshTokens: true, refreshPolicy: { kind: 'lifetime', period: 2, unit: 'Days' }, callbackUrls: ['http://localhost:1717/OauthRedirect', 'https://api.nango.dev/oauth/callback'] }));
    const creds = (await readAppCredentials(s.http, { ...s.p, developerName: 'CI_App' }))!;
    const app = s.emu.apps.find((a) => a.clientId === creds.consumerKey)!;
    expect(app.rotateRefreshTokens).toBe(true);
    expect(app.refreshTokenPolicy).toEqual({ kind: 'lifetime', ms: 2 * 86_400_000 });
    expect(app.callbackUrls).toEqual(['http://localhost:1717/OauthRedirect', 'https://api.nango.dev/oauth/callback']);
  });

  it('a refresh token unit that is a name on Object.prototype is no unit: the policy falls back to infinite, not NaN', async () => {
    const s = await setup();
    const files = specFiles({ refreshPolicy: { kind: 'lifetime', period: 2, unit: 'Days' } }).map((f) =>
      f.path.endsWith('.ecaOauthPlcy') ? { ...f, content: f.content.replace('<refreshTokenValidityUnit>Days</refreshTokenValidityUnit>', '<refreshTokenValidityUnit>toString</refreshTokenValidityUnit>') } : f,
    );
    expect(files.some((f) => f.content.includes('<refreshTokenValidityUnit>toString<'))).toBe(true);
    await deploy(s, files);
    const creds = (await readAppCredentials(s.http, { ...s.p, developerName: 'CI_App' }))!;
    expect(s.emu.apps.find((a) => a.clientId === creds.consumerKey)!.refreshTokenPolicy).toBe('infinite');
  });

  it('a JWT certificate reaches the app (the JWT bearer flow verifies against it); a bad one fails the deploy', async () => {
    const s = await setup();
    const { certificatePem, privateKeyPem } = await generateKeyAndCertificate({ commonName: 'ci', now: s.time.now() });
    await deploy(s, specFiles({ jwtCertificatePem: certificatePem }));
    const creds = (await readAppCredentials(s.http, { ...s.p, developerName: 'CI_App' }))!;
    const app = s.emu.apps.find((a) => a.clientId === creds.consumerKey)!;
    expect(app.certificate?.replace(/\r/g, '').trim()).toBe(certificatePem.replace(/\r/g, '').trim());
    await login(s.emu, app); // the user approves the app once, as "All users may self-authorize" needs
    const claims = jwtBearerClaims({ consumerKey: creds.consumerKey, username: DEMO_USERNAME, audience: s.emu.loginUrl, now: s.time.now() });
    const grant = await postForm(`${s.emu.loginUrl}/services/oauth2/token`, jwtBearerForm(signJwtBearerAssertion(claims, privateKeyPem)));
    expect(grant.status).toBe(200);
    expect(((await grant.json()) as { access_token?: string }).access_token).toBeTruthy();
    const bad = specFiles({ name: 'Other' }).map((f) =>
      f.path.endsWith('.ecaGlblOauth') ? { ...f, content: f.content.replace('<externalClientApplication>', '<certificate>-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----</certificate>\n    <externalClientApplication>') } : f,
    );
    const err = (await failure(deploy(s, bad))) as DeployFailedError;
    expect(err.deploy.failures[0]?.problem).toContain('Invalid certificate');
  });

  it('is not listed before its deploy is done, and a second app of the same name fails', async () => {
    const s = await setup({ deployMs: 5000 });
    await startDeploy(s.http, { ...s.p, zip: await buildDeployZip(specFiles()) });
    await expect(readAppCredentials(s.http, { ...s.p, developerName: 'CI_App' })).resolves.toBeUndefined();
    s.time.advance(5000);
    await expect(readAppCredentials(s.http, { ...s.p, developerName: 'CI_App' })).resolves.toBeDefined();
    const err = await failure(deploy(s, specFiles()));
    expect(err).toBeInstanceOf(DeployFailedError);
    expect((err as Error).message).toContain('already exists');
  });
});

describe('component failures', () => {
  it('a missing required field fails the deploy, creates nothing, and is explained', async () => {
    const s = await setup();
    const files = specFiles().map((f) =>
      f.path.endsWith('.ecaGlblOauth') ? { ...f, content: f.content.replace(/\s*<externalClientApplication>.*<\/externalClientApplication>/, '') } : f,
    );
    const err = (await failure(deploy(s, files))) as DeployFailedError;
    expect(err).toBeInstanceOf(DeployFailedError);
    expect(err.deploy.failures).toEqual([
      expect.objectContaining({ componentType: 'ExtlClntAppGlobalOauthSettings', fileName: 'extlClntAppGlobalOauthSets/CI_App_glbl.ecaGlblOauth', problem: 'Required field is missing: externalClientApplication', problemType: 'Error' }),
    ]);
    expect(explained(err).title).toBe('A metadata file lacks a required field');
    await expect(readAppCredentials(s.http, { ...s.p, developerName: 'CI_App' })).resolves.toBeUndefined();
    expect(s.emu.apps).toHaveLength(1);
  });

  it('client credentials without a Run As user, a Run As that is not a username, and an unknown Permitted Users value fail the policies', async () => {
    const s = await setup();
    const problems: string[] = [];
    for (const edit of [
      (c: string) => c.replace(/\s*<clientCredentialsFlowUser>.*<\/clientCredentialsFlowUser>/, ''),
      (c: string) => c.replace('ci@example.com', 'not a user'),
      (c: string) => c.replace('AllSelfAuthorized', 'Everyone'),
    ]) {
      const files = specFiles({ clientCredentialsRunAs: 'ci@example.com' }).map((f) => (f.path.endsWith('.ecaOauthPlcy') ? { ...f, content: edit(f.content) } : f));
      const err = (await failure(deploy(s, files))) as DeployFailedError;
      problems.push(...err.deploy.failures.map((f) => f.problem));
    }
    expect(problems).toEqual([
      'Required field is missing: clientCredentialsFlowUser',
      'In field: clientCredentialsFlowUser - no User named not a user found',
      "'Everyone' is not a valid value for the enum 'PermittedUsersPolicyType'",
    ]);
  });

  it('an unknown type, and the ECA types before API 59.0, fail as unknown types', async () => {
    const s = await setup();
    const pkg = (types: string, version: string) =>
      `<?xml version="1.0" encoding="UTF-8"?><Package xmlns="http://soap.sforce.com/2006/04/metadata"><types><members>X</members><name>${types}</name></types><version>${version}</version></Package>`;
    const unknown = (await failure(deploy(s, [{ path: 'package.xml', content: pkg('ExternalClientAppz', '66.0') }]))) as DeployFailedError;
    expect(unknown.deploy.failures[0]).toMatchObject({ fileName: 'package.xml', problem: "Unknown type name 'ExternalClientAppz' specified in package.xml" });
    expect(explained(unknown).title).toContain('does not know the External Client App metadata types');
    const old = (await failure(deploy(s, [{ path: 'package.xml', content: pkg('ExternalClientApplication', '58.0') }]))) as DeployFailedError;
    expect(old.deploy.failures[0]?.problem).toContain("Unknown type name 'ExternalClientApplication'");
  });

  it('a member without its file, an element of another type, and broken XML are each reported', async () => {
    const s = await setup();
    const files = specFiles()
      .filter((f) => !f.path.endsWith('.ecaOauth'))
      .map((f) => (f.path.endsWith('.eca') ? { ...f, content: f.content.replace('<label>', '<bogus>1</bogus><label>') } : f));
    const err = (await failure(deploy(s, files))) as DeployFailedError;
    const problems = err.deploy.failures.map((f) => f.problem);
    expect(problems).toContain("An object 'CI_App_oauth' of type ExtlClntAppOauthSettings was named in package.xml, but was not found in zipped directory");
    expect(problems.some((p) => p.includes('Element {http://soap.sforce.com/2006/04/metadata}bogus invalid at this location in type ExternalClientApplication'))).toBe(true);
    const broken = specFiles().map((f) => (f.path.endsWith('.eca') ? { ...f, content: f.content.replace('</label>', '</labl>') } : f));
    const parseErr = (await failure(deploy(s, broken))) as DeployFailedError;
    expect(parseErr.deploy.failures[0]?.problem).toMatch(/^Error parsing file: line \d+: element label is closed by labl/);
  });

  it('a zip bomb and a body that is not a zip fail the deploy as a whole; bad multipart is a 400', async () => {
    const s = await setup();
    const bomb = zipSync({ 'package.xml': new Uint8Array(30 * 1024 * 1024) }, { level: 9 });
    const id = await startDeploy(s.http, { ...s.p, zip: bomb });
    const err = (await failure(pollDeploy({ http: s.http, clock: s.clock, ...s.p, id, intervalMs: 100 }))) as DeployFailedError;
    expect(err.deploy.errorMessage).toContain('expands beyond the size limit');
    const notZip = await startDeploy(s.http, { ...s.p, zip: new TextEncoder().encode('hello') });
    expect(((await failure(pollDeploy({ http: s.http, clock: s.clock, ...s.p, id: notZip, intervalMs: 100 }))) as DeployFailedError).deploy.errorMessage).toContain('not a zip');
    const url = `${s.emu.instanceUrl}/services/data/v${VERSION}/metadata/deployRequest`;
    const noFile = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${s.p.accessToken}`, 'content-type': 'multipart/form-data; boundary=b' }, body: '--b\r\nContent-Disposition: form-data; name="entity_content"\r\n\r\n{}\r\n--b--\r\n' });
    expect(noFile.status).toBe(400);
    expect(await noFile.json()).toEqual([expect.objectContaining({ errorCode: 'INVALID_MULTIPART_REQUEST' })]);
    const raw = (body: string, type = 'multipart/form-data; boundary=b') =>
      fetch(url, { method: 'POST', headers: { authorization: `Bearer ${s.p.accessToken}`, 'content-type': type }, body });
    const part = (name: string) => `--b\r\nContent-Disposition: form-data; name="${name}"\r\n\r\nx\r\n`;
    for (const [body, type] of [
      [`${part('entity_content')}${part('entity_content')}--b--\r\n`, undefined], // a part twice
      [`${part('a')}${part('b')}${part('c')}${part('d')}${part('e')}--b--\r\n`, undefined], // too many parts
      [`--b\r\nContent-Disposition: form-data; name="file"; ${'x'.repeat(2000)}\r\n\r\nx\r\n--b--\r\n`, undefined], // header block too long
      [`${part('file')}`, undefined], // never closed
      ['{}', 'application/json'], // not multipart
    ] as const) {
      const res = await raw(body, type);
      expect(res.status, body.slice(0, 60)).toBe(400);
    }
    const tooBig = deployMultipart(new Uint8Array(2 * 1024 * 1024).fill(7));
    const big = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${s.p.accessToken}`, 'content-type': tooBig.contentType }, body: tooBig.data });
    expect(big.status).toBe(413);
  });
});

describe('setting and permission gaps', () => {
  it('no Modify Metadata: the deploy request is refused and explained', async () => {
    const s = await setup();
    s.emu.setFault('noModifyMetadata', true);
    const err = await failure(startDeploy(s.http, { ...s.p, zip: await buildDeployZip(specFiles()) }));
    expect(err).toBeInstanceOf(SalesforceError);
    expect(explained(err).title).toBe('The user may not deploy metadata');
  });

  it('no permission to create External Client Apps: each component fails', async () => {
    const s = await setup();
    s.emu.setFault('noEcaCreate', true);
    const err = (await failure(deploy(s, specFiles()))) as DeployFailedError;
    expect(err.deploy.failures).toHaveLength(3);
    expect(err.deploy.failures[0]?.problem).toContain('insufficient access rights');
  });

  it('the REST-secrets setting off, switched while running, then each missing permission, then all fixed', async () => {
    const s = await setup();
    await deploy(s, specFiles());
    const read = () => failure(readAppCredentials(s.http, { ...s.p, developerName: 'CI_App' }));
    const faults = (body: Record<string, boolean>) => postJson(`${s.emu.loginUrl}/__emulator/faults`, body);

    expect((await faults({ consumerSecretApiOff: true })).status).toBe(200);
    const off = (await read()) as CredentialsAccessError;
    expect(off).toBeInstanceOf(CredentialsAccessError);
    expect(off.gap).toBe('secret-api-off');
    expect(explained(off).setup).toContain('Allow access to External Client App consumer secrets via REST API');

    await faults({ consumerSecretApiOff: false, noViewClientSecret: true });
    const noView = (await read()) as CredentialsAccessError;
    expect(noView.gap).toBe('view-secret-permission');
    expect(explained(noView).setup).toContain('"View Client Secret"');

    await faults({ noViewClientSecret: false, noEcaDeveloper: true });
    const noDev = (await read()) as CredentialsAccessError;
    expect(noDev.gap).toBe('developer-permission');
    expect(explained(noDev).setup).toContain('"External Client App Developer"');

    await faults({ noEcaDeveloper: false });
    const creds = await readAppCredentials(s.http, { ...s.p, developerName: 'CI_App' });
    expect(creds?.consumerKey).toMatch(/^3MVG9/);
    for (const e of [off, noView, noDev]) expect(e.message).not.toContain(creds!.consumerSecret);
  });

  it('each gap is also a --fault flag', () => {
    for (const name of ['consumerSecretApiOff', 'noModifyMetadata', 'noEcaCreate', 'noEcaDeveloper', 'noViewClientSecret']) {
      expect(parseFaultFlag(name)).toEqual({ name, value: true });
    }
  });

  it('the credentials resources need API 60.0; usage exists from 59.0', async () => {
    const s = await setup();
    const at = (v: string, path: string) => get(`${s.emu.instanceUrl}/services/data/v${v}/apps/oauth/${path}`, { authorization: `Bearer ${s.p.accessToken}` });
    expect((await at('59.0', 'usage')).status).toBe(200);
    expect((await at('58.0', 'usage')).status).toBe(404);
    expect((await at('59.0', `credentials/${first(s.emu.apps).clientId.slice(0, 18)}`)).status).toBe(404);
  });
});

describe('the permission pre-check (checkDeployPermissions) against the emulator', () => {
  it('the admin has every permission; each fault takes its permission away; noViewSetup makes the check impossible, not a verdict', async () => {
    const { checkDeployPermissions } = await import('../../src/core/salesforce/deploy-permissions.js');
    const s = await setup();
    const admin = await checkDeployPermissions(s.http, s.p);
    expect(admin).toMatchObject({ ran: true, gaps: [], userId: s.emu.user.id });
    expect(admin.ran && admin.granted).toEqual(['Modify All Data', 'Modify Metadata Through Metadata API Functions', 'Customize Application']);

    s.emu.setFault('noModifyMetadata', true);
    const noMeta = await checkDeployPermissions(s.http, s.p);
    expect(noMeta.ran && noMeta.gaps.map((g) => g.blocking)).toEqual([true]);
    s.emu.setFault('noModifyMetadata', false);

    s.emu.setFault('noCustomizeApplication', true);
    const noCustomize = await checkDeployPermissions(s.http, s.p);
    expect(noCustomize.ran && noCustomize.gaps.map((g) => [g.permission, g.blocking])).toEqual([['Customize Application', false]]);
    s.emu.setFault('noCustomizeApplication', false);

    s.emu.setFault('noViewSetup', true);
    const refused = await checkDeployPermissions(s.http, s.p);
    expect(refused).toEqual({ ran: false, reason: expect.stringContaining('INVALID_TYPE') });
  });
});
