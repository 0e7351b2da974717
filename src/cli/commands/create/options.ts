/** `sfoauth create`'s flags → options, pure and table-tested (docs/create.md). Loaded only when create runs. */
import { UsageError } from '../../../errors.js';
import type { CreateOptions, Deployer } from '../../../app/create.js';
import type { Prompter } from '../../../core/ports.js';
import { parseDurationFlag } from '../../../app/init-options.js';
import { parseCallbackUrl, parseExtraCallbackUrl } from '../../../core/oauth/callback-url.js';
import { normalizeEnvironment, parseLoginUrl } from '../../../core/salesforce/hosts.js';
import { parseScopes } from '../../../core/salesforce/scopes.js';
import type { EcaRefreshPolicy, EcaSpecInput } from '../../../core/salesforce/eca-metadata.js';
import { parseFlow, type Flow } from '../../../core/config/profile.js';

export interface CreateFlags {
  name?: string;
  label?: string;
  contactEmail?: string;
  description?: string;
  callbackUrl?: string[];
  scopes?: string;
  rotateRefreshTokens?: boolean;
  refreshTokenPolicy?: string;
  introspectAllTokens?: boolean;
  targetOrg?: string;
  accessTokenStdin?: boolean;
  instanceUrl?: string;
  fromProfile?: string;
  outputDir?: string;
  outputGlobalSettings?: boolean;
  dryRun?: boolean;
  verify?: boolean;
  yes?: boolean;
  env?: string;
  loginUrl?: string;
  browser?: boolean;
  timeout?: string;
  wait?: string;
  pollInterval?: string;
  deployTimeout?: string;
  flow?: string;
  runAs?: string;
  username?: string;
  privateKey?: string;
  certificate?: string;
  preAuthorizeProfile?: string[];
}

/** Everything but the two values the wizard may still ask for (the API name and the contact email). */
export interface CreatePlan extends Omit<CreateOptions, 'spec'> {
  spec: Partial<EcaSpecInput>;
  profile: string | undefined;
}

/** Whether the run verifies the app (logs in through it and saves a profile): not --no-verify, not --dry-run. */
function isVerifying(f: Pick<CreateFlags, 'verify' | 'dryRun'>): boolean {
  return f.verify !== false && f.dryRun !== true;
}

