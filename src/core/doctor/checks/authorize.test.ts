import { describe, expect, it } from 'vitest';
import { fakeDoctorContext, scriptedHttp } from '../../../../test/doctor/harness.js';
import { authorizeErrorPage } from '../../../emulator/pages.js';
import { authorizeCheck } from './authorize.js';

describe('authorize endpoint probe', () => {
  it('a redirect to the login page means the app and callback are accepted; redirects are not followed', async () => {
    const http = scriptedHttp(() => ({ status: 302, headers: { location: 'https://login.salesforce.com/?ec=302&startURL=%2Fsetup' } }));
    const o = await authorizeCheck.run(fakeDoctorContext({ http }));
    expect(o.status).toBe('pass');
    expect(o.summary).toContain('sent the browser on to log in');
    const req = http.requests[0]!;
    expect(req).toMatchObject({ method: 'GET', redirect: 'manual' });
    const url = new URL(String(req.url));
    expect(url.pathname).toBe('/services/oauth2/authorize');
    expect(url.searchParams.get('redirect_uri')).toBe('http://localhost:1717/OauthRedirect');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('a rendered redirect_uri_mismatch page names the callback URL to register', async () => {
    // The page Salesforce renders instead of redirecting (as the emulator reproduces it).
    const page = authorizeErrorPage('redirect_uri_mismatch', 'redirect_uri must match configuration');
    const http = scriptedHttp(() => ({ status: 400, body: page, headers: { 'content-type': 'text/html' } }));
    const o = await authorizeCheck.run(fakeDoctorContext({ http }));
    expect(o.status).toBe('fail');
    expect(o.summary).toBe('the callback URL http://localhost:1717/OauthRedirect is not registered on the app (redirect_uri_mismatch (redirect_uri must match configuration))');
    expect(o.fix).toContain('add http://localhost:1717/OauthRedirect to the app\'s Callback URL list');
  });

  it('Salesforce\'s newer 200 "Client Identifier … isn\'t recognized" page fails as invalid_client_id, as init reports it', async () => {
    const page = "<h1>Authorization Error</h1><p>Client Identifier '3MVG9x' isn't recognized.</p>";
    const http = scriptedHttp(() => ({ status: 200, body: page, headers: { 'content-type': 'text/html' } }));
    const o = await authorizeCheck.run(fakeDoctorContext({ http }));
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('refuses the app at the authorize step: invalid_client_id');
  });

  it('is skipped for SFOAUTH_* variables, which have no callback URL', async () => {
    expect((await authorizeCheck.run(fakeDoctorContext({ source: 'env' }))).status).toBe('skip');
  });
});
