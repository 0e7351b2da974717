import { describe, expect, it } from 'vitest';
import { checkConsumerKey, checkConsumerSecret } from './consumer-key.js';

// Shaped like real values (docs/salesforce.md §3.1, §4.4); made up here.
const KEY = '3MVG9' + 'Xq1bV2cN3dM4eL5fK6gJ7hI8iH9jG0kF1lE2mD3nC4oB5pA6qZ7rY8sX9tW0uV1wU2xT3yS4zR5a.b_c';
const SECRET = '4A3F9C0E1B2D8F7A6C5E4D3B2A1F0E9D8C7B6A5F4E3D2C1B0A9F8E7D6C5B4A39';
const OLD_SECRET = '1955279925675241571';

describe('checkConsumerKey', () => {
  it('has realistic fixtures', () => {
    expect(KEY.length).toBeGreaterThan(80);
    expect(SECRET).toHaveLength(64);
  });

  it.each([
    ['a real-looking key', KEY],
    ['a shortest accepted key', '3MVG9' + 'a'.repeat(50)],
    ['a longest accepted key', '3MVG9' + 'a'.repeat(150)],
  ])('accepts %s without a warning', (_name, key) => {
    expect(checkConsumerKey(key)).toEqual({ ok: true });
  });

  it.each([
    ['empty', '', /empty/],
    ['a trailing space', `${KEY} `, /spaces/],
    ['a line break inside', `${KEY.slice(0, 40)}\n${KEY.slice(40)}`, /line breaks/],
    ['quotes around', `"${KEY}"`, /quotes/],
    ['curly quotes', `\u201c${KEY}\u201d`, /quotes/],
  ])('refuses %s', (_name, key, warning) => {
    const result = checkConsumerKey(key);
    expect(result.ok).toBe(false);
    expect(result.warning).toMatch(warning);
  });

  it.each([
    ['the secret', SECRET, /Consumer Secret/],
    ['the secret in lower case', SECRET.toLowerCase(), /Consumer Secret/],
    ['an old decimal secret', OLD_SECRET, /Consumer Secret/],
    ['a cut-off key', KEY.slice(0, 40), /40 characters/],
    ['a key with a stray character', `${KEY.slice(0, 50)}-${KEY.slice(50)}`, /cut off or changed/],
    ['something else', 'my-app', /start with 3MVG9/],
  ])('warns about %s but lets Salesforce decide', (_name, key, warning) => {
    const result = checkConsumerKey(key);
    expect(result.ok).toBe(true);
    expect(result.warning).toMatch(warning);
  });

  it('never repeats the value', () => {
    for (const value of [SECRET, OLD_SECRET, 'my-app', `${KEY} `]) {
      expect(checkConsumerKey(value).warning ?? '').not.toContain(value.trim());
    }
  });
});

describe('checkConsumerSecret', () => {
  it.each([
    ['a modern secret', SECRET],
    ['an old decimal secret', OLD_SECRET],
  ])('accepts %s without a warning', (_name, secret) => {
    expect(checkConsumerSecret(secret)).toEqual({ ok: true });
  });

  it.each([
    ['empty', '', /empty/],
    ['a trailing newline', `${SECRET}\n`, /line breaks/],
    ['a space inside', `${SECRET.slice(0, 10)} ${SECRET.slice(10)}`, /spaces/],
    ['single quotes', `'${SECRET}'`, /quotes/],
  ])('refuses %s', (_name, secret, warning) => {
    const result = checkConsumerSecret(secret);
    expect(result.ok).toBe(false);
    expect(result.warning).toMatch(warning);
  });

  it.each([
    ['the key', KEY, /Consumer Key/],
    ['lower-case hex', SECRET.toLowerCase(), /upper case/],
    ['a cut-off secret', SECRET.slice(0, 32), /32 characters/],
    ['an 18-digit number', OLD_SECRET.slice(1), /19 digits/],
  ])('warns about %s', (_name, secret, warning) => {
    const result = checkConsumerSecret(secret);
    expect(result.ok).toBe(true);
    expect(result.warning).toMatch(warning);
  });

  it('never repeats the secret', () => {
    for (const value of [SECRET.toLowerCase(), SECRET.slice(0, 32), `${SECRET}\n`, 'hunter2hunter2']) {
      expect(checkConsumerSecret(value).warning ?? '').not.toContain(value.trim());
    }
  });
});
