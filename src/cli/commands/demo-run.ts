/**
 * The body of `sfoauth demo` (see demo.ts). The walk-through is the command's output, so it goes to
 * stdout (test's and doctor's reports live, as those commands print them); what init prints while it
 * works stays on stderr. With --json: one document on stdout and nothing else on either stream.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PortInUseError, SilentError } from '../../errors.js';
import { startEmulator } from '../../emulator/index.js';
import { DEFAULT_SCOPES } from '../../core/salesforce/scopes.js';
import { buildSetupGuide, guideForInit } from '../../core/salesforce/setup-steps.js';
import { renderSetupGuide } from '../render-steps.js';
import { parseAppType } from '../../core/config/app-type.js';
import { runInit } from '../../app/init.js';
import { renderInitSummary } from '../render/init.js';
import { runTest } from '../../app/test.js';
import { renderTestSummary, TestPrinter } from '../render/test.js';
import { liveEvents, startProgress, type Progress } from '../progress.js';
import type { Deps } from '../../deps.js';
import type { InitOptions } from '../../app/init-options.js';
import { findFreePort as freePort } from '../../platform/port.js';

export interface DemoOptions {
  sandbox: boolean;
  browser: boolean;
  appType?: string;
  configDir?: string;
  json: boolean;
}

const NANGO_CALLBACK = 'https://api.nango.dev/oauth/callback';
const PROFILE = 'demo';
const CC_PROFILE = 'demo-cc';
const CC_RUN_AS = 'integration@sfoauth-demo.example';

export async function runDemo(opts: DemoOptions, deps: Deps): Promise<void> {
  // --json: deps.io is already quiet (finishDeps), so init's own progress lines stay off stderr too.
  const { io } = deps;
  const c = io.outColor;
  const say = opts.json ? () => undefined : (line = '') => io.out(line);
  const appType = parseAppType(opts.appType ?? 'external-client-app');
  const env = opts.sandbox ? 'sandbox' : 'production';
  let callbackUrl = `http://127.0.0.1:${await freePort()}/OauthRedirect`;

  const emulator = await startEmulator({
    sandbox: opts.sandbox,
    autoApprove: !opts.browser,
    apps: [{ appType, callbackUrls: [callbackUrl, NANGO_CALLBACK] }, { appType, clientCredentials: { enabled: true, runAsUsername: CC_RUN_AS } }],
  });
  const tempDir = opts.configDir ? undefined : await mkdtemp(join(tmpdir(), 'sfoauth-demo-'));
  const configDir = opts.configDir ?? tempDir!;
  const progress = await startProgress(io, deps.env, { json: opts.json, signal: deps.signal });
  try {
    const app = emulator.apps[0]!;
    say(c.bold('sfoauth demo') + c.dim(' — against the built-in emulator (not Salesforce); nothing leaves this machine'));
    say(`  Emulated ${env} org: login ${emulator.loginUrl}, instance ${emulator.instanceUrl}`);
    say(`  Config dir: ${configDir}${tempDir ? c.dim(' (temporary, removed at the end)') : ''}`);
    if (opts.browser) say(`  Log in as ${emulator.user.username} with password ${emulator.user.password}.`);
    say('');

    say(c.bold('1. The Setup steps init prints (with the values to paste):'));
    const guide = guideForInit(buildSetupGuide({ env, appType, callbackUrls: [callbackUrl, NANGO_CALLBACK], scopes: [...DEFAULT_SCOPES], loginUrl: emulator.loginUrl }));
    for (const line of renderSetupGuide(guide, c)) say(`  ${line}`);
    say(c.dim(`  (The emulator already has this app: Consumer Key ${app.clientId.slice(0, 12)}…)`));
    say('');

    say(c.bold('2. sfoauth init: authorization code + PKCE through the local callback server'));
    const store = await deps.openStore(configDir);
    const initOptions: InitOptions = {
      profile: PROFILE,
      flow: 'web-server',
      env,
      appType,
      loginUrl: emulator.loginUrl,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      callbackUrl,
      extraCallbackUrls: [NANGO_CALLBACK],
      scopes: [...DEFAULT_SCOPES],
      openBrowser: true,
      timeoutMs: opts.browser ? 300_000 : 30_000,
      waitMs: 0,
      pollMs: 30_000,
      interactive: false,
    };
    const initDeps = opts.browser ? deps : { ...deps, openBrowser: approveWithoutBrowser(deps) };
    // The port was free a moment ago; another program may have taken it since (init refuses a busy port
    // before anything is spent). The emulator is ours, so the demo moves its app to a new port.
    let result;
    for (let attempt = 1; ; attempt++) {
      try {
        result = await runInit({ ...initOptions, callbackUrl }, store, initDeps);
        break;
      } catch (err) {
        if (!(err instanceof PortInUseError) || attempt === 3) throw err;
        callbackUrl = `http://127.0.0.1:${await freePort()}/OauthRedirect`;
        emulator.updateApp(app.clientId, { callbackUrls: [callbackUrl, NANGO_CALLBACK] });
        say(c.dim(`  (That port was taken meanwhile; the emulator's app now uses ${callbackUrl}.)`));
      }
    }
    for (const line of renderInitSummary(result, c)) say(`  ${line}`);
    say('');

    say(c.bold('3. sfoauth test: what CI runs'));
    const report = await liveTest(PROFILE, configDir, deps, progress, opts.json);
    say('');

    const doctorOk = await runDoctorStep(deps, configDir, progress, opts.json);
    say('');
    const ccOk = await runClientCredentialsStep(deps, configDir, progress, opts.json, { env, appType, instanceUrl: emulator.instanceUrl, clientId: emulator.apps[1]!.clientId, clientSecret: emulator.apps[1]!.clientSecret });
    say('');
    const ok = report.ok && doctorOk && ccOk;
    say(ok ? `${c.green('✓')} Demo complete. Next: \`sfoauth init\` against your own org.` : `${c.red('✗')} Demo finished with problems (see above).`);
    if (opts.json) io.out(JSON.stringify({ ok, profile: PROFILE, instanceUrl: result.profile.instanceUrl, test: report.ok, doctor: doctorOk }));
    if (!ok) throw new SilentError(report.exitCode || 1);
  } finally {
    progress.stop();
    await emulator.close();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}

/** Runs `sfoauth test` on a demo profile, printing it live as the command does. */
async function liveTest(profile: string, configDir: string, deps: Deps, progress: Progress, json: boolean) {
  const { io } = deps;
  const report = await runTest(
    { profile, configDir, timeoutSeconds: 60, ...(json ? {} : liveEvents(progress, (run) => new TestPrinter(run, io.outColor), '  ')) },
    deps,
  );
  if (!json) for (const line of renderTestSummary(report, io.outColor)) io.out(`  ${line}`);
  return report;
}

