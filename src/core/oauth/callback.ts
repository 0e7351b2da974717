/**
 * The authorization response, checked once and branded so the code exchange cannot be handed anything
 * that skipped the state check (oauth4webapi's validateAuthResponse does the same).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
import { isKnownCode } from '../salesforce/error-catalog.js';
import { parseErrorText } from '../salesforce/parse-error-text.js';
import { AuthorizationDeniedError, BadResponseError, StateMismatchError, UsageError } from '../../errors.js';
import { statesEqual } from './state.js';

export interface ValidatedCallback {
  /** Secret, decoded exactly once. Not enumerable, so inspecting or serialising the object hides it. */
  readonly code: string;
  readonly via: 'callback' | 'pasted-url' | 'pasted-code';
}

/** Only objects made here are in this set; exchangeCode calls assertValidatedCallback. */
const validated = new WeakSet<object>();

export function validateCallback(params: URLSearchParams, expectedState: string): ValidatedCallback {
  return validate(params, expectedState, 'callback');
}

export function assertValidatedCallback(value: unknown): asserts value is ValidatedCallback {
  if (typeof value !== 'object' || value === null || !validated.has(value)) {
    throw new TypeError('Expected a ValidatedCallback from validateCallback() or parsePastedRedirect()');
  }
}

function validate(params: URLSearchParams, expectedState: string, via: 'callback' | 'pasted-url'): ValidatedCallback {
  const states = params.getAll('state');
  const state = states.length === 1 ? states[0] : undefined;
  const error = params.get('error');
  if (error !== null) {
    // With a wrong state it is someone else's response: showing its text would let a third party put
    // words in our mouth. Without any state it is Salesforce's own error page (it never adds state
    // there), which the person pasted or which came back without one.
    if (states.length > 0 && !(state !== undefined && statesEqual(state, expectedState))) {
      throw new StateMismatchError();
    }
    throw new AuthorizationDeniedError(error, params.get('error_description') ?? undefined);
  }
  if (states.length === 0) {
    throw new StateMismatchError('The callback came back without a state, so sfoauth cannot tell it answers its own request; it was ignored.');
  }
  if (state === undefined || !statesEqual(state, expectedState)) throw new StateMismatchError();
  const codes = params.getAll('code');
  const code = codes[0];
  if (codes.length !== 1 || code === undefined || code === '') {
    throw new BadResponseError(
      codes.length > 1
        ? 'The callback carried more than one authorization code.'
        : 'The callback carried a matching state but no authorization code.',
      { hint: 'Start again with `sfoauth init`; if it repeats, run with --verbose and check the app\'s callback URL.' },
    );
  }
  return brand(code, via);
}

function brand(code: string, via: ValidatedCallback['via']): ValidatedCallback {
  const result = Object.defineProperties({} as ValidatedCallback, {
    code: { value: code, enumerable: false },
    via: { value: via, enumerable: true },
  });
  Object.freeze(result);
  validated.add(result);
  return result;
}

const WHAT_TO_PASTE =
  'Paste the whole address of the page the browser landed on after you clicked Allow ' +
  '(it starts with your callback URL and contains ?code=…&state=…), or just the value of its code parameter.';

/** A Salesforce page error as it is shown on screen: `OAUTH_APPROVAL_ERROR_GENERIC : An unexpected error…`. */
export const MAX_PASTE_CHARS = 64 * 1024;

const PAGE_ERROR = /^([A-Z][A-Z0-9_]{3,})\s+:\s+(\S.*)$/s;

/** What a bare authorization code looks like: base64 text, possibly still percent-encoded. */
const BARE_CODE = /^(?:[A-Za-z0-9._~+/-]|%[0-9A-Fa-f]{2})+(?:=|%3[Dd]){0,2}$/;
const DECODED_CODE = /^[A-Za-z0-9._~+/-]{20,}={0,2}$/;

/**
 * What the person pasted at the "paste the redirected URL" prompt: the full URL, its query string, or
 * just the code. A URL or query string goes through the same checks as the callback server.
 */
