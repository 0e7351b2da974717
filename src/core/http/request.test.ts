import { createServer } from 'node:net';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { BadResponseError, CancelledError, NetworkError } from '../../errors.js';
import type { Clock, FetchLike } from '../ports.js';
import { createHttpClient, type HttpClientOptions } from './request.js';
import { useStrictNock, rejection } from '../../../test/support/strict-nock.js';

const HOST = 'https://login.example.com';

/** A clock whose sleep returns at once (recording the delay), but still honours an aborted signal. */
function fakeClock(): Clock & { sleeps: number[] } {
  let t = 1_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      t += ms;
    },
  };
}

function client(extra: Partial<HttpClientOptions> = {}) {
  const clock = fakeClock();
  const lines: string[] = [];
  const http = createHttpClient({ fetch: globalThis.fetch, clock, trace: (l) => lines.push(l), ...extra });
  return { http, clock, lines };
}

useStrictNock();

describe('retries', () => {
  it('retries an idempotent GET on 503 with growing, jittered backoff, then succeeds', async () => {
    nock(HOST).get('/services/data/').twice().reply(503, 'down').get('/services/data/').reply(200, '[]');
    const { http, clock } = client();
    const res = await http.request({ method: 'GET', url: `${HOST}/services/data/`, idempotent: true });
    expect(res.status).toBe(200);
    expect(clock.sleeps).toHaveLength(2);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(300);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(360);
    expect(clock.sleeps[1]).toBeGreaterThanOrEqual(600);
    expect(clock.sleeps[1]).toBeLessThanOrEqual(720);
  });

  it('honours a short Retry-After', async () => {
    nock(HOST).get('/x').reply(503, '', { 'retry-after': '2' }).get('/x').reply(200, '{}');
    const { http, clock } = client();
    await http.request({ method: 'GET', url: `${HOST}/x`, idempotent: true });
    expect(clock.sleeps).toEqual([2000]);
  });

  it('throws NetworkError("server") with the status once the retries are used up', async () => {
    nock(HOST).get('/x').times(3).reply(502, '<html>bad gateway</html>');
    const { http, clock } = client();
    const err = await rejection(http.request({ method: 'GET', url: `${HOST}/x`, idempotent: true }));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ reason: 'server', status: 502, host: 'login.example.com', exitCode: 3 });
    expect((err as Error).message).toContain('login.example.com answered 502');
    expect((err as Error).message).toContain('after 3 attempts');
    expect(clock.sleeps).toHaveLength(2);
  });

  it('sends a non-idempotent POST exactly once, even on 500', async () => {
    nock(HOST).post('/services/oauth2/token').once().reply(500, 'oops');
    const { http, clock } = client();
    const err = await rejection(
      http.request({ method: 'POST', url: `${HOST}/services/oauth2/token`, form: { grant_type: 'authorization_code' }, idempotent: false }),
    );
    expect(err).toMatchObject({ reason: 'server', status: 500 });
    expect(clock.sleeps).toEqual([]);
  });

  it('does not retry a 4xx, and returns it', async () => {
    nock(HOST).get('/x').once().reply(429, '[]').get('/y').once().reply(400, '{"error":"invalid_grant"}');
    const { http, clock } = client();
    expect((await http.request({ method: 'GET', url: `${HOST}/x`, idempotent: true })).status).toBe(429);
    const res = await http.request({ method: 'GET', url: `${HOST}/y`, idempotent: true });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_grant' });
    expect(clock.sleeps).toEqual([]);
  });

  it('retries a reset connection for an idempotent request', async () => {
    nock(HOST).get('/x').replyWithError({ code: 'ECONNRESET', message: 'read ECONNRESET' }).get('/x').reply(200, 'ok');
    const { http, clock } = client();
    expect((await http.request({ method: 'GET', url: `${HOST}/x`, idempotent: true })).text).toBe('ok');
    expect(clock.sleeps).toHaveLength(1);
  });

  it('does not retry a network failure when not idempotent', async () => {
    nock(HOST).post('/t').once().replyWithError({ code: 'ECONNRESET' });
    const { http } = client();
    const err = await rejection(http.request({ method: 'POST', url: `${HOST}/t`, form: {}, idempotent: false }));
    expect(err).toMatchObject({ reason: 'reset' });
  });

  it('retries a timeout for an idempotent request', async () => {
    nock(HOST).get('/slow').delay(300).reply(200, 'late').get('/slow').reply(200, 'ok');
    const { http } = client({ timeoutMs: 30 });
    expect((await http.request({ method: 'GET', url: `${HOST}/slow`, idempotent: true })).text).toBe('ok');
  });
});

