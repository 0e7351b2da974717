import { describe, expect, it } from 'vitest';
import { NetworkError } from '../../errors.js';
import { classifyNetworkError, isRetryableFailure, networkErrorFor, serverErrorFor, serverResponseOf } from './network-errors.js';

/** What Node's fetch throws: a TypeError wrapping the real error. */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function coded(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyNetworkError', () => {
  it.each([
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['ECONNREFUSED', 'refused'],
    ['ECONNRESET', 'reset'],
    ['UND_ERR_SOCKET', 'reset'],
    ['CERT_HAS_EXPIRED', 'tls'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'tls'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'timeout'],
    ['UND_ERR_PRX_TLS', 'proxy'],
    ['EHOSTUNREACH', 'other'],
  ])('%s inside "fetch failed" → %s', (code, reason) => {
    expect(classifyNetworkError(fetchFailed(coded(code)))).toMatchObject({ reason, code });
  });

  it('looks several causes deep', () => {
    const deep = fetchFailed(new Error('connect failed', { cause: new Error('tls', { cause: coded('CERT_NOT_YET_VALID') }) }));
    expect(classifyNetworkError(deep)).toEqual({ reason: 'tls', code: 'CERT_NOT_YET_VALID' });
  });

  it('looks inside AggregateError (happy eyeballs tries several addresses)', () => {
    const agg = new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], 'connect failed');
    expect(classifyNetworkError(fetchFailed(agg))).toEqual({ reason: 'refused', code: 'ECONNREFUSED' });
  });

  it('recognises a timeout signal and nock-style bare objects', () => {
    expect(classifyNetworkError(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))).toEqual({
      reason: 'timeout',
      code: 'TimeoutError',
    });
    expect(classifyNetworkError({ code: 'ENOTFOUND' })).toEqual({ reason: 'dns', code: 'ENOTFOUND' });
  });

  it("reads the proxy status from undici's tunnel error", () => {
    const err = fetchFailed(coded('UND_ERR_ABORTED', 'Proxy response (407) !== 200 when HTTP Tunneling'));
    expect(classifyNetworkError(err)).toEqual({ reason: 'proxy', code: 'UND_ERR_ABORTED', proxyStatus: 407 });
  });

  it('calls an uncoded "fetch failed" other, and leaves programming errors alone', () => {
    expect(classifyNetworkError(fetchFailed(new Error('bad port')))).toEqual({ reason: 'other' });
    expect(classifyNetworkError(new TypeError('Invalid URL'))).toBeUndefined();
    expect(classifyNetworkError('nope')).toBeUndefined();
  });

  it('survives a cause cycle', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(classifyNetworkError(a)).toBeUndefined();
  });
});

describe('isRetryableFailure', () => {
  it.each([
    [{ reason: 'dns', code: 'ENOTFOUND' }, false],
    [{ reason: 'dns', code: 'EAI_AGAIN' }, true],
    [{ reason: 'refused' }, true],
    [{ reason: 'reset' }, true],
    [{ reason: 'timeout' }, true],
    [{ reason: 'other' }, true],
    [{ reason: 'tls' }, false],
    [{ reason: 'proxy' }, false],
  ] as const)('%o → %s', (failure, retry) => {
    expect(isRetryableFailure(failure)).toBe(retry);
  });
});

describe('networkErrorFor / serverErrorFor', () => {
  it('names the host and says what to check', () => {
    const cases = [
      [networkErrorFor({ reason: 'dns', code: 'ENOTFOUND' }, 'acme.my.salesforce.com'), /Could not resolve acme\.my\.salesforce\.com \(ENOTFOUND\)\. Check the host name/],
      [networkErrorFor({ reason: 'refused' }, '127.0.0.1:9'), /127\.0\.0\.1:9 refused the connection/],
      [networkErrorFor({ reason: 'reset' }, 'h'), /HTTPS_PROXY/],
      [networkErrorFor({ reason: 'tls', code: 'SELF_SIGNED_CERT_IN_CHAIN' }, 'h'), /NODE_EXTRA_CA_CERTS/],
      [networkErrorFor({ reason: 'timeout' }, 'h', { timeoutMs: 15_000 }), /h did not answer within 15 s/],
      [networkErrorFor({ reason: 'proxy', proxyStatus: 407 }, 'h'), /proxy asked for credentials \(407\)/],
      [networkErrorFor({ reason: 'other' }, 'h'), /The request to h failed/],
      [serverErrorFor('h', 503, 'Service Unavailable', 3), /h answered 503 Service Unavailable after 3 attempts/],
    ] as const;
    for (const [err, message] of cases) {
      expect(err).toBeInstanceOf(NetworkError);
      expect(err.exitCode).toBe(3);
      expect(err.message).toMatch(message);
    }
  });

  it('uses SFOAUTH_TIMEOUT for timeouts and keeps the status of a 5xx', () => {
    expect(networkErrorFor({ reason: 'timeout' }, 'h').code).toBe('SFOAUTH_TIMEOUT');
    expect(serverErrorFor('h', 500, '', 1)).toMatchObject({ reason: 'server', status: 500, code: 'SFOAUTH_NETWORK' });
  });

  it('serverResponseOf gives back the 5xx answer a server error was made from, and nothing for other errors', () => {
    const res = { status: 500, headers: new Headers(), text: '<faultcode>sf:X</faultcode>', url: 'https://h/', json: () => null };
    expect(serverResponseOf(serverErrorFor('h', 500, '', 1, res))).toBe(res);
    expect(serverResponseOf(serverErrorFor('h', 500, '', 1))).toBeUndefined();
    expect(serverResponseOf(networkErrorFor({ reason: 'reset' }, 'h', { cause: res }))).toBeUndefined();
    expect(serverResponseOf(res)).toBeUndefined();
  });

  it('keeps the cause out of enumerable properties', () => {
    const err = networkErrorFor({ reason: 'reset' }, 'h', { cause: coded('ECONNRESET') });
    expect(err.cause).toBeDefined();
    expect(Object.keys(err)).not.toContain('cause');
  });
});
