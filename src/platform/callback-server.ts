/**
 * The local server Salesforce redirects the browser to at the end of the authorization-code flow.
 * Loopback only (127.0.0.1, plus ::1 for `localhost`), on the registered port and exact path. Stray
 * requests and wrong-state callbacks are answered and ignored; the first good callback (or a Salesforce
 * `?error=` carrying our state) settles `result`, and the server shuts down. So do the timeout and the
 * abort signal (Ctrl-C).
 * @see RFC 6749 §4.1.2 (authorization response) and RFC 8252 §7.3 (loopback redirection)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { AuthorizationDeniedError, CallbackTimeoutError, CancelledError, StateMismatchError, UsageError } from '../errors.js';
import { explainListenError, isAddressUnavailable, listen } from './port.js';
import { validateCallback, type ValidatedCallback } from '../core/oauth/callback.js';
import {
  authorizationErrorPage,
  badCallbackPage,
  finishedPage,
  methodNotAllowedPage,
  notFoundPage,
  stateMismatchPage,
  successPage,
} from '../core/oauth/callback-pages.js';
import { bindAddressesFor } from '../core/oauth/callback-url.js';

export interface CallbackServerOptions {
  /** The registered callback URL (loopback http); its host picks the addresses, its path is matched exactly. */
  callbackUrl: URL;
  expectedState: string;
  timeoutMs: number;
  /** Aborting rejects `result` with the signal's reason (CancelledError on Ctrl-C) and shuts down. */
  signal?: AbortSignal;
  /** Ignored callbacks (wrong or missing state) are reported here. */
  onWarning?: (message: string) => void;
  /** Overrides the URL's port (tests: 0 = any free port, the same one on every address). */
  port?: number;
}

export interface CallbackServer {
  /** The callback URL with the port actually bound. */
  readonly url: URL;
  /** The loopback addresses actually listening, e.g. ['127.0.0.1', '::1'] for localhost. */
  readonly addresses: readonly string[];
  /** Settles once: the validated callback, or AuthorizationDeniedError / CallbackTimeoutError / the abort reason. */
  readonly result: Promise<ValidatedCallback>;
  /**
   * Stops listening and drops every connection; safe to call any number of times. Called before a
   * callback arrived, it rejects `result` with CancelledError (nobody is expected to await it then).
   */
  close(): Promise<void>;
}

/** Headers on every answer: the URL held the code, so nothing is cached and no Referer leaves the page. */
const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  Connection: 'close',
} as const;

/** With port 0 and two addresses, the port picked on the first may be taken on the second: retry. */
const ANY_PORT_ATTEMPTS = 5;

type Outcome = { ok: ValidatedCallback } | { error: unknown };

export async function startCallbackServer(opts: CallbackServerOptions): Promise<CallbackServer> {
  opts.signal?.throwIfAborted();
  if (opts.callbackUrl.protocol !== 'http:') {
    throw new UsageError(`The callback server speaks plain http on this machine, not ${opts.callbackUrl.protocol}//.`, {
      hint: 'Pass a loopback http callback URL, e.g. --callback-url http://localhost:1717/OauthRedirect.',
    });
  }
  const addresses = bindAddressesFor(opts.callbackUrl.hostname);
  const callbackPath = opts.callbackUrl.pathname;

  let settle: (outcome: Outcome) => void = () => undefined;
  const result = new Promise<ValidatedCallback>((resolve, reject) => {
    settle = (outcome) => ('ok' in outcome ? resolve(outcome.ok) : reject(outcome.error));
  });
  // The caller may race `result` against a pasted URL and never await it: never an unhandled rejection.
  result.catch(() => undefined);

  // All state exists before the first listen: a request can arrive before the last address is bound.
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  let decided = false; // a terminal callback, the timeout or the abort has happened
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closing: Promise<void> | undefined;

  const shutdown = (): Promise<void> => {
    closing ??= Promise.all(servers.map(closeServer)).then(() => undefined);
    for (const socket of sockets) socket.destroy();
    return closing;
  };
  // Closed by the caller first (e.g. a pasted URL won): settle too, so the timer cannot keep the process alive.
  const close = (): Promise<void> => {
    decide({ error: new CancelledError('The callback server was closed before a callback arrived.') });
    return shutdown();
  };
  const onAbort = () => decide({ error: opts.signal?.reason });
  /** The first outcome wins; the rest are ignored. */
  const decide = (outcome: Outcome, afterResponse?: ServerResponse) => {
    if (decided) return;
    decided = true;
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    if (afterResponse === undefined) {
      settle(outcome);
      void shutdown();
      return;
    }
    // Stop accepting now, let the page reach the browser, then settle and drop every connection.
    for (const server of servers) server.close();
    afterResponse.once('close', () => {
      settle(outcome);
      void shutdown();
    });
  };

  // One line for the first stray callback, then only a count at 10, 100, 1000…: a page (or a script)
  // hammering the port must not scroll the authorize URL and the paste prompt away.
  let strays = 0;
  const reportStray = (): void => {
    strays++;
    if (strays === 1) {
      opts.onWarning?.('Ignored a callback with a wrong or missing state (an old browser tab or another login); still waiting for the right one.');
    } else if (/^10+$/.test(String(strays))) {
      opts.onWarning?.(`Ignored ${strays} callbacks with a wrong or missing state so far; still waiting for the right one.`);
    }
  };

  const handleRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    const path = queryAt === -1 ? target : target.slice(0, queryAt);
    if (path !== callbackPath) return answer(res, 404, notFoundPage());
    if (req.method !== 'GET') return answer(res, 405, methodNotAllowedPage(), { Allow: 'GET' });
    if (decided) return answer(res, 409, finishedPage());

    const params = new URLSearchParams(queryAt === -1 ? '' : target.slice(queryAt + 1));
    let callback: ValidatedCallback;
    try {
      callback = validateCallback(params, opts.expectedState);
    } catch (err) {
      // An `?error=` without any state may be a pasted Salesforce page for validateCallback, but here it
      // could come from any web page steering the browser to localhost: it must not end the flow.
      const unsignedError = err instanceof AuthorizationDeniedError && !params.has('state');
      if (err instanceof StateMismatchError || unsignedError) {
        reportStray();
        return answer(res, 400, stateMismatchPage());
      }
      decide({ error: err }, res);
      if (err instanceof AuthorizationDeniedError) return answer(res, 200, authorizationErrorPage(err.error, err.errorDescription));
      return answer(res, 400, badCallbackPage());
    }
    decide({ ok: callback }, res);
    answer(res, 200, successPage());
  };

  const makeServer = (): Server => {
    const server = createServer(handleRequest);
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    return server;
  };
  const port = await listenAll(servers, addresses, opts.port ?? portOf(opts.callbackUrl), makeServer, opts.callbackUrl);

  const url = new URL(opts.callbackUrl.href);
  url.port = String(port);
  const bound = servers.flatMap((server) => {
    const address = server.address();
    return address !== null && typeof address === 'object' ? [address.address] : [];
  });

  // A callback may already have ended the flow while the last address was being bound.
  if (!decided) {
    timer = setTimeout(() => decide({ error: timeoutError(url, opts.timeoutMs) }), opts.timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) onAbort(); // aborted while we were binding
  }
  return { url, addresses: bound, result, close };
}

