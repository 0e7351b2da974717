/**
 * jsforce (a real Salesforce client, pinned to 3.10.16, the last release for Node 20) against the
 * emulator, unchanged: authorize with PKCE, exchange the code, refresh, identity() (which follows the
 * token response's `id` URL, so that URL must name a host the emulator serves), REST, and revoke.
 * docs/interop.md "jsforce".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Connection, OAuth2 } from 'jsforce';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('jsforce against the emulator', () => {
  it('authorizes with PKCE, refreshes, reads identity() and REST, and revokes', async () => {
    const e = (emu = await startEmulator({ autoApprove: true, orgType: 'developer', apps: [{ rotateRefreshTokens: true }] }));
    const app = e.apps[0]!;
    const oauth2 = new OAuth2({
      loginUrl: e.loginUrl,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      redirectUri: app.callbackUrls[0]!,
      useVerifier: true,
    });
    const authorizeUrl = new URL(oauth2.getAuthorizationUrl({ scope: 'api refresh_token', state: 'st-1' }));
    expect(authorizeUrl.searchParams.get('code_challenge')).toBeTruthy();

    // The "browser": the emulator approves at once and redirects to the callback with the code.
    const res = await fetch(authorizeUrl, { redirect: 'manual' });
    const callback = new URL(res.headers.get('location')!);
    expect(callback.searchParams.get('state')).toBe('st-1');
    const code = callback.searchParams.get('code')!;

    const conn = new Connection({ oauth2 });
    const userInfo = await conn.authorize(code);
    expect(userInfo).toMatchObject({ id: e.user.id, organizationId: e.org.id });
    expect(conn.instanceUrl).toBe(e.instanceUrl);
    const firstRefresh = conn.refreshToken!;
    expect(firstRefresh).toMatch(/^5Aep861/);

    // identity() GETs the `id` URL: it must be on a host the client can reach.
    const identity = await conn.identity();
    expect(identity).toMatchObject({ user_id: e.user.id, organization_id: e.org.id, username: e.user.username });

    // REST: the SOQL query sf and jsforce users send for the org, and a record read.
    const org = await conn.query<{ IsSandbox: boolean; OrganizationType: string }>('SELECT Id, IsSandbox, OrganizationType FROM Organization');
    expect(org.records[0]).toMatchObject({ IsSandbox: false, OrganizationType: 'Developer Edition' });
    const user = (await conn.sobject('User').retrieve(e.user.id)) as { Username?: string };
    expect(user.Username).toBe(e.user.username);

    // Refresh with rotation: jsforce does not keep the new refresh token on the connection (see
    // docs/interop.md), so the caller takes it from the response.
    const refreshed = await oauth2.refreshToken(firstRefresh);
    expect(refreshed.access_token).not.toBe(conn.accessToken);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(firstRefresh);

    const fresh = new Connection({ oauth2, instanceUrl: refreshed.instance_url, accessToken: refreshed.access_token, refreshToken: refreshed.refresh_token! });
    expect((await fresh.identity()).user_id).toBe(e.user.id);

    // Revoke the refresh token: its access tokens stop working.
    await oauth2.revokeToken(refreshed.refresh_token!);
    await expect(oauth2.refreshToken(refreshed.refresh_token!)).rejects.toThrow(/expired access\/refresh token/);
    await expect(fresh.query('SELECT Id FROM Organization')).rejects.toThrow();
  });
});
