import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createHttpClient } from '../http/request.js';
import { probeAuthorize } from './authorize-probe.js';
import { useStrictNock } from '../../../test/support/strict-nock.js';

const clock = { now: () => Date.now(), sleep: async () => undefined };
const http = createHttpClient({ fetch: globalThis.fetch, clock });
const url = new URL('https://login.salesforce.com/services/oauth2/authorize?response_type=code&client_id=3MVG9x');

useStrictNock();

describe('probeAuthorize', () => {
  it('a redirect (to the login page) means Salesforce knows the app and its callback', async () => {
    nock('https://login.salesforce.com').get('/services/oauth2/authorize').query(true).reply(302, '', { Location: 'https://login.salesforce.com/?ec=302' });
    expect(await probeAuthorize(http, url)).toBeUndefined();
  });

  it('reads invalid_client_id from the rendered 400 page', async () => {
    nock('https://login.salesforce.com')
      .get('/services/oauth2/authorize')
      .query(true)
      .reply(400, 'error=invalid_client_id&error_description=client%20identifier%20invalid');
    expect(await probeAuthorize(http, url)).toEqual({ error: 'invalid_client_id', description: 'client identifier invalid', status: 400 });
  });

  it('reads redirect_uri_mismatch wrapped in HTML', async () => {
    nock('https://login.salesforce.com')
      .get('/services/oauth2/authorize')
      .query(true)
      .reply(400, '<html><pre>error=redirect_uri_mismatch&amp;error_description=redirect_uri%20must%20match%20configuration</pre></html>');
    expect(await probeAuthorize(http, url)).toMatchObject({ error: 'redirect_uri_mismatch', status: 400 });
  });

  it('recognises the newer 200 "Authorization Error" page', async () => {
    nock('https://login.salesforce.com')
      .get('/services/oauth2/authorize')
      .query(true)
      .reply(200, "<h1>Authorization Error</h1><p>Client Identifier '3MVG9x' isn't recognized.</p>");
    expect(await probeAuthorize(http, url)).toMatchObject({ error: 'invalid_client_id', status: 200 });
  });

  it('leaves any other page to the browser', async () => {
    nock('https://login.salesforce.com').get('/services/oauth2/authorize').query(true).reply(200, '<html>Login</html>');
    expect(await probeAuthorize(http, url)).toBeUndefined();
  });
});
