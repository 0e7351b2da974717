import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { BadResponseError, SalesforceError } from '../../errors.js';
import type { Clock } from '../ports.js';
import { createHttpClient } from '../http/request.js';
import { getIdentity, getLimits, getOrganization, ORG_QUERY, getUserInfo, introspectToken, latestVersion, listRestVersions, restGet, revokeToken } from './api.js';
import { useStrictNock, rejection } from '../../../test/support/strict-nock.js';

const ORG = 'https://acme.my.salesforce.com';
const TOKEN = '00D5i00000CIhxb!AR8AQsecret';
const JSON_TYPE = { 'content-type': 'application/json;charset=UTF-8' };

function client() {
  const sleeps: number[] = [];
  const clock: Clock = { now: () => 0, sleep: async (ms) => void sleeps.push(ms) };
  return { http: createHttpClient({ fetch: globalThis.fetch, clock }), sleeps };
}

useStrictNock();

describe('revokeToken', () => {
  it('posts the token as a form; 200 with an empty body is success', async () => {
    nock(ORG).post('/services/oauth2/revoke', { token: 'refresh-1' }).reply(200, '');
    await expect(revokeToken(client().http, { baseUrl: `${ORG}/`, token: 'refresh-1' })).resolves.toBeUndefined();
  });

  it("reads revoke's urlencoded 400 body", async () => {
    nock(ORG)
      .post('/services/oauth2/revoke')
      .reply(400, 'error=unsupported_token_type&error_description=this%20token%20type%20is%20not%20supported', {
        'content-type': 'application/x-www-form-urlencoded',
      });
    const err = await rejection(revokeToken(client().http, { baseUrl: ORG, token: 'x' }));
    expect(err).toBeInstanceOf(SalesforceError);
    expect(err).toMatchObject({ endpoint: 'revoke', error: 'unsupported_token_type', errorDescription: 'this token type is not supported', status: 400 });
  });

  it('is retried on 5xx (revoking twice is harmless)', async () => {
    nock(ORG).post('/services/oauth2/revoke').reply(503, '').post('/services/oauth2/revoke').reply(200, '');
    const { http, sleeps } = client();
    await revokeToken(http, { baseUrl: ORG, token: 'x' });
    expect(sleeps).toHaveLength(1);
  });
});

describe('introspectToken', () => {
  it('sends token, hint and client credentials, and maps an active answer', async () => {
    nock(ORG)
      .post('/services/oauth2/introspect', { token: TOKEN, token_type_hint: 'access_token', client_id: '3MVG9c', client_secret: 'S' })
      .reply(
        200,
        {
          active: true,
          scope: 'api refresh_token',
          client_id: '3MVG9c',
          username: 'admin@acme.com',
          sub: 'https://login.salesforce.com/id/00D5i00000CIhxbEAD/0055i000007pIKjAAM',
          token_type: 'access_token',
          exp: 1710716961,
          iat: 1710709761,
          nbf: 1710709761,
        },
        JSON_TYPE,
      );
    expect(await introspectToken(client().http, { baseUrl: ORG, clientId: '3MVG9c', clientSecret: 'S', token: TOKEN, hint: 'access_token' })).toEqual({
      active: true,
      scope: ['api', 'refresh_token'],
      clientId: '3MVG9c',
      username: 'admin@acme.com',
      sub: 'https://login.salesforce.com/id/00D5i00000CIhxbEAD/0055i000007pIKjAAM',
      tokenType: 'access_token',
      exp: 1710716961,
      iat: 1710709761,
      nbf: 1710709761,
    });
  });

  it('maps an inactive answer', async () => {
    nock(ORG).post('/services/oauth2/introspect', (b: Record<string, string>) => !('client_secret' in b)).reply(200, { active: false });
    expect(await introspectToken(client().http, { baseUrl: ORG, clientId: 'c', token: 'r', hint: 'refresh_token' })).toEqual({ active: false });
  });

  it.each([400, 401])('%i OAuth JSON → SalesforceError("introspect")', async (status) => {
    nock(ORG).post('/services/oauth2/introspect').reply(status, { error: 'invalid_client', error_description: 'invalid client credentials' }, JSON_TYPE);
    const err = await rejection(introspectToken(client().http, { baseUrl: ORG, clientId: 'c', token: 't', hint: 'access_token' }));
    expect(err).toMatchObject({ name: 'SalesforceError', endpoint: 'introspect', error: 'invalid_client', status });
  });

  it('a 200 without "active" is a BadResponseError', async () => {
    nock(ORG).post('/services/oauth2/introspect').reply(200, { hello: 'world' });
    expect(await rejection(introspectToken(client().http, { baseUrl: ORG, clientId: 'c', token: 't', hint: 'access_token' }))).toBeInstanceOf(BadResponseError);
  });
});

