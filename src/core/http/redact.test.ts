import { describe, expect, it } from 'vitest';
import { redactBody, redactForm, redactTokenLikeText, redactUrl } from './redact.js';

describe('redactUrl', () => {
  it('redacts code, token and secret parameters and keeps the rest as sent', () => {
    const url =
      'http://localhost:1717/OauthRedirect?code=aPrxGfV7%3D%3D&state=5e464f1da81b&token=t&access_token=a&refresh_token=r&client_secret=s&code_verifier=v&oauth_token=o';
    expect(redactUrl(url)).toBe(
      'http://localhost:1717/OauthRedirect?code=[redacted]&state=5e464f1da81b&token=[redacted]&access_token=[redacted]&refresh_token=[redacted]&client_secret=[redacted]&code_verifier=[redacted]&oauth_token=[redacted]',
    );
  });

  it('redacts tokens in the fragment (user-agent flow)', () => {
    expect(redactUrl(new URL('https://x.example/cb#access_token=00Dxx!AR&instance_url=https%3A%2F%2Fa'))).toBe(
      'https://x.example/cb#access_token=[redacted]&instance_url=https%3A%2F%2Fa',
    );
  });

  it('leaves URLs without secrets alone', () => {
    expect(redactUrl('https://login.salesforce.com/services/oauth2/authorize?response_type=code&client_id=3MVG9x&scope=api%20refresh_token')).toBe(
      'https://login.salesforce.com/services/oauth2/authorize?response_type=code&client_id=3MVG9x&scope=api%20refresh_token',
    );
  });
});

describe('redactForm', () => {
  it('shows only the harmless fields in clear', () => {
    expect(
      redactForm({
        grant_type: 'authorization_code',
        code: 'c0de',
        client_id: '3MVG9abc',
        client_secret: 'S3CRET',
        redirect_uri: 'http://localhost:1717/OauthRedirect',
        code_verifier: 'v3rifier',
        scope: 'api refresh_token',
        token_type_hint: 'access_token',
        refresh_token: 'r3fresh',
        token: 't0ken',
        unknown_field: 'maybe-secret',
        dropped: undefined,
      }),
    ).toBe(
      'grant_type=authorization_code&code=[redacted]&client_id=3MVG9abc&client_secret=[redacted]&redirect_uri=http%3A%2F%2Flocalhost%3A1717%2FOauthRedirect&code_verifier=[redacted]&scope=api%20refresh_token&token_type_hint=access_token&refresh_token=[redacted]&token=[redacted]&unknown_field=[redacted]',
    );
  });

  it('accepts URLSearchParams', () => {
    expect(redactForm(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'r' }))).toBe('grant_type=refresh_token&refresh_token=[redacted]');
  });
});

describe('redactBody', () => {
  it('redacts secret JSON keys at any depth and keeps the rest', () => {
    const body = JSON.stringify({
      access_token: '00Dx!AR',
      refresh_token: '5Aep',
      id_token: 'eyJ',
      signature: 'sig=',
      nested: [{ client_secret: 'S' }],
      instance_url: 'https://acme.my.salesforce.com',
      scope: 'api',
    });
    expect(redactBody(body, 'application/json')).toBe(
      '{"access_token":"[redacted]","refresh_token":"[redacted]","id_token":"[redacted]","signature":"[redacted]","nested":[{"client_secret":"[redacted]"}],"instance_url":"https://acme.my.salesforce.com","scope":"api"}',
    );
  });

  it('keeps REST error arrays readable', () => {
    const body = '[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]';
    expect(redactBody(body, 'application/json;charset=UTF-8')).toBe(body);
  });

  it('keeps the urlencoded revoke error and redacts token values in a form body', () => {
    expect(redactBody('error=unsupported_token_type&error_description=this%20token%20type%20is%20not%20supported', 'application/x-www-form-urlencoded')).toBe(
      'error=unsupported_token_type&error_description=this%20token%20type%20is%20not%20supported',
    );
    expect(redactBody('token=00D5i00000CIhxb!ARabc&x=1', 'application/x-www-form-urlencoded')).toBe('token=[redacted]&x=1');
  });

  it('shows the first 200 characters of HTML, on one line, with tokens hidden', () => {
    const html = `<html>\n<head><title>Login | Salesforce</title></head>\n<body>${'x'.repeat(300)} 00D5i00000CIhxb!ARsecret</body></html>`;
    const out = redactBody(html, 'text/html');
    expect(out.startsWith('<html> <head><title>Login | Salesforce</title></head> <body>xxx')).toBe(true);
    expect(out).not.toContain('\n');
    expect(out).toMatch(/… \(\d+ more chars\)$/);
    expect(out.length).toBeLessThan(230);
    expect(redactBody('<p>00D5i00000CIhxb!ARsecret</p>', 'text/html')).toBe('<p>[redacted]</p>');
  });

  it('leaves a plain Bad_OAuth_Token as it is and returns "" for an empty body', () => {
    expect(redactBody('Bad_OAuth_Token', 'text/plain')).toBe('Bad_OAuth_Token');
    expect(redactBody('')).toBe('');
  });
});

describe('redactTokenLikeText', () => {
  it.each([
    ['Bearer 00D5i00000CIhxb!ARabc.def', 'Bearer [redacted]'],
    ['session 00D5i00000CIhxbEAD!AR8AQJXg5 here', 'session [redacted] here'],
    ['jwt eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln end', 'jwt [redacted] end'],
    ['refresh 5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJxnbTjd2t1IcIvXsoHEIv91Ugqq99zUcu8QFoHF_6tWrDzAzPRf', 'refresh [redacted]'],
    ['?code=aPrxGfV7%3D%3D&state=abc', '?code=[redacted]&state=abc'],
  ])('%s', (input, output) => {
    expect(redactTokenLikeText(input)).toBe(output);
  });

  it('does not touch host names, ids or prose', () => {
    const text = 'https://home406-dev-ed.develop.my.salesforce.com/id/00D5i00000CIhxbEAD/0055i000007pIKjAAM expired authorization code';
    expect(redactTokenLikeText(text)).toBe(text);
  });
});
