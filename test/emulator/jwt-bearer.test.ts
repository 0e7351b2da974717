/**
 * The emulator's JWT bearer grant (docs/flows.md "JWT bearer"): the certificate sfoauth generates,
 * uploaded through the apps file or the control route, verifies assertions signed by sfoauth's own
 * assertion builder; each refusal comes back with Salesforce's error.
 */
import { spawnSync } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jwtBearerClaims, jwtBearerForm, signJwtBearerAssertion } from '../../src/core/oauth/jwt-assertion.js';
import { DEMO_USERNAME, startEmulator, type AppInput, type RunningEmulator } from '../../src/emulator/index.js';
import { generateKeyAndCertificate, type KeyAndCertificate } from '../../src/platform/certificate.js';
import { first, get, login, manualClock, postForm } from './helpers.js';

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

let material: KeyAndCertificate;
let other: KeyAndCertificate;
beforeAll(async () => {
  [material, other] = await Promise.all([
    generateKeyAndCertificate({ commonName: 'ci', now: Date.now() }),
    generateKeyAndCertificate({ commonName: 'someone else', now: Date.now() }),
  ]);
});

const preAuthorized = (users: string[] = [DEMO_USERNAME]): AppInput => ({
  certificate: material.certificatePem,
  permittedUsers: 'admin-approved-pre-authorized',
  preAuthorizedUsers: users,
});

async function start(app: AppInput, opts: Parameters<typeof startEmulator>[0] = {}): Promise<RunningEmulator> {
  emu = await startEmulator({ autoApprove: true, apps: [app], ...opts });
  return emu;
}

interface Assert {
  iss?: string;
  sub?: string;
  aud?: string;
  key?: string;
  now?: number;
}

/** Signs with sfoauth's own builder and posts to the login host (or `host`). */
async function jwtGrant(e: RunningEmulator, a: Assert = {}, host: 'login' | 'instance' = 'login'): Promise<Response> {
  const claims = jwtBearerClaims({
    consumerKey: a.iss ?? first(e.apps).clientId,
    username: a.sub ?? DEMO_USERNAME,
    audience: a.aud ?? e.loginUrl,
    now: a.now ?? Date.now(),
  });
  return postAssertion(e, signJwtBearerAssertion(claims, a.key ?? material.privateKeyPem), host);
}

function postAssertion(e: RunningEmulator, assertion: string, host: 'login' | 'instance' = 'login'): Promise<Response> {
  return postForm(`${host === 'login' ? e.loginUrl : e.instanceUrl}/services/oauth2/token`, jwtBearerForm(assertion));
}

/** A self-signed P-256 certificate made by openssl (node-forge makes RSA only), or undefined without openssl. */
function ecCertificate(): string | undefined {
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=ec', '-days', '1', '-keyout', '/dev/null'];
  const out = spawnSync('openssl', args, { encoding: 'utf8' });
  return out.status === 0 ? out.stdout : undefined;
}

async function expectError(res: Response, error: string, description: string): Promise<void> {
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({ error, error_description: description });
}

