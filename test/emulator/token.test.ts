import { createHmac, createPublicKey, createVerify, type JsonWebKey } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { authorizeCode, first, get, login, manualClock, postForm, refresh } from './helpers.js';

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(opts: Parameters<typeof startEmulator>[0] = {}): Promise<RunningEmulator> {
  emu = await startEmulator({ autoApprove: true, ...opts });
  return emu;
}

const tokenUrl = (e: RunningEmulator, host: 'login' | 'instance' = 'login') =>
  `${host === 'login' ? e.loginUrl : e.instanceUrl}/services/oauth2/token`;

async function expectError(res: Response, error: string, description: string, status = 400): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
  expect(await res.json()).toEqual({ error, error_description: description });
}

describe('authorization_code grant', () => {
  it('returns a Salesforce-shaped response with a verifiable signature', async () => {
    const e = await start();
    const app = first(e.apps);
    const body = await login(e);
    expect(Object.keys(body)).toEqual([
      'access_token', 'refresh_token', 'signature', 'scope', 'id_token', 'instance_url', 'id', 'token_type', 'issued_at', 'api_instance_url',
    ]);
    expect(body.access_token).toMatch(new RegExp(`^${e.org.id.slice(0, 15)}![.\\w]+$`));
    expect(body.access_token.startsWith(`${e.org.id.slice(0, 15)}!AR`)).toBe(true);
    expect(body.refresh_token).toMatch(/^5Aep86/);
    expect(body.instance_url).toBe(e.instanceUrl);
    expect(body.instance_url.endsWith('/')).toBe(false);
    // The emulator's own login host, so clients that follow the identity URL reach it.
    expect(body.id).toBe(`${e.loginUrl}/id/${e.org.id}/${e.user.id}`);
    expect(body.id).toMatch(/\/id\/00D[A-Za-z0-9]{15}\/005[A-Za-z0-9]{15}$/);
    expect(body.token_type).toBe('Bearer');
    expect(body.issued_at).toMatch(/^\d{13}$/);
    expect(body).not.toHaveProperty('expires_in');
    expect(body.api_instance_url).toBe('https://api.salesforce.com');
    const expected = createHmac('sha256', app.clientSecret).update(body.id + body.issued_at).digest('base64');
    expect(body.signature).toBe(expected);
  });

  it('signs an id_token with the key published at /id/keys', async () => {
    const e = await start();
    const body = await login(e, first(e.apps), { scope: 'openid api refresh_token', nonce: 'n-1' });
    const [h, p, s] = (body.id_token ?? '').split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { kid: string; alg: string };
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    expect(header.alg).toBe('RS256');
    expect(claims).toMatchObject({ sub: body.id, aud: first(e.apps).clientId, iss: e.loginUrl, nonce: 'n-1' });
    const jwks = (await (await get(`${e.loginUrl}/id/keys`)).json()) as { keys: Array<JsonWebKey & { kid: string }> };
    const jwk = jwks.keys.find((k) => k.kid === header.kid);
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    expect(createVerify('RSA-SHA256').update(`${h}.${p}`).verify(key, Buffer.from(s, 'base64url'))).toBe(true);
  });

  it('issues a refresh token only for refresh_token or offline_access, and no id_token without openid', async () => {
    const e = await start();
    const noRefresh = await login(e, first(e.apps), { scope: 'api' });
    expect(noRefresh).not.toHaveProperty('refresh_token');
    expect(noRefresh).not.toHaveProperty('id_token');
    expect(noRefresh.scope).toBe('api');
    const offline = await login(e, first(e.apps), { scope: 'api offline_access' });
    expect(offline.refresh_token).toMatch(/^5Aep86/);
  });

  it('a sandbox (--sandbox or orgType sandbox) keeps its identity URL on the login host it serves', async () => {
    const e = await start({ sandbox: true });
    const body = await login(e);
    expect(body.id.startsWith(`${e.loginUrl}/id/00D`)).toBe(true);
    expect(e.org).toMatchObject({ sandbox: true, type: 'sandbox', myDomain: 'sfoauth-emulator--sandbox' });
  });

  it('accepts client credentials in a Basic header', async () => {
    const e = await start();
    const app = first(e.apps);
    const { code, verifier, redirectUri } = await authorizeCode(e);
    const basic = Buffer.from(`${encodeURIComponent(app.clientId)}:${encodeURIComponent(app.clientSecret)}`).toString('base64');
    const res = await postForm(tokenUrl(e), { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }, { authorization: `Basic ${basic}` });
    expect(res.status).toBe(200);
  });

  it('refuses GET, unknown grants and non-form bodies', async () => {
    const e = await start();
    await expectError(await get(tokenUrl(e)), 'invalid_request', 'must use HTTP POST');
    await expectError(await postForm(tokenUrl(e), { grant_type: 'password' }), 'unsupported_grant_type', 'grant type not supported');
    const json = await fetch(tokenUrl(e), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'authorization_code' }) });
    await expectError(json, 'unsupported_grant_type', 'grant type not supported');
  });

  it('checks the client: unknown id, wrong or missing secret', async () => {
    const e = await start();
    const app = first(e.apps);
    const { code, verifier, redirectUri } = await authorizeCode(e);
    const form = { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier };
    await expectError(await postForm(tokenUrl(e), { ...form, client_id: 'nope', client_secret: app.clientSecret }), 'invalid_client_id', 'client identifier invalid');
    await expectError(await postForm(tokenUrl(e), { ...form, client_id: app.clientId, client_secret: 'WRONG' }), 'invalid_client', 'invalid client credentials');
    await expectError(await postForm(tokenUrl(e), { ...form, client_id: app.clientId }), 'invalid_client', 'invalid client credentials');
  });

  it('lets a public client skip the secret when the app allows it, but still checks a sent one', async () => {
    const e = await start({ apps: [{ requireSecretWebServer: false }] });
    const app = first(e.apps);
    const a = await authorizeCode(e);
    const ok = await postForm(tokenUrl(e), { grant_type: 'authorization_code', code: a.code, redirect_uri: a.redirectUri, code_verifier: a.verifier, client_id: app.clientId });
    expect(ok.status).toBe(200);
    const b = await authorizeCode(e);
    const bad = await postForm(tokenUrl(e), { grant_type: 'authorization_code', code: b.code, redirect_uri: b.redirectUri, code_verifier: b.verifier, client_id: app.clientId, client_secret: 'WRONG' });
    await expectError(bad, 'invalid_client', 'invalid client credentials');
  });

  it('answers invalid_client_id at /token while the app propagates', async () => {
    const clock = manualClock();
    const e = await start({ clock: clock.now });
    const app = first(e.apps);
    const { code, verifier, redirectUri } = await authorizeCode(e);
    e.updateApp(app.clientId, { propagationDelayMs: 60_000 });
    const form = { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier, client_id: app.clientId, client_secret: app.clientSecret };
    await expectError(await postForm(tokenUrl(e), form), 'invalid_client_id', 'client identifier invalid');
    clock.advance(60_000);
    expect((await postForm(tokenUrl(e), form)).status).toBe(200);
  });

  it('codes: unknown, reused, expired, bound to the redirect_uri and the PKCE challenge', async () => {
    const clock = manualClock();
    const e = await start({ clock: clock.now });
    const app = first(e.apps);
    const creds = { client_id: app.clientId, client_secret: app.clientSecret };
    const exchange = (f: Record<string, string | undefined>) => postForm(tokenUrl(e), { grant_type: 'authorization_code', ...creds, ...f });

    await expectError(await exchange({ code: 'aPrxnotacode==', redirect_uri: first(app.callbackUrls) }), 'invalid_grant', 'invalid authorization code');

    const a = await authorizeCode(e);
    expect((await exchange({ code: a.code, redirect_uri: a.redirectUri, code_verifier: a.verifier })).status).toBe(200);
    await expectError(await exchange({ code: a.code, redirect_uri: a.redirectUri, code_verifier: a.verifier }), 'invalid_grant', 'expired authorization code');

    const b = await authorizeCode(e);
    clock.advance(15 * 60 * 1000 + 1);
    await expectError(await exchange({ code: b.code, redirect_uri: b.redirectUri, code_verifier: b.verifier }), 'invalid_grant', 'expired authorization code');

    const c = await authorizeCode(e);
    await expectError(await exchange({ code: c.code, redirect_uri: 'http://localhost:1717/other', code_verifier: c.verifier }), 'redirect_uri_mismatch', 'redirect_uri must match configuration');

    const d = await authorizeCode(e);
    await expectError(await exchange({ code: d.code, redirect_uri: d.redirectUri, code_verifier: 'x'.repeat(43) }), 'invalid_grant', 'invalid code verifier');

    const f = await authorizeCode(e);
    await expectError(await exchange({ code: f.code, redirect_uri: f.redirectUri }), 'invalid_grant', 'invalid code verifier');
  });

  it('a verifier without an earlier challenge is unexpected', async () => {
    const e = await start({ apps: [{ appType: 'connected-app' }] });
    const app = first(e.apps);
    const a = await authorizeCode(e, app, { code_challenge: undefined });
    const res = await postForm(tokenUrl(e), {
      grant_type: 'authorization_code', code: a.code, redirect_uri: a.redirectUri, code_verifier: a.verifier, client_id: app.clientId, client_secret: app.clientSecret,
    });
    await expectError(res, 'invalid_grant', 'unexpected code verifier');
  });

  it('a code belongs to the app it was issued to', async () => {
    const e = await start({ apps: [{}, {}] });
    const [one, two] = e.apps as [typeof e.apps[0], typeof e.apps[0]];
    const a = await authorizeCode(e, one);
    const res = await postForm(tokenUrl(e), {
      grant_type: 'authorization_code', code: a.code, redirect_uri: a.redirectUri, code_verifier: a.verifier, client_id: two.clientId, client_secret: two.clientSecret,
    });
    await expectError(res, 'invalid_grant', 'invalid authorization code');
  });

  it('a code without a challenge method is checked as S256', async () => {
    const e = await start();
    const a = await authorizeCode(e, first(e.apps), { code_challenge_method: undefined });
    const app = first(e.apps);
    const res = await postForm(tokenUrl(e), {
      grant_type: 'authorization_code', code: a.code, redirect_uri: a.redirectUri, code_verifier: a.verifier, client_id: app.clientId, client_secret: app.clientSecret,
    });
    expect(res.status).toBe(200);
  });

  it('userInactive and ipRestricted refuse every grant', async () => {
    const e = await start();
    const app = first(e.apps);
    const body = await login(e);
    e.setFault('userInactive', true);
    await expectError(await refresh(e, app, body.refresh_token ?? ''), 'invalid_grant', 'authentication failure');
    e.setFault('userInactive', false);
    e.setFault('ipRestricted', true);
    await expectError(await refresh(e, app, body.refresh_token ?? ''), 'invalid_grant', 'ip restricted');
    e.setFault('ipRestricted', false);
    expect((await refresh(e, app, body.refresh_token ?? '')).status).toBe(200);
  });
});

