/**
 * `sfoauth emulator`: runs the local Salesforce OAuth emulator until Ctrl-C (README.md "The emulator").
 * Only flag definitions load with the program; the emulator itself is imported inside the action.
 * Stopping with Ctrl-C is the normal way to end it, so it exits 0.
 */
import type { Command } from 'commander';
import type { Deps } from '../../deps.js';
import { UsageError } from '../../errors.js';
import { FAULT_NAMES, parseFaultFlag } from '../../emulator/faults.js';
import { globalsOf, type RegisterCommand } from '../context.js';
import type { AppInput, EmulatorOptions, OrgType, RunningEmulator } from '../../emulator/index.js';
import { parseAppType } from '../../core/config/app-type.js';

export interface EmulatorFlags {
  port?: string;
  instancePort?: string;
  host?: string;
  sandbox?: boolean;
  orgType?: string;
  tls?: boolean;
  autoApprove?: boolean;
  clientId?: string[];
  clientSecret?: string[];
  callbackUrl?: string[];
  apps?: string;
  appType?: string;
  propagationDelay?: string;
  deploySeconds?: string;
  apiVersion?: string;
  fault?: string[];
}

/** Repeatable flags collect into a list (no commander default, so help shows none). */
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export const registerEmulator: RegisterCommand = (program, ctx) => {
  program
    .command('emulator')
    .summary('run the local Salesforce OAuth emulator (a test double, not Salesforce)')
    .description(
      "Run a local emulator of Salesforce's OAuth endpoints on loopback: a login host (acts as login.salesforce.com, " +
        "or test.salesforce.com with --sandbox) and an instance host (the org's My Domain). With no app given it creates " +
        'one External Client App and prints its credentials. Nothing is saved; Ctrl-C stops it.',
    )
    .option('--port <n>', 'login host port (default 0: a free port)')
    .option('--instance-port <n>', 'instance (My Domain) host port (default 0: a free port)')
    .option('--host <address>', 'loopback address: 127.0.0.1 (default), ::1 or localhost')
    .option('--org-type <type>', 'developer, production (default), sandbox or scratch: the Organization record and host names follow it')
    .option('--sandbox', 'same as --org-type sandbox (acts as test.salesforce.com)')
    .option('--tls', 'serve https with a certificate made at start; prints the CA file to trust (NODE_EXTRA_CA_CERTS)')
    .option('--auto-approve', 'skip the login and approval pages (for headless runs)')
    .option('--client-id <id>', "an app's consumer key (repeatable; pairs with --client-secret/--callback-url by position)", collect)
    .option('--client-secret <secret>', 'the consumer secret of the --client-id at the same position (repeatable)', collect)
    .option('--callback-url <url>', 'the callback URL of the --client-id at the same position (repeatable)', collect)
    .option('--apps <file>', 'JSON file with an array of app settings (see below)')
    .option('--app-type <type>', 'external-client-app (default) or connected-app, for apps that do not say')
    .option('--propagation-delay <seconds>', 'answer invalid_client_id until this long after start, like a new app (and after its deploy, for apps `sfoauth create` deploys)')
    .option('--deploy-seconds <n>', 'how long a Metadata deploy (`sfoauth create`) stays InProgress before it succeeds or fails (default 0.3)')
    .option('--api-version <max>', 'the newest REST API version the org lists and serves, e.g. 58 (no External Client App metadata) or 59 (no credentials API); default: the newest the emulator knows')
    .option('--fault <name[=value]>', `switch a fault on (repeatable): ${FAULT_NAMES.join(', ')}`, collect)
    .addHelpText(
      'after',
      `
The login user is emulator.user@sfoauth.example, password emulator-password (test values; printed at start).

App settings (--apps file, each field optional): appType, clientId, clientSecret, callbackUrls[], scopes[],
requirePkce, requireSecretWebServer, requireSecretRefresh, introspectAllTokens, rotateRefreshTokens,
refreshTokenPolicy ("infinite" | "immediately" | {"kind":"inactivity"|"lifetime","ms":N}),
clientCredentials {"enabled":true,"runAsUsername":"..."}, propagationDelayMs, installed, sessionTimeoutMs, name.

Faults can also be switched while it runs: POST <login URL>/__emulator/faults {"userInactive":true}.

Examples:
  $ sfoauth emulator
  $ sfoauth emulator --auto-approve --json
  $ sfoauth emulator --org-type developer
  $ sfoauth emulator --tls --auto-approve --json      # https, for the Salesforce CLI
  $ sfoauth emulator --sandbox --client-id 3MVG9demo --client-secret S3CR3T --callback-url http://localhost:3000/cb
  $ sfoauth emulator --apps apps.json --fault serverError=2`,
    )
    .action(async (flags: EmulatorFlags, cmd: Command) => {
      await runEmulatorCommand(flags, globalsOf(cmd).json, ctx.deps);
    });
};

