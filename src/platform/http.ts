/**
 * Production HTTP: the global fetch with an undici dispatcher that honours HTTP(S)_PROXY / NO_PROXY and
 * bounds connect, header and body time. Imported lazily (undici costs ~100 ms to load on Node 20).
 * Retries and per-request timeouts live in core/http/request.ts, above this seam, so nock can test them.
 */
import { EnvHttpProxyAgent } from 'undici';
import type { Env, FetchLike } from '../core/ports.js';
import { UsageError } from '../errors.js';
import { displayProxy, proxyFor, proxyValueProblem, proxyVariable } from '../core/doctor/checks/proxy-env.js';
import { ProxyFailure } from '../core/http/network-errors.js';

/**
 * The proxy variables, checked once before the first request with doctor's rules: a value undici
 * cannot use (`127.0.0.1:3128` without a scheme) is exit 2 naming the variable, not "Invalid URL" later.
 */
export function assertProxyEnv(env: Env): void {
  for (const scheme of ['https', 'http'] as const) {
    const setting = proxyVariable(env, scheme);
    const problem = setting && proxyValueProblem(setting.name, setting.value);
    if (problem) throw new UsageError(`${problem.summary}.`, { hint: problem.fix });
  }
}

export function createProxyAwareFetch(env: Env): FetchLike {
  assertProxyEnv(env);
  quietSocksWarning();
  const dispatcher = new EnvHttpProxyAgent({
    connectTimeout: 10_000,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  // Node's bundled undici types differ from the package's; the dispatcher interface is the same at run time.
  return async (input, init) => {
    try {
      return await fetch(input, { ...init, dispatcher } as unknown as RequestInit);
    } catch (err) {
      // A request that went through a proxy and failed to connect failed at the proxy: say so
      // (core/http/network-errors.ts names the proxy instead of blaming the Salesforce host).
      const proxy = proxyFor(env, new URL(input));
      throw proxy ? new ProxyFailure(`${proxy.name}=${displayProxy(proxy.value)}`, err) : err;
    }
  };
}

/** undici announces its SOCKS5 support as experimental on stderr; a user who set socks5:// needs no such line. */
function quietSocksWarning(): void {
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: unknown, ...rest: unknown[]) => {
    const text = warning instanceof Error ? warning.message : String(warning);
    if (/SOCKS5 proxy support is experimental/i.test(text)) return;
    emit(warning, ...rest);
  }) as typeof process.emitWarning;
}
