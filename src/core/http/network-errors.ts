/**
 * Turns what fetch throws (Node's `TypeError: fetch failed` wrapping a system or undici error, a
 * DOMException from a timeout signal, or nock's bare `{ code }` object) into a NetworkError that names
 * the host and says what to check. This is the boundary: nothing above it sees a raw undici error.
 */
import { NetworkError, type NetworkReason } from '../../errors.js';
import type { HttpResponse } from './request.js';

export interface NetworkFailure {
  reason: Exclude<NetworkReason, 'server'>;
  /** The error code that decided the reason (ENOTFOUND, UND_ERR_SOCKET, TimeoutError…), if any. */
  code?: string;
  /** A proxy's HTTP status, when a proxy refused the tunnel. */
  proxyStatus?: number;
  /** The proxy the request went through (`HTTPS_PROXY=http://proxy:3128`), when the failure was reaching it. */
  proxy?: string;
}

/**
 * Thrown by the proxy-aware fetch (platform/http.ts) around a failure of a request sent through a
 * proxy, so a refused, unresolvable or dropped proxy is reported as the proxy's fault.
 */
export class ProxyFailure extends Error {
  readonly proxy: string;
  constructor(proxy: string, cause: unknown) {
    super('fetch failed', { cause });
    this.name = 'ProxyFailure';
    this.proxy = proxy;
  }
}

/** Failures that, through a proxy, happen between us and the proxy: connecting to it or its dropping us. */
const PROXY_FAULTS = new Set<NetworkFailure['reason']>(['dns', 'refused', 'reset', 'other']);

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'HOSTNAME_MISMATCH',
]);

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** Classifies one error object by its code, name or (for undici's proxy tunnel error) message. */
function classifyOne(err: unknown): NetworkFailure | undefined {
  if (err === null || typeof err !== 'object') return undefined;
  const { code, name, message } = err as { code?: unknown; name?: unknown; message?: unknown };
  const c = typeof code === 'string' ? code : undefined;
  if (c === 'ENOTFOUND' || c === 'EAI_AGAIN') return { reason: 'dns', code: c };
  if (c === 'ECONNREFUSED') return { reason: 'refused', code: c };
  if (c === 'ECONNRESET' || c === 'UND_ERR_SOCKET' || c === 'EPIPE') return { reason: 'reset', code: c };
  if (c === 'UND_ERR_PRX_TLS') return { reason: 'proxy', code: c };
  if (c !== undefined && (c.startsWith('CERT_') || c.startsWith('ERR_TLS_') || c.startsWith('ERR_SSL_') || TLS_CODES.has(c))) {
    return { reason: 'tls', code: c };
  }
  if (c !== undefined && TIMEOUT_CODES.has(c)) return { reason: 'timeout', code: c };
  if (name === 'TimeoutError') return { reason: 'timeout', code: 'TimeoutError' };
  // undici's ProxyAgent: "Proxy response (407) !== 200 when HTTP Tunneling"
  const proxy = typeof message === 'string' ? /Proxy response \((\d{3})\)/.exec(message) : null;
  if (proxy) return { reason: 'proxy', code: c, proxyStatus: Number(proxy[1]) };
  return undefined;
}

/** The errors to look at: the error, its `cause` chain, and the members of an AggregateError (happy eyeballs). */
function* chain(err: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0) {
    const e = queue.shift();
    if (e === undefined || e === null || seen.has(e)) continue;
    seen.add(e);
    yield e;
    if (typeof e === 'object') {
      const { cause, errors } = e as { cause?: unknown; errors?: unknown };
      if (cause !== undefined) queue.push(cause);
      if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
    }
  }
}

/**
 * What kind of network failure `err` is, looking through `cause` chains. Returns `other` for an
 * unrecognised `fetch failed` or coded error, and undefined for anything that is not a network
 * failure at all (a bug, an invalid URL) so the caller can rethrow it untouched.
 */
export function classifyNetworkError(err: unknown): NetworkFailure | undefined {
  const failure = classifyDirect(err);
  if (failure && err instanceof ProxyFailure && (PROXY_FAULTS.has(failure.reason) || failure.reason === 'proxy')) {
    return { ...failure, reason: 'proxy', proxy: err.proxy };
  }
  return failure;
}

function classifyDirect(err: unknown): NetworkFailure | undefined {
  for (const e of chain(err)) {
    const found = classifyOne(e);
    if (found) return found;
  }
  let fetchFailed = false;
  for (const e of chain(err)) {
    if (e === null || typeof e !== 'object') continue;
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return { reason: 'other', code };
    if (message === 'fetch failed') fetchFailed = true;
  }
  return fetchFailed ? { reason: 'other' } : undefined;
}

