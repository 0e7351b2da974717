import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { parseSfOrgDisplay, parseSfShowAccessToken, sfOrgToken } from './sf-cli.js';

describe('parseSfOrgDisplay (sf org display --json)', () => {
  it('takes the access token, instance URL and username', () => {
    const out = JSON.stringify({ status: 0, result: { accessToken: '00D!x.abcdefgh', instanceUrl: 'https://acme.my.salesforce.com', username: 'a@b.c' } });
    expect(parseSfOrgDisplay(out, 'acme')).toEqual({ accessToken: '00D!x.abcdefgh', instanceUrl: 'https://acme.my.salesforce.com', username: 'a@b.c' });
  });
  it('a hidden token (sf 2.1xx: "Secrets are now hidden") is no token: show-access-token gives it', () => {
    const out = JSON.stringify({ status: 0, result: { accessToken: "[hidden] Use 'sf org auth show-access-token' to view", instanceUrl: 'https://acme.my.salesforce.com/', username: 'a@b.c' } });
    expect(parseSfOrgDisplay(out, 'acme')).toEqual({ accessToken: undefined, instanceUrl: 'https://acme.my.salesforce.com', username: 'a@b.c' });
    expect(parseSfShowAccessToken(JSON.stringify({ status: 0, result: { accessToken: '00D!x.abcdefgh' } }), 'acme')).toBe('00D!x.abcdefgh');
    expect(() => parseSfShowAccessToken(JSON.stringify({ status: 0, result: {} }), 'acme')).toThrow(/no access token for "acme"/);
  });
  it.each([
    ['not JSON', 'Warning: update available', /did not print JSON/],
    ['an error answer, its control characters escaped', JSON.stringify({ status: 1, message: 'No authorization information found for \u001b[31mx' }), /No authorization information found for \\u001B\[31mx/],
    ['no instance URL', JSON.stringify({ status: 0, result: { accessToken: '00D!x.abcdefgh' } }), /no instance URL/],
  ])('%s: a UsageError with the fix', (_what, out, re) => {
    expect(() => parseSfOrgDisplay(out, 'acme')).toThrow(UsageError);
    expect(() => parseSfOrgDisplay(out, 'acme')).toThrow(re);
  });
});

describe('sfOrgToken', () => {
  it('says so when sf is not installed', async () => {
    await expect(sfOrgToken('acme', { command: 'sfoauth-test-no-such-sf-binary' })).rejects.toThrow(/Salesforce CLI \(`sf`\), and it is not on the PATH/);
  });
});