/** Starts the emulator, prints how to use it, and serves until `deps.signal` aborts. */
export async function runEmulatorCommand(flags: EmulatorFlags, json: boolean, deps: Pick<Deps, 'io' | 'signal'>): Promise<void> {
  const faults = (flags.fault ?? []).map(parseFaultFlag);
  const options = await emulatorOptions(flags);
  const { startEmulator } = await import('../../emulator/index.js');
  const emu = await startEmulator(options);
  try {
    for (const f of faults) emu.setFault(f.name, f.value);
    if (json) deps.io.out(JSON.stringify(readyDocument(emu)));
    else printBanner(emu, deps, options.autoApprove === true, flags.fault ?? []);
    // Ctrl-C (the signal) is how the emulator is meant to stop: wait for it, then close cleanly.
    await new Promise<void>((resolve) => {
      if (deps.signal.aborted) return resolve();
      deps.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  } finally {
    await emu.close();
  }
  if (!json) deps.io.err('sfoauth emulator stopped.');
}

/** The one line `--json` prints when the emulator is ready. */
function readyDocument(emu: RunningEmulator) {
  return {
    loginUrl: emu.loginUrl,
    instanceUrl: emu.instanceUrl,
    org: { id: emu.org.id, type: emu.org.type, sandbox: emu.org.sandbox },
    ...(emu.caFile === undefined ? {} : { caFile: emu.caFile }),
    apps: emu.apps.map((a) => ({ clientId: a.clientId, clientSecret: a.clientSecret, callbackUrls: a.callbackUrls })),
    user: { username: emu.user.username, password: emu.user.password },
  };
}

function printBanner(emu: RunningEmulator, deps: Pick<Deps, 'io'>, autoApprove: boolean, faults: string[]): void {
  const { io } = deps;
  const c = io.color;
  const generic = emu.org.sandbox ? 'test.salesforce.com' : 'login.salesforce.com';
  io.err(c.bold('sfoauth emulator (not Salesforce)') + ': a local test double of Salesforce\'s OAuth endpoints, loopback only.');
  io.err(`  Login URL      ${emu.loginUrl}   (acts as ${generic})`);
  io.err(`  Instance URL   ${emu.instanceUrl}   (the org's My Domain, returned as instance_url)`);
  io.err(`  Org            ${emu.org.id} (${ORG_LABELS[emu.org.type]})`);
  if (emu.caFile) io.err(`  CA file        ${emu.caFile}   (trust it: NODE_EXTRA_CA_CERTS=${emu.caFile})`);
  io.err(`  Log in as      ${emu.user.username}   password: ${emu.user.password}`);
  io.err(`  Approval       ${autoApprove ? 'automatic (--auto-approve)' : 'login page, then Allow/Deny'}`);
  emu.apps.forEach((app, i) => {
    io.err('');
    io.err(`  App ${i + 1}: ${app.appType === 'external-client-app' ? 'External Client App' : 'Connected App'}`);
    io.err(`    Client ID      ${app.clientId}`);
    io.err(`    Client secret  ${app.clientSecret}`);
    io.err(`    Callback URLs  ${app.callbackUrls.join(', ')}`);
    if (app.propagationDelayMs > 0) io.err(`    Propagation    invalid_client_id for the first ${app.propagationDelayMs / 1000} s`);
  });
  if (faults.length > 0) io.err(`\n  Faults on      ${faults.join(', ')}`);
  const first = emu.apps[0];
  if (first) {
    io.err('');
    const trust = emu.caFile ? `NODE_EXTRA_CA_CERTS=${emu.caFile} ` : '';
    io.err(`  Try: ${trust}sfoauth init${emu.org.sandbox ? ' --env sandbox' : ''} --login-url ${emu.loginUrl} --client-id ${first.clientId}`);
  }
  io.err('');
  io.err('Ctrl-C to stop.');
}

/** Flags (and the --apps file) → EmulatorOptions, with usage errors that say which flag to fix. */
export async function emulatorOptions(flags: EmulatorFlags): Promise<EmulatorOptions> {
  const host = flags.host ?? '127.0.0.1';
  if (host !== '127.0.0.1' && host !== '::1' && host !== 'localhost') {
    throw new UsageError(`--host ${host}: the emulator only listens on loopback.`, { hint: 'Use --host 127.0.0.1 (the default), ::1 or localhost.' });
  }
  const appType = flags.appType === undefined ? undefined : parseAppType(flags.appType);
  const delayMs = flags.propagationDelay === undefined ? undefined : await parseSeconds('--propagation-delay', flags.propagationDelay);
  const deployMs = flags.deploySeconds === undefined ? undefined : await parseSeconds('--deploy-seconds', flags.deploySeconds, 600);
  const maxApiVersion = flags.apiVersion === undefined ? undefined : await parseApiVersion(flags.apiVersion);

  const apps: AppInput[] = flags.apps === undefined ? [] : await readAppsFile(flags.apps);
  const ids = flags.clientId ?? [];
  const secrets = flags.clientSecret ?? [];
  const callbacks = flags.callbackUrl ?? [];
  const { isCallbackUrl } = await import('../../emulator/apps.js');
  for (const url of callbacks) {
    if (!isCallbackUrl(url)) throw new UsageError(`--callback-url "${url}" is not an absolute URL (e.g. http://localhost:1717/OauthRedirect).`);
    // The emulator redirects the browser there: only web URLs, not file:, ftp: or javascript:.
    if (!/^https?:\/\//i.test(url)) throw new UsageError(`--callback-url "${url}" must be an http:// or https:// URL (e.g. http://localhost:1717/OauthRedirect).`);
  }
  if (ids.length > 0) {
    if (secrets.length > ids.length || callbacks.length > ids.length) {
      throw new UsageError('Each --client-secret and --callback-url belongs to the --client-id at the same position, and there are more of them than --client-id flags.', {
        hint: 'Give one --client-id per app: --client-id A --client-secret SA --callback-url URLA --client-id B …',
      });
    }
    ids.forEach((clientId, i) => {
      const secret = secrets[i];
      const callback = callbacks[i];
      apps.push({ clientId, ...(secret === undefined ? {} : { clientSecret: secret }), ...(callback === undefined ? {} : { callbackUrls: [callback] }) });
    });
  } else if (secrets.length > 0) {
    throw new UsageError('--client-secret needs a --client-id.', { hint: 'Pass --client-id too, or neither to get generated credentials.' });
  } else if (callbacks.length > 0) {
    apps.push({ callbackUrls: [...callbacks] }); // one generated app with these callbacks
  }
  if (apps.length === 0 && (appType !== undefined || delayMs !== undefined)) apps.push({});
  for (const app of apps) {
    if (appType !== undefined) app.appType ??= appType;
    if (delayMs !== undefined) app.propagationDelayMs ??= delayMs;
  }

  return {
    host,
    port: parsePort(flags.port ?? '0', '--port'),
    instancePort: parsePort(flags.instancePort ?? '0', '--instance-port'),
    ...(flags.orgType === undefined ? {} : { orgType: parseOrgType(flags.orgType) }),
    sandbox: flags.sandbox === true,
    ...(flags.tls === true ? { tls: true } : {}),
    autoApprove: flags.autoApprove === true,
    ...(apps.length > 0 ? { apps } : {}),
    // Apps created by a deploy (`sfoauth create`) propagate like new apps too.
    ...(delayMs !== undefined ? { deployedAppPropagationMs: delayMs } : {}),
    ...(deployMs !== undefined ? { deployMs } : {}),
    ...(maxApiVersion !== undefined ? { maxApiVersion } : {}),
  };
}

function parsePort(value: string, flag: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 0 && n <= 65535)) throw new UsageError(`${flag} ${value}: use a port number from 0 to 65535 (0 picks a free port).`);
  return n;
}

async function parseSeconds(flag: string, value: string, max?: number): Promise<number> {
  const { maxForTimer, parseStrictNumber } = await import('../../core/number-input.js');
  return Math.round(parseStrictNumber(flag, value, { min: 0, max: max ?? maxForTimer(1000), unit: 'seconds' }) * 1000);
}

/** `58`, `58.0` or `v58.0` → 58, within what the emulator knows (31 to its latest). */
async function parseApiVersion(value: string): Promise<number> {
  const { LATEST, OLDEST_VERSION } = await import('../../emulator/routes/rest.js');
  const m = /^v?(\d{2})(?:\.0)?$/.exec(value.trim());
  const n = m?.[1] ? Number(m[1]) : NaN;
  if (!(n >= OLDEST_VERSION && n <= LATEST)) throw new UsageError(`--api-version ${value.slice(0, 20)}: use a version from ${OLDEST_VERSION} to ${LATEST} (e.g. 58 or 59.0).`);
  return n;
}

const ORG_LABELS: Record<OrgType, string> = {
  developer: 'Developer Edition, not a sandbox',
  production: 'production',
  sandbox: 'sandbox',
  scratch: 'scratch org, a sandbox',
};

function parseOrgType(value: string): OrgType {
  if ((Object.keys(ORG_LABELS) as string[]).includes(value)) return value as OrgType;
  throw new UsageError(`--org-type ${value}: use developer, production, sandbox or scratch.`);
}

async function readAppsFile(file: string): Promise<AppInput[]> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `The --apps file ${file} does not exist.` : `Cannot read the --apps file ${file} (${code ?? 'unknown error'}).`,
      { hint: 'Pass the path of a JSON file holding an array of app settings (sfoauth emulator --help lists the fields).' },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`The --apps file ${file} is not valid JSON: ${(err as Error).message}`, {
      hint: 'It must hold a JSON array, e.g. [{"clientId":"3MVG9demo","callbackUrls":["http://localhost:1717/OauthRedirect"]}].',
    });
  }
  const { validateAppInputs } = await import('../../emulator/apps.js');
  const { apps, issues } = validateAppInputs(value);
  if (issues.length > 0) {
    throw new UsageError(`The --apps file ${file} has invalid settings:\n${issues.map((i) => `  - ${i}`).join('\n')}`, {
      hint: 'sfoauth emulator --help lists the fields and their values.',
    });
  }
  return apps.map((a) => ({ ...a }));
}
