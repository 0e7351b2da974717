/**
 * Salesforce hosts: which login host to use, what kind of org a host belongs to, and the Lightning and
 * Setup hosts people paste by mistake (docs/salesforce.md §1).
 */
import { UsageError } from '../../errors.js';
import type { Environment } from '../config/profile.js';
import { environmentAlias } from '../config/environment-names.js';

export type HostKind =
  | 'generic-production'
  | 'generic-sandbox'
  | 'production'
  | 'sandbox'
  | 'developer-edition'
  | 'trailhead'
  | 'scratch'
  | 'patch'
  | 'demo'
  | 'experience-cloud'
  | 'lightning'
  | 'setup'
  | 'loopback'
  | 'unknown';

export const PRODUCTION_LOGIN_URL = 'https://login.salesforce.com';
export const SANDBOX_LOGIN_URL = 'https://test.salesforce.com';

export function defaultLoginUrl(env: Environment): string {
  return env === 'sandbox' ? SANDBOX_LOGIN_URL : PRODUCTION_LOGIN_URL;
}

/** Accepts the aliases of config/environment-names.ts (Nango's integration names, `prod`), in any case. */
export function normalizeEnvironment(input: string): Environment {
  const env = environmentAlias(input.trim().toLowerCase());
  if (env !== undefined) return env;
  throw new UsageError(`Unknown environment "${input}".`, {
    hint: 'Use --env production (Nango: salesforce) or --env sandbox (Nango: salesforce-sandbox).',
  });
}

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/** My Domain suffixes: commercial, Government Cloud Plus – Defense, China (Alibaba Cloud). */
const MY_DOMAIN_SUFFIXES = ['.my.salesforce.com', '.my.salesforce.mil', '.my.sfcrmproducts.cn'];

/** Hosts that never serve OAuth, and the My Domain suffix to use instead (prefix kept as is). */
const WRONG_HOST_SUFFIXES: readonly { suffix: string; kind: 'lightning' | 'setup'; replacement: string }[] = [
  { suffix: '.lightning.force.com', kind: 'lightning', replacement: '.my.salesforce.com' },
  { suffix: '.lightning.salesforce.com', kind: 'lightning', replacement: '.my.salesforce.com' },
  { suffix: '.lightning.crmforce.mil', kind: 'lightning', replacement: '.my.salesforce.mil' },
  { suffix: '.lightning.sfcrmapps.cn', kind: 'lightning', replacement: '.my.sfcrmproducts.cn' },
  { suffix: '.my.salesforce-setup.com', kind: 'setup', replacement: '.my.salesforce.com' },
];

/** My Domain partitions (the label before `.my.salesforce.com`), docs/salesforce.md §1.2. */
const PARTITIONS: Record<string, HostKind> = {
  sandbox: 'sandbox',
  trailblaze: 'trailhead',
  scratch: 'scratch',
  patch: 'patch',
  demo: 'demo',
};

/** `na123.salesforce.com`, `usa77.salesforce.com`, `cs19.salesforce.com` (old instanced hosts). */
const INSTANCE_HOST = /^([a-z]{2,4})\d+\.salesforce\.com$/;

/** Accepts a bare host, host:port, or a URL. */
export function classifyHost(hostOrUrl: string): HostKind {
  const host = hostnameOf(hostOrUrl);
  if (host === undefined) return 'unknown';
  if (isLoopbackHost(host)) return 'loopback';
  if (host === 'login.salesforce.com' || host === 'welcome.salesforce.com') return 'generic-production';
  if (host === 'test.salesforce.com') return 'generic-sandbox';
  for (const wrong of WRONG_HOST_SUFFIXES) if (host.endsWith(wrong.suffix)) return wrong.kind;
  if (host.endsWith('.my.site.com')) return 'experience-cloud';

  const suffix = MY_DOMAIN_SUFFIXES.find((s) => host.endsWith(s));
  if (suffix !== undefined) {
    const labels = host.slice(0, -suffix.length).split('.');
    const name = labels[0] ?? '';
    if (name === '') return 'unknown';
    if (labels.length === 1) {
      // Before enhanced domains: `X-dev-ed.my…` for Developer Edition, `X--Sandbox.my…` for sandboxes.
      if (name.endsWith('-dev-ed')) return 'developer-edition';
      return name.includes('--') ? 'sandbox' : 'production';
    }
    if (labels.length !== 2) return 'unknown';
    const partition = labels[1] ?? '';
    // `develop` holds Developer Edition orgs (`-dev-ed` names) and patch orgs made before Winter '24.
    if (partition === 'develop') return name.endsWith('-dev-ed') ? 'developer-edition' : 'patch';
    return PARTITIONS[partition] ?? 'unknown';
  }

  const instance = INSTANCE_HOST.exec(host);
  if (instance) return instance[1] === 'cs' ? 'sandbox' : 'production';
  return 'unknown';
}

