/**
 * The interactive half of `sfoauth init`: asks only for what flags and env did not give, prints the
 * tailored Setup steps, and offers to open Setup. Prompts draw on stderr (platform/prompter.ts), and so does
 * what goes with them, through io.instruct(): a conversation, which --json does not silence.
 */
import { DEFAULT_CALLBACK_URL, parseCallbackUrl, parseExtraCallbackUrl } from '../../../core/oauth/callback-url.js';
import { checkConsumerKey, checkConsumerSecret, looksLikeConsumerSecret } from '../../../core/salesforce/consumer-key.js';
import { defaultLoginUrl, loginHostProblems, parseLoginUrl } from '../../../core/salesforce/hosts.js';
import { DEFAULT_SCOPES, parseScopes } from '../../../core/salesforce/scopes.js';
import { buildSetupGuide, guideForInit, setupHomeUrl } from '../../../core/salesforce/setup-steps.js';
import { renderSetupGuide } from '../../render-steps.js';
import { SfOAuthError } from '../../../errors.js';
import type { AppType, Environment } from '../../../core/config/profile.js';
import type { Deps } from '../../../deps.js';
import type { PartialInit } from '../../../app/init-options.js';
import { terminalColumns } from '../../wrap.js';

/** Runs a parser as an Inquirer validator: true, or the error's message (and hint) to show. */
function validator(parse: (v: string) => unknown): (v: string) => true | string {
  return (v) => {
    try {
      parse(v);
      return true;
    } catch (err) {
      if (err instanceof SfOAuthError) return err.hint ? `${err.message} ${err.hint}` : err.message;
      return String(err);
    }
  };
}

/** `browser: false` (--no-browser): Setup's address is printed, never offered to be opened. */
export async function runWizard(p: PartialInit, deps: Pick<Deps, 'io' | 'prompter' | 'openBrowser'>, o: { browser: boolean } = { browser: true }): Promise<Required<PartialInit>> {
  const { io, prompter } = deps;
  const c = io.color;

  const env: Environment =
    p.env ??
    (await prompter.select<Environment>({
      message: 'Which Salesforce environment?',
      choices: [
        { value: 'production', name: 'Production (Nango: salesforce)', description: 'Production and Developer Edition orgs; log in at login.salesforce.com' },
        { value: 'sandbox', name: 'Sandbox (Nango: salesforce-sandbox)', description: 'Sandboxes log in at test.salesforce.com. A Developer Edition org is not a sandbox.' },
      ],
      default: 'production',
    }));

  const appType: AppType =
    p.appType ??
    (await prompter.select<AppType>({
      // With a Consumer Key the app exists already: nothing is created, but its kind still picks the Setup paths.
      message: p.clientId ? 'Which kind of app is this Consumer Key from?' : 'Which kind of app will you create?',
      choices: [
        {
          value: 'external-client-app',
          name: 'External Client App (recommended)',
          description: "Connected App creation is off in new orgs since Winter '26 and needs Salesforce Support since Spring '26.",
        },
        { value: 'connected-app', name: 'Connected App (legacy)', description: 'Only if your org still allows creating connected apps, or the app already exists.' },
      ],
      default: 'external-client-app',
    }));

  let loginUrl = p.loginUrl;
  if (!loginUrl) {
    const generic = defaultLoginUrl(env);
    const kind = await prompter.select<'generic' | 'mydomain'>({
      message: 'Which login host?',
      choices: [
        { value: 'generic', name: `${generic} (generic)` },
        { value: 'mydomain', name: 'My Domain (e.g. acme.my.salesforce.com)', description: 'Needed when your org blocks the generic login host' },
      ],
      default: 'generic',
    });
    loginUrl =
      kind === 'generic'
        ? generic
        : parseLoginUrl(await prompter.input({ message: 'My Domain login URL:', validate: validator(parseLoginUrl) })).origin;
  }
  for (const problem of loginHostProblems(loginUrl, env)) io.instruct(`${c.yellow('!')} ${problem}`);

  const callbackUrl =
    p.callbackUrl ??
    parseCallbackUrl(
      await prompter.input({
        message: 'Local callback URL (sfoauth listens here):',
        default: DEFAULT_CALLBACK_URL,
        validate: validator(parseCallbackUrl),
      }),
    ).url.href;

  // Another callback to register matters while the app is being set up (it goes in the Setup steps);
  // with a Consumer Key the app exists, and --extra-callback-url still records one.
  let extraCallbackUrls = p.extraCallbackUrls ?? (p.clientId ? [] : undefined);
  if (!extraCallbackUrls) {
    extraCallbackUrls = [];
    const more = await prompter.input({
      message: "Your app's own callback URL to register too (e.g. https://api.nango.dev/oauth/callback; empty for none):",
      default: '',
      validate: (v) => (v.trim() === '' ? true : validator(parseExtraCallbackUrl)(v)),
    });
    if (more.trim() !== '') extraCallbackUrls.push(parseExtraCallbackUrl(more).href);
  }

  const scopes =
    p.scopes ??
    parseScopes(await prompter.input({ message: 'OAuth scopes:', default: DEFAULT_SCOPES.join(' '), validate: validator(parseScopes) }));

  // The Setup steps, with these exact values to paste; skipped when a Consumer Key was given, since the
  // app exists already (`sfoauth steps` still prints them).
  if (!p.clientId) await showSetupSteps({ env, appType, callbackUrls: [callbackUrl, ...extraCallbackUrls], scopes, loginUrl }, deps, o.browser);

  const clientId = p.clientId ?? (await askConsumerKey(prompter));
  const keyCheck = checkConsumerKey(clientId);
  if (keyCheck.warning) io.instruct(`${c.yellow('!')} ${keyCheck.warning}`);

  let clientSecret = p.clientSecret;
  if (!clientSecret) {
    clientSecret = (
      await prompter.password({ message: 'Consumer Secret (hidden):', validate: (v) => (v.trim() === '' ? 'The Consumer Secret is required (the app requires it for the web server flow by default).' : true) })
    ).trim();
  }
  const secretCheck = checkConsumerSecret(clientSecret);
  if (secretCheck.warning) io.instruct(`${c.yellow('!')} ${secretCheck.warning}`);

  return { env, appType, loginUrl, clientId, clientSecret, callbackUrl, extraCallbackUrls, scopes };
}

