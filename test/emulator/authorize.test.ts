import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, DEMO_PASSWORD, DEMO_USERNAME, type RunningEmulator } from '../../src/emulator/index.js';
import { authorizeUrl, first, get, hiddenInputs, location, manualClock, pkcePair, postForm } from './helpers.js';

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(opts: Parameters<typeof startEmulator>[0] = {}): Promise<RunningEmulator> {
  emu = await startEmulator(opts);
  return emu;
}

function params(e: RunningEmulator, extra: Record<string, string | undefined> = {}) {
  const app = first(e.apps);
  return {
    response_type: 'code',
    client_id: app.clientId,
    redirect_uri: first(app.callbackUrls),
    state: 'state-123',
    code_challenge: pkcePair().challenge,
    ...extra,
  };
}

describe('/authorize: errors that are rendered, not redirected', () => {
  it('an unknown client_id gets a 400 page with the exact urlencoded error', async () => {
    const e = await start({ autoApprove: true });
    const res = await get(authorizeUrl(e.loginUrl, params(e, { client_id: '3MVG9unknown' })));
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    const body = await res.text();
    expect(body).toContain('error=invalid_client_id&error_description=client%20identifier%20invalid');
    expect(body).toContain('sfoauth emulator — not Salesforce');
  });

  it('a missing redirect_uri and an unregistered one are rendered too', async () => {
    const e = await start({ autoApprove: true });
    const missing = await get(authorizeUrl(e.loginUrl, params(e, { redirect_uri: undefined })));
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('error=redirect_uri_missing&error_description=redirect_uri%20not%20provided');
    // One character off (trailing slash) is a mismatch.
    const wrong = await get(authorizeUrl(e.loginUrl, params(e, { redirect_uri: 'http://localhost:1717/OauthRedirect/' })));
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration');
  });

  it('the client_id is checked before the redirect_uri', async () => {
    const e = await start({ autoApprove: true });
    const res = await get(authorizeUrl(e.loginUrl, params(e, { client_id: 'nope', redirect_uri: 'http://evil.example/cb' })));
    expect(await res.text()).toContain('error=invalid_client_id');
  });

  it('answers invalid_client_id while a new app propagates, then works', async () => {
    const clock = manualClock();
    const e = await start({ autoApprove: true, clock: clock.now, apps: [{ propagationDelayMs: 120_000 }] });
    const early = await get(authorizeUrl(e.loginUrl, params(e)));
    expect(early.status).toBe(400);
    expect(await early.text()).toContain('error=invalid_client_id');
    clock.advance(120_000);
    const later = await get(authorizeUrl(e.loginUrl, params(e)));
    expect(location(later).searchParams.get('code')).toBeTruthy();
  });
});

