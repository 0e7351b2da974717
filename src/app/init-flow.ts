/**
 * The browser half of `sfoauth init`: port check, PKCE + state, the authorize-page probe (with the
 * propagation wait), the callback server raced against a pasted redirect, and the code exchange.
 */
import { SalesforceError } from '../errors.js';
import { buildAuthorizeUrl } from '../core/oauth/authorize-url.js';
import { parsePastedRedirect, type ValidatedCallback } from '../core/oauth/callback.js';
import { startCallbackServer } from '../platform/callback-server.js';
import { bindAddressesFor, parseCallbackUrl } from '../core/oauth/callback-url.js';
import { createPkcePair } from '../core/oauth/pkce.js';
import { createState } from '../core/oauth/state.js';
import { exchangeCode, type TokenResponse } from '../core/oauth/token.js';
import { probeAuthorize, type AuthorizeProblem } from '../core/salesforce/authorize-probe.js';
import { checkPortFree } from '../platform/port.js';
import { SfOAuthError } from '../errors.js';
import type { HttpClient } from '../core/http/request.js';
import type { Deps } from '../deps.js';
import type { InitOptions } from './init-options.js';
import { whileWaiting } from './waiting.js';

type FlowDeps = Pick<Deps, 'io' | 'clock' | 'random' | 'openBrowser' | 'prompter' | 'signal' | 'showWaiting'>;

/**
 * `beforeBrowser` runs once Salesforce knows the app and before the callback server starts or the
 * browser opens (init's secret probe, init-checks.ts); the options it returns (a secret asked again)
 * are the ones the code is exchanged with.
 */
export async function runAuthorizationFlow(
  opts: InitOptions,
  http: HttpClient,
  deps: FlowDeps,
  beforeBrowser: (opts: InitOptions) => Promise<InitOptions> = async (o) => o,
): Promise<{ token: TokenResponse; opts: InitOptions }> {
  const { io } = deps;
  const c = io.color;
  const cb = parseCallbackUrl(opts.callbackUrl);
  await checkPortFree(cb.port, bindAddressesFor(cb.host), cb.url);

  const pkce = createPkcePair(deps.random);
  const state = createState(deps.random);
  const authorizeUrl = buildAuthorizeUrl({
    loginUrl: opts.loginUrl,
    clientId: opts.clientId,
    redirectUri: cb.url.href,
    scopes: opts.scopes,
    state,
    codeChallenge: pkce.challenge,
  });

  await waitUntilSalesforceKnowsTheApp(http, authorizeUrl, opts, deps);
  const checked = await beforeBrowser(opts);

  const server = await startCallbackServer({
    callbackUrl: cb.url,
    expectedState: state,
    timeoutMs: opts.timeoutMs,
    signal: deps.signal,
    onWarning: (m) => io.err(`${c.yellow('!')} ${m}`),
  });
  const pasteAbort = new AbortController();
  let callback: ValidatedCallback;
  let stopWaiting: (() => void) | undefined;
  try {
    io.err(`Waiting for Salesforce to redirect to ${server.url.href} (up to ${Math.round(opts.timeoutMs / 1000)} s).`);
    // The URL once: the browser's "Opening <url> in your browser." shows it; otherwise the person must
    // open it, which even --json says (it is what the run waits for).
    let notOpened: string | undefined;
    if (opts.openBrowser) {
      try {
        await deps.openBrowser(authorizeUrl.href);
      } catch (err) {
        notOpened = err instanceof Error ? err.message : 'Could not open a browser';
      }
    }
    if (!opts.openBrowser || notOpened !== undefined) {
      io.instruct(notOpened === undefined ? 'Open this URL to log in and allow access:' : `${c.yellow('!')} ${notOpened}; open this URL yourself to log in and allow access:`);
      io.instruct(authorizeUrl.href);
    }
    io.err(
      c.dim('If Salesforce shows its own error page instead of coming back here, copy its text into `sfoauth explain "<text>"`.'),
    );
    const racers: Promise<ValidatedCallback>[] = [server.result];
    // Only when a person can answer and did not say --yes (resolve.ts decided it once).
    const asking = opts.interactive;
    if (asking) racers.push(askForPastedRedirect(state, pasteAbort.signal, deps));
    // The paste prompt, when there is one, is what lives on the terminal; otherwise a spinner shows the wait.
    else stopWaiting = deps.showWaiting?.('Waiting for the login in the browser (Ctrl-C to cancel)…');
    callback = await Promise.race(racers);
    // The browser won: the paste prompt is still on screen. Abort it and wipe its line.
    if (asking && callback.via === 'callback') {
      pasteAbort.abort();
      io.stderr.write('\r\x1b[2K');
    }
  } finally {
    stopWaiting?.();
    pasteAbort.abort();
    await server.close();
  }
  io.err(`${c.green('✓')} Authorization received${callback.via === 'callback' ? '' : ' (pasted)'}; exchanging the code.`);
  const token = await whileWaiting(deps, 'Exchanging the code for tokens…', () => exchangeCode(http, {
    loginUrl: opts.loginUrl,
    clientId: opts.clientId,
    ...(checked.clientSecret ? { clientSecret: checked.clientSecret } : {}),
    redirectUri: cb.url.href,
    callback,
    codeVerifier: pkce.verifier,
  }));
  return { token, opts: checked };
}