/** Transient failures worth another attempt; a wrong host name, a bad certificate or a proxy refusal will not fix itself. */
export function isRetryableFailure(f: NetworkFailure): boolean {
  if (f.reason === 'dns') return f.code === 'EAI_AGAIN';
  return f.reason === 'refused' || f.reason === 'reset' || f.reason === 'timeout' || f.reason === 'other';
}

/** The NetworkError for a classified failure, with a message that names the host and says what to check. */
export function networkErrorFor(f: NetworkFailure, host: string, opts: { timeoutMs?: number; cause?: unknown } = {}): NetworkError {
  const code = f.code ? ` (${f.code})` : '';
  const options = opts.cause === undefined ? {} : { cause: opts.cause };
  switch (f.reason) {
    case 'dns':
      return new NetworkError(
        'dns',
        host,
        f.code === 'EAI_AGAIN'
          ? `The DNS lookup for ${host} failed for now${code}. Check your network connection or VPN and try again.`
          : `Could not resolve ${host}${code}. Check the host name (for a My Domain, the exact name in Setup → My Domain) and your network connection or VPN.`,
        options,
      );
    case 'refused':
      return new NetworkError(
        'refused',
        host,
        `${host} refused the connection${code}. Check the URL and port; for a local emulator, check that it is running.`,
        options,
      );
    case 'reset':
      return new NetworkError(
        'reset',
        host,
        `The connection to ${host} was closed unexpectedly${code}. A proxy or firewall may be cutting it; try again, and check HTTPS_PROXY / NO_PROXY.`,
        options,
      );
    case 'tls':
      return new NetworkError(
        'tls',
        host,
        `The TLS certificate of ${host} could not be verified${code}. Behind a corporate proxy that inspects TLS, set NODE_EXTRA_CA_CERTS to the file with its CA certificate.`,
        options,
      );
    case 'timeout':
      return new NetworkError(
        'timeout',
        host,
        `${host} did not answer${opts.timeoutMs !== undefined ? ` within ${formatSeconds(opts.timeoutMs)}` : ' in time'}${code}. Check your network connection, VPN or proxy, and try again.`,
        options,
      );
    case 'proxy':
      if (f.proxy !== undefined && f.proxyStatus === undefined) {
        return new NetworkError(
          'proxy',
          host,
          `The proxy ${f.proxy} could not be used on the way to ${host}${code}: it refused the connection, could not be found, or dropped it. ` +
            `Check that the proxy is running, fix the variable, or add ${host} to NO_PROXY.`,
          options,
        );
      }
      return new NetworkError(
        'proxy',
        host,
        f.proxyStatus === 407
          ? `The proxy asked for credentials (407) on the way to ${host}. Put the user and password in HTTPS_PROXY (https://user:pass@proxy:port), or add ${host} to NO_PROXY.`
          : `The proxy failed on the way to ${host}${f.proxyStatus ? ` (${f.proxyStatus})` : code}. Check HTTPS_PROXY / HTTP_PROXY and NO_PROXY.`,
        options,
      );
    case 'other':
      return new NetworkError('other', host, `The request to ${host} failed${code}. Check your network connection, VPN or proxy.`, options);
  }
}

/** The last 5xx answer behind each error serverErrorFor made, for serverResponseOf. */
const SERVER_RESPONSES = new WeakMap<NetworkError, HttpResponse>();

/** A 5xx that survived the retries (or was not retried): Salesforce or something in between is failing. */
export function serverErrorFor(host: string, status: number, statusText: string, attempts: number, response?: HttpResponse): NetworkError {
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  const err = new NetworkError(
    'server',
    host,
    `${host} answered ${status}${statusText ? ` ${statusText}` : ''}${tries}. The server or a proxy in front of it is failing; check https://status.salesforce.com and try again later.`,
    { status, ...(response === undefined ? {} : { cause: response }) },
  );
  if (response !== undefined) SERVER_RESPONSES.set(err, response);
  return err;
}

/**
 * The 5xx answer the HTTP client gave up on, when `err` is its server error: for a caller that reads the
 * body of a failure (a SOAP fault comes with HTTP 500). Undefined for any other error.
 */
export function serverResponseOf(err: unknown): HttpResponse | undefined {
  return err instanceof NetworkError ? SERVER_RESPONSES.get(err) : undefined;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