describe('network failures', () => {
  it('ENOTFOUND → NetworkError("dns"), not retried (a wrong host name does not fix itself)', async () => {
    nock('https://nope.my.salesforce.com').get('/services/data/').once().replyWithError({ code: 'ENOTFOUND' });
    const { http, clock } = client();
    const err = await rejection(http.request({ method: 'GET', url: 'https://nope.my.salesforce.com/services/data/', idempotent: true }));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ reason: 'dns', host: 'nope.my.salesforce.com', code: 'SFOAUTH_NETWORK' });
    expect((err as Error).message).toContain('Could not resolve nope.my.salesforce.com');
    expect(clock.sleeps).toEqual([]);
  });

  it('EAI_AGAIN is transient and retried', async () => {
    nock(HOST).get('/x').replyWithError({ code: 'EAI_AGAIN' }).get('/x').reply(200, 'ok');
    const { http } = client();
    expect((await http.request({ method: 'GET', url: `${HOST}/x`, idempotent: true })).status).toBe(200);
  });

  it('ECONNREFUSED → NetworkError("refused") after the retries', async () => {
    nock(HOST).get('/x').times(3).replyWithError({ code: 'ECONNREFUSED' });
    const { http, clock } = client();
    const err = await rejection(http.request({ method: 'GET', url: `${HOST}/x`, idempotent: true }));
    expect(err).toMatchObject({ reason: 'refused', host: 'login.example.com' });
    expect(clock.sleeps).toHaveLength(2);
  });

  it('a real refused connection (fetch failed → cause ECONNREFUSED) is recognised too', async () => {
    nock.enableNetConnect('127.0.0.1');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const { http } = client({ retries: 0 });
    const err = await rejection(http.request({ method: 'GET', url: `http://127.0.0.1:${port}/`, idempotent: true }));
    expect(err).toMatchObject({ reason: 'refused', host: `127.0.0.1:${port}` });
    nock.disableNetConnect();
  });

  it('TLS failures say what to check behind a corporate proxy', async () => {
    nock(HOST).get('/x').once().replyWithError({ code: 'SELF_SIGNED_CERT_IN_CHAIN', message: 'self-signed certificate in certificate chain' });
    const { http } = client();
    const err = await rejection(http.request({ method: 'GET', url: `${HOST}/x`, idempotent: true }));
    expect(err).toMatchObject({ reason: 'tls' });
    expect((err as Error).message).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('a response slower than timeoutMs → NetworkError("timeout") with SFOAUTH_TIMEOUT', async () => {
    nock(HOST).post('/services/oauth2/token').delay(500).reply(200, '{}');
    const { http } = client();
    const err = await rejection(
      http.request({ method: 'POST', url: `${HOST}/services/oauth2/token`, form: {}, idempotent: false, timeoutMs: 25 }),
    );
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ reason: 'timeout', code: 'SFOAUTH_TIMEOUT', exitCode: 3 });
    expect((err as Error).message).toContain('did not answer within 25 ms');
  });

  it('a proxy asking for credentials (407) → NetworkError("proxy")', async () => {
    nock(HOST).get('/x').once().reply(407, 'Proxy Authentication Required');
    const { http } = client();
    const err = await rejection(http.request({ method: 'GET', url: `${HOST}/x`, idempotent: true }));
    expect(err).toMatchObject({ reason: 'proxy' });
    expect((err as Error).message).toContain('HTTPS_PROXY');
  });

  it('rethrows errors that are not network failures untouched', async () => {
    const bug = new RangeError('a bug');
    const fetch: FetchLike = () => Promise.reject(bug);
    const http = createHttpClient({ fetch, clock: fakeClock() });
    expect(await rejection(http.request({ method: 'GET', url: `${HOST}/x`, idempotent: true }))).toBe(bug);
  });
});

