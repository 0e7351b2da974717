import { describe, it, expect } from 'vitest';
import { hasOAuthError, loneUrl, parseErrorText, redactSecrets, sentRedirectUri, type ParsedError } from './parse-error-text.js';

const one = (error: string, description: string | undefined, source: ParsedError['source']): ParsedError[] => [
  description === undefined ? { error, source } : { error, description, source },
];

describe('parseErrorText', () => {
  it.each<[string, string, ParsedError[]]>([
    [
      'redirected URL, + for spaces',
      'http://localhost:1717/OauthRedirect?error=invalid_request&error_description=missing+required+code+challenge&state=abc',
      one('invalid_request', 'missing required code challenge', 'url'),
    ],
    [
      'redirected URL, %20 for spaces',
      'https://api.nango.dev/oauth/callback?error=access_denied&error_description=end-user%20denied%20authorization',
      one('access_denied', 'end-user denied authorization', 'url'),
    ],
    [
      'error in the fragment',
      'http://localhost:1717/OauthRedirect#error=OAUTH_APP_BLOCKED&error_description=this+app+is+blocked+by+admin',
      one('OAUTH_APP_BLOCKED', 'this app is blocked by admin', 'url'),
    ],
    [
      'URL inside a sentence',
      'The browser ended at http://localhost:1717/OauthRedirect?error=OAUTH_EC_APP_NOT_FOUND&error_description=External%20client%20app%20is%20not%20installed%20in%20this%20org&state=x, why?',
      one('OAUTH_EC_APP_NOT_FOUND', 'External client app is not installed in this org', 'url'),
    ],
    [
      'urlencoded body (revoke)',
      'error=unsupported_token_type&error_description=this%20token%20type%20is%20not%20supported',
      one('unsupported_token_type', 'this token type is not supported', 'urlencoded'),
    ],
    [
      'query string with a leading ?',
      '?error=invalid_scope&error_description=requested+scope+is+invalid%2C+unknown%2C+or+malformed&state=s',
      one('invalid_scope', 'requested scope is invalid, unknown, or malformed', 'urlencoded'),
    ],
    [
      'space-separated error= / error_description= (vendor docs)',
      'error=OAUTH_APP_ACCESS_DENIED error_description=user is not admin approved to access this app',
      one('OAUTH_APP_ACCESS_DENIED', 'user is not admin approved to access this app', 'urlencoded'),
    ],
    [
      'authorize page <pre> body',
      '<html><body><pre>error=invalid_client_id&amp;error_description=client%20identifier%20invalid</pre></body></html>',
      one('invalid_client_id', 'client identifier invalid', 'urlencoded'),
    ],
    [
      'token endpoint JSON',
      '{"error":"invalid_grant","error_description":"expired access/refresh token"}',
      one('invalid_grant', 'expired access/refresh token', 'json'),
    ],
    [
      'JSON inside a log line',
      'POST /services/oauth2/token -> 400 {"error":"invalid_client_id","error_description":"client identifier invalid"} (took 120ms)',
      one('invalid_client_id', 'client identifier invalid', 'json'),
    ],
    [
      'JSONP revoke answer',
      'cb({"error":"invalid_token"})',
      one('invalid_token', undefined, 'json'),
    ],
    [
      'REST error array',
      '[{"message":"This session is not valid for use with the REST API","errorCode":"INVALID_SESSION_ID"}]',
      one('INVALID_SESSION_ID', 'This session is not valid for use with the REST API', 'rest-array'),
    ],
    [
      '"code: description"',
      'invalid_grant: expired authorization code',
      one('invalid_grant', 'expired authorization code', 'code'),
    ],
    [
      '"code:description" (Mobile SDK)',
      'invalid_grant:invalid code verifier',
      one('invalid_grant', 'invalid code verifier', 'code'),
    ],
    [
      '"code::description" (sfdx)',
      'invalid_grant::authentication failure',
      one('invalid_grant', 'authentication failure', 'code'),
    ],
    [
      '"code description"',
      'INVALID_SESSION_ID Session expired or invalid',
      one('INVALID_SESSION_ID', 'Session expired or invalid', 'code'),
    ],
    [
      'page heading "CODE : description"',
      'OAUTH_APPROVAL_ERROR_GENERIC : An unexpected error has occurred during authentication. Please try again.',
      one('OAUTH_APPROVAL_ERROR_GENERIC', 'An unexpected error has occurred during authentication. Please try again.', 'code'),
    ],
    ['lone code', 'invalid_client_id', one('invalid_client_id', undefined, 'code')],
    ['lone code, odd case', 'Bad_OAuth_Token', one('Bad_OAuth_Token', undefined, 'code')],
    [
      'page text, description only',
      'redirect_uri must match configuration',
      one('redirect_uri_mismatch', 'redirect_uri must match configuration', 'page-text'),
    ],
    [
      'page text, another description only',
      'Remote Access Authorization Error: client identifier invalid',
      one('invalid_client_id', 'client identifier invalid', 'page-text'),
    ],
    [
      'page text, several lines',
      'Remote Access Authorization Error\n\nOAUTH_APPROVAL_ERROR_GENERIC : An unexpected error has occurred during\nauthentication. Please try again.',
      one('OAUTH_APPROVAL_ERROR_GENERIC', 'An unexpected error has occurred during authentication. Please try again.', 'page-text'),
    ],
    [
      'code and description inside a sentence',
      'AuthCodeExchangeError: Error authenticating with auth code due to: invalid_grant - expired access/refresh token',
      one('invalid_grant', 'expired access/refresh token', 'page-text'),
    ],
    [
      'a shared description goes to the code that is also present',
      'token call failed: invalid_app_access (user is not admin approved to access this app)',
      one('invalid_app_access', 'user is not admin approved to access this app', 'page-text'),
    ],
    [
      'the longer of two overlapping descriptions wins',
      'Login failed: IP restricted or invalid login hours',
      one('invalid_grant', 'IP restricted or invalid login hours', 'page-text'),
    ],
  ])('%s', (_name, text, expected) => {
    expect(parseErrorText(text)).toEqual(expected);
  });

  it('finds every error in a pasted log, once each', () => {
    const text = [
      'first try: {"error":"invalid_client_id","error_description":"client identifier invalid"}',
      'second try: {"error":"invalid_client_id","error_description":"client identifier invalid"}',
      'third try: {"error":"invalid_grant","error_description":"expired authorization code"}',
    ].join('\n');
    expect(parseErrorText(text)).toEqual([
      { error: 'invalid_client_id', description: 'client identifier invalid', source: 'json' },
      { error: 'invalid_grant', description: 'expired authorization code', source: 'json' },
    ]);
  });

  it('keeps unknown codes and unknown text as they are', () => {
    expect(parseErrorText('SOMETHING_NEW')).toEqual([{ error: 'SOMETHING_NEW', source: 'code' }]);
    expect(parseErrorText('weird_error: it broke')).toEqual([{ error: 'weird_error', description: 'it broke', source: 'code' }]);
    expect(parseErrorText('{"error":"brand_new","error_description":"x"}')).toEqual([
      { error: 'brand_new', description: 'x', source: 'json' },
    ]);
    expect(parseErrorText('the page just says sorry')).toEqual([{ error: 'the page just says sorry', source: 'page-text' }]);
    expect(parseErrorText('   \n ')).toEqual([]);
  });

  it('never returns an authorization code or token from the paste', () => {
    const parsed = parseErrorText('http://localhost:1717/OauthRedirect?code=aPrxSECRETCODE%3D%3D&state=abc');
    expect(JSON.stringify(parsed)).not.toContain('aPrxSECRETCODE');
  });
});

