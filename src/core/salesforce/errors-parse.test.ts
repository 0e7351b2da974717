import { describe, expect, it } from 'vitest';
import { BadResponseError, SalesforceError } from '../../errors.js';
import type { HttpResponse } from '../http/request.js';
import { errorFromResponse, expectJson, parseErrorBody } from './errors-parse.js';

function response(status: number, text: string, headers: Record<string, string> = {}, url = 'https://login.salesforce.com/services/oauth2/token'): HttpResponse {
  return {
    status,
    text,
    url,
    headers: new Headers(headers),
    json: () => JSON.parse(text) as unknown,
  };
}

describe('parseErrorBody', () => {
  it.each([
    [
      'token endpoint OAuth JSON',
      '{"error":"invalid_client_id","error_description":"client identifier invalid"}',
      'application/json;charset=UTF-8',
      { kind: 'oauth', error: 'invalid_client_id', description: 'client identifier invalid' },
    ],
    ['OAuth JSON without a description', '{"error":"invalid_token"}', 'application/json', { kind: 'oauth', error: 'invalid_token' }],
    [
      "revoke's urlencoded body",
      'error=unsupported_token_type&error_description=this%20token%20type%20is%20not%20supported',
      'application/x-www-form-urlencoded',
      { kind: 'oauth', error: 'unsupported_token_type', description: 'this token type is not supported' },
    ],
    ['urlencoded body with no content type', 'error=invalid_token', null, { kind: 'oauth', error: 'invalid_token' }],
    [
      'REST error array',
      '[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]',
      'application/json',
      { kind: 'rest', errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' },
    ],
    ['plain Bad_OAuth_Token', 'Bad_OAuth_Token', 'text/plain', { kind: 'plain', code: 'Bad_OAuth_Token' }],
    ['plain word with a newline', 'Bad_Id\n', null, { kind: 'plain', code: 'Bad_Id' }],
    ['HTML with a title', '<!DOCTYPE html><html><head><title>Login | Salesforce</title>', 'text/html', { kind: 'html', title: 'Login | Salesforce' }],
    ['HTML without a title', '<html><body>Access denied</body></html>', null, { kind: 'html' }],
    ['empty', '  ', 'application/json', { kind: 'empty' }],
    ['JSON that is not an error', '{"hello":"world"}', 'application/json', { kind: 'unrecognised' }],
    ['broken JSON', '{"error":', 'application/json', { kind: 'unrecognised' }],
    ['prose', 'Service temporarily unavailable, please retry', 'text/plain', { kind: 'unrecognised' }],
  ])('%s', (_what, text, type, expected) => {
    expect(parseErrorBody(text, type)).toEqual(expected);
  });
});

describe('errorFromResponse', () => {
  it.each([
    ['token', 400, '{"error":"invalid_grant","error_description":"expired authorization code"}', 'application/json', 'invalid_grant', 'expired authorization code'],
    ['token', 400, '{"error":"invalid_client","error_description":"invalid client credentials"}', 'application/json', 'invalid_client', 'invalid client credentials'],
    ['token', 400, '{"error":"redirect_uri_mismatch","error_description":"redirect_uri must match configuration"}', 'application/json', 'redirect_uri_mismatch', 'redirect_uri must match configuration'],
    ['token', 400, '{"error":"invalid_grant","error_description":"invalid code verifier"}', 'application/json', 'invalid_grant', 'invalid code verifier'],
    ['revoke', 400, 'error=unsupported_token_type&error_description=this%20token%20type%20is%20not%20supported', 'application/x-www-form-urlencoded', 'unsupported_token_type', 'this token type is not supported'],
    ['revoke', 400, 'error=invalid_token', 'application/x-www-form-urlencoded', 'invalid_token', undefined],
    ['introspect', 401, '{"error":"invalid_client","error_description":"invalid client credentials"}', 'application/json', 'invalid_client', 'invalid client credentials'],
    ['userinfo', 403, 'Bad_OAuth_Token', 'text/plain', 'Bad_OAuth_Token', undefined],
    ['identity', 403, 'Bad_OAuth_Token', 'text/plain', 'Bad_OAuth_Token', undefined],
    ['rest', 401, '[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]', 'application/json', 'INVALID_SESSION_ID', 'Session expired or invalid'],
    ['rest', 401, '[{"message":"This session is not valid for use with the REST API","errorCode":"INVALID_SESSION_ID"}]', 'application/json', 'INVALID_SESSION_ID', 'This session is not valid for use with the REST API'],
    ['rest', 401, '[{"message":"INVALID_HEADER_TYPE","errorCode":"INVALID_AUTH_HEADER"}]', 'application/json', 'INVALID_AUTH_HEADER', 'INVALID_HEADER_TYPE'],
    ['rest', 403, '[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]', 'application/json', 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'],
  ] as const)('%s %i %s', (endpoint, status, text, type, error, description) => {
    const err = errorFromResponse(response(status, text, { 'content-type': type }), endpoint);
    expect(err).toBeInstanceOf(SalesforceError);
    expect(err).toMatchObject({ endpoint, status, error, errorDescription: description, exitCode: 1 });
  });

  it('HTML from the token endpoint: the host does not look like a Salesforce login host', () => {
    const err = errorFromResponse(
      response(200, '<html><head><title>Lightning Experience</title></head></html>', { 'content-type': 'text/html' }),
      'token',
      'https://acme.lightning.force.com/services/oauth2/token',
    );
    expect(err).toBeInstanceOf(BadResponseError);
    expect(err.message).toContain('acme.lightning.force.com answered 200 with an HTML page ("Lightning Experience")');
    expect(err.message).toContain('does not look like a Salesforce login host');
    expect(err.message).toContain('Lightning host');
  });

  it('HTML from the REST API points at the instance_url', () => {
    const err = errorFromResponse(response(404, '<html></html>', {}, 'https://proxy.corp/services/data/'), 'rest');
    expect(err).toBeInstanceOf(BadResponseError);
    expect(err).toMatchObject({ status: 404 });
    expect(err.message).toContain('instance_url');
  });

  it('a redirect names where it went, with secrets hidden', () => {
    const err = errorFromResponse(response(302, '', { location: 'https://login.salesforce.com/?token=abc&x=1' }), 'token', 'http://login.salesforce.com/services/oauth2/token');
    expect(err).toBeInstanceOf(BadResponseError);
    expect(err.message).toContain('login.salesforce.com answered 302 with a redirect to https://login.salesforce.com/?token=[redacted]&x=1');
    expect(err.message).toContain('https');
  });

  it('empty and unrecognised bodies are BadResponseError with the status', () => {
    expect(errorFromResponse(response(400, ''), 'revoke')).toMatchObject({ name: 'BadResponseError', status: 400 });
    expect(errorFromResponse(response(400, '{"what":1}'), 'introspect')).toMatchObject({ name: 'BadResponseError', status: 400 });
  });

  it('never puts the body in the message', () => {
    const err = errorFromResponse(response(500, '<html><body>00D5i00000CIhxb!ARsecret</body></html>'), 'token');
    expect(err.message).not.toContain('ARsecret');
  });
});

describe('expectJson', () => {
  it('returns parsed JSON', () => {
    expect(expectJson(response(200, '{"a":1}'), 'token')).toEqual({ a: 1 });
  });

  it('turns a 200 HTML page into the "not a Salesforce host" error', () => {
    expect(() => expectJson(response(200, '<html></html>'), 'token')).toThrow(/does not look like a Salesforce login host/);
  });
});