describe('refresh_token grant', () => {
  it('returns a new access token without a refresh token when rotation is off', async () => {
    const e = await start();
    const app = first(e.apps);
    const body = await login(e);
    const res = await refresh(e, app, body.refresh_token ?? '');
    expect(res.status).toBe(200);
    const next = (await res.json()) as Record<string, string>;
    expect(next).not.toHaveProperty('refresh_token');
    expect(next.access_token).not.toBe(body.access_token);
    expect(next.signature).toBe(createHmac('sha256', app.clientSecret).update(`${next.id}${next.issued_at}`).digest('base64'));
    // The same refresh token keeps working.
    expect((await refresh(e, app, body.refresh_token ?? '')).status).toBe(200);
  });

  it('needs the secret unless the app says otherwise', async () => {
    const e = await start();
    const app = first(e.apps);
    const body = await login(e);
    const res = await postForm(tokenUrl(e), { grant_type: 'refresh_token', refresh_token: body.refresh_token, client_id: app.clientId });
    await expectError(res, 'invalid_client', 'invalid client credentials');
    e.updateApp(app.clientId, { requireSecretRefresh: false });
    const ok = await postForm(tokenUrl(e), { grant_type: 'refresh_token', refresh_token: body.refresh_token, client_id: app.clientId });
    expect(ok.status).toBe(200);
  });

  it('rotation: a new refresh token each time; reusing an old one kills the current one', async () => {
    const e = await start({ apps: [{ rotateRefreshTokens: true }] });
    const app = first(e.apps);
    const body = await login(e);
    const r1 = (await (await refresh(e, app, body.refresh_token ?? '')).json()) as Record<string, string>;
    expect(r1.refresh_token).toMatch(/^5Aep86/);
    expect(r1.refresh_token).not.toBe(body.refresh_token);
    const r2 = (await (await refresh(e, app, r1.refresh_token ?? '')).json()) as Record<string, string>;
    expect(r2.refresh_token).toBeTruthy();
    // r1's token was rotated out: presenting it again revokes r2's token and its sessions.
    await expectError(await refresh(e, app, r1.refresh_token ?? ''), 'invalid_grant', 'expired access/refresh token');
    await expectError(await refresh(e, app, r2.refresh_token ?? ''), 'invalid_grant', 'expired access/refresh token');
    const rest = await get(`${e.instanceUrl}/services/data/v66.0/`, { authorization: `Bearer ${r2.access_token ?? ''}` });
    expect(rest.status).toBe(401);
  });

  it('unknown, revoked and other apps\' refresh tokens are expired', async () => {
    const e = await start({ apps: [{}, {}] });
    const [one, two] = e.apps as [typeof e.apps[0], typeof e.apps[0]];
    await expectError(await refresh(e, one, '5Aep861nope'), 'invalid_grant', 'expired access/refresh token');
    const body = await login(e, one);
    await expectError(await refresh(e, two, body.refresh_token ?? ''), 'invalid_grant', 'expired access/refresh token');
    e.revokeAll();
    await expectError(await refresh(e, one, body.refresh_token ?? ''), 'invalid_grant', 'expired access/refresh token');
  });

  it('policies: immediately, inactivity, lifetime', async () => {
    const clock = manualClock();
    const e = await start({ clock: clock.now });
    const app = first(e.apps);

    e.updateApp(app.clientId, { refreshTokenPolicy: 'immediately' });
    const a = await login(e);
    await expectError(await refresh(e, app, a.refresh_token ?? ''), 'invalid_grant', 'expired access/refresh token');

    e.updateApp(app.clientId, { refreshTokenPolicy: { kind: 'inactivity', ms: 1000 } });
    const b = await login(e);
    clock.advance(900);
    expect((await refresh(e, app, b.refresh_token ?? '')).status).toBe(200);
    clock.advance(900); // 900 ms since the last use: still fine
    expect((await refresh(e, app, b.refresh_token ?? '')).status).toBe(200);
    clock.advance(1001);
    await expectError(await refresh(e, app, b.refresh_token ?? ''), 'invalid_grant', 'expired access/refresh token');

    e.updateApp(app.clientId, { refreshTokenPolicy: { kind: 'lifetime', ms: 1000 } });
    const c = await login(e);
    clock.advance(600);
    expect((await refresh(e, app, c.refresh_token ?? '')).status).toBe(200);
    clock.advance(600); // used recently, but older than its lifetime
    await expectError(await refresh(e, app, c.refresh_token ?? ''), 'invalid_grant', 'expired access/refresh token');
  });

  it('keeps 5 approvals per user per app: the 6th revokes the oldest', async () => {
    const clock = manualClock();
    const e = await start({ clock: clock.now, apps: [{}, {}] });
    const [app, other] = e.apps as [typeof e.apps[0], typeof e.apps[0]];
    const otherLogin = await login(e, other);
    const tokens: string[] = [];
    for (let i = 0; i < 6; i++) {
      clock.advance(1000);
      tokens.push((await login(e, app)).refresh_token ?? '');
    }
    await expectError(await refresh(e, app, tokens[0] ?? ''), 'invalid_grant', 'expired access/refresh token');
    for (const t of tokens.slice(1)) expect((await refresh(e, app, t)).status).toBe(200);
    // Another app's approvals are counted separately.
    expect((await refresh(e, other, otherLogin.refresh_token ?? '')).status).toBe(200);
  });
});

