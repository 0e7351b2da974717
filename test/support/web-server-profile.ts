/** Web-server profiles in tests: narrowing what a store returns, and building one to save. */
import type { Profile, WebServerProfile } from '../../src/core/config/profile.js';

/** Test fixtures save web-server profiles; this narrows what a store returns to that flow (or fails the test). */
export function webServer(p: Profile | undefined): WebServerProfile {
  if (p?.flow !== 'web-server') throw new Error(`expected a saved web-server profile, got ${p ? p.flow : 'none'}`);
  return p;
}

/**
 * A valid production External Client App profile with init's defaults (login.salesforce.com, the default
 * callback, `api refresh_token`); each test gives what it is about.
 */
export function webServerProfile(fields: Pick<WebServerProfile, 'clientId' | 'createdAt'> & Partial<WebServerProfile>): WebServerProfile {
  return {
    flow: 'web-server',
    env: 'production',
    appType: 'external-client-app',
    loginUrl: 'https://login.salesforce.com',
    callbackUrl: 'http://localhost:1717/OauthRedirect',
    extraCallbackUrls: [],
    scopes: ['api', 'refresh_token'],
    ...fields,
  };
}