describe('/authorize: errors redirected to the callback with state', () => {
  async function errorOf(e: RunningEmulator, extra: Record<string, string | undefined>) {
    const url = location(await get(authorizeUrl(e.loginUrl, params(e, extra))));
    expect(`${url.origin}${url.pathname}`).toBe('http://localhost:1717/OauthRedirect');
    expect(url.searchParams.get('state')).toBe(extra.state ?? 'state-123');
    expect(url.searchParams.get('code')).toBeNull();
    return [url.searchParams.get('error'), url.searchParams.get('error_description')];
  }

  it('unsupported response_type', async () => {
    const e = await start({ autoApprove: true });
    expect(await errorOf(e, { response_type: 'token' })).toEqual(['unsupported_response_type', 'response type not supported']);
  });

  it('a PKCE-requiring External Client App without a challenge: refused before any approval, on either login page path', async () => {
    const e = await start({ autoApprove: true });
    expect(await errorOf(e, { code_challenge: undefined })).toEqual(['invalid_request', 'missing required code challenge']);
    const state = async () => ((await (await get(`${e.loginUrl}/__emulator/state`)).json()) as { tokens: Record<string, number> }).tokens;
    expect(await state()).toEqual({ codes: 0, activeAccessTokens: 0, activeRefreshTokens: 0, approvals: 0 });
    // The same request is approved at once (autoApprove) once the app stops requiring PKCE.
    e.updateApp(e.apps[0]!.clientId, { requirePkce: false });
    expect(location(await get(authorizeUrl(e.loginUrl, params(e, { code_challenge: undefined })))).searchParams.get('code')).toBeTruthy();
    expect(await state()).toMatchObject({ codes: 1 });
  });

  it('without autoApprove the missing challenge is refused before the login page', async () => {
    const e = await start();
    expect(await errorOf(e, { code_challenge: undefined })).toEqual(['invalid_request', 'missing required code challenge']);
  });

  it('a Connected App does not require PKCE by default', async () => {
    const e = await start({ autoApprove: true, apps: [{ appType: 'connected-app' }] });
    const url = location(await get(authorizeUrl(e.loginUrl, params(e, { code_challenge: undefined }))));
    expect(url.searchParams.get('code')).toBeTruthy();
  });

  it('a scope the app does not have', async () => {
    const e = await start({ autoApprove: true, apps: [{ scopes: ['api', 'refresh_token'] }] });
    expect(await errorOf(e, { scope: 'api web' })).toEqual(['invalid_scope', 'requested scope is invalid, unknown, or malformed']);
    // offline_access comes with refresh_token on the app.
    const ok = location(await get(authorizeUrl(e.loginUrl, params(e, { scope: 'api offline_access' }))));
    expect(ok.searchParams.get('code')).toBeTruthy();
  });

  it('userDenies makes the automatic approver click Deny', async () => {
    const e = await start({ autoApprove: true });
    e.setFault('userDenies', true);
    expect(await errorOf(e, {})).toEqual(['access_denied', 'end-user denied authorization']);
  });

  it('appBlocked', async () => {
    const e = await start({ autoApprove: true });
    e.setFault('appBlocked', true);
    expect(await errorOf(e, {})).toEqual(['OAUTH_APP_BLOCKED', 'this app is blocked by admin']);
  });

  it('an External Client App that is not installed, by setting or by fault', async () => {
    const e = await start({ autoApprove: true, apps: [{ installed: false }, { appType: 'connected-app', callbackUrls: ['http://localhost:1717/OauthRedirect'] }] });
    expect(await errorOf(e, {})).toEqual(['OAUTH_EC_APP_NOT_FOUND', 'External client app is not installed in this org']);
    e.updateApp(first(e.apps).clientId, { installed: true });
    e.setFault('ecaNotInstalled', true);
    expect(await errorOf(e, {})).toEqual(['OAUTH_EC_APP_NOT_FOUND', 'External client app is not installed in this org']);
    // Connected Apps need no installation.
    const ca = e.apps[1];
    const url = location(await get(authorizeUrl(e.loginUrl, params(e, { client_id: ca?.clientId }))));
    expect(url.searchParams.get('code')).toBeTruthy();
  });

  it('immediate=true without a session is immediate_unsuccessful', async () => {
    const e = await start();
    expect(await errorOf(e, { immediate: 'true' })).toEqual(['immediate_unsuccessful', 'immediate unsuccessful']);
  });

  it('leaves state out when none was sent', async () => {
    const e = await start({ autoApprove: true });
    const url = location(await get(authorizeUrl(e.loginUrl, params(e, { state: undefined, response_type: 'token' }))));
    expect(url.searchParams.has('state')).toBe(false);
  });
});

describe('/authorize: success', () => {
  it('redirects with a URL-encoded code that ends in == and the state', async () => {
    const e = await start({ autoApprove: true });
    const res = await get(authorizeUrl(e.loginUrl, params(e)));
    const raw = res.headers.get('location') ?? '';
    expect(raw).toMatch(/^http:\/\/localhost:1717\/OauthRedirect\?code=aPrx[^&]+%3D%3D&state=state-123$/);
    expect(location(res).searchParams.get('code')).toMatch(/^aPrx[A-Za-z0-9+/]+==$/);
  });

  it('the instance host serves /authorize as well', async () => {
    const e = await start({ autoApprove: true });
    const res = await get(authorizeUrl(e.instanceUrl, params(e)));
    expect(location(res).searchParams.get('code')).toBeTruthy();
  });

  it('keeps a query string already on the callback URL', async () => {
    const e = await start({ autoApprove: true, apps: [{ callbackUrls: ['https://app.example/cb?tenant=7'] }] });
    const url = location(await get(authorizeUrl(e.loginUrl, params(e, { redirect_uri: 'https://app.example/cb?tenant=7' }))));
    expect(url.searchParams.get('tenant')).toBe('7');
    expect(url.searchParams.get('code')).toBeTruthy();
  });
});

