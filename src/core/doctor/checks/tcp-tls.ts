/**
 * Network: a TCP connection and a verified TLS handshake to the login host and the instance host, with
 * timings. These are raw sockets (not the HTTP client) so a failure says which layer broke. A TLS
 * failure that looks like a proxy or antivirus re-signing traffic gets the NODE_EXTRA_CA_CERTS fix.
 * The emulator serves plain http on loopback: TCP only, and the report says TLS is not used.
 */
import { connect as netConnect, isIP } from 'node:net';
import { connect as tlsConnect, type PeerCertificate, type DetailedPeerCertificate } from 'node:tls';
import { EXIT } from '../../../exit-codes.js';
import { fail, pass, type CheckOutcome } from '../../checks/check.js';
import { isLoopbackHost } from '../../salesforce/hosts.js';
import { displayProxy, proxyFor } from './proxy-env.js';
import { errnoCode, hostsToProbe, portOf, requireDoctorProfile, type DoctorCheck, type DoctorContext } from '../context.js';
import { shellQuote } from '../../shell-quote.js';

/** The certificate is fine but nobody we trust signed it: the signature of TLS interception. */
const UNTRUSTED_CHAIN = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);
const CLOCK_CODES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

interface HostProbe {
  role: 'login' | 'instance';
  target: string;
  outcome: CheckOutcome;
}

export const tcpTlsCheck: DoctorCheck = {
  id: 'tcp-tls',
  group: 'network',
  title: 'TCP and TLS',
  needs: ['dns'],
  async run(ctx) {
    const profile = requireDoctorProfile(ctx);
    const probes = await Promise.all(hostsToProbe(profile).map(({ role, url }) => probeHost(ctx, role, url)));
    const failed = probes.find((p) => p.outcome.status === 'fail');
    if (failed) {
      const others = probes.filter((p) => p !== failed).map((p) => `${p.role} ${p.target}: ${p.outcome.summary}`);
      return { ...failed.outcome, detail: [...(failed.outcome.detail ?? []), ...others] };
    }
    return pass(probes.map((p) => `${p.role} ${p.target}: ${p.outcome.summary}`).join('; '));
  },
};

async function probeHost(ctx: DoctorContext, role: 'login' | 'instance', url: URL): Promise<HostProbe> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = portOf(url);
  const target = `${url.host.includes(':') ? url.host : `${url.host}:${port}`}`;
  const what = role === 'login' ? 'the login host' : 'the instance host';

  const proxy = proxyFor(ctx.env, url);
  if (proxy) {
    // Only the proxy is reachable directly; TLS to Salesforce runs inside its tunnel, which the HTTP
    // checks after this one go through.
    const proxyUrl = new URL(proxy.value);
    const proxyHost = proxyUrl.hostname.replace(/^\[(.*)\]$/, '$1');
    const proxyPort = proxyUrl.port !== '' ? Number(proxyUrl.port) : proxyUrl.protocol === 'https:' ? 443 : proxyUrl.protocol.startsWith('socks') ? 1080 : 80;
    try {
      const ms = await tcp(proxyHost, proxyPort, ctx.probeTimeoutMs, ctx.clock.now);
      return { role, target, outcome: pass(`through ${displayProxy(proxy.value)} (TCP to the proxy ${ms} ms; TLS runs inside its tunnel)`) };
    } catch (err) {
      return {
        role,
        target,
        outcome: fail(`cannot reach the proxy ${displayProxy(proxy.value)} (${describeSocketError(err)}) on the way to ${what}`, `check ${proxy.name} (and NO_PROXY), or ask IT for the right proxy address`, {
          exitCode: EXIT.NETWORK,
        }),
      };
    }
  }

  let tcpMs: number;
  try {
    tcpMs = await tcp(host, port, ctx.probeTimeoutMs, ctx.clock.now);
  } catch (err) {
    return { role, target, outcome: tcpFailure(err, what, target, host) };
  }
  if (url.protocol === 'http:') {
    const note = isLoopbackHost(host) ? 'plain http on this machine (the emulator), so TLS is not used' : 'plain http, so TLS is not used';
    return { role, target, outcome: pass(`TCP ${tcpMs} ms; ${note}`) };
  }

  try {
    const t = await handshake(host, port, ctx.probeTimeoutMs, ctx.clock.now, true);
    const issuer = nameOf(t.cert.issuer);
    return { role, target, outcome: pass(`TCP ${tcpMs} ms, ${t.protocol} ${t.ms} ms${issuer ? `, certificate from ${issuer}` : ''}`) };
  } catch (err) {
    return { role, target, outcome: await tlsFailure(ctx, err, what, target, host, port) };
  }
}

function tcpFailure(err: unknown, what: string, target: string, host: string): CheckOutcome {
  const code = errnoCode(err);
  const local = isLoopbackHost(host);
  const fix =
    code === 'ECONNREFUSED' && local
      ? 'start the emulator (`sfoauth emulator`) or fix the port in the profile\'s login URL / instance URL'
      : code === 'ETIMEDOUT'
        ? 'a firewall may be dropping outgoing connections; if your network requires a proxy, set HTTPS_PROXY (e.g. export HTTPS_PROXY=http://proxy.example.com:8080)'
        : 'check the host and port, your network connection, VPN or firewall; if your network requires a proxy, set HTTPS_PROXY';
  return fail(`cannot connect to ${what} ${target}: ${describeSocketError(err)}`, fix, { exitCode: EXIT.NETWORK });
}