describe('client_credentials grant', () => {
  const ccApp = { clientCredentials: { enabled: true, runAsUsername: 'integration@sfoauth.example' } };

  it('works on the My Domain host with the Run As user, without a refresh token', async () => {
    const e = await start({ apps: [ccApp] });
    const app = first(e.apps);
    const res = await postForm(tokenUrl(e, 'instance'), { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, string>;
    expect(body).not.toHaveProperty('refresh_token');
    expect(body.scope?.split(' ')).not.toContain('refresh_token');
    expect(body.scope?.split(' ')).toContain('api');
    expect(body.id).not.toContain(e.user.id);
    expect(body.id).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/id\/00D\w{15}\/005\w{15}$/);
    expect(body.signature).toBe(createHmac('sha256', app.clientSecret).update(`${body.id}${body.issued_at}`).digest('base64'));
    const info = (await (await get(`${e.instanceUrl}/services/oauth2/userinfo`, { authorization: `Bearer ${body.access_token ?? ''}` })).json()) as Record<string, unknown>;
    expect(info.preferred_username).toBe('integration@sfoauth.example');
  });

  it("answers in Salesforce's shape, with the Run As user set through the control route", async () => {
    const e = await start();
    const app = first(e.apps);
    const form = { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret };
    // Off by default, as on a new app.
    await expectError(await postForm(tokenUrl(e, 'instance'), form), 'unsupported_grant_type', 'grant type not supported');
    const patch = await fetch(`${e.loginUrl}/__emulator/apps/${encodeURIComponent(app.clientId)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientCredentials: { enabled: true, runAsUsername: 'cc-run-as@acme.example' } }),
    });
    expect(patch.status).toBe(200);
    const res = await postForm(tokenUrl(e, 'instance'), form);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, string>;
    // docs/salesforce.md §10.1: no refresh_token, no id_token, issued_at as an epoch-ms string.
    expect(Object.keys(body)).toEqual(['access_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at', 'api_instance_url']);
    expect(body.instance_url).toBe(e.instanceUrl);
    expect(body.issued_at).toMatch(/^\d{13}$/);
    const info = (await (await get(`${e.instanceUrl}/services/oauth2/userinfo`, { authorization: `Bearer ${body.access_token ?? ''}` })).json()) as Record<string, unknown>;
    expect(info.preferred_username).toBe('cc-run-as@acme.example');
  });

  it('accepts Basic client authentication', async () => {
    const e = await start({ apps: [ccApp] });
    const app = first(e.apps);
    const basic = Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64');
    const res = await postForm(tokenUrl(e, 'instance'), { grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` });
    expect(res.status).toBe(200);
  });

  it('is refused on the login host', async () => {
    const e = await start({ apps: [ccApp] });
    const app = first(e.apps);
    const res = await postForm(tokenUrl(e), { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret });
    await expectError(res, 'invalid_grant', 'request not supported on this domain');
  });

  it('needs a Run As user, the flow enabled, and the secret', async () => {
    const e = await start({ apps: [{ clientCredentials: { enabled: true } }] });
    const app = first(e.apps);
    const form = { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret };
    await expectError(await postForm(tokenUrl(e, 'instance'), form), 'invalid_grant', 'no client credentials user enabled');
    e.updateApp(app.clientId, { clientCredentials: { enabled: false, runAsUsername: 'x@y.example' } });
    await expectError(await postForm(tokenUrl(e, 'instance'), form), 'unsupported_grant_type', 'grant type not supported');
    e.updateApp(app.clientId, { clientCredentials: { enabled: true, runAsUsername: 'x@y.example' } });
    await expectError(
      await postForm(tokenUrl(e, 'instance'), { grant_type: 'client_credentials', client_id: app.clientId }),
      'invalid_client',
      'invalid client credentials',
    );
    expect((await postForm(tokenUrl(e, 'instance'), form)).status).toBe(200);
  });
});