describe('getUserInfo', () => {
  const USERINFO = {
    sub: 'https://login.salesforce.com/id/00D5i00000CIhxbEAD/0055i000007pIKjAAM',
    user_id: '0055i000007pIKjAAM',
    organization_id: '00D5i00000CIhxbEAD',
    preferred_username: 'admin@acme.com',
    name: 'Ada Admin',
    email: 'ada@acme.com',
    user_type: 'STANDARD',
    active: true,
    urls: { rest: 'https://acme.my.salesforce.com/services/data/v{version}/' },
  };

  it('sends the Bearer token and maps the answer', async () => {
    nock(ORG, { reqheaders: { authorization: `Bearer ${TOKEN}` } }).get('/services/oauth2/userinfo').reply(200, USERINFO, JSON_TYPE);
    const info = await getUserInfo(client().http, { instanceUrl: ORG, accessToken: TOKEN });
    expect(info).toEqual({
      userId: '0055i000007pIKjAAM',
      organizationId: '00D5i00000CIhxbEAD',
      preferredUsername: 'admin@acme.com',
      name: 'Ada Admin',
      email: 'ada@acme.com',
      sub: USERINFO.sub,
      userType: 'STANDARD',
      active: true,
      raw: USERINFO,
    });
  });

  it('403 Bad_OAuth_Token → SalesforceError("userinfo", "Bad_OAuth_Token")', async () => {
    nock(ORG).get('/services/oauth2/userinfo').reply(403, 'Bad_OAuth_Token', { 'content-type': 'text/plain' });
    const err = await rejection(getUserInfo(client().http, { instanceUrl: ORG, accessToken: 'bad' }));
    expect(err).toBeInstanceOf(SalesforceError);
    expect(err).toMatchObject({ endpoint: 'userinfo', error: 'Bad_OAuth_Token', errorDescription: undefined, status: 403 });
  });

  it('missing fields → BadResponseError naming them', async () => {
    nock(ORG).get('/services/oauth2/userinfo').reply(200, { sub: 'x' });
    const err = await rejection(getUserInfo(client().http, { instanceUrl: ORG, accessToken: TOKEN }));
    expect(err).toBeInstanceOf(BadResponseError);
    expect((err as Error).message).toContain('user_id, organization_id, preferred_username');
  });
});

