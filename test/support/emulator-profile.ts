/**
 * An emulator with one app and a profile saved by the real `sfoauth init` code (runInit), in a fresh
 * temporary config directory. The "browser" follows the authorize redirect into init's callback server,
 * so the profile holds exactly what a user's would. Every secret the test process can learn (the client
 * secret, authorization codes, access and refresh tokens from token responses it fetched) is collected
 * in `secretsSeen`, for the scans in no-secrets.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realClock, type FetchLike } from '../../src/deps.js';
import { noPrompts } from './test-deps.js';
import { DEFAULT_SCOPES } from '../../src/core/salesforce/scopes.js';
import { openConfStore } from '../../src/platform/conf-store.js';
import { runInit, type InitResult } from '../../src/app/init.js';
import { startEmulator, type OrgType, type AppInput, type EmulatorApp, type RunningEmulator } from '../../src/emulator/index.js';
import type { Environment } from '../../src/core/config/profile.js';
import type { ProfileStore } from '../../src/core/config/store.js';
import { createTestIO } from './test-io.js';
import { findFreePort as freePort } from '../../src/platform/port.js';
export { freePort };

export interface FetchCall {
  method: string;
  url: URL;
  status: number;
}

/** The global fetch, plus a log of every response and a hook that runs before the caller sees it. */
export interface RecordingFetch extends FetchLike {
  readonly calls: FetchCall[];
  onResponse: ((call: FetchCall) => void) | undefined;
}

/**
 * Wraps the global fetch: records each call and adds `access_token` / `refresh_token` / `id_token`
 * from token endpoint answers to `secrets`, so the tests know every token the code under test saw.
 */
export function recordingFetch(secrets: string[]): RecordingFetch {
  const calls: FetchCall[] = [];
  const wrapped = async (input: string | URL, init?: RequestInit): Promise<Response> => {
    const res = await globalThis.fetch(input, init);
    const url = new URL(String(input));
    if (url.pathname === '/services/oauth2/token' && res.ok) {
      try {
        const body = JSON.parse(await res.clone().text()) as Record<string, unknown>;
        for (const key of ['access_token', 'refresh_token', 'id_token']) {
          const v = body[key];
          if (typeof v === 'string' && v !== '') secrets.push(v);
        }
      } catch {
        // not JSON: nothing to learn
      }
    }
    const call: FetchCall = { method: init?.method ?? 'GET', url, status: res.status };
    calls.push(call);
    recorder.onResponse?.(call);
    return res;
  };
  const recorder: RecordingFetch = Object.assign(wrapped, { calls, onResponse: undefined });
  return recorder;
}

export interface EmulatorProfileOptions {
  /** Settings of the emulator's one app; the callback URL init listens on is always registered. */
  app?: AppInput;
  /** The emulator acts as a sandbox (identity URLs on test.salesforce.com). */
  sandbox?: boolean;
  /** The kind of org the emulator is (instead of `sandbox`). */
  orgType?: OrgType;
  /** The environment the profile claims; defaults to what the emulator is. */
  env?: Environment;
  /** Defaults to `default`. */
  profileName?: string;
}

export interface EmulatorProfile {
  emulator: RunningEmulator;
  /** The app as it was when init ran (includes its secret). */
  app: EmulatorApp;
  configDir: string;
  profileName: string;
  store: ProfileStore;
  /** Client secret, authorization code, refresh and access tokens seen so far; tests may add more. */
  secretsSeen: string[];
  /** A recording fetch that keeps adding to `secretsSeen`; pass it as deps.fetch. */
  fetch: RecordingFetch;
  init: InitResult;
  /** What init wrote to stderr and stdout. */
  initOutput: string[];
  /** Stops the emulator and deletes the config directory. Safe to call twice. */
  close(): Promise<void>;
}


/**
 * The callback port is picked free, then bound by init a moment later; a test running beside this one
 * can take it in between (EADDRINUSE). That race is the harness's, not sfoauth's: try again on a new port.
 */
export async function createEmulatorProfile(opts: EmulatorProfileOptions = {}): Promise<EmulatorProfile> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await createEmulatorProfileOnce(opts);
    } catch (err) {
      if (attempt >= 3 || !mentionsAddressInUse(err)) throw err;
    }
  }
}

function mentionsAddressInUse(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE' || /EADDRINUSE|already in use/.test(e.message)) return true;
  }
  return false;
}

