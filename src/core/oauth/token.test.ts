import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { BadResponseError, NetworkError, SalesforceError } from '../../errors.js';
import type { Clock } from '../ports.js';
import { createHttpClient, type HttpResponse } from '../http/request.js';
import { validateCallback, type ValidatedCallback } from './callback.js';
import { exchangeCode, processTokenResponse, refreshAccessToken, tokenEndpoint } from './token.js';
import { useStrictNock } from '../../../test/support/strict-nock.js';

const LOGIN = 'https://login.salesforce.com';
const TOKEN_URL = `${LOGIN}/services/oauth2/token`;
const CODE = 'aPrxGfV7abcdefghijklmnopqrstuvwxyz==';
const SUCCESS = {
  access_token: '00D5i00000CIhxb!AR8AQJXg5secret',
  refresh_token: '5Aep861TSESvWeug_secret',
  signature: 'L9dAAP0spmigt5nJcwrU2C1nu2iMV37hBFXAXIMZrg8=',
  scope: 'refresh_token api id',
  id_token: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln',
  instance_url: 'https://home406-dev-ed.develop.my.salesforce.com',
  id: 'https://login.salesforce.com/id/00D5i00000CIhxbEAD/0055i000007pIKjAAM',
  token_type: 'Bearer',
  issued_at: '1710709761000',
  api_instance_url: 'https://api.salesforce.com',
};

const clock: Clock = { now: () => 0, sleep: async () => {} };
const http = () => createHttpClient({ fetch: globalThis.fetch, clock });

function response(status: number, body: unknown, contentType = 'application/json;charset=UTF-8'): HttpResponse {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, text, url: TOKEN_URL, headers: new Headers({ 'content-type': contentType }), json: () => JSON.parse(text) as unknown };
}

function callback(): ValidatedCallback {
  return validateCallback(new URLSearchParams({ code: CODE, state: 'st4te' }), 'st4te');
}

useStrictNock();

