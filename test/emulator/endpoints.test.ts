import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PortInUseError, UsageError } from '../../src/errors.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { first, get, login, manualClock, postForm, refresh } from './helpers.js';

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(opts: Parameters<typeof startEmulator>[0] = {}): Promise<RunningEmulator> {
  emu = await startEmulator({ autoApprove: true, ...opts });
  return emu;
}

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

describe('/revoke', () => {
  it('revokes an access token by POST; a second revoke fails with an urlencoded body', async () => {
    const e = await start();
    const t = await login(e);
    const res = await postForm(`${e.loginUrl}/services/oauth2/revoke`, { token: t.access_token });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect((await get(`${e.instanceUrl}/services/oauth2/userinfo`, bearer(t.access_token))).status).toBe(403);
    const again = await postForm(`${e.loginUrl}/services/oauth2/revoke`, { token: t.access_token });
    expect(again.status).toBe(400);
    expect(await again.text()).toBe('error=invalid_token');
    // The refresh token is untouched by revoking an access token.
    expect((await refresh(e, first(e.apps), t.refresh_token ?? '')).status).toBe(200);
  });

  it('revoking a refresh token by GET ends its access tokens too', async () => {
    const e = await start();
    const t = await login(e);
    const res = await get(`${e.instanceUrl}/services/oauth2/revoke?token=${encodeURIComponent(t.refresh_token ?? '')}`);
    expect(res.status).toBe(200);
    expect((await get(`${e.instanceUrl}/services/data/v66.0/`, bearer(t.access_token))).status).toBe(401);
    expect((await refresh(e, first(e.apps), t.refresh_token ?? '')).status).toBe(400);
  });

  it('an unknown token is an unsupported token type', async () => {
    const e = await start();
    const res = await postForm(`${e.loginUrl}/services/oauth2/revoke`, { token: 'garbage' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    expect(await res.text()).toBe('error=unsupported_token_type&error_description=this%20token%20type%20is%20not%20supported');
  });
});

describe('/introspect', () => {
  const introspect = (e: RunningEmulator, form: Record<string, string | undefined>, headers?: Record<string, string>) =>
    postForm(`${e.instanceUrl}/services/oauth2/introspect`, form, headers);

  it('describes an active access token (seconds, token_type access_token, sub = id URL)', async () => {
    const clock = manualClock();
    const e = await start({ clock: clock.now });
    const app = first(e.apps);
    const t = await login(e);
    const res = await introspect(e, { token: t.access_token, token_type_hint: 'access_token', client_id: app.clientId, client_secret: app.clientSecret });
    expect(res.status).toBe(200);
    const iat = Math.floor(clock.now() / 1000);
    expect(await res.json()).toEqual({
      active: true, scope: t.scope, client_id: app.clientId, username: e.user.username, sub: t.id,
      token_type: 'access_token', exp: iat + 7200, iat, nbf: iat,
    });
    clock.advance(2 * 60 * 60 * 1000);
    expect(await (await introspect(e, { token: t.access_token, client_id: app.clientId, client_secret: app.clientSecret })).json()).toEqual({ active: false });
  });

  it('describes a refresh token, and accepts a Basic header', async () => {
    const e = await start();
    const app = first(e.apps);
    const t = await login(e);
    const basic = Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64');
    const body = (await (await introspect(e, { token: t.refresh_token, token_type_hint: 'refresh_token' }, { authorization: `Basic ${basic}` })).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ active: true, token_type: 'refresh_token', client_id: app.clientId });
    expect(body).not.toHaveProperty('exp'); // valid until revoked
  });

  it("another app's token is inactive unless the caller may introspect all tokens", async () => {
    const e = await start({ apps: [{}, {}] });
    const [one, two] = e.apps as [typeof e.apps[0], typeof e.apps[0]];
    const t = await login(e, one);
    const asTwo = () => introspect(e, { token: t.access_token, client_id: two.clientId, client_secret: two.clientSecret });
    expect(await (await asTwo()).json()).toEqual({ active: false });
    e.updateApp(two.clientId, { introspectAllTokens: true });
    expect(await (await asTwo()).json()).toMatchObject({ active: true, client_id: one.clientId });
  });

  it('bad client credentials are a 401 invalid_client; revoked and unknown tokens are inactive', async () => {
    const e = await start();
    const app = first(e.apps);
    const t = await login(e);
    const bad = await introspect(e, { token: t.access_token, client_id: app.clientId, client_secret: 'WRONG' });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
    expect((await introspect(e, { token: t.access_token, client_id: app.clientId })).status).toBe(401);
    expect(await (await introspect(e, { token: 'nope', client_id: app.clientId, client_secret: app.clientSecret })).json()).toEqual({ active: false });
    e.revokeAll();
    expect(await (await introspect(e, { token: t.access_token, client_id: app.clientId, client_secret: app.clientSecret })).json()).toEqual({ active: false });
  });
});

describe('/userinfo and the identity URL', () => {
  it('userinfo answers with the OIDC fields and {version} URL templates', async () => {
    const e = await start();
    const t = await login(e);
    const res = await get(`${e.instanceUrl}/services/oauth2/userinfo`, bearer(t.access_token));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown> & { urls: Record<string, string> };
    expect(body).toMatchObject({
      sub: t.id, user_id: e.user.id, organization_id: e.org.id, preferred_username: e.user.username,
      email_verified: true, active: true, user_type: 'STANDARD', is_app_installed: true,
    });
    for (const k of ['nickname', 'name', 'email', 'given_name', 'family_name', 'zoneinfo', 'photos', 'profile', 'picture', 'address',
      'is_salesforce_integration_user', 'language', 'locale', 'utcOffset', 'updated_at']) expect(body).toHaveProperty(k);
    expect(body.urls.rest).toBe(`${e.instanceUrl}/services/data/v{version}/`);
    expect(Object.keys(body.urls)).toEqual(['enterprise', 'metadata', 'partner', 'rest', 'sobjects', 'search', 'query', 'recent',
      'tooling_soap', 'tooling_rest', 'profile', 'feeds', 'groups', 'users', 'feed_items', 'feed_elements', 'custom_domain']);
  });

  it('takes oauth_token as a parameter too, on either host', async () => {
    const e = await start();
    const t = await login(e);
    expect((await get(`${e.loginUrl}/services/oauth2/userinfo?oauth_token=${encodeURIComponent(t.access_token)}`)).status).toBe(200);
    expect((await postForm(`${e.instanceUrl}/services/oauth2/userinfo`, { oauth_token: t.access_token })).status).toBe(200);
  });

  it('a bad or missing token is a plain 403 Bad_OAuth_Token', async () => {
    const e = await start();
    for (const headers of [{}, bearer('00Dxx!nope'), { authorization: 'Basic Zm9vOmJhcg==' }]) {
      const res = await get(`${e.instanceUrl}/services/oauth2/userinfo`, headers);
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toBe('Bad_OAuth_Token');
    }
  });

  it('/id/<org>/<user> answers with the identity fields; version fills the templates', async () => {
    const e = await start();
    const t = await login(e);
    const path = new URL(t.id).pathname;
    const res = await get(`${e.loginUrl}${path}?version=latest`, bearer(t.access_token));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown> & { urls: Record<string, string> };
    expect(body).toMatchObject({ id: t.id, user_id: e.user.id, organization_id: e.org.id, username: e.user.username, asserted_user: true });
    for (const k of ['nick_name', 'display_name', 'first_name', 'last_name', 'timezone', 'photos', 'addr_country', 'mobile_phone',
      'is_lightning_login_user', 'status', 'user_type', 'language', 'locale', 'utcOffset', 'last_modified_date', 'is_app_installed']) expect(body).toHaveProperty(k);
    expect(body.urls.rest).toBe(`${e.instanceUrl}/services/data/v66.0/`);
    // 15-character ids work too; the wrong org does not.
    expect((await get(`${e.instanceUrl}/id/${e.org.id.slice(0, 15)}/${e.user.id.slice(0, 15)}`, bearer(t.access_token))).status).toBe(200);
    expect((await get(`${e.instanceUrl}/id/00D000000000001AAA/${e.user.id}`, bearer(t.access_token))).status).toBe(404);
    expect(await (await get(`${e.instanceUrl}${path}`)).text()).toBe('Bad_OAuth_Token');
  });
});

describe('OpenID discovery', () => {
  it("has Salesforce's keys with this host's URLs, and leaves out what Salesforce leaves out", async () => {
    const e = await start();
    for (const base of [e.loginUrl, e.instanceUrl]) {
      const res = await get(`${base}/.well-known/openid-configuration`);
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      const doc = (await res.json()) as Record<string, unknown>;
      expect(doc).toMatchObject({
        issuer: base,
        authorization_endpoint: `${base}/services/oauth2/authorize`,
        token_endpoint: `${base}/services/oauth2/token`,
        revocation_endpoint: `${base}/services/oauth2/revoke`,
        userinfo_endpoint: `${base}/services/oauth2/userinfo`,
        introspection_endpoint: `${base}/services/oauth2/introspect`,
        jwks_uri: `${base}/id/keys`,
        response_types_supported: ['code', 'token', 'token id_token'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'private_key_jwt'],
      });
      for (const absent of ['code_challenge_methods_supported', 'grant_types_supported', 'end_session_endpoint', 'device_authorization_endpoint']) {
        expect(doc).not.toHaveProperty(absent);
      }
    }
  });
});

describe('REST', () => {
  it('/services/data/ lists versions without auth or a limit header', async () => {
    const e = await start();
    for (const path of ['/services/data', '/services/data/']) {
      const res = await get(`${e.instanceUrl}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('sforce-limit-info')).toBeNull();
      const versions = (await res.json()) as Array<{ label: string; url: string; version: string }>;
      expect(versions.at(-1)).toEqual({ label: "Spring '26", url: '/services/data/v66.0', version: '66.0' });
      expect(versions).toContainEqual({ label: "Spring '15", url: '/services/data/v33.0', version: '33.0' });
    }
  });

  it('the version resource and limits need a token and count API usage', async () => {
    const e = await start();
    const t = await login(e);
    const root = await get(`${e.instanceUrl}/services/data/v66.0/`, bearer(t.access_token));
    expect(root.status).toBe(200);
    expect(root.headers.get('sforce-limit-info')).toBe('api-usage=1/15000');
    expect(await root.json()).toHaveProperty('limits', '/services/data/v66.0/limits');
    for (const path of ['/services/data/v66.0/limits', '/services/data/v60.0/limits/', '/services/data/latest/limits']) {
      const res = await get(`${e.instanceUrl}${path}`, bearer(t.access_token));
      expect(res.status).toBe(200);
      const limits = (await res.json()) as { DailyApiRequests: { Max: number; Remaining: number } };
      expect(limits.DailyApiRequests.Max).toBe(15000);
      expect(limits.DailyApiRequests.Remaining).toBe(15000 - Number(/api-usage=(\d+)/.exec(res.headers.get('sforce-limit-info') ?? '')?.[1]));
    }
  });

  it('bad, missing, revoked and expired tokens get INVALID_SESSION_ID', async () => {
    const clock = manualClock();
    const e = await start({ clock: clock.now });
    const t = await login(e);
    const url = `${e.instanceUrl}/services/data/v66.0/limits`;
    const invalid = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];
    expect(await (await get(url)).json()).toEqual(invalid);
    expect(await (await get(url, bearer('00Dxx!bad'))).json()).toEqual(invalid);
    expect(await (await get(url, { authorization: 'Basic abc' })).json()).toEqual([{ message: 'INVALID_HEADER_TYPE', errorCode: 'INVALID_AUTH_HEADER' }]);
    clock.advance(2 * 60 * 60 * 1000);
    const expired = await get(url, bearer(t.access_token));
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual(invalid);
  });

  it('unknown versions and resources are NOT_FOUND; the login host has no REST API', async () => {
    const e = await start();
    const t = await login(e);
    const notFound = [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }];
    const v99 = await get(`${e.instanceUrl}/services/data/v99.0/`, bearer(t.access_token));
    expect(v99.status).toBe(404);
    expect(await v99.json()).toEqual(notFound);
    expect((await get(`${e.instanceUrl}/services/data/v66.0/nothing`, bearer(t.access_token))).status).toBe(404);
    expect((await get(`${e.loginUrl}/services/data/`)).status).toBe(404);
  });
});

describe('faults', () => {
  it('noApiScope: new tokens lack api and REST says the session is not valid for it', async () => {
    const e = await start();
    e.setFault('noApiScope', true);
    const t = await login(e);
    expect(t.scope.split(' ')).not.toContain('api');
    const res = await get(`${e.instanceUrl}/services/data/v66.0/`, bearer(t.access_token));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual([{ message: 'This session is not valid for use with the REST API', errorCode: 'INVALID_SESSION_ID' }]);
    e.setFault('noApiScope', false);
    const r = (await (await refresh(e, first(e.apps), t.refresh_token ?? '')).json()) as { access_token: string; scope: string };
    expect(r.scope.split(' ')).toContain('api');
    expect((await get(`${e.instanceUrl}/services/data/v66.0/`, bearer(r.access_token))).status).toBe(200);
  });

  it('serverError fails the next N token/REST requests with an HTML 500', async () => {
    const e = await start();
    const t = await login(e);
    e.setFault('serverError', 2);
    const a = await refresh(e, first(e.apps), t.refresh_token ?? '');
    expect(a.status).toBe(500);
    expect(a.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await a.text()).toContain('sfoauth emulator — not Salesforce');
    expect((await get(`${e.instanceUrl}/services/data/`)).status).toBe(500);
    expect((await get(`${e.instanceUrl}/services/data/`)).status).toBe(200);
    expect(e.faults.serverError).toBe(0);
  });

  it('slowMs delays responses', async () => {
    const e = await start();
    e.setFault('slowMs', 150);
    const began = Date.now();
    await get(`${e.instanceUrl}/services/data/`);
    expect(Date.now() - began).toBeGreaterThanOrEqual(140);
  });

  it('unknown fault names are refused', async () => {
    const e = await start();
    expect(() => e.setFault('nope' as 'slowMs', true)).toThrow(UsageError);
  });
});

describe('control routes', () => {
  it('set faults, patch an app, revoke all, and report state without secrets', async () => {
    const e = await start();
    const app = first(e.apps);
    const t = await login(e);
    const post = (path: string, value: unknown) =>
      fetch(`${e.loginUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

    const faults = await post('/__emulator/faults', { userInactive: true, serverError: 1 });
    expect(faults.status).toBe(200);
    expect(await faults.json()).toMatchObject({ faults: { userInactive: true, serverError: 1 } });
    expect(e.faults).toMatchObject({ userInactive: true, serverError: 1 });
    const bad = await post('/__emulator/faults', { userInactive: false, bogus: true });
    expect(bad.status).toBe(400);
    expect(e.faults.userInactive).toBe(true); // nothing applied from a bad request
    await post('/__emulator/faults', { userInactive: false, serverError: 0 });

    const patched = await post(`/__emulator/apps/${encodeURIComponent(app.clientId)}`, { rotateRefreshTokens: true, callbackUrls: ['http://localhost:9999/cb'] });
    expect(patched.status).toBe(200);
    const patchedBody = (await patched.json()) as { app: Record<string, unknown> };
    expect(patchedBody.app).toMatchObject({ rotateRefreshTokens: true, callbackUrls: ['http://localhost:9999/cb'] });
    expect(patchedBody.app).not.toHaveProperty('clientSecret');
    expect(first(e.apps).rotateRefreshTokens).toBe(true);
    expect((await post(`/__emulator/apps/${encodeURIComponent(app.clientId)}`, { clientId: 'x' })).status).toBe(400);
    expect((await post('/__emulator/apps/unknown', { installed: false })).status).toBe(400);

    expect((await post('/__emulator/revoke-all', {})).status).toBe(200);
    expect((await refresh(e, first(e.apps), t.refresh_token ?? '')).status).toBe(400);

    const state = await get(`${e.loginUrl}/__emulator/state`);
    const text = await state.text();
    expect(JSON.parse(text)).toMatchObject({ loginUrl: e.loginUrl, instanceUrl: e.instanceUrl, org: e.org, user: { username: e.user.username } });
    expect(text).not.toContain(app.clientSecret);
    expect(text).not.toContain(t.access_token);
    expect(text).not.toContain(e.user.password);
  });

  it('are only on the login host and need a JSON body', async () => {
    const e = await start();
    expect((await get(`${e.instanceUrl}/__emulator/state`)).status).toBe(404);
    const form = await postForm(`${e.loginUrl}/__emulator/faults`, { userDenies: 'true' });
    expect(form.status).toBe(400);
  });
});

describe('lifecycle', () => {
  it('refuses non-loopback hosts and bad ports with a usage error', async () => {
    await expect(startEmulator({ host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow(UsageError);
    await expect(startEmulator({ port: 70000 })).rejects.toThrow(UsageError);
    await expect(startEmulator({ port: 5000, instancePort: 5000 })).rejects.toThrow(UsageError);
  });

  it('reports a busy port as PortInUseError', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const err = await startEmulator({ port }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PortInUseError);
      expect((err as PortInUseError).port).toBe(port);
      expect((err as PortInUseError).hint).toContain('--port');
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('rejects invalid app settings with every problem listed', async () => {
    const err = await startEmulator({ apps: [{ callbackUrls: ['not a url'], requirePkce: 'yes' as unknown as boolean, colour: 'red' } as never] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain('[0].callbackUrls[0]');
    expect((err as Error).message).toContain('[0].requirePkce');
    expect((err as Error).message).toContain('[0].colour: unknown field');
  });

  it('listens on localhost and [::1] when asked', async () => {
    const e = await start({ host: 'localhost' });
    expect(e.loginUrl).toMatch(/^http:\/\/localhost:\d+$/);
    expect((await get(`${e.instanceUrl}/services/data/`)).status).toBe(200);
    await e.close();
    emu = undefined;
    const v6 = await startEmulator({ host: '::1' }).catch(() => undefined);
    if (v6) {
      emu = v6;
      expect(v6.loginUrl).toMatch(/^http:\/\/\[::1\]:\d+$/);
      expect((await get(`${v6.loginUrl}/.well-known/openid-configuration`)).status).toBe(200);
    }
  });

  it('serves a labelled landing page and a 404 page; close() is idempotent', async () => {
    const e = await start();
    const landing = await get(`${e.loginUrl}/`);
    expect(await landing.text()).toContain('sfoauth emulator — not Salesforce');
    expect((await get(`${e.loginUrl}/nothing/here`)).status).toBe(404);
    await e.close();
    await e.close();
    await expect(fetch(`${e.loginUrl}/`)).rejects.toThrow();
    emu = undefined;
  });
});
