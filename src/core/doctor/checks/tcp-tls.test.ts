import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeDoctorContext, freePort } from '../../../../test/doctor/harness.js';
import { tcpTlsCheck } from './tcp-tls.js';

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();

/** A TLS server whose certificate comes from a private "inspection" CA, as a TLS-inspecting proxy presents. */
describe.skipIf(!hasOpenssl)('TCP and TLS against a server signed by a private CA', () => {
  let dir: string;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sfoauth-tls-'));
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Corp Inspection Root/O=Corp IT');
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=localhost');
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    ssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '2', '-extfile', 'ext.cnf');
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    server = createServer({ key: read('leaf.key'), cert: read('leaf.pem') + read('ca.pem') }, (socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const ctxFor = (env: Record<string, string> = {}) => {
    const base = fakeDoctorContext({ env });
    return { ...base, profile: { ...base.profile!, loginUrl: `https://127.0.0.1:${port}`, instanceUrl: undefined } } as typeof base;
  };

  it('names the untrusted chain and gives the NODE_EXTRA_CA_CERTS fix', async () => {
    const o = await tcpTlsCheck.run(ctxFor());
    expect(o.status).toBe('fail');
    expect(o.exitCode).toBe(3);
    expect(o.summary).toContain(`the TLS certificate of the login host 127.0.0.1:${port} is not trusted (SELF_SIGNED_CERT_IN_CHAIN)`);
    expect(o.summary).toContain('"Corp Inspection Root" (Corp IT)');
    expect(o.fix).toContain('export NODE_EXTRA_CA_CERTS=');
  });

  it('when NODE_EXTRA_CA_CERTS is already set, says that file lacks the CA', async () => {
    const o = await tcpTlsCheck.run(ctxFor({ NODE_EXTRA_CA_CERTS: '/etc/corp/ca.pem' }));
    expect(o.fix).toContain('NODE_EXTRA_CA_CERTS=/etc/corp/ca.pem does not hold the CA');
  });
});

describe('TCP and TLS', () => {
  it('connects to a plain-http loopback host with TCP only and says TLS is not used', async () => {
    const tcp = createTcpServer((s) => s.end());
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const address = tcp.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const base = fakeDoctorContext();
      const ctx = { ...base, profile: { ...base.profile!, loginUrl: `http://127.0.0.1:${port}`, instanceUrl: undefined } };
      const o = await tcpTlsCheck.run(ctx);
      expect(o.status).toBe('pass');
      expect(o.summary).toMatch(/^login 127\.0\.0\.1:\d+: TCP \d+ ms; plain http on this machine \(the emulator\), so TLS is not used$/);
    } finally {
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    }
  });

  it('behind a proxy, checks the way to the proxy instead of the host', async () => {
    const closed = await freePort();
    const base = fakeDoctorContext({ env: { HTTPS_PROXY: `http://127.0.0.1:${closed}` } });
    const ctx = { ...base, profile: { ...base.profile!, instanceUrl: undefined } };
    const o = await tcpTlsCheck.run(ctx);
    expect(o.status).toBe('fail');
    expect(o.summary).toContain(`cannot reach the proxy http://127.0.0.1:${closed}`);
    expect(o.fix).toContain('check HTTPS_PROXY');
  });
});