/** Pure: flags (and a token read from stdin) → the plan. Throws UsageError for a bad or conflicting flag. */
export function createOptions(flags: CreateFlags, g: { profile?: string; configDir?: string }, ctx: { stdinToken?: string; interactive: boolean }): CreatePlan {
  const spec: Partial<EcaSpecInput> = {};
  if (flags.name !== undefined) spec.name = flags.name.trim();
  if (flags.label !== undefined) spec.label = flags.label.trim();
  if (flags.contactEmail !== undefined) spec.contactEmail = flags.contactEmail.trim();
  if (flags.description !== undefined) spec.description = flags.description.trim();
  if (flags.scopes !== undefined) spec.scopes = parseScopes(flags.scopes);
  if (flags.rotateRefreshTokens) spec.rotateRefreshTokens = true;
  if (flags.introspectAllTokens) spec.introspectAllTokens = true;
  const verifying = isVerifying(flags);
  const flow = flags.flow === undefined ? 'web-server' : parseFlow(flags.flow);
  if (flags.refreshTokenPolicy !== undefined) {
    spec.refreshPolicy = parseRefreshTokenPolicy(flags.refreshTokenPolicy);
    // The verification saves a refresh token that would be dead on arrival.
    if (spec.refreshPolicy.kind === 'immediately' && verifying && flow === 'web-server') {
      throw new UsageError('--refresh-token-policy immediately makes every refresh token expire at once, so the profile sfoauth saves could never refresh.', {
        hint: 'Keep the default (until-revoked), or pass --no-verify to create the app without a profile.',
      });
    }
  }
  const jwt = serverFlowSettings(flags, flow, spec, verifying);
  if (flags.callbackUrl !== undefined && flags.callbackUrl.length > 0) {
    const [first, ...rest] = flags.callbackUrl;
    // The first is the one the verification login listens on, so it must be a local callback.
    const local = verifying && flow === 'web-server' ? parseCallbackUrl(first!).url.href : parseExtraCallbackUrl(first!).href;
    spec.callbackUrls = [local, ...rest.map((u) => parseExtraCallbackUrl(u).href)];
  }

  const sources = [flags.targetOrg !== undefined, flags.accessTokenStdin === true, flags.fromProfile !== undefined].filter(Boolean).length;
  if (sources > 1) throw new UsageError('Pass only one of --target-org, --access-token-stdin, --from-profile.', { hint: 'They each say who deploys the app.' });
  if (flags.instanceUrl !== undefined && !flags.accessTokenStdin) throw new UsageError('--instance-url goes with --access-token-stdin.');
  let deployer: Deployer | undefined;
  if (flags.accessTokenStdin) {
    if (flags.instanceUrl === undefined) throw new UsageError('--access-token-stdin needs --instance-url (the org\'s https://….my.salesforce.com).');
    if (!ctx.stdinToken) throw new UsageError('--access-token-stdin was given but stdin was empty.', { hint: 'Pipe it in: sf org display --json | jq -r .result.accessToken | sfoauth create … --access-token-stdin' });
    deployer = { kind: 'token', instanceUrl: parseLoginUrl(flags.instanceUrl, '--instance-url').origin, accessToken: ctx.stdinToken };
  } else if (flags.fromProfile !== undefined) {
    deployer = { kind: 'profile', profile: flags.fromProfile, configDir: g.configDir };
  } else if (flags.targetOrg !== undefined) {
    deployer = { kind: 'sf-cli', targetOrg: flags.targetOrg };
  }

  const waitMinutes = flags.wait !== undefined ? parseDurationFlag('--wait', flags.wait, 'minutes', true) : 10;
  return {
    spec,
    profile: g.profile,
    deployer,
    dryRun: flags.dryRun === true,
    outputDir: flags.outputDir,
    outputGlobalSettings: flags.outputGlobalSettings === true,
    jwt,
    verify: verifying
      ? {
          profile: g.profile ?? '',
          flow,
          ...(flags.username !== undefined ? { username: flags.username.trim() } : {}),
          env: normalizeEnvironment(flags.env ?? 'production'),
          appType: 'external-client-app',
          loginUrl: flags.loginUrl !== undefined ? parseLoginUrl(flags.loginUrl).origin : undefined,
          openBrowser: flags.browser !== false,
          timeoutMs: parseDurationFlag('--timeout', flags.timeout ?? '300', 'seconds') * 1000,
          waitMs: waitMinutes * 60_000,
          pollMs: flags.pollInterval !== undefined ? parseDurationFlag('--poll-interval', flags.pollInterval, 'seconds') * 1000 : 30_000,
          interactive: ctx.interactive,
        }
      : undefined,
    deployTimeoutMs: (flags.deployTimeout !== undefined ? parseDurationFlag('--deploy-timeout', flags.deployTimeout, 'minutes') : 10) * 60_000,
    interactive: ctx.interactive,
  };
}

const POLICY_UNITS: Record<string, 'Hours' | 'Days' | 'Months'> = { h: 'Hours', hour: 'Hours', hours: 'Hours', d: 'Days', day: 'Days', days: 'Days', mo: 'Months', month: 'Months', months: 'Months' };

/**
 * --refresh-token-policy: `until-revoked` (the default, what sfoauth and Nango need), `immediately`, or
 * a lifetime such as `90d`, `12h`, `6mo` (`90 days`, `6 months`), 1 to 9999 of the unit (the app's
 * "Refresh Token Policy", docs/create.md).
 */
function parseRefreshTokenPolicy(value: string): EcaRefreshPolicy {
  const v = value.trim().toLowerCase();
  if (v === 'until-revoked' || v === 'infinite') return { kind: 'infinite' };
  if (v === 'immediately') return { kind: 'immediately' };
  const m = /^(\d{1,4})\s*([a-z]+)$/.exec(v);
  const unit = m ? POLICY_UNITS[m[2]!] : undefined;
  if (m && unit && Number(m[1]) >= 1) return { kind: 'lifetime', period: Number(m[1]), unit };
  throw new UsageError(`--refresh-token-policy "${value.replace(/[^\x20-\x7e]/g, '?')}" is not a policy.`, {
    hint: 'Use until-revoked (the default), immediately, or a lifetime of 1 to 9999 hours, days or months, such as 90d, 12h or 6mo.',
  });
}

