/**
 * Shared plumbing for the doctor integration tests: an emulator with a logged-in profile saved in a
 * temporary config directory, and `sfoauth doctor` run through a small commander program with real
 * fetch, a real clock and the real conf store.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { createTestDeps, refusingBrowser } from '../support/test-deps.js';
import { registerDoctor } from '../../src/cli/commands/doctor/command.js';
import { realClock } from '../../src/deps.js';
import { SilentError } from '../../src/errors.js';
import { openConfStore } from '../../src/platform/conf-store.js';
import { startEmulator, type AppInput, type EmulatorApp, type RunningEmulator } from '../../src/emulator/index.js';
import type { Profile, WebServerProfile } from '../../src/core/config/profile.js';
import type { ProfileStore } from '../../src/core/config/store.js';
import type { DoctorContext } from '../../src/core/doctor/context.js';
import type { HttpClient, HttpRequest } from '../../src/core/http/request.js';
import { login } from '../emulator/helpers.js';
import { webServerProfile } from '../support/web-server-profile.js';
import { findFreePort as freePort } from '../../src/platform/port.js';
export { freePort };

export interface Fixture {
  emu: RunningEmulator;
  app: EmulatorApp;
  dir: string;
  store: ProfileStore;
  profile: WebServerProfile;
  callbackPort: number;
  close(): Promise<void>;
}


export async function tempConfigDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'sfoauth-doctor-'));
}

/**
 * Starts an auto-approving emulator, logs in through it (authorization code + PKCE) and saves the
 * result as profile "default" in a fresh config directory, as `sfoauth init` would.
 */
export async function setup(opts: { sandbox?: boolean; app?: AppInput; env?: 'production' | 'sandbox'; clock?: () => number } = {}): Promise<Fixture> {
  const callbackPort = await freePort();
  const callbackUrl = `http://127.0.0.1:${callbackPort}/OauthRedirect`;
  const emu = await startEmulator({
    autoApprove: true,
    sandbox: opts.sandbox === true,
    apps: [{ callbackUrls: [callbackUrl], ...opts.app }],
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const app = emu.apps[0]!;
  const tokens = await login(emu, app, { scope: 'api refresh_token' });
  const dir = await tempConfigDir();
  const store = await openConfStore({ configDir: dir, env: {} });
  const [orgId, userId] = new URL(tokens.id).pathname.split('/').slice(2);
  const profile: WebServerProfile = {
    flow: 'web-server',
    env: opts.env ?? (opts.sandbox ? 'sandbox' : 'production'),
    appType: app.appType,
    loginUrl: emu.loginUrl,
    callbackUrl,
    extraCallbackUrls: [],
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    scopes: ['api', 'refresh_token'],
    refreshToken: tokens.refresh_token!,
    instanceUrl: tokens.instance_url,
    idUrl: tokens.id,
    userId: userId!,
    orgId: orgId!,
    username: emu.user.username,
    createdAt: new Date().toISOString(),
  };
  await store.save('default', profile);
  return {
    emu,
    app,
    dir,
    store,
    profile,
    callbackPort,
    close: async () => {
      await emu.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface DoctorRun {
  code: number;
  stderr: string;
  stdout: string;
  /** The report's lines (stdout). */
  lines: string[];
}

/** Runs `sfoauth doctor <args>` against `configDir`; `env` is the whole environment the command sees. */
export async function runDoctorCommand(args: string[], opts: { configDir: string; env?: Record<string, string> }): Promise<DoctorRun> {
  const env = { SFOAUTH_CONFIG_DIR: opts.configDir, ...opts.env };
  const { deps, t } = createTestDeps({
    env,
    fetch: globalThis.fetch,
    openBrowser: refusingBrowser('doctor'),
    openStore: (dir) => openConfStore({ configDir: dir, env }),
  });
  const program = new Command('sfoauth')
    .option('--profile <name>')
    .option('--config-dir <dir>')
    .option('--json')
    .option('--verbose')
    .option('--no-color')
    .exitOverride();
  registerDoctor(program, { deps });
  for (const cmd of program.commands) cmd.exitOverride();
  let code = 0;
  try {
    await program.parseAsync(['doctor', ...args], { from: 'user' });
  } catch (err) {
    if (!(err instanceof SilentError)) throw err;
    code = err.exitCode;
  }
  // The report is the command's output (stdout); stderr holds only notices.
  const stdout = t.stdout();
  return { code, stderr: t.stderr(), stdout, lines: stdout.split('\n') };
}

/**
 * The first check that did not pass, as printed: its ✗ or ! line and the indented lines under it
 * (detail and "→ Fix:"). Undefined when every check passed or was skipped.
 */
export function firstProblem(run: DoctorRun, kind: 'fail' | 'any' = 'any'): { line: string; block: string; fix: string } | undefined {
  const icon = kind === 'fail' ? /^ {2}✗ / : /^ {2}[✗!] /;
  const start = run.lines.findIndex((l) => icon.test(l));
  if (start === -1) return undefined;
  const block = [run.lines[start]!];
  for (const l of run.lines.slice(start + 1)) {
    if (!l.startsWith('      ')) break;
    block.push(l);
  }
  const fix = block.find((l) => l.includes('→ Fix:'))?.replace(/^\s*→ Fix:\s*/, '') ?? '';
  return { line: run.lines[start]!, block: block.join('\n'), fix };
}

/** A DoctorContext for unit tests: a valid profile, no network unless `http` is given. */
export function fakeDoctorContext(overrides: Partial<DoctorContext> = {}): DoctorContext {
  const profile: Profile = webServerProfile({
    clientId: `3MVG9${'k'.repeat(80)}`,
    clientSecret: 'F'.repeat(64),
    refreshToken: '5Aep861REAL-REFRESH-TOKEN-must-never-be-sent',
    instanceUrl: 'https://acme.my.salesforce.com',
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  const http: HttpClient = { request: () => Promise.reject(new Error('no network in this test')) };
  const base: DoctorContext = {
    clock: realClock,
    http,
    env: {},
    nodeVersion: 'v20.20.2',
    platform: 'linux',
    random: (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)),
    fix: false,
    configFile: '/nonexistent/sfoauth/config.json',
    store: undefined,
    source: 'profile',
    profileName: 'default',
    profile,
    configUnreadable: false,
    verify: {
      http,
      clock: realClock,
      source: 'profile',
      profileName: 'default',
      profile,
      refresh: () => Promise.reject(new Error('not in this test')),
    },
    checkPortFree: () => Promise.resolve(),
    probeTimeoutMs: 2000,
  };
  return { ...base, ...overrides };
}

/** An HttpClient that answers every request with `reply` and records what was asked. */
export function scriptedHttp(reply: (req: HttpRequest) => { status: number; body?: string; headers?: Record<string, string> }): HttpClient & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    request: async (req) => {
      requests.push(req);
      const r = reply(req);
      const text = r.body ?? '';
      return {
        status: r.status,
        headers: new Headers(r.headers ?? {}),
        text,
        url: String(req.url),
        json: () => JSON.parse(text) as unknown,
      };
    },
  };
}