describe('cancellation', () => {
  it('rethrows the caller signal reason when it aborts mid-request', async () => {
    nock(HOST).get('/slow').delay(1000).reply(200, 'late');
    const controller = new AbortController();
    const { http } = client({ signal: controller.signal });
    const reason = new CancelledError();
    setTimeout(() => controller.abort(reason), 20);
    expect(await rejection(http.request({ method: 'GET', url: `${HOST}/slow`, idempotent: true }))).toBe(reason);
  });

  it('rethrows the reason when the abort comes during the backoff wait', async () => {
    nock(HOST).get('/x').once().reply(503, '');
    const controller = new AbortController();
    const reason = new CancelledError();
    const clock: Clock = {
      now: () => 0,
      sleep: (_ms, signal) => {
        controller.abort(reason);
        return Promise.reject(signal?.reason);
      },
    };
    const http = createHttpClient({ fetch: globalThis.fetch, clock, signal: controller.signal });
    expect(await rejection(http.request({ method: 'GET', url: `${HOST}/x`, idempotent: true }))).toBe(reason);
  });

  it('does not send anything when the signal is already aborted', async () => {
    const controller = new AbortController();
    const reason = new CancelledError();
    controller.abort(reason);
    const { http } = client({ signal: controller.signal });
    expect(await rejection(http.request({ method: 'GET', url: `${HOST}/x`, idempotent: true }))).toBe(reason);
  });
});

