import { createServer, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AuthorizationDeniedError,
  BadResponseError,
  CallbackTimeoutError,
  CancelledError,
  PortInUseError,
  UsageError,
} from '../errors.js';
import { escapeHtml } from '../core/oauth/callback-pages.js';
import { startCallbackServer, type CallbackServer, type CallbackServerOptions } from './callback-server.js';
import { rejection } from '../../test/support/strict-nock.js';

const STATE = 'S7tAte-0123456789abcdefghijklmnopqrstuvwxy';
const CODE = 'aPrx4sgoM2Nd1zWeFVlOWveD0HhYmiDiLmlLnXEBgX01tpVOQMWVSUuafFPHu3kCSjzk4CUTZg==';

const started: CallbackServer[] = [];
const held: Server[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
  await Promise.all(held.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function start(overrides: Partial<CallbackServerOptions> = {}): Promise<CallbackServer> {
  const server = await startCallbackServer({
    callbackUrl: new URL('http://127.0.0.1:1717/OauthRedirect'),
    expectedState: STATE,
    timeoutMs: 10_000,
    port: 0,
    ...overrides,
  });
  started.push(server);
  return server;
}

/** GET `pathAndQuery` on the server's origin; returns status, headers and body. */
async function get(server: CallbackServer, pathAndQuery: string, init: RequestInit = {}) {
  const res = await fetch(new URL(pathAndQuery, server.url.origin), init);
  return { status: res.status, headers: res.headers, body: await res.text() };
}

function callbackQuery(params: Record<string, string>): string {
  return `/OauthRedirect?${new URLSearchParams(params).toString()}`;
}

/** Whether `p` has settled yet (checked after the event loop had a turn). */
async function isSettled(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  p.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 20));
  return settled;
}

const ipv6Loopback = await new Promise<boolean>((resolve) => {
  const probe = createServer();
  probe.once('error', () => resolve(false));
  probe.listen({ port: 0, host: '::1' }, () => probe.close(() => resolve(true)));
});