const JWT_FLAGS = [
  ['username', '--username'],
  ['privateKey', '--private-key'],
  ['certificate', '--certificate'],
  ['preAuthorizeProfile', '--pre-authorize-profile'],
] as const;

/**
 * The server-to-server flows (docs/create.md §9): client credentials with its Run As user; JWT bearer with
 * a certificate (from --certificate, next to --private-key, or generated at run time) and pre-authorized
 * profiles. Flags of another flow are refused. Returns the JWT key files, or undefined for other flows.
 */
function serverFlowSettings(flags: CreateFlags, flow: Flow, spec: Partial<EcaSpecInput>, verifying: boolean): CreateOptions['jwt'] {
  if (flags.runAs !== undefined && flow !== 'client-credentials') throw new UsageError('--run-as goes with --flow client-credentials.');
  for (const [key, flag] of JWT_FLAGS) if (flags[key] !== undefined && flow !== 'jwt-bearer') throw new UsageError(`${flag} goes with --flow jwt-bearer.`);
  if (flow === 'client-credentials') {
    if (!flags.runAs?.trim()) {
      throw new UsageError('--flow client-credentials needs --run-as <username>: the user Salesforce issues the tokens for.', {
        hint: 'Use an integration user with the "API Only User" permission, e.g. --run-as ci@acme.com.',
      });
    }
    spec.clientCredentialsRunAs = flags.runAs.trim();
    return undefined;
  }
  if (flow !== 'jwt-bearer') return undefined;
  spec.preAuthorizedProfiles = flags.preAuthorizeProfile?.map((p) => p.trim()) ?? [DEFAULT_PRE_AUTHORIZED_PROFILE];
  if (verifying && !flags.username?.trim()) {
    throw new UsageError('--flow jwt-bearer needs --username <the Salesforce username the tokens are for> to verify the new app.', {
      hint: `The user must have a pre-authorized profile (--pre-authorize-profile, default "${DEFAULT_PRE_AUTHORIZED_PROFILE}"). Or pass --no-verify.`,
    });
  }
  if (verifying && flags.certificate !== undefined && flags.privateKey === undefined) {
    throw new UsageError('--certificate without --private-key: sfoauth cannot sign the verification login.', { hint: 'Pass --private-key <its key file> too, or --no-verify.' });
  }
  return { ...(flags.privateKey !== undefined ? { privateKeyFile: flags.privateKey } : {}), ...(flags.certificate !== undefined ? { certificateFile: flags.certificate } : {}) };
}

/** The profile pre-authorized when --pre-authorize-profile is not given: the deploying admin's own. */
const DEFAULT_PRE_AUTHORIZED_PROFILE = 'System Administrator';

/** The values still missing when nobody can be asked, as the flags that give them. */
export function missingFlags(plan: CreatePlan): string[] {
  const missing: string[] = [];
  if (!plan.spec.name) missing.push('--name <API name>');
  if (!plan.spec.contactEmail) missing.push('--contact-email <address>');
  if (!plan.deployer && !plan.dryRun && plan.outputDir === undefined) {
    missing.push('--target-org <alias> | --access-token-stdin --instance-url <url> | --from-profile <name> (who deploys)');
  }
  return missing;
}

export function apiNameValid(v: string): true | string {
  return /^[A-Za-z][A-Za-z0-9_]*$/.test(v.trim()) ? true : 'A letter first, then letters, digits or underscores.';
}

/** Before the deploy: an existing profile is replaced only with --yes or a yes in the terminal. */
export async function refuseToReplace(
  store: { get(name: string): Promise<unknown>; path: string },
  profile: string,
  yes: boolean,
  interactive: boolean,
  prompter: { confirm(o: { message: string; default?: boolean }): Promise<boolean> },
): Promise<void> {
  if (yes || !(await store.get(profile))) return;
  if (interactive && (await prompter.confirm({ message: `Profile "${profile}" exists. Replace it when the new app is verified?`, default: false }))) return;
  throw new UsageError(`Profile "${profile}" already exists in ${store.path}.`, { hint: 'Pass --yes to replace it, or --profile <another name>.' });
}