describe('requests and responses', () => {
  it('sends forms urlencoded, drops undefined fields, asks for JSON', async () => {
    nock(HOST, { reqheaders: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' } })
      .post('/t', 'grant_type=refresh_token&refresh_token=a+b%2Fc%3D')
      .reply(200, '{"ok":true}', { 'content-type': 'application/json' });
    const { http } = client();
    const res = await http.request({
      method: 'POST',
      url: `${HOST}/t`,
      form: { grant_type: 'refresh_token', refresh_token: 'a b/c=', client_secret: undefined },
      idempotent: false,
    });
    expect(res.json()).toEqual({ ok: true });
    expect(res.headers.get('content-type')).toBe('application/json');
  });

  it('returns a redirected POST as the 3xx instead of following it as a GET', async () => {
    nock(HOST).post('/services/oauth2/token').reply(302, '', { location: 'https://elsewhere.example.com/login' });
    const { http } = client();
    const res = await http.request({ method: 'POST', url: `${HOST}/services/oauth2/token`, form: {}, idempotent: false });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://elsewhere.example.com/login');
  });

  it("returns a GET's redirect when asked to (redirect: 'manual')", async () => {
    nock(HOST).get('/services/oauth2/authorize').query(true).reply(302, '', { location: 'https://login.example.com/login' });
    const { http } = client();
    const res = await http.request({ method: 'GET', url: `${HOST}/services/oauth2/authorize?client_id=x`, idempotent: true, redirect: 'manual' });
    expect(res.status).toBe(302);
  });

  it('json() throws BadResponseError for an HTML body, naming the host', async () => {
    nock(HOST).get('/x').reply(200, '<html><title>Login</title></html>', { 'content-type': 'text/html' });
    const { http } = client();
    const res = await http.request({ method: 'GET', url: `${HOST}/x`, idempotent: true });
    expect(() => res.json()).toThrow(BadResponseError);
    expect(() => res.json()).toThrow('login.example.com answered 200 with an HTML page where JSON was expected.');
  });
});

describe('trace', () => {
  const secrets = {
    code: 'aPrxGfV7SecretCode==',
    client_secret: 'B1E8F2C2A9D44C3AABCDEF0123456789',
    code_verifier: 'verifier-very-secret-0123456789-abcdefghijklmnop',
    access_token: '00D5i00000CIhxb!ARsecretAccessTokenValue',
    refresh_token: '5Aep861TSESvWeug_secretRefreshToken',
    id_token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln',
    signature: 'L9dAAP0spmigt5nJcwrU2C1nu2iMV37hBFXAXIMZrg8=',
  };

  it('shows method, URL, status, time, and bodies with every secret redacted', async () => {
    nock(HOST)
      .post('/services/oauth2/token')
      .reply(
        200,
        JSON.stringify({
          access_token: secrets.access_token,
          refresh_token: secrets.refresh_token,
          id_token: secrets.id_token,
          signature: secrets.signature,
          instance_url: 'https://acme.my.salesforce.com',
          token_type: 'Bearer',
        }),
        { 'content-type': 'application/json;charset=UTF-8' },
      );
    const { http, lines } = client();
    await http.request({
      method: 'POST',
      url: `${HOST}/services/oauth2/token`,
      idempotent: false,
      form: {
        grant_type: 'authorization_code',
        code: secrets.code,
        client_id: '3MVG9publicClientId',
        client_secret: secrets.client_secret,
        redirect_uri: 'http://localhost:1717/OauthRedirect',
        code_verifier: secrets.code_verifier,
      },
    });
    const trace = lines.join('\n');
    expect(lines).toHaveLength(2);
    for (const secret of Object.values(secrets)) expect(trace).not.toContain(secret);
    expect(lines[0]).toMatch(/^> POST https:\/\/login\.example\.com\/services\/oauth2\/token form: /);
    expect(lines[0]).toContain('grant_type=authorization_code');
    expect(lines[0]).toContain('client_id=3MVG9publicClientId');
    expect(lines[0]).toContain('redirect_uri=http%3A%2F%2Flocalhost%3A1717%2FOauthRedirect');
    expect(lines[0]).toContain('code=[redacted]');
    expect(lines[0]).toContain('client_secret=[redacted]');
    expect(lines[1]).toMatch(/^< 200 POST https:\/\/login\.example\.com\/services\/oauth2\/token \d+ ms /);
    expect(lines[1]).toContain('"access_token":"[redacted]"');
    expect(lines[1]).toContain('"instance_url":"https://acme.my.salesforce.com"');
  });

  it('redacts secrets in the query string, the Authorization header and non-JSON bodies', async () => {
    nock(HOST)
      .get('/services/oauth2/userinfo')
      .query(true)
      .reply(403, `Bad_OAuth_Token ${secrets.access_token}`, { 'content-type': 'text/plain' });
    const { http, lines } = client();
    await http.request({
      method: 'GET',
      url: `${HOST}/services/oauth2/userinfo?oauth_token=${encodeURIComponent(secrets.access_token)}&format=json`,
      headers: { Authorization: `Bearer ${secrets.access_token}` },
      idempotent: true,
    });
    const trace = lines.join('\n');
    expect(trace).not.toContain(secrets.access_token);
    expect(trace).not.toContain(encodeURIComponent(secrets.access_token));
    expect(lines[0]).toContain('?oauth_token=[redacted]&format=json');
    expect(lines[0]).toContain('authorization: Bearer [redacted]');
    expect(lines[1]).toContain('< 403 GET');
    expect(lines[1]).toContain('Bad_OAuth_Token [redacted]');
  });

  it('traces retries and failures', async () => {
    nock(HOST).get('/x').reply(503, '').get('/x').replyWithError({ code: 'ENOTFOUND' });
    const { http, lines } = client();
    await rejection(http.request({ method: 'GET', url: `${HOST}/x`, idempotent: true }));
    expect(lines[1]).toMatch(/^< 503 GET https:\/\/login\.example\.com\/x \d+ ms$/);
    expect(lines[2]).toMatch(/^! 503 from login\.example\.com; retrying in \d+ ms \(attempt 2 of 3\)$/);
    expect(lines[4]).toMatch(/^< ERROR GET https:\/\/login\.example\.com\/x \d+ ms: dns \(ENOTFOUND\)$/);
  });
});
