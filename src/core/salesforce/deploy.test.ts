import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { BadResponseError, SalesforceError } from '../../errors.js';
import type { Clock } from '../../deps.js';
import { createHttpClient } from '../http/request.js';
import { useStrictNock, rejection } from '../../../test/support/strict-nock.js';
import { explainError } from './error-catalog.js';
import {
  DEPLOY_OPTIONS,
  DeployFailedError,
  DeployTimeoutError,
  deployMultipart,
  getDeployStatus,
  parseDeployStatus,
  pollDeploy,
  startDeploy,
  type DeployStatus,
} from './deploy.js';

const ORG = 'https://acme.my.salesforce.com';
const TOKEN = '00D5i00000CIhxb!AR8AQsecret';
const ID = '0Af5i00000ABCDEFGH';
const JSON_TYPE = { 'content-type': 'application/json;charset=UTF-8' };
const DEPLOY_PATH = '/services/data/v66.0/metadata/deployRequest';

useStrictNock();

function fakeClock() {
  let t = 0;
  const sleeps: number[] = [];
  const clock: Clock = { now: () => t, sleep: async (ms) => void (sleeps.push(ms), (t += ms)) };
  return { clock, sleeps };
}

function client(clock: Clock = fakeClock().clock) {
  return createHttpClient({ fetch: globalThis.fetch, clock, retryBaseMs: 1 });
}

/** Splits a multipart body the way a server would (the test's own small reader). */
function parts(body: Uint8Array, boundary: string): { headers: string; data: Buffer }[] {
  const buf = Buffer.from(body);
  const out: { headers: string; data: Buffer }[] = [];
  const delim = Buffer.from(`--${boundary}`);
  let pos = buf.indexOf(delim);
  for (;;) {
    const next = buf.indexOf(delim, pos + delim.length);
    if (next === -1) break;
    const part = buf.subarray(pos + delim.length + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    out.push({ headers: part.subarray(0, split).toString(), data: part.subarray(split + 4) });
    pos = next;
  }
  expect(buf.subarray(pos).toString()).toBe(`--${boundary}--\r\n`);
  return out;
}

describe('deployMultipart', () => {
  it('sends entity_content (JSON deploy options) then file (the zip bytes, untouched)', () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0x0d, 0x0a, 0x2d, 0x2d]);
    const { contentType, data } = deployMultipart(zip, { checkOnly: true }, 'b0undary');
    expect(contentType).toBe('multipart/form-data; boundary=b0undary');
    const [json, file, extra] = parts(data, 'b0undary');
    expect(extra).toBeUndefined();
    expect(json!.headers).toContain('Content-Disposition: form-data; name="entity_content"');
    expect(json!.headers).toContain('Content-Type: application/json');
    expect(JSON.parse(json!.data.toString())).toEqual({ deployOptions: { ...DEPLOY_OPTIONS, checkOnly: true } });
    expect(file!.headers).toContain('name="file"; filename="deploy.zip"');
    expect(file!.headers).toContain('Content-Type: application/zip');
    expect(new Uint8Array(file!.data)).toEqual(zip);
  });

  it('never uses a boundary that occurs in the zip, and picks a random one by default', () => {
    expect(() => deployMultipart(new TextEncoder().encode('xx--abc--'), {}, 'abc')).toThrow(/occurs in the zip/);
    const a = deployMultipart(new Uint8Array([1]));
    const b = deployMultipart(new Uint8Array([1]));
    expect(a.contentType).not.toBe(b.contentType);
    expect(() => deployMultipart(new Uint8Array([1]), {}, 'bad\r\nheader')).toThrow(RangeError);
  });
});

