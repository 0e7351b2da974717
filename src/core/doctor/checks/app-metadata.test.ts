import { describe, expect, it } from 'vitest';
import type { ClientCredentialsProfile, JwtBearerProfile, WebServerProfile } from '../../config/profile.js';
import { soapFault } from '../../salesforce/metadata-read.js';
import { compareApp, type DeployedApp } from './app-metadata.js';

const base = { env: 'production' as const, appType: 'external-client-app' as const, loginUrl: 'https://acme.my.salesforce.com', clientId: '3MVG9key', scopes: ['api', 'refresh_token'], createdAt: '2026-01-01T00:00:00Z' };
const web: WebServerProfile = { ...base, flow: 'web-server', callbackUrl: 'http://localhost:1717/OauthRedirect', extraCallbackUrls: ['https://api.nango.dev/oauth/callback'] };
const app = (over: Partial<DeployedApp> = {}): DeployedApp => ({
  name: 'CI_App',
  global: { callbackUrl: 'http://localhost:1717/OauthRedirect\nhttps://api.nango.dev/oauth/callback', isPkceRequired: 'true', consumerKey: '3MVG9key' },
  oauth: { commaSeparatedOauthScopes: 'Api, RefreshToken' },
  policies: { refreshTokenPolicyType: 'Infinite' },
  ...over,
});

describe('compareApp', () => {
  it('passes a web-server app that fits, listing what it compared', () => {
    const r = compareApp(app(), web);
    expect(r.status).toBe('pass');
    expect(r.detail).toContain('  ✓ scopes cover api refresh_token');
  });

  it('fails a missing callback URL or scope, and a refresh policy that expires tokens at once; each with the Setup path of the app', () => {
    const r = compareApp(app({ global: { ...app().global, callbackUrl: 'http://localhost:1717/OauthRedirect' }, oauth: { commaSeparatedOauthScopes: 'Api' }, policies: { refreshTokenPolicyType: 'Immediately' } }), web);
    expect(r.status).toBe('fail');
    expect(r.summary).toBe('CI_App: the callback URLs lack https://api.nango.dev/oauth/callback; the refresh token policy expires refresh tokens immediately; the app\'s OAuth scopes lack refresh_token');
    expect(r.fix).toContain('External Client App Manager" → CI_App → Settings tab → Edit → OAuth Settings → Callback URL');
  });

  it('warns when PKCE is not required, and when rotation differs from what the last refresh saw', () => {
    const r = compareApp(app({ global: { ...app().global, isPkceRequired: 'false', isRefreshTokenRotationEnabled: 'true' } }), { ...web, refreshTokenRotation: false });
    expect(r.status).toBe('warn');
    expect(r.summary).toContain('PKCE is not required');
    expect(r.summary).toContain('rotation is on in the app, but the last refresh sfoauth saw did not rotate the token');
  });

  it('client credentials: enabled with a Run As user passes; disabled or without one fails; the refresh_token scope is not asked of a server flow', () => {
    const cc: ClientCredentialsProfile = { ...base, flow: 'client-credentials', clientSecret: 's', username: 'ci@acme.com' };
    const on = app({ global: { isClientCredentialsFlowEnabled: 'true' }, oauth: { commaSeparatedOauthScopes: 'Api' }, policies: { isClientCredentialsFlowEnabled: 'true', clientCredentialsFlowUser: 'ci@acme.com' } });
    expect(compareApp(on, cc).status).toBe('pass');
    expect(compareApp(app({ ...on, policies: { isClientCredentialsFlowEnabled: 'true' } }), cc).summary).toContain('has no Run As user');
    expect(compareApp(app({ ...on, global: {} }), cc).summary).toContain('the client credentials flow is not enabled');
  });

  it('JWT bearer: no certificate fails; another certificate than the profile\'s fails; the same one passes whatever the line breaks', () => {
    const jwt: JwtBearerProfile = { ...base, flow: 'jwt-bearer', username: 'u@acme.com', audience: 'https://login.salesforce.com', privateKeyFile: 'k.key', certificateFile: 'k.crt' };
    const pem = '-----BEGIN CERTIFICATE-----\nAAAA\nBBBB\n-----END CERTIFICATE-----\n';
    expect(compareApp(app({ global: {}, oauth: undefined }), jwt).summary).toContain('no certificate');
    expect(compareApp(app({ global: { certificate: pem.replace('AAAA', 'CCCC') }, oauth: undefined }), jwt, pem).summary).toContain('the certificate on the app is not k.crt');
    expect(compareApp(app({ global: { certificate: pem.replace(/\n/g, '\r\n') }, oauth: undefined }), jwt, pem).status).toBe('pass');
  });
});

describe('soapFault', () => {
  it('reads a SOAP fault without its prefix, entities decoded, control characters dropped', () => {
    const xml = '<soapenv:Envelope><soapenv:Body><soapenv:Fault><faultcode>sf:INSUFFICIENT_ACCESS</faultcode><faultstring>no &amp; never\u001b[31m</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>';
    expect(soapFault(xml)).toEqual({ code: 'INSUFFICIENT_ACCESS', text: 'no & never[31m' });
    expect(soapFault('<result/>')).toBeUndefined();
  });
});

describe('blocks (the SOAP answer reader)', () => {
  it('skips self-closing nil records, and reads a hostile answer of 256 KB of unclosed tags in one pass', async () => {
    const { blocks } = await import('../../salesforce/metadata-read.js');
    expect(blocks('<result><records xsi:nil="true"/><records xsi:type="T"><fullName>A</fullName></records></result>', 'records')).toEqual(['<fullName>A</fullName>']);
    const hostile = '<records>'.repeat((256 * 1024) / 9);
    const started = performance.now();
    expect(blocks(hostile, 'records')).toEqual([]);
    // A generous guard against a return to one scan per tag (that shape took seconds at this size).
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