/**
 * Which profile the new app is saved to: --profile when given; else the config's default profile while it
 * does not exist yet; else one named after the app, so that creating an app never replaces the profile
 * a person already uses (least of all the one that deploys it). Pure.
 */
export function profileForCreate(p: { requested: string | undefined; defaultName: string; defaultExists: boolean; appName: string; deployingProfile: string | undefined }): string {
  const name = p.requested ?? (p.defaultExists ? p.appName : p.defaultName);
  if (name === p.deployingProfile) {
    throw new UsageError(`The new app would be saved over profile "${name}", which deploys it.`, { hint: 'Pass --profile <another name> for the new app.' });
  }
  return name;
}

/** A wizard answer's validation: anything but blank. */
const nonEmpty = (v: string) => (v.trim() !== '' ? true : 'An answer is needed.');

/** The wizard's "who deploys" (in a terminal only); the token is read masked. */
export async function askDeployer(prompter: Prompter, configDir: string | undefined): Promise<Deployer> {
  const how = await prompter.select({
    message: 'Who deploys the app (an admin of the org)?',
    choices: [
      { value: 'sf-cli', name: 'a Salesforce CLI login (sf org display)' },
      { value: 'profile', name: 'an sfoauth profile with the api scope' },
      { value: 'token', name: 'an access token I paste' },
    ],
  });
  if (how === 'sf-cli') return { kind: 'sf-cli', targetOrg: (await prompter.input({ message: 'Salesforce CLI alias or username:', validate: nonEmpty })).trim() };
  if (how === 'profile') return { kind: 'profile', profile: (await prompter.input({ message: 'sfoauth profile:', validate: nonEmpty })).trim(), configDir };
  const instanceUrl = parseLoginUrl(await prompter.input({ message: "The org's instance URL (https://….my.salesforce.com):", validate: nonEmpty }), 'the instance URL').origin;
  const accessToken = (await prompter.password({ message: 'Access token:', validate: nonEmpty })).trim();
  return { kind: 'token', instanceUrl, accessToken };
}

/**
 * The wizard's flow questions (in a terminal only), answered as the flags would be: which flow the app is
 * for (web-server by default), then what that flow still needs: the Run As user for client credentials;
 * for JWT bearer the username the verification logs in as and the key pair (generated, or a key file).
 * Asked only when no flag settled it: --flow, a flag of one flow, or a web-server flag (--callback-url,
 * --no-browser), as init's wizard does.
 */
export async function askFlowFlags(flags: CreateFlags, prompter: Prompter): Promise<CreateFlags> {
  const out: CreateFlags = { ...flags };
  const serverFlags = flags.runAs !== undefined || JWT_FLAGS.some(([key]) => flags[key] !== undefined);
  const webServerFlags = flags.callbackUrl !== undefined || flags.browser === false;
  if (out.flow === undefined && !serverFlags && !webServerFlags) {
    const { askFlow } = await import('../../ask-flow.js');
    const flow = await askFlow(prompter);
    if (flow !== 'web-server') out.flow = flow;
  }
  if (out.flow === 'client-credentials' && !out.runAs?.trim()) {
    out.runAs = (await prompter.input({ message: 'Run As user (the integration user the tokens are issued for):', validate: nonEmpty })).trim();
  }
  if (out.flow === 'jwt-bearer') {
    if (isVerifying(out) && !out.username?.trim()) {
      out.username = (await prompter.input({ message: 'Salesforce username the verification logs in as (its profile is pre-authorized):', validate: nonEmpty })).trim();
    }
    if (out.privateKey === undefined && out.certificate === undefined) {
      const key = await prompter.select({
        message: 'The key pair for the JWT bearer flow:',
        choices: [
          { value: 'generate', name: 'Generate a new one (the key 0600 under the config directory; its certificate goes into the app)' },
          { value: 'file', name: 'Use my private key file (its certificate next to it, <name>.crt)' },
        ],
        default: 'generate',
      });
      if (key === 'file') out.privateKey = (await prompter.input({ message: 'Private key file (PEM):', validate: nonEmpty })).trim();
    }
  }
  return out;
}

