import { describe, expect, it } from 'vitest';
import { buildAuthorizeUrl, DEFAULT_PROMPT, type AuthorizeUrlParams } from './authorize-url.js';

const base: AuthorizeUrlParams = {
  loginUrl: 'https://login.salesforce.com',
  clientId: '3MVG9abc',
  redirectUri: 'http://localhost:1717/OauthRedirect',
  scopes: ['api', 'refresh_token'],
  state: 'st-ate_1',
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
};

describe('buildAuthorizeUrl', () => {
  it('builds the exact web server flow URL', () => {
    expect(buildAuthorizeUrl(base).href).toBe(
      'https://login.salesforce.com/services/oauth2/authorize?response_type=code&client_id=3MVG9abc' +
        '&redirect_uri=http%3A%2F%2Flocalhost%3A1717%2FOauthRedirect&scope=api%20refresh_token&state=st-ate_1' +
        '&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&prompt=consent',
    );
    expect(DEFAULT_PROMPT).toBe('consent');
  });

  it.each([
    ['https://login.salesforce.com/', 'https://login.salesforce.com/services/oauth2/authorize'],
    ['https://acme.my.salesforce.com', 'https://acme.my.salesforce.com/services/oauth2/authorize'],
    ['http://127.0.0.1:4567', 'http://127.0.0.1:4567/services/oauth2/authorize'],
    ['https://acme.my.site.com/partners/', 'https://acme.my.site.com/partners/services/oauth2/authorize'],
  ])('puts the endpoint under %s', (loginUrl, endpoint) => {
    const url = buildAuthorizeUrl({ ...base, loginUrl });
    expect(url.origin + url.pathname).toBe(endpoint);
  });

  it('accepts a URL object', () => {
    expect(buildAuthorizeUrl({ ...base, loginUrl: new URL('https://test.salesforce.com') }).host).toBe('test.salesforce.com');
  });

  it.each([
    [{}, { prompt: 'consent', login_hint: null, scope: 'api refresh_token' }],
    [{ prompt: 'login consent' }, { prompt: 'login consent', login_hint: null, scope: 'api refresh_token' }],
    [{ prompt: '' }, { prompt: null, login_hint: null, scope: 'api refresh_token' }],
    [{ loginHint: 'me+ci@example.com' }, { prompt: 'consent', login_hint: 'me+ci@example.com', scope: 'api refresh_token' }],
    [{ scopes: [] }, { prompt: 'consent', login_hint: null, scope: null }],
    [{ scopes: ['api'] }, { prompt: 'consent', login_hint: null, scope: 'api' }],
  ] as const)('options %j', (extra, expected) => {
    const params = buildAuthorizeUrl({ ...base, ...extra }).searchParams;
    expect(params.get('prompt')).toBe(expected.prompt);
    expect(params.get('login_hint')).toBe(expected.login_hint);
    expect(params.get('scope')).toBe(expected.scope);
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('response_type')).toBe('code');
  });

  it('encodes a literal + in a value as %2B and spaces as %20', () => {
    const url = buildAuthorizeUrl({ ...base, loginHint: 'a+b c@example.com' });
    expect(url.search).toContain('login_hint=a%2Bb%20c%40example.com');
    expect(url.search).not.toContain('+');
  });

  it.each(['clientId', 'redirectUri', 'state', 'codeChallenge'] as const)('refuses an empty %s', (field) => {
    expect(() => buildAuthorizeUrl({ ...base, [field]: '' })).toThrow(TypeError);
  });
});
