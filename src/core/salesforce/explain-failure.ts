/**
 * The one explanation of a Salesforce failure for a person: the catalog's cause and fix made concrete for
 * where it happened (the real profile name, or which SFOAUTH_* variable to update; the callback URL
 * that was sent), and the Setup screens for the profile's app type only, one per line. main (every
 * command's uncaught error), test's and doctor's checks and `sfoauth explain` all show this, through
 * one renderer (cli/render-failure.ts). The slots and who fills them: docs/messages.md.
 */
import { SalesforceError, type SalesforceEndpoint } from '../../errors.js';
import type { AppType } from '../config/profile.js';
import { explainError, lookupCatalog, setupLines } from './error-catalog.js';
import { shellQuote } from '../shell-quote.js';

/** `sfoauth init --profile NAME…` as a user would type it (the name shell-quoted), for a fix. */
export function initCommand(profileName: string, flags = ''): string {
  return `\`sfoauth init --profile ${shellQuote(profileName)}${flags ? ` ${flags}` : ''}\``;
}

/** Where the credentials came from: a saved profile, or SFOAUTH_* variables (no profile to re-run init for). */
export type InputMode = { mode: 'profile'; profile: string } | { mode: 'env' };

export interface FailureContext {
  /** Undefined where it is not known (SFOAUTH_* variables do not say): both app types' screens are shown. */
  appType?: AppType;
  /** Undefined where nothing was loaded (e.g. `sfoauth explain`): the fix keeps a `<name>` placeholder. */
  input?: InputMode;
  /** The callback URL sent as redirect_uri, when known (init, or a pasted authorize URL). */
  callbackUrl?: string;
}

/** A Salesforce error as parsed from a response, a callback, a page or pasted text. */
export interface FailureInput {
  error: string;
  description?: string | undefined;
  endpoint?: SalesforceEndpoint;
  status?: number | undefined;
}

export interface FailureExplanation {
  code: string;
  description?: string;
  title: string;
  cause: string;
  fix: string;
  /** Setup screens, one per entry ("Setup → …"); empty for an unknown code. */
  setup: string[];
  known: boolean;
}

export function explainFailure(failure: FailureInput, ctx: FailureContext = {}): FailureExplanation {
  const e = explainError({
    error: failure.error,
    ...(failure.description !== undefined ? { description: failure.description } : {}),
    ...(failure.endpoint !== undefined ? { endpoint: failure.endpoint } : {}),
    ...(failure.status !== undefined ? { status: failure.status } : {}),
    ...(ctx.appType ? { appType: ctx.appType } : {}),
  });
  const entry = e.known ? lookupCatalog(failure.error, failure.description, failure.endpoint) : undefined;
  // A catalog entry that spans several screens joins them with "; " (setup-screens.ts both()): one per line here.
  const setup = setupLines(entry?.setup, ctx.appType).flatMap((line) => line.split(/; (?=Setup →)/));
  const out: FailureExplanation = { code: e.code, title: e.title, cause: fillSlots(e.cause, ctx), fix: fillSlots(e.fix, ctx), setup, known: e.known };
  if (e.description !== undefined) out.description = e.description;
  return out;
}

/** The catalog's slots (error-catalog.ts, above REAUTH) made concrete for where the inputs came from. */
export function fillSlots(text: string, ctx: FailureContext): string {
  return text.replace(/\{(Reauth|reauth|resecret|rekey|loginUrl|callbackUrl)(?::([^{}]*))?\}/g, (_, slot: string, flags: string | undefined) => {
    const filled = slotText(slot.toLowerCase(), flags ? ` ${flags}` : '', ctx);
    return slot === 'Reauth' ? filled.charAt(0).toUpperCase() + filled.slice(1) : filled;
  });
}

function slotText(slot: string, flags: string, ctx: FailureContext): string {
  const input = ctx.input;
  // A name typed into a shell: quoted when it needs it (profile names are restricted today; this stays safe if that changes).
  const init = input?.mode === 'profile' ? initCommand(input.profile, flags.slice(1)) : `\`sfoauth init --profile <name>${flags}\``;
  switch (slot) {
    case 'reauth':
      return input?.mode === 'env'
        ? `get a new refresh token (\`sfoauth init${flags}\` on a workstation, then \`sfoauth export --include-secrets\`) and update the SFOAUTH_REFRESH_TOKEN secret`
        : `re-run ${init} for a new refresh token`;
    case 'resecret':
      if (input?.mode === 'env') return 'update the SFOAUTH_CLIENT_SECRET secret with it';
      return input ? `re-run ${init}` : `re-run ${init} (in CI, update the SFOAUTH_CLIENT_SECRET secret)`;
    case 'rekey':
      if (input?.mode === 'env') return 'update the SFOAUTH_CLIENT_ID secret with it';
      return `then re-run ${init} with it`;
    case 'loginurl':
      return input?.mode === 'env' ? 'SFOAUTH_LOGIN_URL' : '`--login-url`';
    case 'callbackurl':
      return ctx.callbackUrl !== undefined
        ? `${ctx.callbackUrl} (the callback URL sent as redirect_uri)`
        : 'the exact callback URL the client sent as redirect_uri (sfoauth prints it before the login; its default is http://localhost:1717/OauthRedirect)';
    default:
      return '';
  }
}

/** Runs `run`; a SalesforceError it throws leaves with `ctx` attached (fields something nearer already set are kept). */
export async function inFailureContext<T>(ctx: FailureContext, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    // What a nearer caller already knew wins, field by field (init's callback URL, then the command's profile).
    if (err instanceof SalesforceError) err.failureContext = { ...ctx, ...err.failureContext };
    throw err;
  }
}

/** A SalesforceError as explainFailure's input. */
export function failureOf(err: SalesforceError): FailureInput {
  return { error: err.error, description: err.errorDescription, endpoint: err.endpoint, status: err.status };
}