describe('getIdentity', () => {
  const ID_URL = 'https://login.salesforce.com/id/00D5i00000CIhxbEAD/0055i000007pIKjAAM';

  it('GETs the identity URL with the token and maps the answer', async () => {
    nock('https://login.salesforce.com', { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .get('/id/00D5i00000CIhxbEAD/0055i000007pIKjAAM')
      .reply(200, {
        id: ID_URL,
        user_id: '0055i000007pIKjAAM',
        organization_id: '00D5i00000CIhxbEAD',
        username: 'admin@acme.com',
        display_name: 'Ada Admin',
        email: 'ada@acme.com',
        user_type: 'STANDARD',
        active: true,
        urls: { rest: 'https://acme.my.salesforce.com/services/data/v{version}/', bogus: 1 },
      });
    const identity = await getIdentity(client().http, { idUrl: ID_URL, accessToken: TOKEN });
    expect(identity).toMatchObject({
      id: ID_URL,
      userId: '0055i000007pIKjAAM',
      organizationId: '00D5i00000CIhxbEAD',
      username: 'admin@acme.com',
      displayName: 'Ada Admin',
      email: 'ada@acme.com',
      userType: 'STANDARD',
      active: true,
      urls: { rest: 'https://acme.my.salesforce.com/services/data/v{version}/' },
    });
  });

  it('403 Bad_OAuth_Token → SalesforceError("identity")', async () => {
    nock('https://login.salesforce.com').get('/id/00D5i00000CIhxbEAD/0055i000007pIKjAAM').reply(403, 'Bad_OAuth_Token');
    expect(await rejection(getIdentity(client().http, { idUrl: ID_URL, accessToken: 'bad' }))).toMatchObject({
      endpoint: 'identity',
      error: 'Bad_OAuth_Token',
      status: 403,
    });
  });
});

describe('REST versions', () => {
  const VERSIONS = [
    { label: "Winter '11", url: '/services/data/v20.0', version: '20.0' },
    { label: "Spring '26", url: '/services/data/v66.0', version: '66.0' },
    { label: "Summer '15", url: '/services/data/v34.0', version: '34.0' },
    { label: 'old', url: '/services/data/v9.0', version: '9.0' },
  ];

  it('lists versions without a token', async () => {
    nock(ORG, { badheaders: ['authorization'] }).get('/services/data/').reply(200, VERSIONS, JSON_TYPE);
    expect(await listRestVersions(client().http, ORG)).toEqual(VERSIONS);
  });

  it('picks the latest by number, not by text', () => {
    expect(latestVersion(VERSIONS)?.version).toBe('66.0');
    expect(latestVersion([])).toBeUndefined();
  });

  it('an HTML page (not an org host) → BadResponseError', async () => {
    nock('https://acme.lightning.force.com').get('/services/data/').reply(200, '<html><title>Lightning</title></html>', { 'content-type': 'text/html' });
    const err = await rejection(listRestVersions(client().http, 'https://acme.lightning.force.com'));
    expect(err).toBeInstanceOf(BadResponseError);
    expect((err as Error).message).toContain('does not look like a Salesforce org host');
  });

  it('JSON that is not a version list → BadResponseError', async () => {
    nock(ORG).get('/services/data/').reply(200, { hello: 'world' });
    expect(await rejection(listRestVersions(client().http, ORG))).toBeInstanceOf(BadResponseError);
  });
});

describe('restGet', () => {
  it('returns status, body and Sforce-Limit-Info', async () => {
    nock(ORG, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .get('/services/data/v66.0/')
      .reply(200, { sobjects: '/services/data/v66.0/sobjects' }, { ...JSON_TYPE, 'sforce-limit-info': 'api-usage=10018/100000; api-bursts=1/750' });
    expect(await restGet(client().http, { instanceUrl: ORG, path: '/services/data/v66.0/', accessToken: TOKEN })).toEqual({
      status: 200,
      body: { sobjects: '/services/data/v66.0/sobjects' },
      limitInfo: { apiUsage: { used: 10018, max: 100000 }, apiBursts: { used: 1, max: 750 } },
    });
  });

  it('an empty 204 has no body', async () => {
    nock(ORG).get('/services/data/v66.0/x').reply(204);
    expect(await restGet(client().http, { instanceUrl: ORG, path: 'services/data/v66.0/x', accessToken: TOKEN })).toEqual({ status: 204, body: undefined });
  });

  it.each([
    [401, 'Session expired or invalid', 'INVALID_SESSION_ID'],
    [401, 'This session is not valid for use with the REST API', 'INVALID_SESSION_ID'],
    [401, 'INVALID_HEADER_TYPE', 'INVALID_AUTH_HEADER'],
    [403, 'TotalRequests Limit exceeded.', 'REQUEST_LIMIT_EXCEEDED'],
  ])('%i %s → SalesforceError("rest", %s), not retried', async (status, message, errorCode) => {
    nock(ORG).get('/services/data/v66.0/').once().reply(status, [{ message, errorCode }], JSON_TYPE);
    const { http, sleeps } = client();
    const err = await rejection(restGet(http, { instanceUrl: ORG, path: '/services/data/v66.0/', accessToken: TOKEN }));
    expect(err).toBeInstanceOf(SalesforceError);
    expect(err).toMatchObject({ endpoint: 'rest', error: errorCode, errorDescription: message, status });
    expect(sleeps).toEqual([]);
  });
});

describe('getLimits', () => {
  it('reads Max/Remaining per limit and the limit header', async () => {
    nock(ORG)
      .get('/services/data/v66.0/limits/')
      .reply(
        200,
        {
          DailyApiRequests: { Max: 15000, Remaining: 14998, 'Ant Migration Tool': { Max: 0, Remaining: 0 } },
          DataStorageMB: { Max: 5, Remaining: 5 },
          Weird: 'nope',
        },
        { ...JSON_TYPE, 'sforce-limit-info': 'api-usage=2/15000' },
      );
    expect(await getLimits(client().http, { instanceUrl: ORG, accessToken: TOKEN, version: 'v66.0' })).toEqual({
      limits: { DailyApiRequests: { max: 15000, remaining: 14998 }, DataStorageMB: { max: 5, remaining: 5 } },
      limitInfo: { apiUsage: { used: 2, max: 15000 } },
    });
  });

  it('403 without "View Setup and Configuration" surfaces the REST error', async () => {
    nock(ORG).get('/services/data/v66.0/limits/').reply(403, [{ errorCode: 'INSUFFICIENT_ACCESS', message: 'insufficient access rights on object id' }]);
    expect(await rejection(getLimits(client().http, { instanceUrl: ORG, accessToken: TOKEN, version: '66.0' }))).toMatchObject({
      endpoint: 'rest',
      error: 'INSUFFICIENT_ACCESS',
      status: 403,
    });
  });
});

describe('getOrganization', () => {
  const path = `/services/data/v60.0/query?q=${encodeURIComponent(ORG_QUERY)}`;

  it('reads the record, with control characters stripped from what reaches the terminal', async () => {
    nock(ORG, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .get(path)
      .reply(200, { totalSize: 1, done: true, records: [{ attributes: { type: 'Organization' }, Id: '00D5i00000CIhxbEAD', Name: 'Acme\u001b[31m Inc', IsSandbox: true, OrganizationType: 'Enterprise Edition', InstanceName: 'CS42', TrialExpirationDate: null }] }, JSON_TYPE);
    expect(await getOrganization(client().http, { instanceUrl: ORG, accessToken: TOKEN })).toEqual({
      id: '00D5i00000CIhxbEAD',
      name: 'Acme[31m Inc',
      isSandbox: true,
      edition: 'Enterprise Edition',
      instanceName: 'CS42',
    });
  });

  it("a REST error is a SalesforceError; a record without IsSandbox is not Salesforce's answer", async () => {
    nock(ORG).get(path).reply(400, [{ message: "sObject type 'Organization' is not supported.", errorCode: 'INVALID_TYPE' }], JSON_TYPE);
    expect(await rejection(getOrganization(client().http, { instanceUrl: ORG, accessToken: TOKEN }))).toMatchObject({ endpoint: 'rest', error: 'INVALID_TYPE' });
    nock(ORG).get(path).reply(200, { totalSize: 0, done: true, records: [] }, JSON_TYPE);
    expect(await rejection(getOrganization(client().http, { instanceUrl: ORG, accessToken: TOKEN }))).toBeInstanceOf(BadResponseError);
  });
});
