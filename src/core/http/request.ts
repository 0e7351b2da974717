/**
 * The one HTTP client every Salesforce call goes through: per-request timeouts, retries with backoff
 * for idempotent calls only, NetworkError translation, and a redacted trace for --verbose.
 * It sits above the FetchLike seam (deps.fetch), so tests drive it with nock against the global fetch.
 */
import { BadResponseError, ResponseTooLargeError } from '../../errors.js';
import type { Clock, FetchLike, Trace } from '../ports.js';
import { classifyNetworkError, isRetryableFailure, networkErrorFor, serverErrorFor, type NetworkFailure } from './network-errors.js';
import { REDACTED, redactBody, redactForm, redactUrl } from './redact.js';
import { hostOf } from './url.js';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string | URL;
  headers?: Record<string, string>;
  /** Sent as application/x-www-form-urlencoded; undefined values are dropped. */
  form?: Record<string, string | undefined>;
  /** A raw body with its content type (the multipart metadata deploy); not combined with `form`. */
  body?: { contentType: string; data: Uint8Array | string };
  /** false => never retried (authorization-code exchange, refresh with rotation). */
  idempotent: boolean;
  timeoutMs?: number;
  /**
   * Once sent, not aborted by the client's signal (Ctrl-C, a run deadline): only its own timeoutMs ends
   * it. For a refresh grant, which Salesforce may carry out even if we stop listening (docs/credentials.md).
   * An already aborted signal still stops it before it is sent.
   */
  uncancellable?: boolean;
  /** Default: 'follow' for GET, 'manual' for POST (a redirected POST would silently turn into a GET). */
  redirect?: 'follow' | 'manual';
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  url: string;
  /** The body parsed as JSON; throws BadResponseError when it is not JSON. */
  json(): unknown;
}

/**
 * 4xx are returned. 5xx are retried (idempotent requests only) and then thrown as
 * NetworkError('server'); network failures throw NetworkError; an aborted `signal` throws its reason.
 */
export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
}

export interface HttpClientOptions {
  fetch: FetchLike;
  clock: Clock;
  /** Ctrl-C: aborts the request in flight and any backoff wait; its reason is rethrown untouched. */
  signal?: AbortSignal;
  /** Receives one redacted line per request, response, retry and failure (--verbose). */
  trace?: (line: string) => void;
  /** Per attempt, including reading the body. Default 15000. */
  timeoutMs?: number;
  /** Extra attempts for idempotent requests. Default 2. */
  retries?: number;
  /** First backoff delay; doubles each retry, plus up to 20% jitter. Default 300. */
  retryBaseMs?: number;
  /** Largest body read; beyond it the read stops with ResponseTooLargeError. Default MAX_BODY_BYTES. */
  maxBodyBytes?: number;
}

/**
 * Salesforce's OAuth answers are a few KB and a REST page of records a few hundred KB; 4 MiB leaves room
 * and bounds memory against a hostile or misconfigured host (docs/hostile-input.md "Response bodies").
 */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** A server's Retry-After is honoured up to this long; beyond it, our own backoff applies. */
const MAX_RETRY_AFTER_MS = 10_000;