describe('startDeploy', () => {
  it('POSTs the multipart body with the bearer token and returns the deploy id', async () => {
    let seen: { type?: string; auth?: string; body?: string } = {};
    nock(ORG)
      .post(DEPLOY_PATH)
      .reply(function (_uri, body) {
        seen = { type: this.req.headers['content-type'], auth: this.req.headers.authorization, body: String(body) };
        return [201, { id: ID, url: `${DEPLOY_PATH}/${ID}`, deployOptions: DEPLOY_OPTIONS }, JSON_TYPE];
      });
    const id = await startDeploy(client(), { instanceUrl: ORG, accessToken: TOKEN, version: '66.0', zip: new Uint8Array([1, 2, 3]) });
    expect(id).toBe(ID);
    expect(seen.type).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen.auth).toBe(`Bearer ${TOKEN}`);
    expect(seen.body).toContain('name="entity_content"');
  });

  it('traces the body as its type and size only, with the token redacted', async () => {
    nock(ORG).post(DEPLOY_PATH).reply(201, { id: ID }, JSON_TYPE);
    const lines: string[] = [];
    const http = createHttpClient({ fetch: globalThis.fetch, clock: fakeClock().clock, trace: (l) => lines.push(l) });
    await startDeploy(http, { instanceUrl: ORG, accessToken: TOKEN, version: '66.0', zip: new TextEncoder().encode('PK-zip-content-marker') });
    const sent = lines.find((l) => l.startsWith('> POST'));
    expect(sent).toMatch(/body: multipart\/form-data, \d+ bytes$/);
    expect(lines.join('\n')).not.toContain('zip-content-marker');
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('is not retried on a 5xx (a second POST would start a second deploy)', async () => {
    nock(ORG).post(DEPLOY_PATH).reply(503, 'down');
    await expect(startDeploy(client(), { instanceUrl: ORG, accessToken: TOKEN, version: '66.0', zip: new Uint8Array([1]) })).rejects.toMatchObject({
      reason: 'server',
    });
  });

  it('maps a REST refusal to SalesforceError, explained by the catalog', async () => {
    nock(ORG)
      .post(DEPLOY_PATH)
      .reply(403, [{ errorCode: 'INSUFFICIENT_ACCESS', message: 'use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions' }], JSON_TYPE);
    const err = await rejection(startDeploy(client(), { instanceUrl: ORG, accessToken: TOKEN, version: '66.0', zip: new Uint8Array([1]) }));
    expect(err).toBeInstanceOf(SalesforceError);
    const e = err as SalesforceError;
    expect(explainError({ error: e.error, description: e.errorDescription, endpoint: 'rest' }).title).toBe('The user may not deploy metadata');
  });

  it('refuses an answer without a deploy id', async () => {
    nock(ORG).post(DEPLOY_PATH).reply(201, { id: 'nope' }, JSON_TYPE);
    await expect(startDeploy(client(), { instanceUrl: ORG, accessToken: TOKEN, version: '66.0', zip: new Uint8Array([1]) })).rejects.toBeInstanceOf(BadResponseError);
  });
});

const inProgress = { id: ID, deployResult: { id: ID, status: 'InProgress', done: false, success: false, numberComponentsTotal: 3, numberComponentsDeployed: 1, numberComponentErrors: 0, details: { componentFailures: [] } } };
const succeeded = { id: ID, deployResult: { id: ID, status: 'Succeeded', done: true, success: true, numberComponentsTotal: 3, numberComponentsDeployed: 3, numberComponentErrors: 0, details: { componentFailures: [] } } };
const failed = {
  id: ID,
  deployResult: {
    id: ID,
    status: 'Failed',
    done: true,
    success: false,
    numberComponentErrors: 1,
    details: {
      // A lone failure comes as an object, not an array.
      componentFailures: { componentType: 'ExtlClntAppGlobalOauthSettings', fileName: 'extlClntAppGlobalOauthSets/A_glbl.ecaGlblOauth', fullName: 'A_glbl', problem: 'Required field is missing: externalClientApplication\u001b[2J', problemType: 'Error', lineNumber: '3' },
    },
  },
};

describe('parseDeployStatus', () => {
  it('reads status, counts and failures; strips control characters from problems', () => {
    expect(parseDeployStatus(inProgress)).toMatchObject({ id: ID, status: 'InProgress', done: false, success: false, componentsTotal: 3, componentsDeployed: 1 });
    expect(parseDeployStatus(succeeded)).toMatchObject({ status: 'Succeeded', done: true, success: true, failures: [] });
    const f = parseDeployStatus(failed);
    expect(f).toMatchObject({ status: 'Failed', done: true, success: false, componentErrors: 1 });
    expect(f.failures).toEqual([
      { componentType: 'ExtlClntAppGlobalOauthSettings', fileName: 'extlClntAppGlobalOauthSets/A_glbl.ecaGlblOauth', fullName: 'A_glbl', problem: 'Required field is missing: externalClientApplication [2J', problemType: 'Error', lineNumber: 3 },
    ]);
  });

  it('refuses a body without deployResult or with an unknown status', () => {
    expect(() => parseDeployStatus({ id: ID })).toThrow(BadResponseError);
    expect(() => parseDeployStatus({ deployResult: { status: 'Exploded' } })).toThrow(BadResponseError);
  });

  it('bounds what it keeps from a huge answer', () => {
    const many = Array.from({ length: 1000 }, () => ({ problem: 'p'.repeat(10_000) }));
    const s = parseDeployStatus({ id: ID, deployResult: { status: 'Failed', done: true, details: { componentFailures: many } } });
    expect(s.failures).toHaveLength(200);
    expect(s.failures[0]!.problem.length).toBeLessThanOrEqual(500);
  });
});

describe('getDeployStatus and pollDeploy', () => {
  it('asks with includeDetails=true', async () => {
    nock(ORG).get(`${DEPLOY_PATH}/${ID}`).query({ includeDetails: 'true' }).reply(200, succeeded, JSON_TYPE);
    await expect(getDeployStatus(client(), { instanceUrl: ORG, accessToken: TOKEN, version: '66.0', id: ID })).resolves.toMatchObject({ success: true });
  });

  it('polls until done, backing off, and reports progress', async () => {
    nock(ORG)
      .get(`${DEPLOY_PATH}/${ID}`)
      .query(true)
      .times(3)
      .reply(200, inProgress, JSON_TYPE)
      .get(`${DEPLOY_PATH}/${ID}`)
      .query(true)
      .reply(200, succeeded, JSON_TYPE);
    const { clock, sleeps } = fakeClock();
    const seen: DeployStatus['status'][] = [];
    const status = await pollDeploy({ http: client(clock), clock, instanceUrl: ORG, accessToken: TOKEN, version: '66.0', id: ID, onProgress: (s) => seen.push(s.status) });
    expect(status.success).toBe(true);
    expect(seen).toEqual(['InProgress', 'InProgress', 'InProgress', 'Succeeded']);
    expect(sleeps).toEqual([2000, 4000, 8000]);
  });

  it('stops at the bound with DeployTimeoutError naming the deploy', async () => {
    nock(ORG).get(`${DEPLOY_PATH}/${ID}`).query(true).times(3).reply(200, inProgress, JSON_TYPE);
    const { clock, sleeps } = fakeClock();
    const err = await rejection(pollDeploy({ http: client(clock), clock, instanceUrl: ORG, accessToken: TOKEN, version: '66.0', id: ID, timeoutMs: 10_000, intervalMs: 2000 }));
    expect(err).toBeInstanceOf(DeployTimeoutError);
    expect((err as DeployTimeoutError).hint).toContain(ID);
    expect(sleeps).toEqual([2000, 4000]); // a third wait would pass the bound
  });

  it('throws DeployFailedError listing the failures, explained by the catalog', async () => {
    nock(ORG).get(`${DEPLOY_PATH}/${ID}`).query(true).reply(200, failed, JSON_TYPE);
    const { clock } = fakeClock();
    const err = (await rejection(pollDeploy({ http: client(clock), clock, instanceUrl: ORG, accessToken: TOKEN, version: '66.0', id: ID }))) as DeployFailedError;
    expect(err).toBeInstanceOf(DeployFailedError);
    expect(err.message).toContain('ExtlClntAppGlobalOauthSettings extlClntAppGlobalOauthSets/A_glbl.ecaGlblOauth: Required field is missing');
    expect(explainError({ error: err.error, description: err.errorDescription, endpoint: 'rest' }).title).toBe('A metadata file lacks a required field');
  });

  it('an unknown type reads as ECAs not enabled, any other failure as the general entry', () => {
    const unknown = new DeployFailedError(parseDeployStatus({ id: ID, deployResult: { status: 'Failed', details: { componentFailures: [{ problem: "Unknown type name 'ExternalClientApplication' specified in package.xml" }] } } }));
    expect(explainError({ error: unknown.error, description: unknown.errorDescription, endpoint: 'rest' }).title).toContain('does not know the External Client App');
    const other = new DeployFailedError(parseDeployStatus({ id: ID, deployResult: { status: 'Failed', errorMessage: 'zip is corrupt' } }));
    expect(other.message).toContain('zip is corrupt');
    expect(explainError({ error: other.error, description: other.errorDescription, endpoint: 'rest' }).title).toBe('The External Client App metadata did not deploy');
  });
});
