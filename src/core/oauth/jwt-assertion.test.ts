import { createVerify, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../../errors.js';
import { JWT_BEARER_GRANT_TYPE, jwtAudienceFor, jwtBearerClaims, jwtBearerForm, MAX_ASSERTION_LIFETIME_S, rsaPrivateKey, signJwtBearerAssertion } from './jwt-assertion.js';

const rsa = (bits: number) =>
  generateKeyPairSync('rsa', { modulusLength: bits, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
const pair = rsa(2048);
const NOW = Date.UTC(2026, 11, 1, 4, 30, 0, 700);
const input = { consumerKey: '3MVGexample', username: 'ci@acme.example', audience: 'https://login.salesforce.com', now: NOW };

const decode = (part: string): unknown => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

describe('jwtBearerClaims', () => {
  it('sets iss, sub, aud and an exp in seconds at most 3 minutes after the clock', () => {
    const claims = jwtBearerClaims(input);
    expect(claims).toEqual({ iss: '3MVGexample', sub: 'ci@acme.example', aud: 'https://login.salesforce.com', exp: Math.floor(NOW / 1000) + 180 });
    // Seconds, not milliseconds (sfdx-core's mistake), and never past 3 minutes even with the clock mid-second.
    expect(claims.exp * 1000 - NOW).toBeLessThanOrEqual(MAX_ASSERTION_LIFETIME_S * 1000);
    expect(claims.exp * 1000 - NOW).toBeGreaterThan(MAX_ASSERTION_LIFETIME_S * 1000 - 1000);
    expect(jwtBearerClaims({ ...input, lifetimeSeconds: 60 }).exp).toBe(Math.floor(NOW / 1000) + 60);
  });

  it('refuses a lifetime past 3 minutes, empty names and an audience that is not a URL', () => {
    for (const lifetimeSeconds of [0, 181, 1.5, -1]) expect(() => jwtBearerClaims({ ...input, lifetimeSeconds })).toThrow(UsageError);
    expect(() => jwtBearerClaims({ ...input, consumerKey: ' ' })).toThrow(/Consumer Key/);
    expect(() => jwtBearerClaims({ ...input, username: '' })).toThrow(/username/);
    expect(() => jwtBearerClaims({ ...input, audience: 'login.salesforce.com' })).toThrow(/audience must be a URL/);
  });
});

describe('signJwtBearerAssertion', () => {
  it('produces an RS256 compact JWT that node:crypto verifies with the public key', () => {
    const claims = jwtBearerClaims(input);
    const jwt = signJwtBearerAssertion(claims, pair.privateKey);
    const parts = jwt.split('.');
    expect(parts).toHaveLength(3);
    for (const p of parts) expect(p).toMatch(/^[A-Za-z0-9_-]+$/); // base64url, no padding
    const [header, payload, signature] = parts as [string, string, string];
    expect(decode(header)).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(decode(payload)).toEqual(claims);
    const verify = (publicKey: string, input: string) => createVerify('RSA-SHA256').update(input).verify(publicKey, Buffer.from(signature, 'base64url'));
    expect(verify(pair.publicKey, `${header}.${payload}`)).toBe(true);
    // A changed claim or another key fails: the signature covers both parts.
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'admin@acme.example' })).toString('base64url');
    expect(verify(pair.publicKey, `${header}.${forged}`)).toBe(false);
    expect(verify(rsa(2048).publicKey, `${header}.${payload}`)).toBe(false);
  });

  it('builds the token request form without a client secret', () => {
    expect(jwtBearerForm('a.b.c')).toEqual({ grant_type: JWT_BEARER_GRANT_TYPE, assertion: 'a.b.c' });
  });
});

describe('jwtAudienceFor', () => {
  it.each([
    ['https://login.salesforce.com', 'https://login.salesforce.com'],
    ['https://test.salesforce.com/', 'https://test.salesforce.com'],
    ['https://acme.my.salesforce.com', 'https://login.salesforce.com'],
    ['https://acme--dev.sandbox.my.salesforce.com', 'https://test.salesforce.com'],
    ['https://acme-dev-ed.develop.my.salesforce.com', 'https://login.salesforce.com'],
    ['https://fun-1234.scratch.my.salesforce.com', 'https://test.salesforce.com'],
    ['https://acme.my.site.com/customers/', 'https://acme.my.site.com/customers'],
    ['http://127.0.0.1:4567', 'http://127.0.0.1:4567'],
    ['https://acme.demo.my.salesforce.com', undefined],
    ['https://example.com', undefined],
    ['not a url', undefined],
  ])('%s → %s', (loginUrl, aud) => {
    expect(jwtAudienceFor(loginUrl)).toBe(aud);
  });
});

describe('rsaPrivateKey', () => {
  it('accepts PKCS#8 and PKCS#1 RSA keys', () => {
    expect(rsaPrivateKey(pair.privateKey).asymmetricKeyType).toBe('rsa');
    const pkcs1 = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    expect(rsaPrivateKey(pkcs1.privateKey).asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('refuses garbage, a public key, a short key and a non-RSA key, without quoting the input', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    for (const bad of ['not a key', pair.publicKey, rsa(1024).privateKey, ec.privateKey]) {
      let caught: unknown;
      try {
        rsaPrivateKey(bad);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      const text = `${(caught as ConfigError).message} ${(caught as ConfigError).hint ?? ''}`;
      if (bad.length > 80) expect(text).not.toContain(bad.slice(40, 80));
      expect(text).not.toContain('not a key');
    }
  });
});