type Attempt = { kind: 'response'; res: HttpResponse; statusText: string } | { kind: 'failure'; failure: NetworkFailure; error: unknown };

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const retries = opts.retries ?? 2;
  const retryBaseMs = opts.retryBaseMs ?? 300;
  const trace = opts.trace;
  const signal = opts.signal;

  async function attempt(req: HttpRequest, url: URL, perRequestTimeout: number): Promise<Attempt> {
    const timeout = AbortSignal.timeout(perRequestTimeout);
    const outer = req.uncancellable ? undefined : signal;
    const combined = outer ? AbortSignal.any([outer, timeout]) : timeout;
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body: string | Uint8Array | undefined;
    if (req.form) {
      body = toForm(req.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (req.body) {
      body = req.body.data;
      headers['content-type'] = req.body.contentType;
    }
    const started = opts.clock.now();
    trace?.(requestLine(req, url, headers));
    try {
      const res = await opts.fetch(url, {
        method: req.method,
        headers,
        body,
        signal: combined,
        // A POST that is redirected comes back as a GET, which Salesforce's token endpoint rejects with a
        // misleading error; return the 3xx instead so the caller can say which host to use.
        redirect: req.redirect ?? (req.method === 'POST' ? 'manual' : 'follow'),
      });
      const text = await readBody(res, opts.maxBodyBytes ?? MAX_BODY_BYTES, url.host);
      const elapsed = opts.clock.now() - started;
      const response = makeResponse(res.status, res.headers, text, res.url || url.href);
      trace?.(`< ${res.status} ${req.method} ${redactUrl(url)} ${elapsed} ms${text ? ` ${redactBody(text, res.headers.get('content-type'))}` : ''}`);
      return { kind: 'response', res: response, statusText: res.statusText };
    } catch (error) {
      // Ctrl-C wins over everything: its CancelledError goes up untouched.
      if (outer?.aborted) throw outer.reason;
      if (error instanceof ResponseTooLargeError) throw error;
      const failure: NetworkFailure | undefined = timeout.aborted ? { reason: 'timeout', code: 'TimeoutError' } : classifyNetworkError(error);
      if (!failure) throw error;
      trace?.(`< ERROR ${req.method} ${redactUrl(url)} ${opts.clock.now() - started} ms: ${failure.reason}${failure.code ? ` (${failure.code})` : ''}`);
      return { kind: 'failure', failure, error };
    }
  }

  async function request(req: HttpRequest): Promise<HttpResponse> {
    const url = new URL(req.url);
    const host = url.host;
    const perRequestTimeout = req.timeoutMs ?? timeoutMs;
    const maxAttempts = req.idempotent ? retries + 1 : 1;
    for (let n = 1; ; n++) {
      if (signal?.aborted) throw signal.reason;
      const result = await attempt(req, url, perRequestTimeout);
      const more = n < maxAttempts;
      if (result.kind === 'response') {
        const { res } = result;
        // A forward proxy that wants credentials answers plain-HTTP requests itself.
        if (res.status === 407) throw networkErrorFor({ reason: 'proxy', proxyStatus: 407 }, host);
        if (res.status < 500) return res;
        if (!more) throw serverErrorFor(host, res.status, result.statusText, n, res);
        await backoff(n, maxAttempts, `${res.status} from ${host}`, retryAfterMs(res.headers, opts.clock.now()));
      } else {
        const { failure, error } = result;
        if (!more || !isRetryableFailure(failure)) throw networkErrorFor(failure, host, { timeoutMs: perRequestTimeout, cause: error });
        await backoff(n, maxAttempts, `${failure.reason} on ${host}`);
      }
    }
  }

  async function backoff(n: number, maxAttempts: number, what: string, serverHintMs?: number): Promise<void> {
    const base = retryBaseMs * 2 ** (n - 1);
    const jittered = Math.round(base + Math.random() * base * 0.2);
    const delay = serverHintMs !== undefined ? Math.max(jittered, Math.min(serverHintMs, MAX_RETRY_AFTER_MS)) : jittered;
    trace?.(`! ${what}; retrying in ${delay} ms (attempt ${n + 1} of ${maxAttempts})`);
    await opts.clock.sleep(delay, signal);
  }

  return { request };
}

/** The body as text, read chunk by chunk and abandoned (connection closed) once past `limit` bytes. */
async function readBody(res: Response, limit: number, host: string): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel().catch(() => undefined);
    throw new ResponseTooLargeError(host, limit);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(host, limit);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks, size)); // like res.text(): a BOM is dropped
}

function toForm(form: Record<string, string | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) if (value !== undefined) params.append(name, value);
  return params;
}

function requestLine(req: HttpRequest, url: URL, headers: Record<string, string>): string {
  let line = `> ${req.method} ${redactUrl(url)}`;
  const auth = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  if (auth !== undefined) line += ` authorization: ${auth.split(' ')[0] ?? ''} ${REDACTED}`;
  if (req.form) line += ` form: ${redactForm(req.form)}`;
  // Never the body itself: a deploy carries the app's settings, and the trace should stay short.
  else if (req.body) line += ` body: ${req.body.contentType.split(';')[0] ?? ''}, ${typeof req.body.data === 'string' ? Buffer.byteLength(req.body.data) : req.body.data.byteLength} bytes`;
  return line;
}

function makeResponse(status: number, headers: Headers, text: string, url: string): HttpResponse {
  let parsed: { value: unknown } | undefined;
  return {
    status,
    headers,
    text,
    url,
    json() {
      if (parsed) return parsed.value;
      try {
        parsed = { value: JSON.parse(text) as unknown };
      } catch (err) {
        const type = headers.get('content-type')?.split(';')[0]?.trim();
        const what = text.trim() === '' ? 'an empty body' : /^\s*</.test(text) ? 'an HTML page' : `a ${type ?? 'non-JSON'} body`;
        throw new BadResponseError(`${hostOf(url)} answered ${status} with ${what} where JSON was expected.`, { status, cause: err });
      }
      return parsed.value;
    },
  };
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(headers: Headers, now: number): number | undefined {
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The HTTP client every command uses: the deps' fetch, clock and trace (--verbose), cancelled by `signal`
 * (Ctrl-C by default; `sfoauth test` adds its run deadline). The one place production code builds a
 * client; it lives here, not in src/deps.ts, so `sfoauth --help` does not load the HTTP code.
 */
export function httpClientOf(
  deps: { fetch: FetchLike; clock: Clock; signal: AbortSignal; trace?: Trace | undefined },
  signal: AbortSignal = deps.signal,
): HttpClient {
  return createHttpClient({ fetch: deps.fetch, clock: deps.clock, signal, ...(deps.trace ? { trace: deps.trace } : {}) });
}