/**
 * The Consumer Key. The Secret sits right under it in Setup, and pasting it here would show it on
 * screen: a value shaped like a secret is hidden as it is typed, refused, and wiped, and the question
 * is asked again.
 */
async function askConsumerKey(prompter: Deps['prompter']): Promise<string> {
  const answer = await prompter.input({
    message: 'Consumer Key:',
    // While typed, a paste arrives a character at a time: hide every value that could be the start of a
    // secret (hex only; a key's "3MVG9" is not), not just a whole one.
    concealIf: (v) => /^[A-Fa-f0-9]+$/.test(v),
    validate: (v) => {
      const value = v.trim();
      if (looksLikeConsumerSecret(value)) return 'That looks like the Consumer Secret (it was not kept). Paste the Consumer Key, which starts with 3MVG9.';
      const check = checkConsumerKey(value);
      return check.ok ? true : (check.warning ?? 'That does not look like a Consumer Key.');
    },
  });
  return answer.trim();
}

/** Prints the tailored Setup guide and offers to open Setup on the org. */
async function showSetupSteps(
  input: { env: Environment; appType: AppType; callbackUrls: string[]; scopes: string[]; loginUrl: string },
  deps: Pick<Deps, 'io' | 'prompter' | 'openBrowser'>,
  browser: boolean,
): Promise<void> {
  const { io } = deps;
  const guide = guideForInit(buildSetupGuide(input));
  io.instruct('');
  for (const line of renderSetupGuide(guide, io.color, terminalColumns(io.stderr, io.stderrIsTTY))) io.instruct(line);
  io.instruct('');
  const url = setupHomeUrl(input.loginUrl, input.appType);
  if (!browser) {
    io.instruct(`Setup: ${url}`);
    return;
  }
  if (await deps.prompter.confirm({ message: 'Open Salesforce Setup in your browser now?', default: true })) {
    try {
      await deps.openBrowser(url);
    } catch (err) {
      io.instruct(`${err instanceof Error ? err.message : 'Could not open a browser'}. Open this URL yourself:\n${url}`);
    }
  }
}

/** Asks for what the server-to-server flows still miss (no callback URL, no scopes to choose). */
export async function askServerValues(
  p: PartialInit,
  flow: 'client-credentials' | 'jwt-bearer',
  extra: { username?: string | undefined; privateKeyFile?: string | undefined },
  deps: Pick<Deps, 'io' | 'prompter'>,
): Promise<PartialInit> {
  const { prompter } = deps;
  const out: PartialInit = { ...p };
  if (flow === 'client-credentials' && !out.loginUrl) {
    out.loginUrl = parseLoginUrl(await prompter.input({ message: "The org's My Domain URL (e.g. https://acme.my.salesforce.com):", validate: validator(parseLoginUrl) })).origin;
  }
  if (flow === 'jwt-bearer' && !out.env) {
    out.env = await prompter.select<Environment>({
      message: 'Which Salesforce environment?',
      choices: [
        { value: 'production', name: 'Production or Developer Edition (aud https://login.salesforce.com)' },
        { value: 'sandbox', name: 'Sandbox or scratch org (aud https://test.salesforce.com)' },
      ],
      default: 'production',
    });
  }
  if (!out.clientId) out.clientId = await askConsumerKey(prompter);
  if (flow === 'client-credentials' && !out.clientSecret) {
    out.clientSecret = (await prompter.password({ message: 'Consumer Secret (hidden):', validate: (v) => (v.trim() === '' ? 'The client credentials flow needs the Consumer Secret.' : true) })).trim();
  }
  if (flow === 'jwt-bearer' && !extra.username) {
    extra.username = (await prompter.input({ message: 'Salesforce username the token is for:', validate: (v) => (v.trim() === '' ? 'A username is required.' : true) })).trim();
  }
  return out;
}
