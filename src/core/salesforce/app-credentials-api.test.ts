import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { SalesforceError } from '../../errors.js';
import type { Clock } from '../../deps.js';
import { createHttpClient } from '../http/request.js';
import { useStrictNock, rejection } from '../../../test/support/strict-nock.js';
import { CredentialsAccessError, GAP_CODES, classifyCredentialsRefusal, listOauthApps, readAppCredentials } from './app-credentials-api.js';
import { explainError } from './error-catalog.js';

const ORG = 'https://acme.my.salesforce.com';
const TOKEN = '00D5i00000CIhxb!AR8AQsecret';
const JSON_TYPE = { 'content-type': 'application/json;charset=UTF-8' };
const V = '/services/data/v66.0';
const APP = '0xI5i000000ABCDEAA';
const CONSUMER = '0Hk5i000000ABCDEAA';
const SECRET = 'F00DCAFE1234567890ABCDEF1234567890ABCDEF1234567890ABCDEF12345678';

useStrictNock();

function client() {
  const clock: Clock = { now: () => 0, sleep: async () => undefined };
  return createHttpClient({ fetch: globalThis.fetch, clock, retryBaseMs: 1 });
}

const P = { instanceUrl: ORG, accessToken: TOKEN, version: '66.0', developerName: 'My_CI_App' };

function usage() {
  return nock(ORG)
    .get(`${V}/apps/oauth/usage`)
    .query({ page: '0', pageSize: '100' })
    .reply(200, { apps: [{ developerName: 'Other', identifier: '0xI000000000000AAA', label: 'Other' }, { developerName: 'My_CI_App', identifier: APP, label: 'My CI' }] }, JSON_TYPE);
}

/** The app and its consumer are listed; the secret is refused with this REST error. */
function secretRefused(errorCode: string, message: string) {
  usage()
    .get(`${V}/apps/oauth/credentials/${APP}`)
    .reply(200, { consumers: [{ id: CONSUMER }] }, JSON_TYPE)
    .get(`${V}/apps/oauth/credentials/${APP}/${CONSUMER}`)
    .query(true)
    .reply(403, [{ errorCode, message }], JSON_TYPE);
}

