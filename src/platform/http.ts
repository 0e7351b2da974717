/**
 * Production HTTP: the global fetch with an undici dispatcher that honours HTTP(S)_PROXY / NO_PROXY and
 * bounds connect, header and body time. Imported lazily (undici costs ~100 ms to load on Node 20).
 * Retries and per-request timeouts live in core/http/request.ts, above this seam, so nock can test them.
 */
import { EnvHttpProxyAgent } from 'undici';
import type { FetchLike } from '../deps.js';

export function createProxyAwareFetch(): FetchLike {
  const dispatcher = new EnvHttpProxyAgent({
    connectTimeout: 10_000,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  // Node's bundled undici types differ from the package's; the dispatcher interface is the same at run time.
  return (input, init) => fetch(input, { ...init, dispatcher } as unknown as RequestInit);
}
