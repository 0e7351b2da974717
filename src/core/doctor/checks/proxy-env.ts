/**
 * Machine: the proxy variables are well formed. sfoauth's HTTP goes through undici's EnvHttpProxyAgent,
 * which reads https_proxy / HTTPS_PROXY (the lower-case one wins, even when empty), http_proxy /
 * HTTP_PROXY and no_proxy / NO_PROXY. A value without a scheme, such as `proxy.corp:8080`, does not
 * fail where it is set: it makes every request fail later, with an error that names no variable.
 */
import { EXIT } from '../../../exit-codes.js';
import { fail, pass, warn, type CheckOutcome } from '../../checks/check.js';
import type { Env } from '../../ports.js';
import { portOf, type DoctorCheck } from '../context.js';

const PROXY_SCHEMES = new Set(['http:', 'https:', 'socks:', 'socks5:']);

export interface ProxySetting {
  /** The variable that applies, as undici picks it (`https_proxy` before `HTTPS_PROXY`). */
  name: string;
  value: string;
}

/** The proxy variable for a scheme, or undefined when none is set (or the one that wins is empty). */
export function proxyVariable(env: Env, scheme: 'https' | 'http'): ProxySetting | undefined {
  const lower = `${scheme}_proxy`;
  const upper = lower.toUpperCase();
  const name = env[lower] !== undefined ? lower : env[upper] !== undefined ? upper : undefined;
  if (name === undefined) return undefined;
  const value = env[name] ?? '';
  if (value === '') return undefined;
  // undici sends https requests through HTTP_PROXY when no HTTPS proxy is set.
  return { name, value };
}

function effectiveProxy(env: Env, url: URL): ProxySetting | undefined {
  if (url.protocol === 'https:') return proxyVariable(env, 'https') ?? proxyVariable(env, 'http');
  return proxyVariable(env, 'http');
}

function noProxyValue(env: Env): { name: string; value: string } | undefined {
  if (env.no_proxy !== undefined) return { name: 'no_proxy', value: env.no_proxy };
  if (env.NO_PROXY !== undefined) return { name: 'NO_PROXY', value: env.NO_PROXY };
  return undefined;
}

/** NO_PROXY as undici reads it: host names (a leading `.` or `*.` is dropped), each with an optional port. */
function noProxyEntries(value: string): { hostname: string; port: number }[] {
  return value
    .split(/[,\s]/)
    .filter(Boolean)
    .map((entry) => {
      const m = /^(.+):(\d+)$/.exec(entry);
      return { hostname: (m?.[1] ?? entry).replace(/^\*?\./, '').toLowerCase(), port: m?.[2] ? Number(m[2]) : 0 };
    });
}

/**
 * The proxy a request to `url` goes through, with undici's rules; undefined when it goes direct.
 * (The raw DNS and TCP probes use this to know when a failed direct connection is expected.)
 */
export function proxyFor(env: Env, url: URL): ProxySetting | undefined {
  const proxy = effectiveProxy(env, url);
  if (!proxy) return undefined;
  const np = noProxyValue(env)?.value ?? '';
  if (np === '*') return undefined;
  const host = url.host.replace(/:\d*$/, '').toLowerCase();
  const port = portOf(url);
  for (const entry of noProxyEntries(np)) {
    if (entry.port && entry.port !== port) continue;
    if (host === entry.hostname || host.endsWith(`.${entry.hostname}`)) return undefined;
  }
  return proxy;
}

/** A proxy URL for display: the password replaced. */
export function displayProxy(value: string): string {
  // Without a scheme, `user:pass@proxy:8080` parses as a URL with the scheme "user:"; mask it by hand.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value.replace(/^([^:@/]+):[^@/]*@/, '$1:****@');
  try {
    const url = new URL(value);
    if (url.password !== '') url.password = '****';
    return url.href.replace(/\/$/, '');
  } catch {
    return value.replace(/:\/\/([^:@/]+):[^@/]*@/, '://$1:****@');
  }
}

/** What is wrong with one proxy value, or undefined when it is usable. */
export function proxyValueProblem(name: string, value: string): { summary: string; fix: string } | undefined {
  const shown = displayProxy(value);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return {
      summary: `${name}=${shown} has no scheme, so every request through it fails`,
      fix: `export ${name}=http://${shown.replace(/^\/+/, '')} (most corporate proxies are http://, even for https traffic)`,
    };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { summary: `${name}=${shown} is not a valid URL`, fix: `export ${name}=http://proxy.example.com:8080 (your proxy's host and port)` };
  }
  if (!PROXY_SCHEMES.has(url.protocol)) {
    return {
      summary: `${name}=${shown} uses the scheme ${url.protocol.slice(0, -1)}, which Node's proxy support does not speak`,
      fix: `use http://, https:// or socks5://, e.g. export ${name}=http://${url.host}`,
    };
  }
  if (url.hostname === '') return { summary: `${name}=${shown} has no host`, fix: `export ${name}=http://proxy.example.com:8080` };
  return undefined;
}

export function proxyEnvOutcome(env: Env, loginUrl?: string): CheckOutcome {
  const problems: { summary: string; fix: string }[] = [];
  const notes: string[] = [];
  for (const scheme of ['https', 'http'] as const) {
    const lower = `${scheme}_proxy`;
    const upper = lower.toUpperCase();
    const setting = proxyVariable(env, scheme);
    if (setting) {
      const problem = proxyValueProblem(setting.name, setting.value);
      if (problem) problems.push(problem);
    }
    if (env[lower] !== undefined && env[upper] !== undefined && env[lower] !== env[upper]) {
      notes.push(`${lower} and ${upper} differ; ${lower} is the one used`);
    }
  }
  const np = noProxyValue(env);
  if (np) {
    for (const entry of np.value.split(/[,\s]/).filter(Boolean)) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) notes.push(`${np.name} entry "${entry}" is a URL; it should be a host name such as .example.com`);
      else if (/\/\d+$/.test(entry)) notes.push(`${np.name} entry "${entry}" is an address range, which Node's proxy support does not understand`);
    }
  }

  if (problems.length > 0) {
    const first = problems[0]!;
    return fail(first.summary, first.fix, { detail: [...problems.slice(1).map((p) => p.summary), ...notes], exitCode: EXIT.USAGE });
  }
  const route = loginUrl ? routeLine(env, loginUrl) : undefined;
  const detail = route ? [route] : [];
  if (notes.length > 0) return warn(notes[0]!, 'fix the variable so it says what you mean', { detail: [...notes.slice(1), ...detail] });
  const any = proxyVariable(env, 'https') ?? proxyVariable(env, 'http');
  if (!any) return pass('no proxy variables set; connections go direct');
  return pass(`${any.name}=${displayProxy(any.value)}${np ? `, ${np.name}=${np.value}` : ''}`, { detail });
}

function routeLine(env: Env, loginUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(loginUrl);
  } catch {
    return undefined;
  }
  const proxy = proxyFor(env, url);
  return proxy ? `requests to ${url.host} go through ${displayProxy(proxy.value)}` : `requests to ${url.host} go direct`;
}

export const proxyEnvCheck: DoctorCheck = {
  id: 'proxy-env',
  group: 'machine',
  title: 'Proxy variables',
  async run(ctx) {
    return proxyEnvOutcome(ctx.env, ctx.profile?.loginUrl);
  },
};
