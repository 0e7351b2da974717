import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../errors.js';
import { createOptions, missingFlags, profileForCreate, type CreateFlags } from './options.js';

const base: CreateFlags = { name: 'CI_App', contactEmail: 'dev@example.com' };
const plan = (flags: CreateFlags, stdinToken?: string, interactive = false) =>
  createOptions({ ...base, ...flags }, { configDir: '/cfg' }, { ...(stdinToken !== undefined ? { stdinToken } : {}), interactive });

describe('createOptions (flags → options)', () => {
  const cases: [string, CreateFlags, string | undefined, (p: ReturnType<typeof plan>) => void][] = [
    ['token on stdin + instance URL', { accessTokenStdin: true, instanceUrl: 'acme.my.salesforce.com/' }, '00Dtoken', (p) =>
      expect(p.deployer).toEqual({ kind: 'token', instanceUrl: 'https://acme.my.salesforce.com', accessToken: '00Dtoken' })],
    ['--from-profile', { fromProfile: 'admin' }, undefined, (p) => expect(p.deployer).toEqual({ kind: 'profile', profile: 'admin', configDir: '/cfg' })],
    ['--target-org', { targetOrg: 'my-org' }, undefined, (p) => expect(p.deployer).toEqual({ kind: 'sf-cli', targetOrg: 'my-org' })],
    ['no deployer', {}, undefined, (p) => expect(p.deployer).toBeUndefined()],
    ['callback URLs: the first is local, the rest extras', { callbackUrl: ['http://localhost:1818/cb', 'https://api.nango.dev/oauth/callback'] }, undefined, (p) =>
      expect(p.spec.callbackUrls).toEqual(['http://localhost:1818/cb', 'https://api.nango.dev/oauth/callback'])],
    ['scopes', { scopes: 'api refresh_token openid' }, undefined, (p) => expect(p.spec.scopes).toEqual(['api', 'refresh_token', 'openid'])],
    ['--rotate-refresh-tokens', { rotateRefreshTokens: true }, undefined, (p) => expect(p.spec.rotateRefreshTokens).toBe(true)],
    ['--introspect-all-tokens', { introspectAllTokens: true }, undefined, (p) => expect(p.spec.introspectAllTokens).toBe(true)],
    ['no policy flag leaves the default (until revoked) to the spec', {}, undefined, (p) => expect(p.spec.refreshPolicy).toBeUndefined()],
    ['--refresh-token-policy 90d', { refreshTokenPolicy: '90d' }, undefined, (p) => expect(p.spec.refreshPolicy).toEqual({ kind: 'lifetime', period: 90, unit: 'Days' })],
    ['--refresh-token-policy "6 months"', { refreshTokenPolicy: '6 months' }, undefined, (p) => expect(p.spec.refreshPolicy).toEqual({ kind: 'lifetime', period: 6, unit: 'Months' })],
    ['--refresh-token-policy 12h', { refreshTokenPolicy: '12h' }, undefined, (p) => expect(p.spec.refreshPolicy).toEqual({ kind: 'lifetime', period: 12, unit: 'Hours' })],
    ['--refresh-token-policy until-revoked', { refreshTokenPolicy: 'until-revoked' }, undefined, (p) => expect(p.spec.refreshPolicy).toEqual({ kind: 'infinite' })],
    ['--refresh-token-policy immediately with --no-verify', { refreshTokenPolicy: 'immediately', verify: false }, undefined, (p) => expect(p.spec.refreshPolicy).toEqual({ kind: 'immediately' })],
    ['--refresh-token-policy immediately for a server flow (no refresh token)', { refreshTokenPolicy: 'immediately', flow: 'client-credentials', runAs: 'ci@acme.com' }, undefined, (p) =>
      expect(p.spec.refreshPolicy).toEqual({ kind: 'immediately' })],
    ['verification defaults: production, 10 minute wait, 30 s polls, 300 s timeout', {}, undefined, (p) =>
      expect(p.verify).toMatchObject({ env: 'production', waitMs: 600_000, pollMs: 30_000, timeoutMs: 300_000, openBrowser: true, loginUrl: undefined })],
    ['verification flags', { env: 'sandbox', loginUrl: 'test.salesforce.com', wait: '0', pollInterval: '1', timeout: '20', browser: false }, undefined, (p) =>
      expect(p.verify).toMatchObject({ env: 'sandbox', loginUrl: 'https://test.salesforce.com', waitMs: 0, pollMs: 1000, timeoutMs: 20_000, openBrowser: false })],
    ['--no-verify', { verify: false }, undefined, (p) => expect(p.verify).toBeUndefined()],
    ['--dry-run verifies nothing', { dryRun: true }, undefined, (p) => expect([p.dryRun, p.verify]).toEqual([true, undefined])],
    ['--output-dir and --output-global-settings', { outputDir: 'md', outputGlobalSettings: true }, undefined, (p) =>
      expect([p.outputDir, p.outputGlobalSettings]).toEqual(['md', true])],
    ['--deploy-timeout', { deployTimeout: '2' }, undefined, (p) => expect(p.deployTimeoutMs).toBe(120_000)],
    ['web-server is the default flow; no JWT files', {}, undefined, (p) => expect([p.verify?.flow, p.jwt]).toEqual(['web-server', undefined])],
    ['--flow client-credentials --run-as: the Run As user goes into the spec, the verification uses the flow', { flow: 'client-credentials', runAs: ' ci@acme.com ' }, undefined, (p) =>
      expect([p.spec.clientCredentialsRunAs, p.verify?.flow, p.jwt]).toEqual(['ci@acme.com', 'client-credentials', undefined])],
    ['server flows take any first callback URL (nothing listens on it)', { flow: 'client-credentials', runAs: 'ci@acme.com', callbackUrl: ['https://example.com/cb'] }, undefined, (p) =>
      expect(p.spec.callbackUrls).toEqual(['https://example.com/cb'])],
    ['--flow jwt-bearer: System Administrator pre-authorized, a key pair to generate, the username for the verification', { flow: 'jwt-bearer', username: 'admin@acme.com' }, undefined, (p) =>
      expect([p.spec.preAuthorizedProfiles, p.jwt, p.verify?.username]).toEqual([['System Administrator'], {}, 'admin@acme.com'])],
    ['--flow jwt-bearer with key, certificate and profiles', { flow: 'jwt-bearer', username: 'u@acme.com', privateKey: 'k.key', certificate: 'k.crt', preAuthorizeProfile: ['CI Bots', 'Admins'] }, undefined, (p) =>
      expect([p.spec.preAuthorizedProfiles, p.jwt]).toEqual([['CI Bots', 'Admins'], { privateKeyFile: 'k.key', certificateFile: 'k.crt' }])],
    ['--flow jwt-bearer --no-verify needs no username', { flow: 'jwt-bearer', verify: false }, undefined, (p) => expect(p.jwt).toEqual({})],
  ];
  it.each(cases)('%s', (_what, flags, token, check) => check(plan(flags, token)));

  const bad: [string, CreateFlags, string | undefined, RegExp][] = [
    ['two deployers', { targetOrg: 'x', fromProfile: 'y' }, undefined, /only one of/],
    ['--instance-url alone', { instanceUrl: 'https://acme.my.salesforce.com' }, undefined, /goes with --access-token-stdin/],
    ['--access-token-stdin without --instance-url', { accessTokenStdin: true }, 't', /needs --instance-url/],
    ['--access-token-stdin with empty stdin', { accessTokenStdin: true, instanceUrl: 'https://acme.my.salesforce.com' }, '', /stdin was empty/],
    ['a remote first callback while verifying', { callbackUrl: ['https://example.com/cb'] }, undefined, /cannot receive the authorization/],
    ['a bad --wait', { wait: 'soon' }, undefined, /--wait/],
    ['an unknown --flow', { flow: 'device' }, undefined, /unknown flow/],
    ['an unknown --refresh-token-policy', { refreshTokenPolicy: 'forever' }, undefined, /"forever" is not a policy/],
    ['a lifetime of 0', { refreshTokenPolicy: '0d' }, undefined, /is not a policy/],
    ['a lifetime in minutes', { refreshTokenPolicy: '30m' }, undefined, /is not a policy/],
    ['a lifetime over 9999', { refreshTokenPolicy: '10000d' }, undefined, /is not a policy/],
    ['immediately while verifying a web-server app', { refreshTokenPolicy: 'immediately' }, undefined, /could never refresh/],
    ['client credentials without --run-as', { flow: 'client-credentials' }, undefined, /needs --run-as/],
    ['--run-as without its flow', { runAs: 'ci@acme.com' }, undefined, /--run-as goes with --flow client-credentials/],
    ['a JWT flag without its flow', { privateKey: 'k.key' }, undefined, /--private-key goes with --flow jwt-bearer/],
    ['JWT verification without --username', { flow: 'jwt-bearer' }, undefined, /needs --username/],
    ['JWT verification with a certificate but no key', { flow: 'jwt-bearer', username: 'u@acme.com', certificate: 'k.crt' }, undefined, /--certificate without --private-key/],
  ];
  it.each(bad)('refuses %s with a UsageError', (_what, flags, token, re) => {
    expect(() => plan(flags, token)).toThrow(UsageError);
    expect(() => plan(flags, token)).toThrow(re);
  });

  it('lists the flags still missing', () => {
    expect(missingFlags(createOptions({}, {}, { interactive: false }))).toEqual([
      '--name <API name>',
      '--contact-email <address>',
      '--target-org <alias> | --access-token-stdin --instance-url <url> | --from-profile <name> (who deploys)',
    ]);
    expect(missingFlags(plan({ dryRun: true }))).toEqual([]);
  });
});

describe('profileForCreate (where the new app is saved)', () => {
  const base = { requested: undefined, defaultName: 'default', defaultExists: false, appName: 'CI_App', deployingProfile: undefined };
  it.each([
    ['the default profile while there is none', {}, 'default'],
    ['a profile named after the app when the default exists', { defaultExists: true }, 'CI_App'],
    ['--profile when given', { requested: 'ci', defaultExists: true }, 'ci'],
    ['not the deploying profile when it is the default', { defaultName: 'admin', defaultExists: true, deployingProfile: 'admin' }, 'CI_App'],
  ])('%s', (_what, over, want) => expect(profileForCreate({ ...base, ...over })).toBe(want));
  it('refuses to save over the profile that deploys', () => {
    expect(() => profileForCreate({ ...base, requested: 'admin', deployingProfile: 'admin' })).toThrow(/which deploys it/);
  });
});