describe('redactSecrets', () => {
  it('masks codes, tokens and secrets in query, JSON and header forms', () => {
    const text = [
      '?code=aPrxABC%3D%3D&state=s',
      'refresh_token=5Aep861abcdef&client_secret=ABCDEF0123',
      '{"access_token":"00Dxx0000001gPL!AR8AQJXg","refresh_token":"5Aep86","error":"invalid_grant"}',
      'Authorization: Bearer 00Dxx0000001gPLAB!AR8AQJXgabcdef',
    ].join('\n');
    const out = redactSecrets(text);
    for (const secret of ['aPrxABC', '5Aep861abcdef', 'ABCDEF0123', 'AR8AQJXg']) expect(out).not.toContain(secret);
    expect(out).toContain('"error":"invalid_grant"');
    expect(out).toContain('state=s');
  });

  it('leaves ordinary words alone', () => {
    const text = 'OAuth Policies → Refresh Token Policy; error_code=x; code_challenge missing';
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('URLs in a paste (explain)', () => {
  it('loneUrl: only a paste that is one URL and nothing else', () => {
    expect(loneUrl('  http://localhost:1717/OauthRedirect?code=x&state=s \n')?.searchParams.get('state')).toBe('s');
    expect(loneUrl('see http://localhost:1717/OauthRedirect')).toBeUndefined();
    expect(loneUrl('invalid_client_id')).toBeUndefined();
  });

  it('hasOAuthError: error or error_description, in the query or the fragment', () => {
    expect(hasOAuthError(new URL('http://localhost/cb?error=access_denied'))).toBe(true);
    expect(hasOAuthError(new URL('http://localhost/cb#error_description=denied'))).toBe(true);
    expect(hasOAuthError(new URL('http://localhost/cb?code=x&state=s'))).toBe(false);
  });

  it('sentRedirectUri: the first http(s) redirect_uri of an http(s) URL in the paste', () => {
    const authorize = 'https://acme.my.salesforce.com/services/oauth2/authorize?response_type=code&redirect_uri=http%3A%2F%2Flocalhost%3A1818%2Fcb';
    expect(sentRedirectUri(`Page: ${authorize}\nerror=redirect_uri_mismatch`)).toBe('http://localhost:1818/cb');
    expect(sentRedirectUri('https://acme.my.salesforce.com/authorize?redirect_uri=myapp%3A%2F%2Fcb')).toBeUndefined();
    expect(sentRedirectUri('no URL here')).toBeUndefined();
  });
});