/** While the callback server listens, a person may paste the URL the browser ended on (or the code). */
function askForPastedRedirect(state: string, signal: AbortSignal, deps: FlowDeps): Promise<ValidatedCallback> {
  const asked = deps.prompter
    .input({
      message: 'Or paste the URL your browser ended on (or just the code):',
      signal,
      // The pasted text holds the authorization code: do not leave it on the screen.
      answeredAs: () => '(received)',
      validate: (text) => {
        try {
          parsePastedRedirect(text, state);
          return true;
        } catch (err) {
          // A pasted Salesforce error is a real answer: let it through to end the flow with its explanation.
          if (err instanceof SalesforceError) return true;
          return err instanceof SfOAuthError ? `${err.message}${err.hint ? ` ${err.hint}` : ''}` : String(err);
        }
      },
    })
    .then((text) => parsePastedRedirect(text, state));
  // Once the server wins, this prompt is aborted; that rejection is expected and must not go unhandled.
  asked.catch(() => undefined);
  return asked;
}

/**
 * `invalid_client_id` right after creating an app usually means "not propagated yet" (up to 10 minutes).
 * With --wait N, re-check every poll interval for up to N minutes with a visible countdown.
 */
async function waitUntilSalesforceKnowsTheApp(http: HttpClient, authorizeUrl: URL, opts: InitOptions, deps: FlowDeps): Promise<void> {
  const { io, clock } = deps;
  const c = io.color;
  const deadline = clock.now() + opts.waitMs;
  let announced = false;
  for (;;) {
    const problem = await whileWaiting(deps, 'Checking that Salesforce knows the app…', () => probeAuthorize(http, authorizeUrl));
    if (!problem) {
      if (announced) io.err(`${c.green('✓')} Salesforce now recognises the app.`);
      return;
    }
    const left = deadline - clock.now();
    if (left <= 0) throw errorFor(problem);
    if (!announced) {
      io.err(
        `${c.yellow('!')} Salesforce does not accept the app yet (${problem.error}: ${problem.description ?? ''}). ` +
          'A new or changed app can take up to 10 minutes to propagate.',
      );
      io.err(`  Re-checking every ${Math.round(opts.pollMs / 1000)} s for up to ${formatDuration(opts.waitMs)} (Ctrl-C to stop).`);
      announced = true;
    }
    await countdown(Math.min(opts.pollMs, left), deadline, deps);
  }
}

async function countdown(ms: number, deadline: number, deps: FlowDeps): Promise<void> {
  const { io, clock } = deps;
  if (!io.stderrIsTTY) {
    io.err(`  waiting ${Math.round(ms / 1000)} s (${formatDuration(deadline - clock.now())} left)…`);
    await clock.sleep(ms, deps.signal);
    return;
  }
  const end = clock.now() + ms;
  try {
    while (clock.now() < end) {
      io.stderr.write(`\r  next check in ${Math.ceil((end - clock.now()) / 1000)} s, ${formatDuration(deadline - clock.now())} left   `);
      await clock.sleep(Math.min(1000, end - clock.now()), deps.signal);
    }
  } finally {
    io.stderr.write('\r\x1b[K'); // Ctrl-C too: "Cancelled." then starts a clean line
  }
}

function formatDuration(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function errorFor(problem: AuthorizeProblem): SalesforceError {
  return new SalesforceError('authorize', problem.error, problem.description, {
    status: problem.status,
    hint:
      problem.error === 'invalid_client_id'
        ? 'If you just created or changed the app, wait a few minutes and run again with --wait 10.'
        : 'Register this exact callback URL on the app (character for character), save, wait a few minutes, and run again with --wait 10.',
  });
}
