import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PortInUseError, UsageError } from '../errors.js';
import { checkPortFree, describePortHolder, explainListenError, isAddressUnavailable } from './port.js';
import { findFreePort as freePort } from './port.js';

const servers: Server[] = [];
const tempDirs: string[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  await Promise.all(tempDirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A server holding a port on `host`, closed after the test. */
async function hold(host: string, port = 0): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}


const ipv6Loopback = await new Promise<boolean>((resolve) => {
  const probe = createServer();
  probe.once('error', () => resolve(false));
  probe.listen({ port: 0, host: '::1' }, () => probe.close(() => resolve(true)));
});

describe('checkPortFree', () => {
  it('resolves for a free port and releases it again', async () => {
    const port = await freePort();
    await checkPortFree(port, ['127.0.0.1']);
    // Released: the port can be bound right after the check.
    await expect(hold('127.0.0.1', port)).resolves.toBe(port);
  });

  it('throws PortInUseError (exit 2) naming the port and the fix when the port is taken', async () => {
    const port = await hold('127.0.0.1');
    const err = await checkPortFree(port, ['127.0.0.1']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PortInUseError);
    const portErr = err as PortInUseError;
    expect(portErr.port).toBe(port);
    expect(portErr.exitCode).toBe(2);
    expect(portErr.message).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(portErr.hint).toContain(`--callback-url http://localhost:${port + 1}/OauthRedirect`);
    if (process.platform === 'linux') {
      expect(portErr.message).toContain(`node (pid ${process.pid})`);
      expect(portErr.hint).toContain(`Stop node (pid ${process.pid})`);
    }
  });

  it("suggests the caller's own callback host and path in the hint", async () => {
    const port = await hold('127.0.0.1');
    await expect(checkPortFree(port, ['127.0.0.1'], new URL(`http://127.0.0.1:${port}/sf/callback`))).rejects.toMatchObject({
      hint: expect.stringContaining(`--callback-url http://127.0.0.1:${port + 1}/sf/callback`),
    });
  });

  it.runIf(ipv6Loopback)('checks every address: ::1 taken is a busy port even when 127.0.0.1 is free', async () => {
    const port = await hold('::1');
    await expect(checkPortFree(port, ['127.0.0.1', '::1'])).rejects.toBeInstanceOf(PortInUseError);
  });

  it('skips an address the machine does not have', async () => {
    const port = await freePort();
    // 203.0.113.1 (TEST-NET-3) is on no interface: EADDRNOTAVAIL, like ::1 on a machine without IPv6.
    await expect(checkPortFree(port, ['127.0.0.1', '203.0.113.1'])).resolves.toBeUndefined();
  });
});

describe('explainListenError', () => {
  it('turns EACCES (a privileged port) into a usage error that suggests a higher port', async () => {
    const eacces = Object.assign(new Error('listen EACCES'), { code: 'EACCES' });
    const err = await explainListenError(eacces, 80, '127.0.0.1', new URL('http://localhost/OauthRedirect'));
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).hint).toContain('http://localhost:1717/OauthRedirect');
  });

  it('mentions the Salesforce CLI when the busy port is 1717', async () => {
    const inUse = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
    const err = (await explainListenError(inUse, 1717, '127.0.0.1')) as PortInUseError;
    expect(err.hint).toContain('sf org login web');
    expect(err.hint).toContain('--callback-url http://localhost:1718/OauthRedirect');
  });

  it('returns other errors unchanged', async () => {
    const other = Object.assign(new Error('boom'), { code: 'EMFILE' });
    await expect(explainListenError(other, 1717, '127.0.0.1')).resolves.toBe(other);
  });

  it('recognises the "no such address" errors', () => {
    expect(isAddressUnavailable(Object.assign(new Error(), { code: 'EADDRNOTAVAIL' }))).toBe(true);
    expect(isAddressUnavailable(Object.assign(new Error(), { code: 'EAFNOSUPPORT' }))).toBe(true);
    expect(isAddressUnavailable(Object.assign(new Error(), { code: 'EADDRINUSE' }))).toBe(false);
    expect(isAddressUnavailable('EADDRNOTAVAIL')).toBe(false);
  });
});

describe('describePortHolder', () => {
  const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
  /** A row of /proc/net/tcp: local address, state, inode. */
  const row = (local: string, st: string, inode: string) =>
    `   0: ${local} 00000000:0000 ${st} 00000000:00000000 00:00000000 00000000  1000        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;

  async function fakeProc(opts: { tcp?: string; tcp6?: string; pids: Record<string, { comm: string; cmdline?: string[]; fds: string[] }> }) {
    const root = await mkdtemp(join(tmpdir(), 'sfoauth-proc-'));
    tempDirs.push(root);
    await mkdir(join(root, 'net'));
    await writeFile(join(root, 'net/tcp'), header + (opts.tcp ?? ''));
    await writeFile(join(root, 'net/tcp6'), header + (opts.tcp6 ?? ''));
    await mkdir(join(root, 'self'));
    for (const [pid, p] of Object.entries(opts.pids)) {
      await mkdir(join(root, pid, 'fd'), { recursive: true });
      await writeFile(join(root, pid, 'comm'), `${p.comm}\n`);
      await writeFile(join(root, pid, 'cmdline'), (p.cmdline ?? [p.comm]).join('\0') + '\0');
      for (const [i, target] of p.fds.entries()) await symlink(target, join(root, pid, 'fd', String(i)));
    }
    return root;
  }

  it('names the process whose socket listens on the port (IPv4 table)', async () => {
    const root = await fakeProc({
      tcp: row('0100007F:06B5', '0A', '4242'), // 127.0.0.1:1717 LISTEN
      pids: {
        '10': { comm: 'bash', fds: ['/dev/null', 'socket:[1]'] },
        '1234': { comm: 'python3', fds: ['pipe:[7]', 'socket:[4242]'] },
      },
    });
    await expect(describePortHolder(1717, root)).resolves.toBe('python3 (pid 1234)');
  });

  it('reads the IPv6 table too, and calls a node process running the Salesforce CLI `sf`', async () => {
    const root = await fakeProc({
      tcp6: row('00000000000000000000000001000000:06B5', '0A', '777'), // [::1]:1717
      pids: { '99': { comm: 'node', cmdline: ['node', '/usr/local/bin/sf', 'org', 'login', 'web'], fds: ['socket:[777]'] } },
    });
    await expect(describePortHolder(1717, root)).resolves.toBe('sf (pid 99)');
  });

  it('ignores other ports and sockets that are not listening', async () => {
    const root = await fakeProc({
      tcp: row('0100007F:06B6', '0A', '5') + row('0100007F:06B5', '01', '6'), // 1718 listening; 1717 established
      pids: { '5': { comm: 'other', fds: ['socket:[5]', 'socket:[6]'] } },
    });
    await expect(describePortHolder(1717, root)).resolves.toBeUndefined();
  });

  it('returns undefined when the owner cannot be found (another user) or /proc is missing', async () => {
    const root = await fakeProc({ tcp: row('0100007F:06B5', '0A', '4242'), pids: { '1': { comm: 'init', fds: [] } } });
    await expect(describePortHolder(1717, root)).resolves.toBeUndefined();
    await expect(describePortHolder(1717, join(root, 'missing'))).resolves.toBeUndefined();
  });

  it.runIf(process.platform === 'linux')('names this test process (node) for a port it holds', async () => {
    const port = await hold('127.0.0.1');
    await expect(describePortHolder(port)).resolves.toBe(`node (pid ${process.pid})`);
  });
});