describe('readAppCredentials', () => {
  it('walks usage → consumers → keyandsecret with the bearer token', async () => {
    usage()
      .get(`${V}/apps/oauth/credentials/${APP}`)
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .reply(200, { consumers: [{ id: CONSUMER, key: '3MVG9xyz', name: 'My_CI_App_glbl' }] }, JSON_TYPE)
      .get(`${V}/apps/oauth/credentials/${APP}/${CONSUMER}`)
      .query({ part: 'keyandsecret' })
      .reply(200, { key: '3MVG9xyz', secret: SECRET }, JSON_TYPE);
    await expect(readAppCredentials(client(), P)).resolves.toEqual({ appId: APP, consumerId: CONSUMER, consumerKey: '3MVG9xyz', consumerSecret: SECRET });
  });

  it('never puts the secret in the --verbose trace', async () => {
    usage()
      .get(`${V}/apps/oauth/credentials/${APP}`)
      .reply(200, { consumers: [{ id: CONSUMER }] }, JSON_TYPE)
      .get(`${V}/apps/oauth/credentials/${APP}/${CONSUMER}`)
      .query(true)
      .reply(200, { key: '3MVG9xyz', secret: SECRET }, JSON_TYPE);
    const lines: string[] = [];
    const http = createHttpClient({ fetch: globalThis.fetch, clock: { now: () => 0, sleep: async () => undefined }, trace: (l) => lines.push(l) });
    await expect(readAppCredentials(http, P)).resolves.toMatchObject({ consumerSecret: SECRET });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(SECRET);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('returns undefined while the app is not listed yet', async () => {
    nock(ORG).get(`${V}/apps/oauth/usage`).query(true).reply(200, { apps: [] }, JSON_TYPE);
    await expect(readAppCredentials(client(), P)).resolves.toBeUndefined();
  });

  it('refuses API versions before 60.0 without calling', async () => {
    await expect(listOauthApps(client(), { ...P, version: '59.0' })).rejects.toThrow(/60\.0/);
  });

  it('setting off → SFOAUTH_ECA_SECRET_REST_API_OFF, explained with where to turn it on, no secret in the message', async () => {
    secretRefused('FUNCTIONALITY_NOT_ENABLED', 'This feature is not currently enabled for this org.');
    const err = (await rejection(readAppCredentials(client(), P))) as CredentialsAccessError;
    expect(err).toBeInstanceOf(CredentialsAccessError);
    expect(err).toMatchObject({ gap: 'secret-api-off', error: GAP_CODES['secret-api-off'], salesforceCode: 'FUNCTIONALITY_NOT_ENABLED', status: 403 });
    const e = explainError({ error: err.error, description: err.errorDescription, endpoint: 'rest' });
    expect(e.known).toBe(true);
    expect(e.setup).toContain('Allow access to External Client App consumer secrets via REST API');
    expect(e.setup).toContain('Consumer Key and Secret');
    expect(err.message).not.toContain(TOKEN);
  });

  it('a refusal listing apps → the External Client App Developer permission', async () => {
    nock(ORG).get(`${V}/apps/oauth/usage`).query(true).reply(403, [{ errorCode: 'INSUFFICIENT_ACCESS', message: 'insufficient access rights on object id' }], JSON_TYPE);
    const err = (await rejection(readAppCredentials(client(), P))) as CredentialsAccessError;
    expect(err.gap).toBe('developer-permission');
    expect(explainError({ error: err.error, endpoint: 'rest' }).setup).toContain('"External Client App Developer"');
  });

  it('a refusal of the secret only → the View Client Secret permission', async () => {
    secretRefused('INSUFFICIENT_ACCESS', 'This API is not enabled for this user.');
    const err = (await rejection(readAppCredentials(client(), P))) as CredentialsAccessError;
    expect(err.gap).toBe('view-secret-permission');
    expect(explainError({ error: err.error, endpoint: 'rest' }).title).toBe('The user may not see consumer secrets');
  });

  it('an expired session stays an ordinary INVALID_SESSION_ID', async () => {
    nock(ORG).get(`${V}/apps/oauth/usage`).query(true).reply(401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }], JSON_TYPE);
    const err = await rejection(readAppCredentials(client(), P));
    expect(err).toBeInstanceOf(SalesforceError);
    expect(err).not.toBeInstanceOf(CredentialsAccessError);
  });

  it('ignores consumers and apps with unusable ids instead of putting them in a URL', async () => {
    nock(ORG)
      .get(`${V}/apps/oauth/usage`)
      .query(true)
      .reply(200, { apps: [{ developerName: 'My_CI_App', identifier: APP }] }, JSON_TYPE)
      .get(`${V}/apps/oauth/credentials/${APP}`)
      .reply(200, { consumers: [{ id: '../../sobjects' }, { id: 7 }] }, JSON_TYPE);
    await expect(readAppCredentials(client(), P)).resolves.toBeUndefined();
  });
});

describe('classifyCredentialsRefusal', () => {
  const err = (status: number, code: string, message?: string) => new SalesforceError('rest', code, message, { status });
  it.each([
    [err(403, 'FUNCTIONALITY_NOT_ENABLED', 'feature is not enabled'), 'secret', 'secret-api-off'],
    [err(403, 'INSUFFICIENT_ACCESS', 'not enabled for this user'), 'usage', 'developer-permission'],
    [err(403, 'INSUFFICIENT_ACCESS', 'You need the View Client Secret permission'), 'usage', 'view-secret-permission'],
    [err(403, 'INSUFFICIENT_ACCESS'), 'secret', 'view-secret-permission'],
    [err(404, 'NOT_FOUND', 'The requested resource does not exist'), 'usage', undefined],
    [err(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded'), 'usage', undefined],
  ] as const)('%o at %s → %s', (e, step, gap) => {
    expect(classifyCredentialsRefusal(e, step)).toBe(gap);
  });
});
