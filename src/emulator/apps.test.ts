import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appDefaults, createApp, isCallbackUrl, isPropagating, patchApp, validateAppInputs, validateAppPatch, DEFAULT_CALLBACK_URL } from './apps.js';

describe('app defaults', () => {
  it('an External Client App requires PKCE and both secrets', () => {
    expect(appDefaults('external-client-app')).toMatchObject({
      requirePkce: true, requireSecretWebServer: true, requireSecretRefresh: true, introspectAllTokens: false,
      refreshTokenPolicy: 'infinite', rotateRefreshTokens: false, clientCredentials: { enabled: false },
      propagationDelayMs: 0, installed: true, callbackUrls: [DEFAULT_CALLBACK_URL],
    });
  });

  it('a Connected App does not require PKCE', () => {
    expect(appDefaults('connected-app').requirePkce).toBe(false);
  });

  it('default scopes cover api, refresh and identity', () => {
    expect(appDefaults('external-client-app').scopes).toEqual(expect.arrayContaining(['api', 'refresh_token', 'offline_access', 'id', 'openid']));
  });
});

describe('createApp', () => {
  it('generates credentials when none are given and keeps given settings', () => {
    const app = createApp({ appType: 'connected-app', requirePkce: true, callbackUrls: ['https://x.example/cb'] }, 1000);
    expect(app.clientId).toMatch(/^3MVG9/);
    expect(app.clientSecret).toMatch(/^[A-F0-9]{64}$/);
    expect(app).toMatchObject({ appType: 'connected-app', requirePkce: true, callbackUrls: ['https://x.example/cb'], createdAt: 1000 });
  });

  it('copies arrays, so changing the input later changes nothing', () => {
    const callbackUrls = ['https://x.example/cb'];
    const app = createApp({ callbackUrls }, 0);
    callbackUrls.push('https://evil.example');
    expect(app.callbackUrls).toEqual(['https://x.example/cb']);
  });

  it('propagation counts from creation', () => {
    const app = createApp({ propagationDelayMs: 500 }, 1000);
    expect(isPropagating(app, 1499)).toBe(true);
    expect(isPropagating(app, 1500)).toBe(false);
  });

  it('patchApp changes only what the patch names', () => {
    const app = createApp({}, 0);
    const next = patchApp(app, { rotateRefreshTokens: true, refreshTokenPolicy: { kind: 'lifetime', ms: 10 } });
    expect(next).toMatchObject({ rotateRefreshTokens: true, refreshTokenPolicy: { kind: 'lifetime', ms: 10 }, clientId: app.clientId });
    expect(app.rotateRefreshTokens).toBe(false);
  });
});

describe('validateAppInputs', () => {
  it('accepts a well-formed list', () => {
    const { apps, issues } = validateAppInputs([
      { appType: 'connected-app', clientId: '3MVG9abc', clientSecret: 'S', callbackUrls: ['myapp://cb'], scopes: ['api', 'refresh_token'],
        refreshTokenPolicy: { kind: 'inactivity', ms: 1000 }, clientCredentials: { enabled: true, runAsUsername: 'a@b.example' } },
      {},
    ]);
    expect(issues).toEqual([]);
    expect(apps).toHaveLength(2);
  });

  it('lists every problem with its path', () => {
    const { issues } = validateAppInputs([
      { appType: 'lightning-app', callbackUrls: [], scopes: ['api', 'everything'], requirePkce: 1, refreshTokenPolicy: { kind: 'inactivity' } },
      { clientId: 'same' },
      { clientId: 'same', clientCredentials: { enabled: 'yes', runAs: 'x' }, propagationDelayMs: -1, extra: true },
      'not an object',
    ]);
    expect(issues).toEqual([
      '[0].appType: must be "external-client-app" or "connected-app"',
      '[0].callbackUrls: must be a non-empty list of URLs',
      '[0].scopes[1]: unknown scope "everything"',
      '[0].requirePkce: must be true or false',
      '[0].refreshTokenPolicy.ms: must be a number of milliseconds above 0',
      '[2].clientCredentials.enabled: must be true or false',
      '[2].clientCredentials.runAs: unknown field',
      '[2].propagationDelayMs: must be a number of milliseconds, 0 or more',
      expect.stringMatching(/^\[2\]\.extra: unknown field/),
      '[3]: must be an object of app settings',
      '[2].clientId: the same client id is used by an earlier app',
    ]);
  });

  it('explains the policy shape', () => {
    expect(validateAppInputs([{ refreshTokenPolicy: 'sometimes' }]).issues).toEqual([
      '[0].refreshTokenPolicy: must be "infinite", "immediately", or { "kind": "inactivity" | "lifetime", "ms": <milliseconds> }',
    ]);
  });

  it('checks the JWT bearer settings: an RSA certificate of bounded size, the policy, the users', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const defaults = createApp({}, 0);
    expect(defaults.permittedUsers).toBe('all-users-self-authorize');
    expect(defaults.preAuthorizedUsers).toEqual([]);
    expect(defaults.certificate).toBeUndefined();
    expect(validateAppInputs([
      { certificate: privateKey.export({ type: 'pkcs8', format: 'pem' }), permittedUsers: 'admins', preAuthorizedUsers: ['ok@x.example', ''] },
      { certificate: 'x'.repeat(16 * 1024 + 1), preAuthorizedUsers: 'ok@x.example' },
    ]).issues).toEqual([
      '[0].certificate: is not a PEM X.509 certificate (-----BEGIN CERTIFICATE-----)',
      '[0].permittedUsers: must be "all-users-self-authorize" or "admin-approved-pre-authorized"',
      '[0].preAuthorizedUsers[1]: must be a non-empty string without spaces',
      '[1].certificate: must be a PEM certificate of at most 16384 characters',
      '[1].preAuthorizedUsers: must be a list of at most 100 usernames',
    ]);
  });

  it('wants an array', () => {
    expect(validateAppInputs({ clientId: 'x' }).issues).toEqual(['the apps must be a JSON array of app settings objects']);
  });
});

describe('isCallbackUrl', () => {
  it.each([
    ['http://localhost:1717/OauthRedirect', true],
    ['https://api.nango.dev/oauth/callback', true],
    ['myapp://callback', true],
    ['localhost:1717/OauthRedirect', false],
    ['/OauthRedirect', false],
    ['http://', false],
  ])('%s → %s', (url, ok) => {
    expect(isCallbackUrl(url)).toBe(ok);
  });
});

describe('cloneApp', () => {
  it('shares no list of pre-authorized users with the live app', () => {
    const app = createApp({ preAuthorizedUsers: ['a@x.example'] }, 0);
    const copy = patchApp(app, {});
    copy.preAuthorizedUsers.push('b@x.example');
    expect(app.preAuthorizedUsers).toEqual(['a@x.example']);
  });
});

describe('validateAppPatch', () => {
  it('refuses to change the client id or the app type', () => {
    expect(validateAppPatch({ clientId: 'x', appType: 'connected-app' }).issues).toEqual([
      'clientId: cannot be changed on an existing app',
      'appType: cannot be changed on an existing app',
    ]);
    expect(validateAppPatch({ installed: false }).issues).toEqual([]);
  });
});