/** The environment (and so the generic login host and Nango integration) an org of this kind uses. */
export function environmentOfHostKind(kind: HostKind): Environment | undefined {
  switch (kind) {
    case 'generic-production':
    case 'production':
    case 'developer-edition':
    case 'trailhead':
      return 'production';
    case 'generic-sandbox':
    case 'sandbox':
    case 'scratch':
      return 'sandbox';
    default:
      return undefined;
  }
}

/**
 * The identity URL stays on the generic host even for My Domain logins (docs/salesforce.md §1.4), so it
 * decides first; the instance host is the fallback.
 */
export function environmentOfToken(t: { instanceUrl?: string; idUrl?: string }): Environment | undefined {
  if (t.idUrl !== undefined) {
    const kind = classifyHost(t.idUrl);
    if (kind === 'generic-sandbox') return 'sandbox';
    if (kind === 'generic-production') return 'production';
  }
  return t.instanceUrl === undefined ? undefined : environmentOfHostKind(classifyHost(t.instanceUrl));
}

/** `https://login.salesforce.com/id/00D…/005…` → its org and user ids (15 or 18 characters). */
export function parseIdUrl(idUrl: string): { orgId: string; userId: string } | undefined {
  let url: URL;
  try {
    url = new URL(idUrl);
  } catch {
    return undefined;
  }
  const m = /^\/id\/(00D[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)\/(005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)\/?$/.exec(url.pathname);
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  return { orgId: m[1], userId: m[2] };
}

/** The host to use instead of a Lightning or Setup host, or undefined when the host is not one. */
export function suggestLoginHost(host: string): string | undefined {
  const h = hostnameOf(host);
  if (h === undefined) return undefined;
  const wrong = WRONG_HOST_SUFFIXES.find((w) => h.endsWith(w.suffix));
  return wrong === undefined ? undefined : h.slice(0, -wrong.suffix.length) + wrong.replacement;
}

/** Far above any real login URL, far below what would cost anything to parse or print. */
const MAX_URL_LENGTH = 2048;

/**
 * What makes `hostname` (as the URL parser left it) not a DNS host name, or undefined when it is one
 * or an IP literal: RFC 1123 labels of letters, digits and inner hyphens, 1-63 characters each, 253 in
 * all (https://www.rfc-editor.org/rfc/rfc1123#section-2.1). Docs: docs/hostile-input.md "Hosts".
 */
export function hostNameProblem(hostname: string): string | undefined {
  if (hostname.startsWith('[')) return undefined; // IPv6 literal, already validated by the URL parser
  if (hostname === '') return 'there is no host name';
  if (hostname.length > 253) return `the host name is ${hostname.length} characters long (at most 253)`;
  const labels = hostname.replace(/\.$/, '').split('.');
  for (const label of labels) {
    if (label === '') return `"${hostname}" has an empty label (two dots in a row, or a leading dot)`;
    if (label.length > 63) return `a label of "${hostname.slice(0, 80)}" is longer than 63 characters`;
    if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i.test(label)) {
      return `"${hostname}" is not a host name (letters, digits and inner hyphens only, in dot-separated labels)`;
    }
  }
  return undefined;
}

/**
 * A `--login-url` (or `what`: SFOAUTH_LOGIN_URL) as an origin (path, query and trailing slash dropped). A bare host gets https://
 * (http:// when it is this machine, where only the emulator runs). https is required except on
 * loopback; Lightning and Setup hosts are refused with the My Domain host to use instead.
 */