/** Runs doctor on the demo profile and prints it live, as `sfoauth doctor` would. */
async function runDoctorStep(deps: Deps, configDir: string, progress: Progress, json: boolean): Promise<boolean> {
  const { io } = deps;
  if (!json) io.out(io.outColor.bold('4. sfoauth doctor: what it checks when something is wrong'));
  const { runDoctor } = await import('../../app/doctor.js');
  const { DoctorPrinter, doctorVerdict } = await import('../render/doctor.js');
  const report = await runDoctor(
    { profile: PROFILE, configDir, offline: false, fix: false, ...(json ? {} : liveEvents(progress, (run) => new DoctorPrinter(run, io.outColor), '  ')) },
    deps,
  );
  if (!json) for (const line of doctorVerdict(report, io.outColor)) io.out(`  ${line}`);
  return report.ok;
}

/**
 * The emulator approves at once (--auto-approve), so "the browser" only has to follow two redirects:
 * authorize → callback. This is the same HTTP a browser would send.
 */
function approveWithoutBrowser(deps: Pick<Deps, 'io'>): (url: string) => Promise<void> {
  return async (url) => {
    deps.io.err(deps.io.color.dim('  (demo: approving in the emulator without a browser)'));
    const res = await fetch(url, { redirect: 'manual' });
    const location = res.headers.get('location');
    if (!location) throw new Error(`the emulator did not redirect (HTTP ${res.status})`);
    await fetch(location);
  };
}


/**
 * A server-to-server flow after the web-server one (docs/flows.md): client credentials on the emulator's
 * My Domain, for the app's Run As user, with no browser and no refresh token; then `sfoauth test`.
 */
async function runClientCredentialsStep(
  deps: Deps,
  configDir: string,
  progress: Progress,
  json: boolean,
  app: { env: 'production' | 'sandbox'; appType: InitOptions['appType']; instanceUrl: string; clientId: string; clientSecret: string },
): Promise<boolean> {
  const { io } = deps;
  const c = io.outColor;
  const say = json ? () => undefined : (line: string) => io.out(line);
  say(c.bold('5. sfoauth init --flow client-credentials: server to server, no browser, no refresh token'));
  const { buildServerFlowGuide } = await import('../../core/salesforce/setup-steps.js');
  for (const line of renderSetupGuide(buildServerFlowGuide({ flow: 'client-credentials', appType: app.appType, env: app.env, loginUrl: app.instanceUrl }), c)) say(`  ${line}`);
  const { runServerInit } = await import('../../app/init-server.js');
  const store = await deps.openStore(configDir);
  const options: InitOptions = {
    profile: CC_PROFILE,
    flow: 'client-credentials',
    env: app.env,
    appType: app.appType,
    loginUrl: app.instanceUrl,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    callbackUrl: '',
    extraCallbackUrls: [],
    scopes: [],
    openBrowser: false,
    timeoutMs: 60_000,
    waitMs: 0,
    pollMs: 1_000,
    interactive: false,
  };
  const result = await runServerInit(options, store, deps, () => Promise.resolve(false));
  if ('generated' in result) return false;
  for (const line of renderInitSummary(result, c)) say(`  ${line}`);
  const report = await liveTest(CC_PROFILE, configDir, deps, progress, json);
  return report.ok;
}