describe('JWT bearer grant', () => {
  it('issues a token for a pre-authorized user, without a refresh token or a client secret', async () => {
    const e = await start(preAuthorized());
    const res = await jwtGrant(e);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, string>;
    // Salesforce's documented shape for this flow: no refresh_token, signature or issued_at.
    expect(Object.keys(body)).toEqual(['access_token', 'scope', 'instance_url', 'id', 'token_type', 'api_instance_url']);
    expect(body.instance_url).toBe(e.instanceUrl);
    expect(body.id).toBe(`${e.loginUrl}/id/${e.org.id}/${e.user.id}`);
    expect(body.scope?.split(' ')).toContain('api');
    expect(body.scope?.split(' ')).not.toContain('refresh_token');
    const info = (await (await get(`${e.instanceUrl}/services/oauth2/userinfo`, { authorization: `Bearer ${body.access_token ?? ''}` })).json()) as Record<string, unknown>;
    expect(info.preferred_username).toBe(DEMO_USERNAME);
  });

  it('accepts the login host and the My Domain as aud, and the request on either host', async () => {
    const e = await start(preAuthorized());
    expect((await jwtGrant(e, { aud: e.instanceUrl })).status).toBe(200);
    expect((await jwtGrant(e, {}, 'instance')).status).toBe(200);
    await expectError(await jwtGrant(e, { aud: 'https://login.salesforce.com' }), 'invalid_grant', 'audience is invalid');
    await expectError(await jwtGrant(e, { aud: `${e.loginUrl}/` }), 'invalid_grant', 'audience is invalid');
  });

  it('creates a listed integration user on first use', async () => {
    const e = await start(preAuthorized(['ci-bot@acme.example']));
    const res = await jwtGrant(e, { sub: 'CI-BOT@acme.example' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { id: string };
    expect(body.id).not.toContain(e.user.id);
  });

  it('refuses a user the admin did not approve: invalid_app_access', async () => {
    const e = await start(preAuthorized(['someone@acme.example']));
    await expectError(await jwtGrant(e), 'invalid_app_access', 'user is not admin approved to access this app');
  });

  it('"All users may self-authorize": only after the user approved the app once', async () => {
    const e = await start({ certificate: material.certificatePem });
    await expectError(await jwtGrant(e), 'invalid_grant', "user hasn't approved this consumer");
    await login(e); // the web server flow with refresh_token: an approval
    expect((await jwtGrant(e)).status).toBe(200);
    e.revokeAll(); // the approval is gone again
    await expectError(await jwtGrant(e), 'invalid_grant', "user hasn't approved this consumer");
  });

  it('an unknown username gets the approval error (a sandbox username without its suffix, say)', async () => {
    const e = await start(preAuthorized());
    await expectError(await jwtGrant(e, { sub: 'nobody@acme.example' }), 'invalid_grant', "user hasn't approved this consumer");
  });

  it('an unknown Consumer Key in iss: invalid_client_id', async () => {
    const e = await start(preAuthorized());
    await expectError(await jwtGrant(e, { iss: '3MVGunknown' }), 'invalid_client_id', 'client identifier invalid');
  });

  it('a signature from another key, or an app without a certificate: invalid assertion', async () => {
    const e = await start(preAuthorized());
    await expectError(await jwtGrant(e, { key: other.privateKeyPem }), 'invalid_grant', 'invalid assertion');
    e.updateApp(first(e.apps).clientId, { certificate: other.certificatePem });
    expect((await jwtGrant(e, { key: other.privateKeyPem })).status).toBe(200);
    const e2 = await startEmulator({ apps: [{ permittedUsers: 'admin-approved-pre-authorized', preAuthorizedUsers: [DEMO_USERNAME] }] });
    try {
      await expectError(await jwtGrant(e2), 'invalid_grant', 'invalid assertion');
    } finally {
      await e2.close();
    }
  });

  it('malformed assertions: invalid assertion', async () => {
    const e = await start(preAuthorized());
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const claims = { iss: first(e.apps).clientId, sub: DEMO_USERNAME, aud: e.loginUrl, exp: Math.floor(Date.now() / 1000) + 60 };
    const cases = [
      '',
      material.privateKeyPem, // the key pasted as the assertion
      'a.b',
      `${b64({ alg: 'none' })}.${b64(claims)}.`,
      `${b64({ alg: 'HS256' })}.${b64(claims)}.c2ln`,
      `${b64({ alg: 'RS256' })}.${b64({ ...claims, exp: String(claims.exp) })}.c2ln`,
      `${b64({ alg: 'RS256' })}.${b64([claims])}.c2ln`,
      `${b64({ alg: 'RS256' })}.${'A'.repeat(9000)}.c2ln`,
    ];
    for (const assertion of cases) await expectError(await postAssertion(e, assertion), 'invalid_grant', 'invalid assertion');
    // A token request without an assertion at all is also refused, not a crash.
    await expectError(await postForm(`${e.loginUrl}/services/oauth2/token`, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer' }), 'invalid_grant', 'invalid assertion');
  });

  it('an expired assertion: expired authorization code; a far-future exp (sfdx-core sends milliseconds) works', async () => {
    const clock = manualClock(Date.now());
    const e = await start(preAuthorized(), { clock: clock.now });
    const assertion = signJwtBearerAssertion(
      jwtBearerClaims({ consumerKey: first(e.apps).clientId, username: DEMO_USERNAME, audience: e.loginUrl, now: clock.now() }),
      material.privateKeyPem,
    );
    expect((await postAssertion(e, assertion)).status).toBe(200);
    clock.advance(180_000 + 29_000); // within the 30-second skew
    expect((await postAssertion(e, assertion)).status).toBe(200);
    clock.advance(2_000);
    await expectError(await postAssertion(e, assertion), 'invalid_grant', 'expired authorization code');

    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const { createSign } = await import('node:crypto');
    const input = `${b64({ alg: 'RS256' })}.${b64({ iss: first(e.apps).clientId, sub: DEMO_USERNAME, aud: e.loginUrl, exp: clock.now() + 300 })}`;
    const sfdxStyle = `${input}.${createSign('RSA-SHA256').update(input).sign(material.privateKeyPem).toString('base64url')}`;
    expect((await postAssertion(e, sfdxStyle)).status).toBe(200);
  });

  it('the ipRestricted and userInactive faults apply to it like to the other grants', async () => {
    const e = await start(preAuthorized());
    e.setFault('ipRestricted', true);
    await expectError(await jwtGrant(e), 'invalid_grant', 'ip restricted');
    e.setFault('ipRestricted', false);
    e.setFault('userInactive', true);
    await expectError(await jwtGrant(e), 'invalid_grant', 'authentication failure');
  });
});

describe('uploading a certificate through the control route', () => {
  const post = (e: RunningEmulator, value: unknown, headers: Record<string, string> = {}) =>
    fetch(`${e.loginUrl}/__emulator/apps/${encodeURIComponent(first(e.apps).clientId)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(value),
    });

  it('sets the certificate and the permitted users of a running app', async () => {
    const e = await start({});
    await expectError(await jwtGrant(e), 'invalid_grant', 'invalid assertion');
    const res = await post(e, { certificate: material.certificatePem, permittedUsers: 'admin-approved-pre-authorized', preAuthorizedUsers: [DEMO_USERNAME] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { app: Record<string, unknown> }).app).toMatchObject({ certificate: material.certificatePem, preAuthorizedUsers: [DEMO_USERNAME] });
    expect((await jwtGrant(e)).status).toBe(200);
  });

  it('refuses what is not an RSA certificate, anything too large, and other origins', async () => {
    const e = await start({});
    const bad = async (value: unknown, pattern: RegExp) => {
      const res = await post(e, value);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(pattern);
    };
    await bad({ certificate: 'hello' }, /certificate: is not a PEM X\.509 certificate/);
    await bad({ certificate: material.privateKeyPem }, /certificate: is not a PEM X\.509 certificate/);
    await bad({ certificate: `${material.certificatePem}${' '.repeat(17 * 1024)}` }, /at most 16384 characters/);
    const ec = ecCertificate();
    if (ec === undefined) console.warn('SKIPPED: no openssl, so the EC certificate case is not run.');
    else await bad({ certificate: ec }, /must hold an RSA public key/);
    await bad({ permittedUsers: 'everyone' }, /permittedUsers: must be/);
    await bad({ preAuthorizedUsers: Array.from({ length: 101 }, (_, i) => `u${i}@x.example`) }, /at most 100 usernames/);
    await bad({ preAuthorizedUsers: ['has space'] }, /preAuthorizedUsers\[0\]/);
    const foreign = await post(e, { certificate: material.certificatePem }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(first(e.apps).certificate).toBeUndefined();
  });
});