/** Nothing came back: almost always Salesforce stopped on its own error page instead of redirecting. */
function timeoutError(url: URL, timeoutMs: number): CallbackTimeoutError {
  return new CallbackTimeoutError(`No callback arrived at ${url.href} within ${formatSeconds(timeoutMs)}.`, {
    hint:
      'Usually Salesforce showed an error page instead of redirecting back: invalid_client_id (a new app can take up to ' +
      '10 minutes to propagate, or the Consumer Key is wrong) or redirect_uri_mismatch (the Callback URL registered on ' +
      `the app is not exactly ${url.href}). Paste that page's text into \`sfoauth explain\` for the fix, ` +
      'or run again with a longer --timeout.',
  });
}

function answer(res: ServerResponse, status: number, html: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...PAGE_HEADERS, ...extra, 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
}

function formatSeconds(ms: number): string {
  const seconds = ms % 1000 === 0 ? String(ms / 1000) : (ms / 1000).toFixed(1);
  return `${seconds} second${seconds === '1' ? '' : 's'}`;
}

function portOf(url: URL): number {
  return url.port === '' ? 80 : Number(url.port);
}

function closeServer(server: Server): Promise<void> {
  // close() on a server that already stopped calls back with ERR_SERVER_NOT_RUNNING: closed either way.
  return new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * Binds one http.Server per address, all on the same port, pushing them into `servers`; returns the
 * port. An address the machine lacks (::1 without IPv6) is skipped as long as another one binds; a
 * taken port becomes PortInUseError naming the holder.
 */
async function listenAll(
  servers: Server[],
  addresses: string[],
  requestedPort: number,
  makeServer: () => Server,
  callbackUrl: URL,
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    let port = requestedPort;
    let failure: { err: unknown; address: string } | undefined;
    let unavailable: { err: unknown; address: string } | undefined;
    for (const address of addresses) {
      const server = makeServer();
      try {
        await listen(server, port, address);
      } catch (err) {
        if (isAddressUnavailable(err)) {
          unavailable = { err, address };
          continue;
        }
        failure = { err, address };
        break;
      }
      servers.push(server);
      const bound = server.address();
      if (port === 0 && bound !== null && typeof bound === 'object') port = bound.port;
    }
    if (failure === undefined && servers.length > 0) return port;

    const boundSome = servers.length > 0;
    await Promise.all(servers.splice(0).map(closeServer));
    const { err, address } = failure ?? unavailable ?? { err: new Error('no address to listen on'), address: '' };
    // Port 0: the port the first address got may be taken on the next one; pick another.
    const retry = requestedPort === 0 && boundSome && attempt < ANY_PORT_ATTEMPTS && (err as { code?: unknown }).code === 'EADDRINUSE';
    if (!retry) throw await explainListenError(err, port, address, callbackUrl);
  }
}