export function parsePastedRedirect(text: string, expectedState: string): ValidatedCallback {
  // A redirected URL is under 2 KB; anything far larger is a wrong paste, and is not parsed (docs/hostile-input.md).
  if (text.length > MAX_PASTE_CHARS) throw new UsageError(`That paste is ${Math.round(text.length / 1024)} KB; a redirected URL is under 2 KB.`, { hint: WHAT_TO_PASTE });
  const pasted = stripWrapping(text.trim());
  if (pasted === '') throw new UsageError('Nothing was pasted.', { hint: WHAT_TO_PASTE });

  const pageError = PAGE_ERROR.exec(pasted);
  if (pageError?.[1] !== undefined && pageError[2] !== undefined) {
    throw new AuthorizationDeniedError(pageError[1], pageError[2].trim());
  }

  const query = queryOf(pasted);
  if (query !== undefined) {
    const params = new URLSearchParams(query);
    if (!params.has('code') && !params.has('error')) {
      const isAuthorizeUrl = params.has('response_type') || params.has('code_challenge') || /\/services\/oauth2\/authorize/.test(pasted);
      throw new UsageError(
        isAuthorizeUrl
          ? 'That is the authorize URL sfoauth printed, not the page Salesforce sent you back to.'
          : 'That address has no code (and no Salesforce error) in it.',
        { hint: isAuthorizeUrl ? `Open it in the browser, log in and click Allow. ${WHAT_TO_PASTE}` : WHAT_TO_PASTE },
      );
    }
    return validate(params, expectedState, 'pasted-url');
  }

  if (BARE_CODE.test(pasted)) {
    let code: string;
    try {
      // Copied from the address bar the code is still percent-encoded (`…%3D%3D`): decode it once.
      code = pasted.includes('%') ? decodeURIComponent(pasted) : pasted;
    } catch {
      throw new UsageError('That does not look like an authorization code.', { hint: WHAT_TO_PASTE });
    }
    // A bare code cannot carry `state`, so it is not checked. That is acceptable because the person
    // copied it out of their own browser's address bar: state exists to stop a third party from
    // injecting its response through the browser, and nothing here comes through a channel a third
    // party controls. The code is still bound to this login by PKCE: Salesforce only exchanges it
    // together with the verifier whose challenge went out on our authorize URL.
    if (DECODED_CODE.test(code)) return brand(code, 'pasted-code');
  }
  // Text copied off Salesforce's own error page ("redirect_uri must match configuration", …) is an
  // answer too: end the flow with that error, so the catalog explains it.
  const known = parseErrorText(pasted).find((e) => isKnownCode(e.error));
  if (known) throw new AuthorizationDeniedError(known.error, known.description);
  throw new UsageError('sfoauth could not find an authorization code in what was pasted.', { hint: WHAT_TO_PASTE });
}

/** The query part of a pasted URL or query string; undefined for anything else (e.g. a bare code). */
function queryOf(pasted: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(pasted)) {
    let url: URL;
    try {
      url = new URL(pasted);
    } catch {
      throw new UsageError('The pasted address is not a valid URL.', { hint: WHAT_TO_PASTE });
    }
    return url.search.slice(1);
  }
  // `localhost:1717/OauthRedirect?code=…` (no scheme) or `?code=…&state=…`.
  const at = pasted.indexOf('?');
  if (at !== -1) return pasted.slice(at + 1).split('#')[0];
  if (/^(?:code|state|error|error_description)=/.test(pasted) || /&(?:code|state|error)=/.test(pasted)) return pasted;
  return undefined;
}

/** Terminals and chat tools sometimes add quotes or angle brackets around a copied URL. */
function stripWrapping(text: string): string {
  const m = /^(["'<`])(.*)(["'>`])$/s.exec(text);
  if (m && m[2] !== undefined && (m[1] === m[3] || (m[1] === '<' && m[3] === '>'))) return m[2].trim();
  return text;
}
