/**
 * Network: the login host and the instance (My Domain) host resolve. Uses the system resolver
 * (dns.lookup, as connections do, so /etc/hosts counts). Behind a proxy a failed lookup here is not
 * fatal: the proxy resolves names for us.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { EXIT } from '../../../exit-codes.js';
import { fail, pass, warn } from '../../checks/check.js';
import { displayProxy, proxyFor } from './proxy-env.js';
import { errnoCode, hostsToProbe, requireDoctorProfile, withTimeout, type DoctorCheck } from '../context.js';

const GENERIC_HOSTS = new Set(['login.salesforce.com', 'test.salesforce.com']);

interface Lookup {
  role: 'login' | 'instance';
  host: string;
  ok: boolean;
  line: string;
  code?: string;
  proxied: boolean;
}

export const dnsCheck: DoctorCheck = {
  id: 'dns',
  group: 'network',
  title: 'DNS',
  needs: ['login-url', 'proxy-env'],
  async run(ctx) {
    const profile = requireDoctorProfile(ctx);
    // The emulator's two hosts share one address: look each name up once.
    const hosts = hostsToProbe(profile).filter((h, i, all) => all.findIndex((o) => o.url.hostname === h.url.hostname) === i);
    const results = await Promise.all(
      hosts.map(async ({ role, url }): Promise<Lookup> => {
        const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
        const proxied = proxyFor(ctx.env, url) !== undefined;
        if (isIP(host)) return { role, host, ok: true, proxied, line: `${host} is an address (no lookup needed)` };
        const t0 = ctx.clock.now();
        try {
          const found = await withTimeout(lookup(host, { all: true }), ctx.probeTimeoutMs, 'ETIMEOUT');
          const ms = Math.round(ctx.clock.now() - t0);
          const addresses = found.map((a) => a.address);
          const shown = addresses.slice(0, 3).join(', ') + (addresses.length > 3 ? ', …' : '');
          return { role, host, ok: true, proxied, line: `${host} → ${shown} (${ms} ms)` };
        } catch (err) {
          const code = errnoCode(err) ?? 'error';
          return { role, host, ok: false, proxied, code, line: `${host}: ${describe(code)}` };
        }
      }),
    );
    const failed = results.filter((r) => !r.ok);
    if (failed.length === 0) return pass(results.map((r) => r.line).join('; '));
    const first = failed[0]!;
    const detail = results.filter((r) => r !== first).map((r) => r.line);
    if (failed.every((r) => r.proxied)) {
      const proxy = proxyFor(ctx.env, new URL(`https://${first.host}`));
      return warn(
        `${first.line}; requests go through ${proxy ? displayProxy(proxy.value) : 'a proxy'}, which resolves names itself`,
        'if requests fail later, check the proxy settings (HTTPS_PROXY, NO_PROXY)',
        { detail },
      );
    }
    const what = first.role === 'login' ? 'login host' : 'instance host (instance_url)';
    // login.salesforce.com and test.salesforce.com always exist: failing on them, or on every host,
    // points at this machine's network rather than at a mistyped name.
    const networkDown = failed.some((r) => GENERIC_HOSTS.has(r.host)) || (results.length > 1 && failed.length === results.length);
    const fix =
      first.code === 'ENOTFOUND' && !networkDown
        ? `check the ${what}${first.role === 'instance' ? '' : ' (for a My Domain, the exact name in Setup → My Domain)'}, then your network connection or VPN`
        : 'check your network connection, VPN or DNS settings (this machine resolves no Salesforce host), and try again; if your network requires a proxy, set HTTPS_PROXY';
    return fail(`cannot resolve the ${what} ${first.line}`, fix, { detail, exitCode: EXIT.NETWORK });
  },
};

function describe(code: string): string {
  switch (code) {
    case 'ENOTFOUND':
      return 'no such host (ENOTFOUND)';
    case 'EAI_AGAIN':
      return 'the DNS server did not answer for now (EAI_AGAIN)';
    case 'ETIMEOUT':
      return 'the lookup timed out';
    default:
      return `lookup failed (${code})`;
  }
}
