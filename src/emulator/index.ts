/**
 * The local Salesforce OAuth emulator (README.md "The emulator"; docs/salesforce.md §13). Two loopback
 * listeners: the login host (login.salesforce.com, or test.salesforce.com with `sandbox`) and the
 * instance host (the org's My Domain, returned as `instance_url`). A test double: loopback only, in
 * memory only, and every page says it is not Salesforce.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { TlsMaterial } from './tls.js';
import { PortInUseError, UsageError } from '../errors.js';
import { cloneApp, createApp, isPropagating, patchApp, validateAppInputs, validateAppPatch, type AppInput, type AppPatch, type EmulatorApp } from './apps.js';
import type { EmulatorContext, OrgInfo } from './context.js';
import { noFaults, setFaultValue, type FaultName, type FaultState } from './faults.js';
import { createEcaRegistry } from './eca-registry.js';
import { createIdTokenSigner } from './id-token.js';
import { newPod, newRecordId } from './ids.js';
import { defaultMyDomain, isOrgType, orgIsSandbox, ORG_TYPES, type OrgType } from './org.js';
import { withoutSecret, type ControlOps } from './routes/control.js';
import { createDelays, createListener } from './server.js';
import { TokenStore } from './store.js';
import { createUser, DEMO_USERNAME, type EmulatorUser } from './users.js';
import { LATEST, OLDEST_VERSION } from './routes/rest.js';

export type { AppInput, AppPatch, AppType, EmulatorApp, RefreshTokenPolicy, ClientCredentialsSettings } from './apps.js';
export { DEFAULT_CALLBACK_URL } from './apps.js';
export type { FaultName, FaultState } from './faults.js';
export { FAULT_NAMES } from './faults.js';
export type { OrgInfo } from './context.js';
export type { EmulatorUser } from './users.js';
export { DEMO_USERNAME, DEMO_PASSWORD } from './users.js';
export { LATEST_API_VERSION } from './routes/rest.js';
export { ORG_TYPES, type OrgType } from './org.js';

export type LoopbackHost = '127.0.0.1' | '::1' | 'localhost';

export interface EmulatorOptions {
  /** Loopback only (default 127.0.0.1). `localhost` listens on 127.0.0.1 and, when available, ::1. */
  host?: LoopbackHost;
  /** Login host port; 0 (default) picks a free one. */
  port?: number;
  /** Instance (My Domain) host port; 0 (default) picks a free one. */
  instancePort?: number;
  /** The kind of org (default production): decides the Organization record and the default My Domain. */
  orgType?: OrgType;
  /** Same as `orgType: 'sandbox'` (kept for existing callers). */
  sandbox?: boolean;
  /** Skip the login and approval pages: /authorize answers at once (Allow, or Deny under `userDenies`). */
  autoApprove?: boolean;
  /** Apps to create; with none, one External Client App with generated credentials. */
  apps?: AppInput[];
  /** The org's My Domain name (default `sfoauth-emulator`, `sfoauth-emulator--sandbox`, `…-dev-ed`, `…-scratch`). */
  myDomain?: string;
  /** Epoch milliseconds (default Date.now): code and token expiry, issued_at, propagation delays. */
  clock?: () => number;
  /** Serve https with a certificate made at start; `caFile` names the CA to trust (NODE_EXTRA_CA_CERTS). */
  tls?: boolean;
  /** Metadata deploys stay InProgress this long (default 300 ms). */
  deployMs?: number;
  /** Apps created by a deploy answer `invalid_client_id` this long after the deploy is done (default 0). */
  deployedAppPropagationMs?: number;
  /**
   * The newest REST API version the org lists and serves, 31 to LATEST_API_VERSION (default): an org on
   * an older release, e.g. 58 (no External Client App metadata) or 59 (no credentials API).
   */
  maxApiVersion?: number;
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:PORT; acts as login.salesforce.com (test.salesforce.com with `sandbox`). No trailing slash. */
  readonly loginUrl: string;
  /** e.g. http://127.0.0.1:PORT2; the org's My Domain, returned as `instance_url`. No trailing slash. */
  readonly instanceUrl: string;
  /** Copies of the apps' current settings (including their secrets). */
  readonly apps: EmulatorApp[];
  /** The user who logs in on the emulator's pages (username DEMO_USERNAME, password DEMO_PASSWORD). */
  readonly user: EmulatorUser;
  readonly org: OrgInfo;
  /** With `tls`: the PEM file of the CA that signed the emulator's certificate (deleted on close). */
  readonly caFile?: string;
  /** A copy of the current fault switches. */
  readonly faults: FaultState;
  /** Booleans for switches; `serverError` takes a count (true = 1), `slowMs` milliseconds. Throws UsageError for an unknown name. */
  setFault(name: FaultName, on: boolean | number): void;
  /** Changes a running app's settings (not its client id or type). Throws UsageError for an unknown app or bad setting. */
  updateApp(clientId: string, patch: AppPatch): EmulatorApp;
  /** Revokes every code, access token and refresh token issued so far. */
  revokeAll(): void;
  /** Stops both listeners and drops open connections. Safe to call twice. */
  close(): Promise<void>;
}

