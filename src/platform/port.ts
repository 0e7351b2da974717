/**
 * Is the callback port free, and if not, who holds it? `init` asks before the browser opens, so a busy
 * port is a usage error with a fix (exit 2) instead of a Salesforce redirect that lands nowhere.
 * The callback server shares the error wording through explainListenError().
 */
import { readFile, readdir, readlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { platform } from 'node:os';
import { join } from 'node:path';
import { PortInUseError, UsageError } from '../errors.js';

/** The path suggested in hints when the caller does not say which callback URL it uses. */
const DEFAULT_CALLBACK_PATH = '/OauthRedirect';
/** The Salesforce CLI's `sf org login web` waits on this port too. */
const SF_CLI_PORT = 1717;

/**
 * Resolves when `port` can be bound on every address (tries each, then releases it). Throws
 * PortInUseError (with the holder and the fix) when one is taken. An address this machine does not
 * have (::1 without IPv6) is skipped, as the callback server skips it.
 */
export async function checkPortFree(port: number, addresses: string[], callbackUrl?: URL): Promise<void> {
  for (const address of addresses) {
    const server = createServer();
    try {
      await listen(server, port, address);
    } catch (err) {
      if (isAddressUnavailable(err)) continue;
      throw await explainListenError(err, port, address, callbackUrl);
    }
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Listens on exactly one address; rejects with the raw listen error (EADDRINUSE, EACCES…). */
export function listen(server: Server, port: number, address: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    // exclusive: never share the port through a cluster primary.
    server.listen({ port, host: address, exclusive: true });
  });
}

/** EADDRNOTAVAIL / EAFNOSUPPORT: the machine has no such address (typically ::1 with IPv6 off). */
export function isAddressUnavailable(err: unknown): boolean {
  const code = errnoCode(err);
  return code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT';
}

/**
 * Turns a listen error into the error the user sees: EADDRINUSE → PortInUseError naming the holder,
 * EACCES → UsageError (privileged port). Anything else comes back unchanged.
 */
export async function explainListenError(err: unknown, port: number, address: string, callbackUrl?: URL): Promise<unknown> {
  const code = errnoCode(err);
  const other = callbackUrlOnPort(port >= 65535 ? port - 1 : port + 1, callbackUrl);
  if (code === 'EADDRINUSE') {
    const holder = await describePortHolder(port);
    const who = holder ?? 'another program';
    const sfNote =
      holder?.startsWith('sf ') || port === SF_CLI_PORT
        ? ` The Salesforce CLI (\`sf org login web\`) also waits on port ${SF_CLI_PORT}; finish or cancel that login first.`
        : '';
    return new PortInUseError(port, `The callback port ${port} on ${address} is already in use by ${who}.`, {
      cause: err,
      hint:
        `Stop ${who} and run the command again, or register another callback URL on the app ` +
        `(e.g. ${other}) and pass --callback-url ${other}.${sfNote}`,
    });
  }
  if (code === 'EACCES') {
    return new UsageError(`sfoauth is not allowed to listen on port ${port} (${address}).`, {
      cause: err,
      hint: `Ports below 1024 need administrator rights. Register a callback URL with a higher port on the app (e.g. ${callbackUrlOnPort(SF_CLI_PORT, callbackUrl)}) and pass it with --callback-url.`,
    });
  }
  return err;
}

/**
 * Names the process listening on `port`, e.g. `node (pid 1234)`, from /proc on Linux. Undefined on other
 * systems, when the socket belongs to another user (its fds are unreadable), or on any read error.
 * `procRoot` is for tests.
 */
export async function describePortHolder(port: number, procRoot = '/proc'): Promise<string | undefined> {
  if (procRoot === '/proc' && platform() !== 'linux') return undefined;
  try {
    const inodes = new Set<string>();
    for (const table of ['net/tcp', 'net/tcp6']) {
      const text = await readFile(join(procRoot, table), 'utf8').catch(() => '');
      for (const inode of listeningInodes(text, port)) inodes.add(inode);
    }
    if (inodes.size === 0) return undefined;
    const pid = await pidOwningSocket(procRoot, inodes);
    if (pid === undefined) return undefined;
    return `${await processName(procRoot, pid)} (pid ${pid})`;
  } catch {
    return undefined;
  }
}

/** Rows of /proc/net/tcp{,6}: `sl local_address rem_address st … uid timeout inode`; st 0A = LISTEN. */
function listeningInodes(table: string, port: number): string[] {
  const found: string[] = [];
  for (const line of table.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    const local = cols[1];
    const inode = cols[9];
    if (local === undefined || inode === undefined || cols[3] !== '0A' || inode === '0') continue;
    const portHex = local.slice(local.lastIndexOf(':') + 1);
    if (Number.parseInt(portHex, 16) === port) found.push(inode);
  }
  return found;
}

/** Scans /proc/<pid>/fd for a `socket:[inode]` link. Other users' processes are unreadable: skipped. */
async function pidOwningSocket(procRoot: string, inodes: Set<string>): Promise<number | undefined> {
  const targets = new Set([...inodes].map((inode) => `socket:[${inode}]`));
  const entries = await readdir(procRoot);
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const fdDir = join(procRoot, entry, 'fd');
    let fds: string[];
    try {
      fds = await readdir(fdDir);
    } catch {
      continue;
    }
    for (const fd of fds) {
      const link = await readlink(join(fdDir, fd)).catch(() => undefined);
      if (link !== undefined && targets.has(link)) return Number(entry);
    }
  }
  return undefined;
}

/**
 * /proc/<pid>/comm, except that a node process running the Salesforce CLI is called `sf` (its comm is
 * `node`). Only the script's base name is read from the command line, never its arguments.
 */
async function processName(procRoot: string, pid: number): Promise<string> {
  const comm = (await readFile(join(procRoot, String(pid), 'comm'), 'utf8').catch(() => '')).trim() || 'a process';
  if (comm !== 'node') return comm;
  const argv = (await readFile(join(procRoot, String(pid), 'cmdline'), 'utf8').catch(() => '')).split('\0');
  const script = argv[1] ?? '';
  const base = script.slice(script.lastIndexOf('/') + 1);
  if (base === 'sf' || base === 'sfdx' || script.includes('/@salesforce/cli/')) return 'sf';
  return comm;
}

/** The user's callback URL moved to another port, for the "register another callback URL" hints. */
function callbackUrlOnPort(port: number, callbackUrl?: URL): string {
  const host = callbackUrl?.hostname ?? 'localhost'; // WHATWG keeps IPv6 hosts bracketed
  const path = callbackUrl?.pathname ?? DEFAULT_CALLBACK_PATH;
  return `http://${host}:${port}${path}`;
}

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/** A loopback port nothing listens on right now (listen on 0, read it, release it). */
export function findFreePort(address = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, address, () => {
      const bound = server.address();
      const port = typeof bound === 'object' && bound ? bound.port : 0;
      server.close(() => resolve(port));
    });
  });
}