describe('startCallbackServer: the good callback', () => {
  it('resolves with the code, shows a success page without the code or state, and sets safe headers', async () => {
    const server = await start();
    expect(server.url.href).toBe(`http://127.0.0.1:${server.url.port}/OauthRedirect`);
    expect(Number(server.url.port)).toBeGreaterThan(0);

    const res = await get(server, callbackQuery({ code: CODE, state: STATE }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('connection')).toBe('close');
    expect(res.body).toContain('sfoauth received the authorization; you can close this tab and return to the terminal');
    expect(res.body).not.toContain(CODE);
    expect(res.body).not.toContain(encodeURIComponent(CODE));
    expect(res.body).not.toContain(STATE);

    const callback = await server.result;
    expect(callback.code).toBe(CODE);
    expect(callback.via).toBe('callback');
  });

  it('is closed after the good callback: a second request cannot connect', async () => {
    const server = await start();
    await get(server, callbackQuery({ code: CODE, state: STATE }));
    await server.result;
    await expect(fetch(new URL(callbackQuery({ code: CODE, state: STATE }), server.url.origin))).rejects.toThrow();
  });

  it('decodes + and %20 in the query like a browser sends them', async () => {
    const server = await start();
    await get(server, `/OauthRedirect?code=abc%2Bdef%3D%3D&state=${STATE}`);
    expect((await server.result).code).toBe('abc+def==');
  });
});

describe('startCallbackServer: stray requests', () => {
  it('answers other paths with 404 and other methods with 405 without ending the flow', async () => {
    const server = await start();
    for (const path of ['/favicon.ico', '/', '/OauthRedirect/', '/oauthredirect', '/OauthRedirectX', '/x/OauthRedirect']) {
      const res = await get(server, `${path}?code=${CODE}&state=${STATE}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toContain('Return to the terminal');
      expect(res.body).not.toContain(CODE);
    }
    const post = await get(server, callbackQuery({ code: CODE, state: STATE }), { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    expect(await isSettled(server.result)).toBe(false);

    await get(server, callbackQuery({ code: CODE, state: STATE }));
    expect((await server.result).code).toBe(CODE);
  });

  it('a flood of stray callbacks prints one line, then a count at 10 and 100, not one line each', async () => {
    const onWarning = vi.fn();
    const server = await start({ onWarning });
    for (let i = 0; i < 120; i++) expect((await get(server, callbackQuery({ code: 'x', state: `stray-${i}` }))).status).toBe(400);
    expect(onWarning.mock.calls.map((c) => c[0])).toEqual([
      expect.stringMatching(/^Ignored a callback with a wrong or missing state/),
      expect.stringMatching(/^Ignored 10 callbacks/),
      expect.stringMatching(/^Ignored 100 callbacks/),
    ]);
    expect(await isSettled(server.result)).toBe(false);
    await get(server, callbackQuery({ code: CODE, state: STATE }));
    expect((await server.result).code).toBe(CODE);
  });

  it('answers a wrong or missing state with 400, warns, keeps waiting, and a good callback still wins', async () => {
    const onWarning = vi.fn();
    const server = await start({ onWarning });
    const attempts = [
      callbackQuery({ code: 'forged-code', state: 'not-the-state' }),
      callbackQuery({ code: 'forged-code' }),
      callbackQuery({ error: 'access_denied', error_description: 'end-user denied authorization', state: 'not-the-state' }),
      // An error without any state: any web page could send the browser here, so it must not end the flow.
      callbackQuery({ error: 'access_denied', error_description: 'end-user denied authorization' }),
    ];
    for (const attempt of attempts) {
      const res = await get(server, attempt);
      expect(res.status, attempt).toBe(400);
      expect(res.body).toContain('still waiting');
      expect(res.body).not.toContain('forged-code');
      expect(res.body).not.toContain('access_denied');
    }
    // One line the first time; later strays are only counted (see the flood test below).
    expect(onWarning).toHaveBeenCalledTimes(1);
    expect(onWarning.mock.calls[0]?.[0]).toMatch(/^Ignored a callback with a wrong or missing state/);
    expect(await isSettled(server.result)).toBe(false);

    await get(server, callbackQuery({ code: CODE, state: STATE }));
    expect((await server.result).code).toBe(CODE);
  });

  it('rejects a callback with the right state but no code (BadResponseError) and shows a failure page', async () => {
    const server = await start();
    const res = await get(server, callbackQuery({ state: STATE }));
    expect(res.status).toBe(400);
    expect(res.body).toContain('Return to the terminal');
    expect(res.body).not.toContain(STATE);
    expect(await rejection(server.result)).toBeInstanceOf(BadResponseError);
  });
});

describe('startCallbackServer: Salesforce errors redirected to the callback (docs/salesforce.md §5)', () => {
  it('rejects ?error=access_denied with the right state as AuthorizationDeniedError and closes', async () => {
    const server = await start();
    const res = await get(server, '/OauthRedirect?error=access_denied&error_description=end-user+denied+authorization&state=' + STATE);
    expect(res.status).toBe(200);
    expect(res.body).toContain('access_denied');
    expect(res.body).toContain('end-user denied authorization');
    expect(res.body).toContain('Return to the terminal');
    expect(res.body).not.toContain(STATE);
    const err = await rejection(server.result);
    expect(err).toBeInstanceOf(AuthorizationDeniedError);
    expect(err).toMatchObject({ error: 'access_denied', errorDescription: 'end-user denied authorization', exitCode: 1 });
    await expect(fetch(new URL('/OauthRedirect', server.url.origin))).rejects.toThrow();
  });

  const redirected: [string, string][] = [
    ['access_denied', 'end-user denied authorization'],
    ['invalid_request', 'missing required code challenge'],
    ['invalid_scope', 'requested scope is invalid, unknown, or malformed'],
    ['OAUTH_APP_BLOCKED', 'this app is blocked by admin'],
    ['OAUTH_APP_ACCESS_DENIED', 'user is not admin approved to access this app'],
    ['OAUTH_EC_APP_NOT_FOUND', 'External client app is not installed in this org'],
    ['immediate_unsuccessful', 'immediate unsuccessful'],
    ['unsupported_response_type', 'response type not supported'],
  ];
  it.each(redirected)('passes %s through with its description', async (error, description) => {
    const server = await start();
    // Salesforce sends spaces as + in some cases (missing+required+code+challenge): URLSearchParams does too.
    const res = await get(server, callbackQuery({ error, error_description: description, state: STATE }));
    expect(res.body).toContain(escapeHtml(error));
    expect(res.body).toContain(escapeHtml(description));
    expect(await rejection(server.result)).toMatchObject({ error, errorDescription: description });
  });

  it('escapes Salesforce text echoed on the page', async () => {
    const server = await start();
    const res = await get(
      server,
      callbackQuery({ error: '<b>x</b>', error_description: '<script>alert("hi")</script> & \'more\'', state: STATE }),
    );
    expect(res.body).not.toContain('<script>');
    expect(res.body).not.toContain('<b>x</b>');
    expect(res.body).toContain('&#60;script&#62;alert(&#34;hi&#34;)&#60;/script&#62; &#38; &#39;more&#39;');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    await rejection(server.result);
  });
});

describe('startCallbackServer: timeout, abort, close', () => {
  it('rejects with CallbackTimeoutError naming the wait and the usual causes, then closes', async () => {
    const server = await start({ timeoutMs: 200 });
    const err = await rejection(server.result);
    expect(err).toBeInstanceOf(CallbackTimeoutError);
    const timeout = err as CallbackTimeoutError;
    expect(timeout.message).toBe(`No callback arrived at ${server.url.href} within 0.2 seconds.`);
    expect(timeout.hint).toContain('invalid_client_id');
    expect(timeout.hint).toContain('redirect_uri_mismatch');
    expect(timeout.hint).toContain('sfoauth explain');
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it('says "300 seconds" for the default wait', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const server = await start({ timeoutMs: 300_000 });
      vi.advanceTimersByTime(300_000);
      expect(await rejection(server.result)).toMatchObject({ message: expect.stringContaining('within 300 seconds.') });
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects with the signal reason on abort (Ctrl-C) and closes', async () => {
    const controller = new AbortController();
    const server = await start({ signal: controller.signal });
    const reason = new CancelledError();
    controller.abort(reason);
    expect(await rejection(server.result)).toBe(reason);
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it('does not start when the signal is already aborted', async () => {
    const reason = new CancelledError();
    await expect(start({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('close() is idempotent and settles a pending result with CancelledError', async () => {
    const server = await start();
    await Promise.all([server.close(), server.close()]);
    await server.close();
    expect(await rejection(server.result)).toBeInstanceOf(CancelledError);
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it('never causes an unhandled rejection when nobody awaits result', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const server = await start({ timeoutMs: 20 });
      void server; // result deliberately not awaited, as when a pasted URL wins the race
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});

describe('startCallbackServer: addresses and ports', () => {
  it('binds 127.0.0.1 only for a 127.0.0.1 callback, and is not reachable on other interfaces', async () => {
    const server = await start();
    expect(server.addresses).toEqual(['127.0.0.1']);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i !== undefined && !i.internal && i.family === 'IPv4');
    if (external !== undefined) {
      await expect(fetch(`http://${external.address}:${server.url.port}/OauthRedirect`)).rejects.toThrow();
    }
  });

  it.runIf(ipv6Loopback)('binds both 127.0.0.1 and ::1 for localhost, on the same port, and both answer', async () => {
    const server = await start({ callbackUrl: new URL('http://localhost:1717/OauthRedirect') });
    expect(server.addresses).toEqual(['127.0.0.1', '::1']);
    expect(server.url.hostname).toBe('localhost');
    const port = server.url.port;
    expect((await fetch(`http://127.0.0.1:${port}/favicon.ico`)).status).toBe(404);
    const res = await fetch(`http://[::1]:${port}${callbackQuery({ code: CODE, state: STATE })}`);
    expect(res.status).toBe(200);
    expect((await server.result).code).toBe(CODE);
  });

  it.runIf(ipv6Loopback)('binds ::1 only for an [::1] callback', async () => {
    const server = await start({ callbackUrl: new URL('http://[::1]:1717/OauthRedirect') });
    expect(server.addresses).toEqual(['::1']);
    expect(server.url.href).toBe(`http://[::1]:${server.url.port}/OauthRedirect`);
  });

  it('listens on the port of the callback URL when no override is given', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen({ port: 0, host: '127.0.0.1' }, resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const server = await start({ callbackUrl: new URL(`http://127.0.0.1:${port}/cb`), port: undefined });
    expect(server.url.href).toBe(`http://127.0.0.1:${port}/cb`);
  });

  it('throws PortInUseError naming the holder and the fix when the port is taken', async () => {
    const holder = createServer();
    held.push(holder);
    await new Promise<void>((resolve) => holder.listen({ port: 0, host: '127.0.0.1' }, resolve));
    const { port } = holder.address() as { port: number };
    const err = await rejection(start({ callbackUrl: new URL(`http://localhost:${port}/OauthRedirect`), port: undefined }));
    expect(err).toBeInstanceOf(PortInUseError);
    const portErr = err as PortInUseError;
    expect(portErr.port).toBe(port);
    expect(portErr.exitCode).toBe(2);
    expect(portErr.hint).toContain(`--callback-url http://localhost:${port + 1}/OauthRedirect`);
    if (process.platform === 'linux') expect(portErr.message).toContain(`in use by node (pid ${process.pid})`);
    // Nothing was left listening on ::1 by the failed attempt.
    if (ipv6Loopback) {
      const again = createServer();
      held.push(again);
      await new Promise<void>((resolve, reject) => {
        again.once('error', reject);
        again.listen({ port, host: '::1' }, resolve);
      });
    }
  });

  it.runIf(ipv6Loopback)('releases 127.0.0.1 again when ::1 turns out to be taken', async () => {
    const holder = createServer();
    held.push(holder);
    await new Promise<void>((resolve) => holder.listen({ port: 0, host: '::1' }, resolve));
    const { port } = holder.address() as { port: number };
    const err = await rejection(start({ callbackUrl: new URL(`http://localhost:${port}/OauthRedirect`), port: undefined }));
    expect(err).toBeInstanceOf(PortInUseError);
    expect((err as PortInUseError).message).toContain(`port ${port} on ::1`);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it('refuses a callback URL that is not loopback http', async () => {
    await expect(start({ callbackUrl: new URL('https://localhost:1717/OauthRedirect') })).rejects.toBeInstanceOf(UsageError);
    await expect(start({ callbackUrl: new URL('http://0.0.0.0:1717/OauthRedirect') })).rejects.toBeInstanceOf(UsageError);
    await expect(start({ callbackUrl: new URL('http://example.com/OauthRedirect') })).rejects.toBeInstanceOf(UsageError);
  });
});