const LOOPBACK: readonly string[] = ['127.0.0.1', '::1', 'localhost'];

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK.includes(host)) {
    throw new UsageError(`The emulator only listens on loopback addresses, not "${String(host)}".`, {
      hint: 'Use --host 127.0.0.1 (the default), ::1 or localhost.',
    });
  }
  const port = checkPort(opts.port ?? 0, '--port');
  const instancePort = checkPort(opts.instancePort ?? 0, '--instance-port');
  if (port !== 0 && port === instancePort) {
    throw new UsageError(`The login and instance hosts need different ports (both are ${port}).`, {
      hint: 'Pass a different --instance-port, or 0 to pick a free one.',
    });
  }
  const { apps: inputs, issues } = validateAppInputs(opts.apps ?? []);
  if (issues.length > 0) {
    throw new UsageError(`The emulator app settings are invalid:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
  }
  const orgType = orgTypeOf(opts);
  const sandbox = orgIsSandbox(orgType);
  const myDomain = opts.myDomain ?? defaultMyDomain(orgType);
  if (!/^[A-Za-z0-9]+(-{1,2}[A-Za-z0-9]+)*$/.test(myDomain)) {
    throw new UsageError(`"${myDomain}" is not a My Domain name: use letters, digits and hyphens (e.g. acme or acme--dev).`);
  }

  const now = opts.clock ?? Date.now;
  const pod = newPod();
  const org: OrgInfo = { id: newRecordId('00D', pod), myDomain, type: orgType, sandbox, createdAt: now() };
  const user = createUser({ orgId: org.id, pod, username: DEMO_USERNAME, now: now() });
  const users = new Map<string, EmulatorUser>([[user.id, user]]);
  const apps = new Map<string, EmulatorApp>();
  for (const input of inputs.length > 0 ? inputs : [{}]) {
    const app = createApp(input, now());
    apps.set(app.clientId, app);
  }

  const ctx: EmulatorContext = {
    loginUrl: '',
    instanceUrl: '',
    org,
    user,
    users,
    apps,
    faults: noFaults(),
    store: new TokenStore(),
    autoApprove: opts.autoApprove === true,
    idTokens: createIdTokenSigner(),
    api: { used: 0, max: 15000 },
    metadata: createEcaRegistry({ deployMs: opts.deployMs, propagationMs: opts.deployedAppPropagationMs }),
    maxApiVersion: checkApiVersion(opts.maxApiVersion),
    now,
    userByUsername(username, create) {
      const found = [...users.values()].find((u) => u.username.toLowerCase() === username.toLowerCase());
      if (found || !create) return found;
      const added = createUser({ orgId: org.id, pod, username, now: now(), integration: true });
      users.set(added.id, added);
      return added;
    },
  };

  const updateApp = (clientId: string, patch: AppPatch): EmulatorApp => {
    const app = apps.get(clientId);
    if (!app) throw new UsageError('No emulator app has that client id.', { hint: 'GET /__emulator/state lists the apps.' });
    const { patch: valid, issues: patchIssues } = validateAppPatch(patch);
    if (patchIssues.length > 0) throw new UsageError(`The app settings are invalid:\n${patchIssues.map((i) => `  - ${i}`).join('\n')}`);
    const updated = patchApp(app, valid);
    apps.set(clientId, updated);
    return cloneApp(updated);
  };
  const ops: ControlOps = {
    setFaults(values) {
      // All or nothing: validate every entry on a copy before touching the live switches.
      const next = { ...ctx.faults };
      for (const [name, value] of Object.entries(values)) setFaultValue(next, name, value);
      Object.assign(ctx.faults, next);
      return { ...ctx.faults };
    },
    updateApp,
    revokeAll: () => ctx.store.revokeAll(),
    state: () => ({
      loginUrl: ctx.loginUrl,
      instanceUrl: ctx.instanceUrl,
      org,
      user: { id: user.id, username: user.username },
      apps: [...apps.values()].map((a) => ({ ...withoutSecret(a), propagating: isPropagating(a, now()) })),
      faults: { ...ctx.faults },
      tokens: ctx.store.counts(),
      // Ids and Consumer Keys only: the secrets stay in `apps`' private settings.
      externalClientApps: [...ctx.metadata.ecas.values()],
      apiUsage: { ...ctx.api },
    }),
  };

  const delays = createDelays();
  const servers: Server[] = [];
  let tls: TlsMaterial | undefined;
  const closeAll = async () => {
    delays.cancelAll();
    await Promise.all(servers.splice(0).map(closeServer));
    await tls?.dispose();
    tls = undefined;
  };
  try {
    if (opts.tls === true) tls = await (await import('./tls.js')).createTlsMaterial(now());
    const keys = tls && { key: tls.key, cert: tls.cert };
    const serve = (listener: RequestListener): Server => (keys ? createTlsServer(keys, listener) : createServer(listener));
    const loginPort = await listenRole(servers, host, port, 'login', serve, () => createListener(ctx, 'login', () => ctx.loginUrl, ops, delays));
    ctx.loginUrl = originOf(host, loginPort, tls !== undefined);
    const instPort = await listenRole(servers, host, instancePort, 'instance', serve, () =>
      createListener(ctx, 'instance', () => ctx.instanceUrl, ops, delays),
    );
    ctx.instanceUrl = originOf(host, instPort, tls !== undefined);
  } catch (err) {
    await closeAll();
    throw err;
  }
  const caFile = tls?.caFile;

  return {
    loginUrl: ctx.loginUrl,
    instanceUrl: ctx.instanceUrl,
    get apps() {
      return [...apps.values()].map(cloneApp);
    },
    user: { ...user },
    org: { ...org },
    ...(caFile === undefined ? {} : { caFile }),
    get faults() {
      return { ...ctx.faults };
    },
    setFault: (name, on) => setFaultValue(ctx.faults, name, on),
    updateApp,
    revokeAll: () => ctx.store.revokeAll(),
    close: closeAll,
  };
}

function orgTypeOf(opts: EmulatorOptions): OrgType {
  const type = opts.orgType ?? (opts.sandbox === true ? 'sandbox' : 'production');
  if (!isOrgType(type)) throw new UsageError(`Unknown org type "${String(type)}".`, { hint: `Use one of: ${ORG_TYPES.join(', ')}.` });
  if (opts.sandbox === true && type !== 'sandbox') {
    throw new UsageError(`--sandbox is the same as --org-type sandbox, so it cannot be combined with --org-type ${type}.`);
  }
  return type;
}

function checkApiVersion(version: number | undefined): number {
  if (version === undefined) return LATEST;
  if (!Number.isInteger(version) || version < OLDEST_VERSION || version > LATEST) {
    throw new UsageError(`The newest API version must be a whole number from ${OLDEST_VERSION} to ${LATEST}, not ${String(version)}.`);
  }
  return version;
}

function checkPort(port: number, flag: string): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`${flag} must be a port number from 0 to 65535 (0 picks a free port).`);
  }
  return port;
}

function originOf(host: string, port: number, https: boolean): string {
  return `${https ? 'https' : 'http'}://${host === '::1' ? '[::1]' : host}:${port}`;
}

/**
 * Binds one role's listener(s). `localhost` gets 127.0.0.1 plus ::1 on the same port (where the
 * machine has IPv6), because clients may resolve localhost to either.
 */
async function listenRole(
  servers: Server[],
  host: string,
  port: number,
  role: 'login' | 'instance',
  serve: (listener: RequestListener) => Server,
  makeListener: () => RequestListener,
): Promise<number> {
  const listener = makeListener();
  if (host !== 'localhost') {
    const server = serve(listener);
    servers.push(server);
    return listen(server, host, port, role);
  }
  for (let attempt = 0; ; attempt++) {
    const v4 = serve(listener);
    servers.push(v4);
    const bound = await listen(v4, '127.0.0.1', port, role);
    const v6 = serve(listener);
    try {
      await listen(v6, '::1', bound, role);
      servers.push(v6);
      return bound;
    } catch (err) {
      const code = (err as { cause?: NodeJS.ErrnoException }).cause?.code;
      if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT') return bound; // no IPv6 loopback here
      // ::1 has that port taken by someone else: with a free-port request, try another pair.
      if (err instanceof PortInUseError && port === 0 && attempt < 5) {
        servers.splice(servers.indexOf(v4), 1);
        await closeServer(v4);
        continue;
      }
      throw err;
    }
  }
}

function listen(server: Server, host: string, port: number, role: 'login' | 'instance'): Promise<number> {
  const flag = role === 'login' ? '--port' : '--instance-port';
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(
          new PortInUseError(port, `Port ${port} on ${host} is already in use, so the emulator cannot start its ${role} host.`, {
            hint: `Stop the program using it, or pass another ${flag} (0 picks a free port).`,
            cause: err,
          }),
        );
      } else if (err.code === 'EACCES') {
        reject(new UsageError(`Not allowed to listen on port ${port}.`, { hint: `Pass a port above 1023 with ${flag}, or 0.`, cause: err }));
      } else {
        reject(new UsageError(`The emulator cannot listen on ${host}:${port} (${err.code ?? err.message}).`, { cause: err }));
      }
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
