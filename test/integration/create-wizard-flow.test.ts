/**
 * `sfoauth create`'s wizard asks which flow the app is for (in process, scripted prompter, a terminal),
 * then what that flow still needs, and the verification saves a profile of that flow (docs/create.md).
 * With --callback-url (a web-server flag) the question is not asked: create-command.test.ts.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { realClock, type Deps } from '../../src/deps.js';
import { refusingBrowser, scriptedPrompter, type Answer, type ScriptedPrompter } from '../support/test-deps.js';
import { openConfStore } from '../../src/platform/conf-store.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { createTestIO } from '../support/test-io.js';
import { login } from '../emulator/helpers.js';

const FLOW_QUESTION = 'Which OAuth flow will the app use?';
const RUN_AS_QUESTION = 'Run As user (the integration user the tokens are issued for):';
const USERNAME_QUESTION = 'Salesforce username the verification logs in as (its profile is pre-authorized):';
const KEY_QUESTION = 'The key pair for the JWT bearer flow:';
const DEPLOYER = ['Who deploys the app (an admin of the org)?', "The org's instance URL (https://….my.salesforce.com):", 'Access token:'];
/** Asked once the org is known, before the deploy. */
const deployQuestion = (app: string) => `Deploy the External Client App "${app}" to ${new URL(emu.instanceUrl).host} as the access token from stdin?`;

let dir: string;
let emu: RunningEmulator;
let adminToken: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfoauth-it-create-flow-'));
  emu = await startEmulator({ autoApprove: true, deployMs: 50 });
  adminToken = (await login(emu)).access_token;
});
afterEach(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

/** A person at a terminal who answers `answers`, and deploys with a pasted admin token. */
function wizard(answers: Record<string, Answer>): { prompter: ScriptedPrompter; deps: Deps; t: ReturnType<typeof createTestIO> } {
  const scripted = scriptedPrompter({ 'Contact email:': 'dev@example.com', [DEPLOYER[0]!]: 'token', [DEPLOYER[1]!]: emu.instanceUrl, 'Access token:': adminToken, ...answers });
  const t = createTestIO({ tty: true, env: { NO_COLOR: '1' } });
  const deps: Deps = {
    io: t.io,
    env: {},
    fetch: globalThis.fetch,
    clock: realClock,
    random: (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)),
    openBrowser: refusingBrowser('a server-flow create'),
    prompter: scripted,
    openStore: (configDir) => openConfStore({ configDir: configDir ?? dir, env: {} }),
    signal: new AbortController().signal,
  };
  return { prompter: scripted, deps, t };
}

async function savedProfile(): Promise<Record<string, unknown>> {
  const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { profiles: Record<string, Record<string, unknown>> };
  return config.profiles.default!;
}

it('client credentials: the flow, then its Run As user; the app gets both and a client-credentials profile is saved', async () => {
  const w = wizard({ 'API name of the app:': 'Wizard_Cc', [FLOW_QUESTION]: 'client-credentials', [RUN_AS_QUESTION]: 'ci.bot@sfoauth.example', [deployQuestion('Wizard_Cc')]: true });
  const code = await main(['create', '--config-dir', dir], w.deps);
  expect(code, w.t.stderr()).toBe(0);
  expect(w.prompter.asked).toEqual(['API name of the app:', 'Contact email:', FLOW_QUESTION, RUN_AS_QUESTION, ...DEPLOYER, deployQuestion('Wizard_Cc')]);
  expect(emu.apps.find((a) => a.name === 'Wizard_Cc')?.clientCredentials).toEqual({ enabled: true, runAsUsername: 'ci.bot@sfoauth.example' });
  expect(await savedProfile()).toMatchObject({ flow: 'client-credentials', username: 'ci.bot@sfoauth.example' });
}, 30_000);

it('JWT bearer: the flow, the username, and a generated key pair whose certificate goes into the app', async () => {
  const w = wizard({ 'API name of the app:': 'Wizard_Jwt', [FLOW_QUESTION]: 'jwt-bearer', [USERNAME_QUESTION]: emu.user.username, [KEY_QUESTION]: 'generate', [deployQuestion('Wizard_Jwt')]: true });
  const code = await main(['create', '--config-dir', dir], w.deps);
  expect(code, w.t.stderr()).toBe(0);
  expect(w.prompter.asked).toEqual(['API name of the app:', 'Contact email:', FLOW_QUESTION, USERNAME_QUESTION, KEY_QUESTION, ...DEPLOYER, deployQuestion('Wizard_Jwt')]);
  const keyFile = join(dir, 'keys', 'default.key');
  expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
  expect(emu.apps.find((a) => a.name === 'Wizard_Jwt')?.certificate?.trim()).toBe((await readFile(join(dir, 'keys', 'default.crt'), 'utf8')).trim());
  expect(await savedProfile()).toMatchObject({ flow: 'jwt-bearer', username: emu.user.username, privateKeyFile: keyFile });
}, 30_000);

it('--flow client-credentials without --run-as: only the Run As user is asked, not the flow', async () => {
  const w = wizard({ [RUN_AS_QUESTION]: 'ci.bot@sfoauth.example', [deployQuestion('Wizard_Cc2')]: true });
  const code = await main(['create', '--config-dir', dir, '--name', 'Wizard_Cc2', '--flow', 'client-credentials', '--no-verify'], w.deps);
  expect(code, w.t.stderr()).toBe(0);
  expect(w.prompter.asked).toEqual(['Contact email:', RUN_AS_QUESTION, ...DEPLOYER, deployQuestion('Wizard_Cc2')]);
  // --no-verify: the next command for this flow takes the secret at the My Domain.
  expect(w.t.stdout()).toMatch(/Log in later with: printf %s "\$SECRET" \| sfoauth init --flow client-credentials --login-url http:\/\/127\.0\.0\.1:\d+ --client-id 3MVG9\S+ --client-secret-stdin/);
}, 30_000);

it('answering No to the deploy question cancels: "Cancelled." once, exit 130, nothing deployed or saved', async () => {
  const w = wizard({ [FLOW_QUESTION]: 'web-server', [deployQuestion('Wizard_No')]: false });
  const before = emu.apps.length;
  const code = await main(['create', '--config-dir', dir, '--name', 'Wizard_No'], w.deps);
  expect(code).toBe(130);
  expect(w.t.stderr().match(/Cancelled/g)).toHaveLength(1);
  expect(w.t.stderr()).toContain('Nothing was deployed.');
  expect(w.t.stderr()).not.toMatch(/Error|at .*\.ts:\d+/);
  expect(emu.apps.length).toBe(before);
  expect(emu.apps.some((a) => a.name === 'Wizard_No')).toBe(false);
  await expect(readFile(join(dir, 'config.json'), 'utf8')).rejects.toThrow();
}, 30_000);
