/**
 * doctor's "The app's settings as deployed" against the emulator: an External Client App deployed
 * through the Metadata API (as `sfoauth create` does), a profile logged in through it, and the check
 * reading the app back with the token group's access token (listMetadata/readMetadata over SOAP).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { realClock } from '../../src/deps.js';
import { createHttpClient } from '../../src/core/http/request.js';
import { pollDeploy, startDeploy } from '../../src/core/salesforce/deploy.js';
import { ecaMetadataFiles, resolveEcaSpec } from '../../src/core/salesforce/eca-metadata.js';
import { buildDeployZip } from '../../src/core/salesforce/eca-package.js';
import type { WebServerProfile } from '../../src/core/config/profile.js';
import { openConfStore } from '../../src/platform/conf-store.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { login } from '../emulator/helpers.js';
import { freePort, runDoctorCommand } from './harness.js';

let emu: RunningEmulator | undefined;
let dir: string | undefined;
afterEach(async () => {
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  emu = undefined;
  dir = undefined;
});

/** Deploys an app as `sfoauth create` would, logs in through it, saves the profile "default". */
async function deployedProfile() {
  emu = await startEmulator({ autoApprove: true, deployMs: 10 });
  const admin = await login(emu);
  const http = createHttpClient({ fetch: globalThis.fetch, clock: realClock, retries: 0 });
  const callbackUrl = `http://127.0.0.1:${await freePort()}/OauthRedirect`;
  const spec = resolveEcaSpec({ name: 'Doctor_App', contactEmail: 'dev@example.com', callbackUrls: [callbackUrl] });
  const p = { instanceUrl: emu.instanceUrl, accessToken: admin.access_token, version: '66.0' };
  const id = await startDeploy(http, { ...p, zip: await buildDeployZip(ecaMetadataFiles(spec, '66.0')) });
  await pollDeploy({ http, clock: realClock, ...p, id, intervalMs: 20 });
  const app = emu.apps.find((a) => a.name === 'Doctor_App')!;
  const tokens = await login(emu, app, { scope: 'api refresh_token' });
  dir = await mkdtemp(join(tmpdir(), 'sfoauth-doctor-md-'));
  const store = await openConfStore({ configDir: dir, env: {} });
  const profile: WebServerProfile = {
    flow: 'web-server', env: 'production', appType: 'external-client-app', loginUrl: emu.loginUrl, callbackUrl, extraCallbackUrls: [],
    clientId: app.clientId, clientSecret: app.clientSecret, scopes: ['api', 'refresh_token'], refreshToken: tokens.refresh_token!,
    instanceUrl: tokens.instance_url, idUrl: tokens.id, createdAt: new Date().toISOString(),
  };
  await store.save('default', profile);
  return { emu, app, dir, profile };
}

const line = (report: string) => report.split('\n').find((l) => l.includes("The app's settings as deployed")) ?? '';

it('reads the deployed app back and passes when it fits the profile; a weaker or broken setting is named with its Setup path', async () => {
  const f = await deployedProfile();
  const ok = await runDoctorCommand([], { configDir: f.dir });
  expect(line(ok.stdout), ok.stdout).toMatch(/✓ The app's settings as deployed: Doctor_App as deployed fits the profile/);
  expect(ok.stdout).toContain('✓ PKCE required');
  expect(ok.stdout).toContain(`✓ callback URLs include ${f.profile.callbackUrl}`);
  expect(ok.code, ok.stdout).toBe(0);

  f.emu.updateApp(f.app.clientId, { requirePkce: false });
  const weak = await runDoctorCommand([], { configDir: f.dir });
  expect(line(weak.stdout)).toContain('! The app\'s settings as deployed: Doctor_App: PKCE is not required');
  expect(weak.stdout).toContain('External Client App Manager" → Doctor_App → Settings tab');

  f.emu.updateApp(f.app.clientId, { requirePkce: true, scopes: ['api'] });
  const scopes = await runDoctorCommand(['--verbose'], { configDir: f.dir });
  expect(line(scopes.stdout)).toContain("✗ The app's settings as deployed: Doctor_App: the app's OAuth scopes lack refresh_token");
  for (const secret of [f.app.clientSecret, f.profile.refreshToken!]) expect(scopes.stderr + scopes.stdout).not.toContain(secret);
}, 30_000);

it('a token that may not read metadata makes the check a skip that says why, never a failure', async () => {
  const f = await deployedProfile();
  f.emu.setFault('noModifyMetadata', true);
  const run = await runDoctorCommand([], { configDir: f.dir });
  expect(line(run.stdout)).toMatch(/The app's settings as deployed: skipped: this token may not read the app's metadata \(INSUFFICIENT_ACCESS/);
  expect(run.code, run.stdout).toBe(0);
}, 30_000);

it('a Connected App profile is a skip: its settings are not External Client App metadata', async () => {
  const { setup } = await import('./harness.js');
  const f = await setup({ app: { appType: 'connected-app' } });
  try {
    const run = await runDoctorCommand([], { configDir: f.dir });
    expect(line(run.stdout)).toContain('a Connected App: its settings are not External Client App metadata');
  } finally {
    await f.close();
  }
});
