import { createPublicKey, createVerify, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scriptedHttp } from '../../../test/doctor/harness.js';
import { UsageError } from '../../errors.js';
import type { ClientCredentialsProfile, JwtBearerProfile } from '../config/profile.js';
import { requestServerToken } from './server-token.js';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const base = { env: 'production' as const, appType: 'external-client-app' as const, clientId: 'KEY', scopes: [], createdAt: '2026-01-01T00:00:00.000Z' };
const ok = { status: 200, body: JSON.stringify({ access_token: '00Dx!AR.token', instance_url: 'https://acme.my.salesforce.com', id: 'https://login.salesforce.com/id/00D/005' }) };
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });

describe('requestServerToken', () => {
  it('client credentials: grant_type, key and secret in the body, to the My Domain', async () => {
    const http = scriptedHttp(() => ok);
    const profile: ClientCredentialsProfile = { ...base, flow: 'client-credentials', clientSecret: 'SECRET', loginUrl: 'https://acme.my.salesforce.com' };
    const token = await requestServerToken({ http, profile, now: () => NOW });
    expect(token.accessToken).toBe('00Dx!AR.token');
    expect(http.requests[0]).toMatchObject({ method: 'POST', url: 'https://acme.my.salesforce.com/services/oauth2/token', idempotent: false });
    expect(http.requests[0]!.form).toEqual({ grant_type: 'client_credentials', client_id: 'KEY', client_secret: 'SECRET' });
  });

  it('client credentials to login.salesforce.com is refused before anything is sent', async () => {
    const http = scriptedHttp(() => ok);
    const profile: ClientCredentialsProfile = { ...base, flow: 'client-credentials', clientSecret: 'SECRET', loginUrl: 'https://login.salesforce.com' };
    await expect(requestServerToken({ http, profile, now: () => NOW })).rejects.toThrow(UsageError);
    expect(http.requests).toHaveLength(0);
  });

  it('JWT bearer: only grant_type and an RS256 assertion (iss, sub, aud, exp within 3 minutes), no client fields', async () => {
    const http = scriptedHttp(() => ok);
    const profile: JwtBearerProfile = { ...base, flow: 'jwt-bearer', loginUrl: 'https://test.salesforce.com', username: 'ci@acme.example.dev', audience: 'https://test.salesforce.com', privateKeyFile: '/k' };
    await requestServerToken({ http, profile, now: () => NOW, privateKeyPem: () => privateKey });
    const form = http.requests[0]!.form!;
    expect(Object.keys(form).sort()).toEqual(['assertion', 'grant_type']);
    expect(form.grant_type).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const [h, c, s] = form.assertion!.split('.');
    expect(JSON.parse(Buffer.from(c!, 'base64url').toString())).toEqual({ iss: 'KEY', sub: 'ci@acme.example.dev', aud: 'https://test.salesforce.com', exp: NOW / 1000 + 180 });
    expect(createVerify('RSA-SHA256').update(`${h}.${c}`).verify(createPublicKey(privateKey), Buffer.from(s!, 'base64url'))).toBe(true);
    expect(JSON.stringify(http.requests)).not.toContain('PRIVATE KEY');
  });
});