describe('processTokenResponse', () => {
  it('maps a 200 to camelCase', () => {
    expect(processTokenResponse(response(200, SUCCESS), TOKEN_URL)).toEqual({
      accessToken: SUCCESS.access_token,
      refreshToken: SUCCESS.refresh_token,
      signature: SUCCESS.signature,
      scope: ['refresh_token', 'api', 'id'],
      idToken: SUCCESS.id_token,
      instanceUrl: SUCCESS.instance_url,
      idUrl: SUCCESS.id,
      tokenType: 'Bearer',
      issuedAt: '1710709761000',
      apiInstanceUrl: 'https://api.salesforce.com',
    });
  });

  it('strips a trailing slash from instance_url and leaves optional fields out', () => {
    const { access_token, instance_url, id } = SUCCESS;
    const token = processTokenResponse(response(200, { access_token, instance_url: `${instance_url}/`, id, issued_at: 1710709761000 }), TOKEN_URL);
    expect(token).toEqual({ accessToken: access_token, instanceUrl: instance_url, idUrl: id, issuedAt: '1710709761000', scope: [], tokenType: 'Bearer' });
    expect('refreshToken' in token).toBe(false);
  });

  it.each(['access_token', 'instance_url', 'id'] as const)('requires %s', (field) => {
    const body: Record<string, unknown> = { ...SUCCESS };
    delete body[field];
    expect(() => processTokenResponse(response(200, body), TOKEN_URL)).toThrow(new RegExp(`has no ${field}`));
  });

  it('refuses an instance_url that is not a URL', () => {
    expect(() => processTokenResponse(response(200, { ...SUCCESS, instance_url: 'acme' }), TOKEN_URL)).toThrow(BadResponseError);
  });

  it.each([
    [400, 'invalid_client_id', 'client identifier invalid'],
    [400, 'invalid_grant', 'expired authorization code'],
    [400, 'invalid_grant', 'invalid code verifier'],
    [400, 'invalid_client', 'invalid client credentials'],
    [401, 'invalid_client', 'invalid client credentials'],
    [400, 'unsupported_grant_type', 'grant type not supported'],
  ])('%i %s → SalesforceError("token")', (status, error, description) => {
    let thrown: unknown;
    try {
      processTokenResponse(response(status, { error, error_description: description }), TOKEN_URL);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(SalesforceError);
    expect(thrown).toMatchObject({ endpoint: 'token', error, errorDescription: description, status });
  });

  it('HTML → BadResponseError: the host does not look like a Salesforce login host', () => {
    const html = '<!DOCTYPE html><html><head><title>Salesforce</title></head><body>Lightning</body></html>';
    for (const status of [200, 404]) {
      expect(() => processTokenResponse(response(status, html, 'text/html'), 'https://acme.lightning.force.com/services/oauth2/token')).toThrow(
        /acme\.lightning\.force\.com answered \d+ with an HTML page .*does not look like a Salesforce login host/,
      );
    }
  });

  it('non-JSON text at 200 → BadResponseError', () => {
    expect(() => processTokenResponse(response(200, 'OK', 'text/plain'), TOKEN_URL)).toThrow(BadResponseError);
  });
});

describe('exchangeCode', () => {
  it('posts the authorization_code grant once and returns the token', async () => {
    nock(LOGIN)
      .post('/services/oauth2/token', {
        grant_type: 'authorization_code',
        code: CODE,
        client_id: '3MVG9client',
        client_secret: 'SECRET64',
        redirect_uri: 'http://localhost:1717/OauthRedirect',
        code_verifier: 'v'.repeat(43),
      })
      .reply(200, SUCCESS);
    const token = await exchangeCode(http(), {
      loginUrl: LOGIN,
      clientId: '3MVG9client',
      clientSecret: 'SECRET64',
      redirectUri: 'http://localhost:1717/OauthRedirect',
      callback: callback(),
      codeVerifier: 'v'.repeat(43),
    });
    expect(token.accessToken).toBe(SUCCESS.access_token);
    expect(token.refreshToken).toBe(SUCCESS.refresh_token);
  });

  it('leaves client_secret out for a public client', async () => {
    nock(LOGIN)
      .post('/services/oauth2/token', (body: Record<string, string>) => !('client_secret' in body) && body.client_id === 'pub')
      .reply(200, SUCCESS);
    await exchangeCode(http(), { loginUrl: `${LOGIN}/`, clientId: 'pub', redirectUri: 'http://localhost:1717/OauthRedirect', callback: callback(), codeVerifier: 'v'.repeat(43) });
  });

  it('never retries: a 503 is one request and a NetworkError', async () => {
    nock(LOGIN).post('/services/oauth2/token').once().reply(503, 'Service Unavailable');
    const p = exchangeCode(http(), { loginUrl: LOGIN, clientId: 'c', redirectUri: 'http://localhost:1717/OauthRedirect', callback: callback(), codeVerifier: 'v'.repeat(43) });
    await expect(p).rejects.toBeInstanceOf(NetworkError);
    await expect(p).rejects.toMatchObject({ reason: 'server', status: 503 });
  });

  it('turns a reused code into SalesforceError invalid_grant', async () => {
    nock(LOGIN).post('/services/oauth2/token').reply(400, { error: 'invalid_grant', error_description: 'expired authorization code' });
    await expect(
      exchangeCode(http(), { loginUrl: LOGIN, clientId: 'c', redirectUri: 'http://localhost:1717/OauthRedirect', callback: callback(), codeVerifier: 'v'.repeat(43) }),
    ).rejects.toMatchObject({ name: 'SalesforceError', endpoint: 'token', error: 'invalid_grant', status: 400 });
  });

  it('accepts only a ValidatedCallback (no request is sent otherwise)', async () => {
    const forged = { code: CODE, via: 'callback' } as ValidatedCallback;
    await expect(
      exchangeCode(http(), { loginUrl: LOGIN, clientId: 'c', redirectUri: 'http://localhost:1717/OauthRedirect', callback: forged, codeVerifier: 'v'.repeat(43) }),
    ).rejects.toBeInstanceOf(TypeError);
  });

  it('reports a redirect (e.g. http:// login URL) instead of following it', async () => {
    nock('http://login.salesforce.com').post('/services/oauth2/token').reply(301, '', { location: 'https://login.salesforce.com/services/oauth2/token' });
    await expect(
      exchangeCode(http(), { loginUrl: 'http://login.salesforce.com', clientId: 'c', redirectUri: 'http://localhost:1717/OauthRedirect', callback: callback(), codeVerifier: 'v'.repeat(43) }),
    ).rejects.toThrow(/answered 301 with a redirect to https:\/\/login\.salesforce\.com\/services\/oauth2\/token/);
  });
});

describe('refreshAccessToken', () => {
  const params = { loginUrl: 'https://test.salesforce.com', clientId: '3MVG9client', clientSecret: 'S', refreshToken: 'old-refresh' };

  it('posts the refresh_token grant once; no refreshToken when Salesforce did not rotate', async () => {
    const { refresh_token: _unused, ...noRefresh } = SUCCESS;
    nock('https://test.salesforce.com')
      .post('/services/oauth2/token', { grant_type: 'refresh_token', refresh_token: 'old-refresh', client_id: '3MVG9client', client_secret: 'S' })
      .reply(200, noRefresh);
    const token = await refreshAccessToken(http(), params);
    expect(token.accessToken).toBe(SUCCESS.access_token);
    expect('refreshToken' in token).toBe(false);
  });

  it('returns the new refresh token when Salesforce rotated it', async () => {
    nock('https://test.salesforce.com').post('/services/oauth2/token').reply(200, { ...SUCCESS, refresh_token: 'new-refresh' });
    expect((await refreshAccessToken(http(), params)).refreshToken).toBe('new-refresh');
  });

  it('does not report the same refresh token as a rotation', async () => {
    nock('https://test.salesforce.com').post('/services/oauth2/token').reply(200, { ...SUCCESS, refresh_token: 'old-refresh' });
    expect((await refreshAccessToken(http(), params)).refreshToken).toBeUndefined();
  });

  it('is never retried (a rotating app invalidates a used refresh token)', async () => {
    nock('https://test.salesforce.com').post('/services/oauth2/token').once().replyWithError({ code: 'ECONNRESET' });
    await expect(refreshAccessToken(http(), params)).rejects.toMatchObject({ reason: 'reset' });
  });

  it('an expired refresh token → SalesforceError invalid_grant', async () => {
    nock('https://test.salesforce.com').post('/services/oauth2/token').reply(400, { error: 'invalid_grant', error_description: 'expired access/refresh token' });
    await expect(refreshAccessToken(http(), params)).rejects.toMatchObject({ error: 'invalid_grant', errorDescription: 'expired access/refresh token' });
  });
});

it('tokenEndpoint appends the path to the login URL', () => {
  expect(tokenEndpoint('https://acme.my.salesforce.com/')).toBe('https://acme.my.salesforce.com/services/oauth2/token');
});