describe('/authorize: the login and approval pages', () => {
  it('GET shows a labelled login form with the demo username filled in', async () => {
    const e = await start();
    const res = await get(authorizeUrl(e.loginUrl, params(e)));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('sfoauth emulator — not Salesforce');
    expect(html).toContain('<label for="username">Username</label>');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toContain(`value="${DEMO_USERNAME}"`);
    expect(html).toContain('method="post"');
    expect(hiddenInputs(html)).toMatchObject({ client_id: first(e.apps).clientId, state: 'state-123', sfoauth_step: 'login' });
  });

  it('login_hint pre-fills the username', async () => {
    const e = await start();
    const html = await (await get(authorizeUrl(e.loginUrl, params(e, { login_hint: 'someone@example.com' })))).text();
    expect(html).toContain('value="someone@example.com"');
  });

  it('round trip: log in, Allow, redirect with a code that exchanges', async () => {
    const e = await start();
    const app = first(e.apps);
    const { verifier, challenge } = pkcePair();
    const loginHtml = await (await get(authorizeUrl(e.loginUrl, params(e, { code_challenge: challenge })))).text();
    const authorizePath = `${e.loginUrl}/services/oauth2/authorize`;

    const wrong = await postForm(authorizePath, { ...hiddenInputs(loginHtml), username: DEMO_USERNAME, password: 'nope' });
    expect(wrong.status).toBe(200);
    expect(await wrong.text()).toContain('Please check your username and password.');

    const approve = await postForm(authorizePath, { ...hiddenInputs(loginHtml), username: DEMO_USERNAME, password: DEMO_PASSWORD });
    expect(approve.status).toBe(200);
    const approveHtml = await approve.text();
    expect(approveHtml).toContain('Allow Access?');
    expect(approveHtml).toMatch(/<button type="submit" name="decision" value="allow"[^>]*>Allow<\/button>/);
    expect(approveHtml).toMatch(/<button type="submit" name="decision" value="deny"[^>]*>Deny<\/button>/);
    expect(approveHtml).toContain('Access and manage your data (api)');

    const allowed = await postForm(authorizePath, { ...hiddenInputs(approveHtml), decision: 'allow' });
    const cb = location(allowed);
    expect(cb.searchParams.get('state')).toBe('state-123');
    const code = cb.searchParams.get('code') ?? '';

    const token = await postForm(`${e.loginUrl}/services/oauth2/token`, {
      grant_type: 'authorization_code', code, client_id: app.clientId, client_secret: app.clientSecret,
      redirect_uri: first(app.callbackUrls), code_verifier: verifier,
    });
    expect(token.status).toBe(200);

    // The approval form is single use.
    const again = await postForm(authorizePath, { ...hiddenInputs(approveHtml), decision: 'allow' });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('<label for="password">');
  });

  it('Deny redirects with access_denied', async () => {
    const e = await start();
    const authorizePath = `${e.loginUrl}/services/oauth2/authorize`;
    const loginHtml = await (await get(authorizeUrl(e.loginUrl, params(e)))).text();
    const approveHtml = await (await postForm(authorizePath, { ...hiddenInputs(loginHtml), username: DEMO_USERNAME, password: DEMO_PASSWORD })).text();
    const cb = location(await postForm(authorizePath, { ...hiddenInputs(approveHtml), decision: 'deny' }));
    expect(cb.searchParams.get('error')).toBe('access_denied');
    expect(cb.searchParams.get('error_description')).toBe('end-user denied authorization');
    expect(cb.searchParams.get('state')).toBe('state-123');
  });

  it('an approval form whose parameters were changed after login starts over', async () => {
    const e = await start();
    const authorizePath = `${e.loginUrl}/services/oauth2/authorize`;
    const loginHtml = await (await get(authorizeUrl(e.loginUrl, params(e)))).text();
    const approveHtml = await (await postForm(authorizePath, { ...hiddenInputs(loginHtml), username: DEMO_USERNAME, password: DEMO_PASSWORD })).text();
    const res = await postForm(authorizePath, { ...hiddenInputs(approveHtml), state: 'other', decision: 'allow' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<label for="password">');
  });

  it('a blocked app is refused after login, before the approval page', async () => {
    const e = await start();
    e.setFault('appBlocked', true);
    const loginHtml = await (await get(authorizeUrl(e.loginUrl, params(e)))).text();
    const res = await postForm(`${e.loginUrl}/services/oauth2/authorize`, { ...hiddenInputs(loginHtml), username: DEMO_USERNAME, password: DEMO_PASSWORD });
    expect(location(res).searchParams.get('error')).toBe('OAUTH_APP_BLOCKED');
  });

  it('escapes request values in the pages', async () => {
    const e = await start();
    const html = await (await get(authorizeUrl(e.loginUrl, params(e, { state: '"><script>alert(1)</script>' })))).text();
    expect(html).not.toContain('<script>');
    expect(hiddenInputs(html).state).toBe('"><script>alert(1)</script>');
  });
});
