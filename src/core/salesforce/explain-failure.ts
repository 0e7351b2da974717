/**
 * The one explanation of a Salesforce failure for a person: the catalog's cause and fix made concrete for
 * where it happened (the real profile name, or the SFOAUTH_* variables), and the Setup screens for the
 * profile's app type only, one per line. main (every command's uncaught error), test's and doctor's
 * checks and `sfoauth explain` all show this, through one renderer (cli/render-failure.ts).
 */
import { SalesforceError, type SalesforceEndpoint } from '../../errors.js';
import type { AppType } from '../config/profile.js';
import { explainError, lookupCatalog, setupLines } from './error-catalog.js';

/** Where the credentials came from: a saved profile, or SFOAUTH_* variables (no profile to re-run init for). */
export type InputMode = { mode: 'profile'; profile: string } | { mode: 'env' };

export interface FailureContext {
  appType?: AppType;
  /** Undefined where nothing was loaded (e.g. `sfoauth explain`): the fix keeps its `<name>` placeholder. */
  input?: InputMode;
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

/** The catalog's re-authorisation command, and what replaces it when there is no profile. */
const REAUTH_COMMAND = '`sfoauth init --profile <name>`';
const ENV_REAUTH = '`sfoauth init` (then put the new refresh token in SFOAUTH_REFRESH_TOKEN)';

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
  const named = (text: string) => forInput(text, ctx.input);
  const out: FailureExplanation = { code: e.code, title: e.title, cause: named(e.cause), fix: named(e.fix), setup, known: e.known };
  if (e.description !== undefined) out.description = e.description;
  return out;
}

function forInput(text: string, input: InputMode | undefined): string {
  if (!input) return text;
  if (input.mode === 'profile') return text.split('<name>').join(input.profile);
  return text.split(REAUTH_COMMAND).join(ENV_REAUTH);
}

/** Runs `run`; a SalesforceError it throws leaves with `ctx` attached (unless something nearer set one). */
export async function inFailureContext<T>(ctx: FailureContext, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof SalesforceError) err.failureContext ??= ctx;
    throw err;
  }
}

/** A SalesforceError as explainFailure's input. */
export function failureOf(err: SalesforceError): FailureInput {
  return { error: err.error, description: err.errorDescription, endpoint: err.endpoint, status: err.status };
}