async function createEmulatorProfileOnce(opts: EmulatorProfileOptions): Promise<EmulatorProfile> {
  const sandbox = opts.sandbox === true || opts.orgType === 'sandbox' || opts.orgType === 'scratch';
  const profileName = opts.profileName ?? 'default';
  const callbackUrl = `http://127.0.0.1:${await freePort()}/OauthRedirect`;
  const emulator = await startEmulator({
    autoApprove: true,
    ...(opts.orgType ? { orgType: opts.orgType } : { sandbox }),
    apps: [{ ...opts.app, callbackUrls: [callbackUrl, ...(opts.app?.callbackUrls ?? [])] }],
  });
  let made: string | undefined;
  const close = async () => {
    await emulator.close();
    if (made) await rm(made, { recursive: true, force: true });
    made = undefined;
  };
  try {
    const configDir = await mkdtemp(join(tmpdir(), 'sfoauth-it-'));
    made = configDir;
    const app = emulator.apps[0]!;
    const secretsSeen = [app.clientSecret];
    const fetch = recordingFetch(secretsSeen);
    const store = await openConfStore({ configDir, env: {} });
    const t = createTestIO({ env: { NO_COLOR: '1', CI: 'true' } });
    const init = await runInit(
      {
        profile: profileName,
        flow: 'web-server',
        env: opts.env ?? (sandbox ? 'sandbox' : 'production'),
        appType: app.appType,
        loginUrl: emulator.loginUrl,
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        callbackUrl,
        extraCallbackUrls: [],
        scopes: [...DEFAULT_SCOPES],
        openBrowser: true,
        timeoutMs: 5_000,
        waitMs: 0,
        pollMs: 1_000,
        interactive: false,
      },
      store,
      {
        io: t.io,
        env: { SFOAUTH_CONFIG_DIR: configDir },
        fetch,
        clock: realClock,
        random: (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)),
        // The browser: /authorize answers 302 to the callback at once (autoApprove); follow it by hand.
        openBrowser: async (url) => {
          const res = await globalThis.fetch(url, { redirect: 'manual' });
          const location = res.headers.get('location');
          if (!location) throw new Error(`the emulator did not redirect (HTTP ${res.status})`);
          const code = new URL(location).searchParams.get('code');
          if (code) secretsSeen.push(code);
          await globalThis.fetch(location);
        },
        prompter: noPrompts(),
        openStore: () => Promise.resolve(store),
        signal: new AbortController().signal,
      },
    );
    // init saves the environment the org reports; a fixture that asks for the other one (to test the
    // mismatch warnings of test and doctor) gets it written over.
    if (opts.env !== undefined && init.profile.env !== opts.env) await store.update(profileName, { env: opts.env });
    return {
      emulator,
      app,
      configDir,
      profileName,
      store,
      secretsSeen,
      fetch,
      init,
      initOutput: [t.stdout(), t.stderr()],
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Another 64-hex Consumer Secret (the form ECA secrets have), different from `not`. */
export function otherSecret(not: string): string {
  let s = '';
  do s = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(32))).toString('hex').toUpperCase();
  while (s === not);
  return s;
}

/** Where a spawned-binary test collects for its secret scan (no-secrets.ts). */
export interface SecretScan {
  /** Every secret the test learned; the scan looks for each of them. */
  secrets: string[];
  /** Output to scan; the profile's init output joins it when given. */
  captured?: string[];
}

/**
 * createEmulatorProfile for one vitest test: closed when the test finishes, after its secrets (those seen,
 * and the refresh token and client secret the profile holds then, rotated or not) joined `scan.secrets`.
 */
export async function emulatorProfileForTest(
  ctx: { onTestFinished(fn: () => Promise<void>): void },
  scan: SecretScan,
  opts: EmulatorProfileOptions = {},
): Promise<EmulatorProfile> {
  const f = await createEmulatorProfile(opts);
  scan.captured?.push(...f.initOutput);
  ctx.onTestFinished(async () => {
    const saved = await f.store.get(f.profileName).catch(() => undefined); // gone after logout
    const held = saved?.flow === 'web-server' ? [saved.refreshToken, saved.clientSecret] : [];
    scan.secrets.push(...f.secretsSeen, ...held.filter((s): s is string => typeof s === 'string' && s !== ''));
    await f.close();
  });
  return f;
}
