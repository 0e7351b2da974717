import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import {
  classifyHost,
  defaultLoginUrl,
  environmentOfHostKind,
  environmentOfToken,
  isLoopbackHost,
  loginHostProblems,
  normalizeEnvironment,
  parseIdUrl,
  parseLoginUrl,
  suggestLoginHost,
  type HostKind,
} from './hosts.js';

describe('defaultLoginUrl / normalizeEnvironment', () => {
  it.each([
    ['production', 'https://login.salesforce.com'],
    ['sandbox', 'https://test.salesforce.com'],
  ] as const)('%s → %s', (env, url) => {
    expect(defaultLoginUrl(env)).toBe(url);
  });

  it.each([
    ['production', 'production'],
    ['salesforce', 'production'],
    [' Production ', 'production'],
    ['prod', 'production'],
    ['PROD', 'production'],
    ['sandbox', 'sandbox'],
    ['salesforce-sandbox', 'sandbox'],
    ['SANDBOX', 'sandbox'],
  ])('%j → %s', (input, env) => {
    expect(normalizeEnvironment(input)).toBe(env);
  });

  it.each(['', 'test', 'developer', 'salesforce_sandbox'])('refuses %j', (input) => {
    expect(() => normalizeEnvironment(input)).toThrow(UsageError);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['[::1]', true],
    ['login.salesforce.com', false],
    ['128.0.0.1', false],
    ['0.0.0.0', false],
    ['localhost.example.com', false],
  ])('%s → %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe('classifyHost', () => {
  // Every host example in docs/salesforce.md §1, plus URL and port forms.
  it.each<[string, HostKind]>([
    // §1.1 generic and legacy instanced hosts
    ['login.salesforce.com', 'generic-production'],
    ['https://login.salesforce.com', 'generic-production'],
    ['https://login.salesforce.com/services/oauth2/token', 'generic-production'],
    ['LOGIN.SALESFORCE.COM', 'generic-production'],
    ['welcome.salesforce.com', 'generic-production'],
    ['test.salesforce.com', 'generic-sandbox'],
    ['https://test.salesforce.com/id/00D000000000001EAA/005000000000001AAA', 'generic-sandbox'],
    ['na123.salesforce.com', 'production'],
    ['https://usa77.salesforce.com', 'production'],
    ['cs19.salesforce.com', 'sandbox'],
    // §1.2 My Domain
    ['MyDomainName.my.salesforce.com', 'production'],
    ['https://acme.my.salesforce.com/', 'production'],
    ['acme.my.salesforce.com:443', 'production'],
    ['MyDomainName--SandboxName.sandbox.my.salesforce.com', 'sandbox'],
    ['https://X--sb.sandbox.my.salesforce.com', 'sandbox'],
    ['MyDomainName--SandboxName.my.salesforce.com', 'sandbox'],
    ['https://prl--PRLAPP.my.salesforce.com', 'sandbox'],
    ['MyDomainName-dev-ed.develop.my.salesforce.com', 'developer-edition'],
    ['https://home406-dev-ed.develop.my.salesforce.com', 'developer-edition'],
    ['acme-dev-ed.my.salesforce.com', 'developer-edition'],
    ['orgname-dev-ed.trailblaze.my.salesforce.com', 'trailhead'],
    ['MyDomainName.scratch.my.salesforce.com', 'scratch'],
    ['MyDomainName.patch.my.salesforce.com', 'patch'],
    ['MyDomainName.develop.my.salesforce.com', 'patch'],
    ['MyDomainName.demo.my.salesforce.com', 'demo'],
    ['MyDomainName.free.my.salesforce.com', 'unknown'],
    ['MyDomainName.sfdctest.my.salesforce.com', 'unknown'],
    ['a.b.c.my.salesforce.com', 'unknown'],
    ['my.salesforce.com', 'unknown'],
    ['MyDomainName.my.site.com', 'experience-cloud'],
    ['https://acme.my.site.com/partners', 'experience-cloud'],
    ['MyDomainName.lightning.force.com', 'lightning'],
    ['acme--uat.sandbox.lightning.force.com', 'lightning'],
    ['acme.lightning.salesforce.com', 'lightning'],
    ['acme.my.salesforce-setup.com', 'setup'],
    ['acme--uat.sandbox.my.salesforce-setup.com', 'setup'],
    // §1.3 Government Cloud and China
    ['acme.my.salesforce.mil', 'production'],
    ['X--sbox.sandbox.my.salesforce.mil', 'sandbox'],
    ['acme.lightning.crmforce.mil', 'lightning'],
    ['acme.my.sfcrmproducts.cn', 'production'],
    ['acme--sbox.sandbox.my.sfcrmproducts.cn', 'sandbox'],
    ['acme.lightning.sfcrmapps.cn', 'lightning'],
    ['api.salesforce.com', 'unknown'],
    // §1.4 / emulator
    ['http://127.0.0.1:4567', 'loopback'],
    ['localhost:4567', 'loopback'],
    ['::1', 'loopback'],
    ['http://[::1]:4567', 'loopback'],
    ['example.com', 'unknown'],
    ['login.acme.com', 'unknown'],
    ['', 'unknown'],
    ['http://[bad', 'unknown'],
  ])('%s → %s', (host, kind) => {
    expect(classifyHost(host)).toBe(kind);
  });
});

describe('environmentOfHostKind', () => {
  it.each<[HostKind, string | undefined]>([
    ['generic-production', 'production'],
    ['production', 'production'],
    ['developer-edition', 'production'],
    ['trailhead', 'production'],
    ['generic-sandbox', 'sandbox'],
    ['sandbox', 'sandbox'],
    ['scratch', 'sandbox'],
    ['patch', undefined],
    ['demo', undefined],
    ['experience-cloud', undefined],
    ['lightning', undefined],
    ['setup', undefined],
    ['loopback', undefined],
    ['unknown', undefined],
  ])('%s → %s', (kind, env) => {
    expect(environmentOfHostKind(kind)).toBe(env);
  });
});

describe('environmentOfToken', () => {
  it.each([
    ['sandbox id on test, My Domain instance', { idUrl: 'https://test.salesforce.com/id/00D/005', instanceUrl: 'https://prl--PRLAPP.my.salesforce.com' }, 'sandbox'],
    ['id on test wins over a production-looking instance', { idUrl: 'https://test.salesforce.com/id/00D/005', instanceUrl: 'https://acme.my.salesforce.com' }, 'sandbox'],
    ['id on login wins over a sandbox-looking instance', { idUrl: 'https://login.salesforce.com/id/00D/005', instanceUrl: 'https://a--b.sandbox.my.salesforce.com' }, 'production'],
    ['Developer Edition', { idUrl: 'https://login.salesforce.com/id/00D5i00000CIhxbEAD/0055i000007pIKjAAM', instanceUrl: 'https://home406-dev-ed.develop.my.salesforce.com' }, 'production'],
    ['instance only, sandbox', { instanceUrl: 'https://X--sb.sandbox.my.salesforce.com' }, 'sandbox'],
    ['instance only, production', { instanceUrl: 'https://acme.my.salesforce.com' }, 'production'],
    ['instance only, legacy cs', { instanceUrl: 'https://cs19.salesforce.com' }, 'sandbox'],
    ['id on a My Domain falls back to the instance', { idUrl: 'https://acme.my.salesforce.com/id/00D/005', instanceUrl: 'https://acme.my.salesforce.com' }, 'production'],
    ['emulator', { idUrl: 'http://127.0.0.1:4567/id/00D/005', instanceUrl: 'http://127.0.0.1:4568' }, undefined],
    ['nothing', {}, undefined],
    ['garbage', { idUrl: 'not a url', instanceUrl: 'also not' }, undefined],
  ])('%s', (_name, token, env) => {
    expect(environmentOfToken(token)).toBe(env);
  });
});

describe('parseIdUrl', () => {
  it.each([
    ['https://login.salesforce.com/id/00D5i00000CIhxbEAD/0055i000007pIKjAAM', { orgId: '00D5i00000CIhxbEAD', userId: '0055i000007pIKjAAM' }],
    ['https://test.salesforce.com/id/00Dx0000000BV7z/005x00000012Q9P', { orgId: '00Dx0000000BV7z', userId: '005x00000012Q9P' }],
    ['https://login.salesforce.com/id/00Dd0000000d45TEBQ/005d0000000fyGPCCY/', { orgId: '00Dd0000000d45TEBQ', userId: '005d0000000fyGPCCY' }],
    ['http://127.0.0.1:4567/id/00D000000000001EAA/005000000000001AAA', { orgId: '00D000000000001EAA', userId: '005000000000001AAA' }],
    ['https://login.salesforce.com/id/00D5i00000CIhxbEAD', undefined],
    ['https://login.salesforce.com/id/001000000000001AAA/005000000000001AAA', undefined],
    ['https://login.salesforce.com/id/00D000000000001EAA/003000000000001AAA', undefined],
    ['https://login.salesforce.com/id/00D0000000001/005000000000001AAA', undefined],
    ['https://login.salesforce.com/x/id/00D000000000001EAA/005000000000001AAA', undefined],
    ['/id/00D000000000001EAA/005000000000001AAA', undefined],
    ['', undefined],
  ])('%s', (idUrl, expected) => {
    expect(parseIdUrl(idUrl)).toEqual(expected);
  });
});

describe('suggestLoginHost', () => {
  it.each([
    ['acme.lightning.force.com', 'acme.my.salesforce.com'],
    ['acme--uat.sandbox.lightning.force.com', 'acme--uat.sandbox.my.salesforce.com'],
    ['acme-dev-ed.develop.lightning.force.com', 'acme-dev-ed.develop.my.salesforce.com'],
    ['acme.lightning.salesforce.com', 'acme.my.salesforce.com'],
    ['acme.my.salesforce-setup.com', 'acme.my.salesforce.com'],
    ['acme--uat.sandbox.my.salesforce-setup.com', 'acme--uat.sandbox.my.salesforce.com'],
    ['acme.lightning.crmforce.mil', 'acme.my.salesforce.mil'],
    ['acme.lightning.sfcrmapps.cn', 'acme.my.sfcrmproducts.cn'],
    ['https://ACME.lightning.force.com/lightning/page/home', 'acme.my.salesforce.com'],
    ['acme.my.salesforce.com', undefined],
    ['login.salesforce.com', undefined],
  ])('%s → %s', (host, suggested) => {
    expect(suggestLoginHost(host)).toBe(suggested);
  });
});

describe('parseLoginUrl', () => {
  it.each([
    ['login.salesforce.com', 'https://login.salesforce.com'],
    ['https://login.salesforce.com', 'https://login.salesforce.com'],
    ['https://test.salesforce.com/', 'https://test.salesforce.com'],
    ['  https://x.my.salesforce.com/  ', 'https://x.my.salesforce.com'],
    ['https://x.my.salesforce.com/services/oauth2/authorize?x=1#y', 'https://x.my.salesforce.com'],
    ['x.my.salesforce.com/some/path', 'https://x.my.salesforce.com'],
    ['HTTPS://ACME--UAT.SANDBOX.MY.SALESFORCE.COM', 'https://acme--uat.sandbox.my.salesforce.com'],
    ['https://home406-dev-ed.develop.my.salesforce.com', 'https://home406-dev-ed.develop.my.salesforce.com'],
    ['https://acme.my.site.com/partners', 'https://acme.my.site.com'],
    ['https://login.acme.com:8443', 'https://login.acme.com:8443'],
    ['http://127.0.0.1:4567', 'http://127.0.0.1:4567'],
    ['http://localhost:4567/', 'http://localhost:4567'],
    ['http://[::1]:4567', 'http://[::1]:4567'],
    ['127.0.0.1:4567', 'http://127.0.0.1:4567'],
    ['localhost:4567', 'http://localhost:4567'],
    ['https://localhost:4567', 'https://localhost:4567'],
  ])('%j → %s', (input, origin) => {
    expect(parseLoginUrl(input).href).toBe(`${origin}/`);
  });

  it.each([
    ['https://acme.lightning.force.com', 'acme.lightning.force.com', '--login-url https://acme.my.salesforce.com'],
    ['acme.lightning.force.com', 'acme.lightning.force.com', '--login-url https://acme.my.salesforce.com'],
    ['https://acme--uat.sandbox.lightning.force.com/lightning/setup/Home', 'acme--uat.sandbox.lightning.force.com', '--login-url https://acme--uat.sandbox.my.salesforce.com'],
    ['https://acme.lightning.salesforce.com', 'acme.lightning.salesforce.com', '--login-url https://acme.my.salesforce.com'],
    ['https://acme.my.salesforce-setup.com/lightning/setup', 'acme.my.salesforce-setup.com', '--login-url https://acme.my.salesforce.com'],
    ['https://acme.lightning.crmforce.mil', 'acme.lightning.crmforce.mil', '--login-url https://acme.my.salesforce.mil'],
  ])('refuses %s, naming the host and the fix', (input, host, fix) => {
    let thrown: unknown;
    try {
      parseLoginUrl(input);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    const e = thrown as UsageError;
    expect(e.message).toContain(host);
    expect(e.hint).toContain(fix);
  });

  it.each([
    ['', /needs a URL/],
    ['http://login.salesforce.com', /https/],
    ['http://acme.my.salesforce.com', /https:\/\/acme\.my\.salesforce\.com/],
    ['ftp://login.salesforce.com', /https/],
    ['https://user:pw@login.salesforce.com', /user name or password/],
    ['https://exa mple.com', /not a valid/],
  ])('refuses %j', (input, message) => {
    let thrown: unknown;
    try {
      parseLoginUrl(input);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    const e = thrown as UsageError;
    expect(`${e.message} ${e.hint ?? ''}`).toMatch(message);
    expect(e.message).not.toContain('pw@');
  });
});

describe('loginHostProblems', () => {
  it.each([
    ['https://login.salesforce.com', 'production'],
    ['https://test.salesforce.com', 'sandbox'],
    ['https://acme.my.salesforce.com', 'production'],
    ['https://acme--uat.sandbox.my.salesforce.com', 'sandbox'],
    ['https://acme--uat.my.salesforce.com', 'sandbox'],
    ['https://acme-dev-ed.develop.my.salesforce.com', 'production'],
    ['https://x-dev-ed.trailblaze.my.salesforce.com', 'production'],
    ['https://acme.scratch.my.salesforce.com', 'sandbox'],
    ['https://acme.my.site.com', 'production'],
    ['https://acme.my.site.com', 'sandbox'],
    ['https://login.acme.com', 'sandbox'],
    ['http://127.0.0.1:4567', 'production'],
    ['http://127.0.0.1:4567', 'sandbox'],
  ] as const)('%s with %s: no problem', (url, env) => {
    expect(loginHostProblems(url, env)).toEqual([]);
  });

  it.each([
    ['https://login.salesforce.com', 'sandbox', /test\.salesforce\.com/],
    ['https://test.salesforce.com', 'production', /login\.salesforce\.com/],
    ['https://acme--uat.sandbox.my.salesforce.com', 'production', /sandbox My Domain.*--env sandbox/],
    ['https://acme--uat.my.salesforce.com', 'production', /--env sandbox/],
    ['https://acme.scratch.my.salesforce.com', 'production', /scratch org/],
    ['https://acme-dev-ed.develop.my.salesforce.com', 'sandbox', /Developer Edition org is not a sandbox/],
    ['https://x-dev-ed.trailblaze.my.salesforce.com', 'sandbox', /Trailhead.*not a sandbox/],
    ['https://acme.my.salesforce.com', 'sandbox', /production My Domain/],
    ['https://acme.lightning.force.com', 'production', /acme\.my\.salesforce\.com/],
    ['acme.my.salesforce-setup.com', 'sandbox', /acme\.my\.salesforce\.com/],
  ] as const)('%s with %s: warns', (url, env, warning) => {
    const problems = loginHostProblems(url, env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(warning);
  });

  it('accepts a URL object', () => {
    expect(loginHostProblems(new URL('https://login.salesforce.com'), 'sandbox')).toHaveLength(1);
  });
});

describe('parseLoginUrl refuses what is not a host (hostile input)', () => {
  it.each([
    ['-', /not a host name/],
    ['../../etc', /empty label/],
    [`${'a'.repeat(100_000)}.com`, /characters long/],
    ['a\nb.example.com', /control characters/],
    ['http:\\\\127.0.0.1:1717', /backslash/],
    ['https://-bad-.example.com', /not a host name/],
    [`https://${'a'.repeat(64)}.example.com`, /longer than 63/],
    ['https://exa_mple.my.salesforce.com', /not a host name/],
    ['https://a..b.com', /empty label/],
  ])('refuses %j with the reason', (input, message) => {
    expect(() => parseLoginUrl(input)).toThrow(UsageError);
    expect(() => parseLoginUrl(input)).toThrow(message);
  });

  it.each(['acme.my.salesforce.com', 'https://login.salesforce.com.', 'http://[::1]:8443', '127.0.0.1:1717', 'localhost:5000', 'xn--bcher-kva.example'])(
    'still accepts %j',
    (input) => expect(() => parseLoginUrl(input)).not.toThrow(),
  );
});
