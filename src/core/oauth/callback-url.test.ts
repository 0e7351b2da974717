import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import { bindAddressesFor, DEFAULT_CALLBACK_URL, parseCallbackUrl, parseExtraCallbackUrl } from './callback-url.js';

describe('parseCallbackUrl', () => {
  it.each([
    [undefined, 'http://localhost:1717/OauthRedirect', 'localhost', 1717, '/OauthRedirect'],
    ['', 'http://localhost:1717/OauthRedirect', 'localhost', 1717, '/OauthRedirect'],
    ['  http://localhost:1717/OauthRedirect  ', 'http://localhost:1717/OauthRedirect', 'localhost', 1717, '/OauthRedirect'],
    ['http://127.0.0.1:8080/callback', 'http://127.0.0.1:8080/callback', '127.0.0.1', 8080, '/callback'],
    ['http://[::1]:3000/cb', 'http://[::1]:3000/cb', '::1', 3000, '/cb'],
    ['http://LOCALHOST:1717/OauthRedirect', 'http://localhost:1717/OauthRedirect', 'localhost', 1717, '/OauthRedirect'],
    ['http://localhost:1717', 'http://localhost:1717/', 'localhost', 1717, '/'],
    ['http://localhost:65535/x/y', 'http://localhost:65535/x/y', 'localhost', 65535, '/x/y'],
  ])('%j → %s', (input, href, host, port, path) => {
    const cb = parseCallbackUrl(input);
    expect(cb.url.href).toBe(href);
    expect(cb.host).toBe(host);
    expect(cb.port).toBe(port);
    expect(cb.path).toBe(path);
    expect(cb.loopback).toBe(true);
  });

  it('defaults to the Salesforce CLI callback', () => {
    expect(DEFAULT_CALLBACK_URL).toBe('http://localhost:1717/OauthRedirect');
  });

  it.each([
    ['https://api.nango.dev/oauth/callback', /--extra-callback-url/],
    ['http://example.com:1717/OauthRedirect', /--extra-callback-url/],
    ['http://127.0.0.2:1717/OauthRedirect', /localhost, 127\.0\.0\.1 or \[::1\]/],
    ['https://localhost:1717/OauthRedirect', /plain http/],
    ['http://localhost/OauthRedirect', /--callback-url http:\/\/localhost:1717\/OauthRedirect/],
    ['http://localhost:80/OauthRedirect', /--callback-url http:\/\/localhost:1717\/OauthRedirect/],
    ['http://localhost:443/OauthRedirect', /--callback-url http:\/\/localhost:1717\/OauthRedirect/],
    ['http://localhost:1717/OauthRedirect?x=1', /without one/],
    ['localhost:1717/OauthRedirect', /http:\/\/localhost:1717\/OauthRedirect/],
    ['/OauthRedirect', /http:\/\/localhost:1717\/OauthRedirect/],
    ['http://[oops/', /http:\/\/localhost:1717\/OauthRedirect/],
  ])('refuses %s with a fix', (input, hint) => {
    let thrown: unknown;
    try {
      parseCallbackUrl(input);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    const e = thrown as UsageError;
    expect(`${e.message} ${e.hint ?? ''}`).toMatch(hint);
  });

  it.each(['http://localhost:1717/OauthRedirect#x', 'http://localhost:1717/OauthRedirect#', 'http://user:pw@localhost:1717/cb'])(
    'refuses %s',
    (input) => {
      expect(() => parseCallbackUrl(input)).toThrow(UsageError);
    },
  );

  it('does not echo a password from the URL', () => {
    expect(() => parseCallbackUrl('http://user:hunter2@localhost:1717/cb')).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hunter2') }));
  });
});

describe('parseExtraCallbackUrl', () => {
  it.each([
    ['https://api.nango.dev/oauth/callback', 'https://api.nango.dev/oauth/callback'],
    [' https://example.com/cb?x=1 ', 'https://example.com/cb?x=1'],
    ['http://localhost:3003/oauth/callback', 'http://localhost:3003/oauth/callback'],
    ['http://127.0.0.1:3003/cb', 'http://127.0.0.1:3003/cb'],
    ['http://[::1]:3003/cb', 'http://[::1]:3003/cb'],
  ])('accepts %s', (input, href) => {
    expect(parseExtraCallbackUrl(input).href).toBe(href);
  });

  it.each([
    '',
    'http://api.nango.dev/oauth/callback',
    'api.nango.dev/oauth/callback',
    '/oauth/callback',
    'myapp://callback',
    'ftp://example.com/cb',
    'https://example.com/cb#frag',
    'https://u:p@example.com/cb',
  ])('refuses %j', (input) => {
    expect(() => parseExtraCallbackUrl(input)).toThrow(UsageError);
  });
});

describe('bindAddressesFor', () => {
  it.each([
    ['localhost', ['127.0.0.1', '::1']],
    ['LOCALHOST', ['127.0.0.1', '::1']],
    ['127.0.0.1', ['127.0.0.1']],
    ['::1', ['::1']],
    ['[::1]', ['::1']],
  ])('%s → %j', (host, addresses) => {
    expect(bindAddressesFor(host)).toEqual(addresses);
  });

  it.each(['example.com', '0.0.0.0', '::', '192.168.1.10'])('refuses %s', (host) => {
    expect(() => bindAddressesFor(host)).toThrow(UsageError);
  });

  it('agrees with parseCallbackUrl for every accepted host', () => {
    for (const input of ['http://localhost:1717/a', 'http://127.0.0.1:1717/a', 'http://[::1]:1717/a']) {
      const cb = parseCallbackUrl(input);
      expect(bindAddressesFor(cb.host)).toEqual(bindAddressesFor(cb.url.hostname));
    }
  });
});