export function parseLoginUrl(input: string, what = '--login-url'): URL {
  const raw = input.trim();
  // A fix in the input's own terms: `--login-url X` for the flag, `SFOAUTH_LOGIN_URL=X` for the variable.
  const setTo = (value: string) => given(what, value);
  const example = setTo(PRODUCTION_LOGIN_URL);
  if (raw === '') throw new UsageError(`${what} needs a URL or host name.`, { hint: `e.g. ${example}` });
  // The URL parser quietly drops tabs and newlines (`a\nb` becomes `ab`) and reads `\` as `/`: refuse
  // them instead of contacting a host nobody typed.
  const bad = /[\u0000-\u0020\u007F-\u009F\\]/.exec(raw);
  if (bad) {
    const found = bad[0] === '\\' ? 'a backslash' : 'spaces or control characters';
    throw new UsageError(`${what} is not a valid URL or host name: it contains ${found}.`, { hint: `e.g. ${example}` });
  }
  if (raw.length > MAX_URL_LENGTH) throw new UsageError(`${what} is ${raw.length} characters long; a login URL is a host name.`, { hint: `e.g. ${example}` });
  let withScheme = raw;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    const bareHost = raw.split(/[/?#]/)[0] ?? '';
    withScheme = `${isLoopbackHost(bareHost.replace(/:\d*$/, '')) ? 'http' : 'https'}://${raw}`;
  }
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`${what} is not a valid URL or host name: ${raw}.`, { hint: `e.g. ${example}` });
  }
  if (url.username !== '' || url.password !== '') {
    throw new UsageError(`${what} must not contain a user name or password (${url.host}).`);
  }
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol === 'http:' && !loopback) {
    throw new UsageError(`Salesforce login URLs must use https: ${raw}.`, {
      hint: `Over http the token request fails ("grant type not supported"). Use ${setTo(`https://${url.host}`)}.`,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`${what} must be an https URL, not ${url.protocol}: ${raw}.`, { hint: `e.g. ${example}` });
  }
  const hostProblem = hostNameProblem(url.hostname);
  if (hostProblem) throw new UsageError(`${what} ${raw}: ${hostProblem}.`, { hint: `e.g. ${example}` });
  const kind = classifyHost(url.hostname);
  if (kind === 'lightning' || kind === 'setup') {
    const suggested = suggestLoginHost(url.hostname);
    const what = kind === 'lightning' ? 'the Lightning Experience address' : 'the Setup address';
    throw new UsageError(`${url.hostname} is ${what} of your org; Salesforce does not serve OAuth there.`, {
      hint: `Use your My Domain login host: ${setTo(`https://${suggested ?? 'MyDomainName.my.salesforce.com'}`)}`,
    });
  }
  return new URL(url.origin);
}

/** How the login URL and the environment were given: flags (init, steps) or SFOAUTH_* variables (CI). */
export interface InputNames {
  loginUrl: string;
  env: string;
}
export const FLAG_NAMES: InputNames = { loginUrl: '--login-url', env: '--env' };
export const ENV_VAR_NAMES: InputNames = { loginUrl: 'SFOAUTH_LOGIN_URL', env: 'SFOAUTH_ENV' };

/** The names for where the inputs came from: SFOAUTH_* variables (`env`) or a profile made with init's flags. */
export function inputNamesFor(source: string): InputNames {
  return source === 'env' ? ENV_VAR_NAMES : FLAG_NAMES;
}

/** `--env sandbox` for a flag, `SFOAUTH_ENV=sandbox` for a variable. */
function given(name: string, value: string): string {
  return `${name}${name.startsWith('-') ? ' ' : '='}${value}`;
}

/**
 * Human warnings when the login host and the environment disagree, worded for how they were given
 * (`names`). Empty when they agree or nothing can be told (custom domains, the emulator).
 */
export function loginHostProblems(loginUrl: string | URL, env: Environment, names: InputNames = FLAG_NAMES): string[] {
  const host = hostnameOf(String(loginUrl)) ?? String(loginUrl);
  const useUrl = (url: string) => given(names.loginUrl, url);
  const useEnv = (e: Environment) => given(names.env, e);
  const kind = classifyHost(host);
  const problems: string[] = [];
  if (kind === 'lightning' || kind === 'setup') {
    problems.push(
      `${host} is a ${kind === 'lightning' ? 'Lightning Experience' : 'Setup'} host and does not serve OAuth; ` +
        `use ${useUrl(`https://${suggestLoginHost(host) ?? 'MyDomainName.my.salesforce.com'}`)}.`,
    );
  } else if (env === 'sandbox') {
    if (kind === 'generic-production') {
      problems.push(
        `Sandboxes log in at ${SANDBOX_LOGIN_URL} (or the sandbox's My Domain), not ${host}: ` +
          `use ${useUrl(SANDBOX_LOGIN_URL)}, or ${useEnv('production')} if this is not a sandbox.`,
      );
    } else if (kind === 'developer-edition' || kind === 'trailhead') {
      problems.push(
        `${host} is a ${kind === 'trailhead' ? 'Trailhead Playground (a Developer Edition org)' : 'Developer Edition org'}, ` +
          `and a Developer Edition org is not a sandbox: use ${useEnv('production')}.`,
      );
    } else if (kind === 'production') {
      problems.push(
        `${host} looks like a production My Domain; sandbox My Domains look like ` +
          `MyDomainName--SandboxName.sandbox.my.salesforce.com. Check ${names.loginUrl}, or use ${useEnv('production')}.`,
      );
    }
  } else {
    if (kind === 'generic-sandbox') {
      problems.push(
        `${host} is the sandbox login host; production and Developer Edition orgs log in at ${PRODUCTION_LOGIN_URL}: ` +
          `use ${useUrl(PRODUCTION_LOGIN_URL)}, or ${useEnv('sandbox')} if this is a sandbox.`,
      );
    } else if (kind === 'sandbox' || kind === 'scratch') {
      problems.push(
        `${host} is a ${kind === 'scratch' ? 'scratch org' : 'sandbox'} My Domain, but the environment is production: use ${useEnv('sandbox')}.`,
      );
    }
  }
  return problems;
}

/** The lower-case host name (IPv6 without brackets) of a host, host:port or URL; undefined if unparsable. */
function hostnameOf(hostOrUrl: string): string | undefined {
  let raw = hostOrUrl.trim();
  if (raw === '') return undefined;
  // A bare IPv6 address (`::1`) needs brackets to parse as a host.
  if (/^[0-9a-f]*:[0-9a-f]*:[0-9a-f:.]*$/i.test(raw)) raw = `[${raw}]`;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
    return url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  } catch {
    return undefined;
  }
}