async function tlsFailure(ctx: DoctorContext, err: unknown, what: string, target: string, host: string, port: number): Promise<CheckOutcome> {
  const code = errnoCode(err) ?? 'TLS error';
  if (code === 'ETIMEDOUT') return fail(`the TLS handshake with ${what} ${target} did not finish within ${ctx.probeTimeoutMs / 1000} s`, 'a firewall or proxy may be interfering; try again, or set HTTPS_PROXY if your network requires a proxy', { exitCode: EXIT.NETWORK });
  // Look at the certificate without trusting it, to say who issued it.
  const seen = await handshake(host, port, ctx.probeTimeoutMs, ctx.clock.now, false).catch(() => undefined);
  const root = seen ? rootName(seen.cert) : undefined;
  const detail = seen ? [`certificate for ${nameOf(seen.cert.subject) ?? '?'}, issued by ${nameOf(seen.cert.issuer) ?? '?'}${root ? `, chain ending at ${root}` : ''}`] : [];
  const extra = ctx.env.NODE_EXTRA_CA_CERTS;

  if (UNTRUSTED_CHAIN.has(code)) {
    const fix = extra
      ? `NODE_EXTRA_CA_CERTS=${extra} does not hold the CA that signed this certificate; add that CA (ask IT for the proxy's root certificate, PEM) to the file`
      : `a proxy or antivirus is re-signing TLS traffic: save its root CA certificate (PEM; ask IT) and export NODE_EXTRA_CA_CERTS=${shellQuote('/path/to/corporate-ca.pem')}`;
    return fail(`the TLS certificate of ${what} ${target} is not trusted (${code})${root ? `: its chain ends at ${root}, not a public CA` : ''}`, fix, {
      detail,
      exitCode: EXIT.NETWORK,
    });
  }
  if (CLOCK_CODES.has(code)) {
    return fail(`the TLS certificate of ${what} ${target} is ${code === 'CERT_HAS_EXPIRED' ? 'expired' : 'not valid yet'} by this machine's clock`, 'check the date and time of this machine (turn on automatic time sync); if they are right, a proxy may be serving an old certificate', {
      detail,
      exitCode: EXIT.NETWORK,
    });
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return fail(`the TLS certificate of ${what} ${target} is for other host names${seen?.cert.subjectaltname ? ` (${seen.cert.subjectaltname.slice(0, 120)})` : ''}`, 'check the host name; if it is right, a proxy is answering in its place: check HTTPS_PROXY / NO_PROXY', {
      detail,
      exitCode: EXIT.NETWORK,
    });
  }
  return fail(`the TLS handshake with ${what} ${target} failed (${code})`, 'check your network, proxy (HTTPS_PROXY) and the host name', { detail, exitCode: EXIT.NETWORK });
}

/** Connects and disconnects; resolves with the time it took in ms. */
function tcp(host: string, port: number, timeoutMs: number, now: () => number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const socket = netConnect({ host, port });
    socket.setTimeout(timeoutMs, () => socket.destroy(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' })));
    socket.once('connect', () => {
      const ms = Math.round(now() - t0);
      socket.destroy();
      resolve(ms);
    });
    socket.once('error', reject);
  });
}

interface Handshake {
  ms: number;
  protocol: string;
  cert: DetailedPeerCertificate;
}

/** A TLS handshake with SNI (not for IP addresses); `verify` false only to read an untrusted certificate. */
function handshake(host: string, port: number, timeoutMs: number, now: () => number, verify: boolean): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const socket = tlsConnect({ host, port, rejectUnauthorized: verify, ALPNProtocols: ['http/1.1'], ...(isIP(host) ? {} : { servername: host }) });
    socket.setTimeout(timeoutMs, () => socket.destroy(Object.assign(new Error('TLS handshake timed out'), { code: 'ETIMEDOUT' })));
    socket.once('secureConnect', () => {
      const ms = Math.round(now() - t0);
      const result = { ms, protocol: socket.getProtocol() ?? 'TLS', cert: socket.getPeerCertificate(true) };
      socket.destroy();
      resolve(result);
    });
    socket.once('error', reject);
  });
}

function nameOf(entity: PeerCertificate['issuer'] | undefined): string | undefined {
  if (!entity) return undefined;
  const pick = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const cn = pick(entity.CN);
  const o = pick(entity.O);
  if (cn && o && !cn.includes(o)) return `"${cn}" (${o})`;
  return cn ? `"${cn}"` : o ? `"${o}"` : undefined;
}

/** The last certificate of the chain the server sent (a self-signed root points at itself). */
function rootName(cert: DetailedPeerCertificate): string | undefined {
  let current = cert;
  for (let i = 0; i < 10; i++) {
    const next = current.issuerCertificate;
    if (!next || next === current || next.fingerprint256 === current.fingerprint256) break;
    current = next;
  }
  return nameOf(current === cert ? cert.issuer : current.subject);
}

function describeSocketError(err: unknown): string {
  const code = errnoCode(err);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (ECONNREFUSED): nothing listens there';
    case 'ETIMEDOUT':
      return 'no answer (timed out)';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no route to the host (${code})`;
    case 'ECONNRESET':
      return 'the connection was reset (ECONNRESET)';
    case 'ENOTFOUND':
      return 'no such host (ENOTFOUND)';
    default:
      return code ?? (err instanceof Error ? err.message : String(err));
  }
}
