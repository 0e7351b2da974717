import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AuthorizationDeniedError, BadResponseError, StateMismatchError, UsageError } from '../../errors.js';
import { assertValidatedCallback, parsePastedRedirect, validateCallback } from './callback.js';

const STATE = '5e464f1da81b5e464f1da81b5e464f1da81b5e464f1';
const CODE = 'aPrxGfV7Zq0sW1LQmZ2a3b4c5d6e7f8g9h0Hvg==';
const ENCODED_CODE = 'aPrxGfV7Zq0sW1LQmZ2a3b4c5d6e7f8g9h0Hvg%3D%3D';

const q = (query: string) => new URLSearchParams(query);

describe('validateCallback', () => {
  it('returns the code decoded exactly once, frozen, via "callback"', () => {
    const cb = validateCallback(q(`code=${ENCODED_CODE}&state=${STATE}`), STATE);
    expect(cb.code).toBe(CODE);
    expect(cb.via).toBe('callback');
    expect(Object.isFrozen(cb)).toBe(true);
    expect(() => assertValidatedCallback(cb)).not.toThrow();
  });

  it('keeps a doubly encoded code encoded once (decodes only one level)', () => {
    expect(validateCallback(q(`code=abc%253D&state=${STATE}`), STATE).code).toBe('abc%3D');
  });

  it('hides the code from inspection and JSON', () => {
    const cb = validateCallback(q(`code=${ENCODED_CODE}&state=${STATE}`), STATE);
    expect(inspect(cb)).not.toContain('aPrx');
    expect(JSON.stringify(cb)).not.toContain('aPrx');
    expect(Object.keys(cb)).toEqual(['via']);
  });

  it.each([
    ['state missing', `code=${CODE}`, StateMismatchError],
    ['state wrong', `code=${CODE}&state=nope`, StateMismatchError],
    ['state a prefix of the right one', `code=${CODE}&state=${STATE.slice(0, -1)}`, StateMismatchError],
    ['state empty', `code=${CODE}&state=`, StateMismatchError],
    ['state twice', `code=${CODE}&state=${STATE}&state=${STATE}`, StateMismatchError],
    ['nothing at all', '', StateMismatchError],
    ['no code', `state=${STATE}`, BadResponseError],
    ['empty code', `code=&state=${STATE}`, BadResponseError],
    ['two codes', `code=a&code=b&state=${STATE}`, BadResponseError],
    ['error with a wrong state', `error=access_denied&error_description=x&state=evil`, StateMismatchError],
    ['error with a duplicated state', `error=access_denied&state=${STATE}&state=evil`, StateMismatchError],
  ])('%s → %s', (_name, query, errorClass) => {
    expect(() => validateCallback(q(query), STATE)).toThrow(errorClass);
  });

  it.each([
    [`error=access_denied&error_description=end-user+denied+authorization&state=${STATE}`, 'access_denied', 'end-user denied authorization'],
    [`error=invalid_request&error_description=missing+required+code+challenge&state=${STATE}`, 'invalid_request', 'missing required code challenge'],
    [`error=OAUTH_APP_BLOCKED&error_description=this%20app%20is%20blocked%20by%20admin&state=${STATE}`, 'OAUTH_APP_BLOCKED', 'this app is blocked by admin'],
    [`error=OAUTH_EC_APP_NOT_FOUND&state=${STATE}`, 'OAUTH_EC_APP_NOT_FOUND', undefined],
    // Salesforce's own error page carries no state.
    ['error=invalid_client_id&error_description=client%20identifier%20invalid', 'invalid_client_id', 'client identifier invalid'],
  ])('%s → AuthorizationDeniedError', (query, error, description) => {
    let thrown: unknown;
    try {
      validateCallback(q(query), STATE);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AuthorizationDeniedError);
    const denied = thrown as AuthorizationDeniedError;
    expect(denied.error).toBe(error);
    expect(denied.errorDescription).toBe(description);
    expect(denied.endpoint).toBe('authorize');
  });

  it('never puts the code in an error message', () => {
    try {
      validateCallback(q(`code=${CODE}&state=wrong`), STATE);
    } catch (err) {
      expect(String(err)).not.toContain('aPrx');
    }
  });
});

describe('assertValidatedCallback', () => {
  it.each([
    ['a look-alike object', { code: CODE, via: 'callback' }],
    ['a frozen look-alike', Object.freeze({ code: CODE, via: 'callback' })],
    ['a copy of a real one', { ...validateCallback(q(`code=${CODE}&state=${STATE}`), STATE) }],
    ['null', null],
    ['a string', CODE],
  ])('refuses %s', (_name, value) => {
    expect(() => assertValidatedCallback(value)).toThrow(TypeError);
  });
});

describe('parsePastedRedirect', () => {
  it.each([
    ['redirect_uri must match configuration', 'redirect_uri_mismatch'],
    ['Authorization Error\nclient identifier invalid', 'invalid_client_id'],
  ])('ends the flow with the Salesforce error in pasted page text: %s', (text, code) => {
    try {
      parsePastedRedirect(text, STATE);
      expect.unreachable('should have thrown');
    } catch (err) {
      expect(err).toBeInstanceOf(AuthorizationDeniedError);
      expect((err as AuthorizationDeniedError).error).toBe(code);
    }
  });

  it.each([
    ['the full redirect URL', `http://localhost:1717/OauthRedirect?code=${ENCODED_CODE}&state=${STATE}`],
    ['it with spaces and a newline around', `  http://localhost:1717/OauthRedirect?code=${ENCODED_CODE}&state=${STATE}\n`],
    ['it in quotes', `"http://localhost:1717/OauthRedirect?code=${ENCODED_CODE}&state=${STATE}"`],
    ['it in angle brackets', `<http://localhost:1717/OauthRedirect?code=${ENCODED_CODE}&state=${STATE}>`],
    ['it without the scheme', `localhost:1717/OauthRedirect?code=${ENCODED_CODE}&state=${STATE}`],
    ['it with state first', `http://127.0.0.1:1717/OauthRedirect?state=${STATE}&code=${ENCODED_CODE}`],
    ['the query string', `code=${ENCODED_CODE}&state=${STATE}`],
    ['the query string with ?', `?code=${ENCODED_CODE}&state=${STATE}`],
  ])('accepts %s (via pasted-url)', (_name, text) => {
    const cb = parsePastedRedirect(text, STATE);
    expect(cb.code).toBe(CODE);
    expect(cb.via).toBe('pasted-url');
    expect(() => assertValidatedCallback(cb)).not.toThrow();
  });

  it.each([
    ['a bare code', CODE, CODE],
    ['a bare code still percent-encoded', ENCODED_CODE, CODE],
    ['a bare code without padding', 'aPrxGfV7Zq0sW1LQmZ2a3b4c5d6e7f8', 'aPrxGfV7Zq0sW1LQmZ2a3b4c5d6e7f8'],
    ['a bare code with base64 + and /', 'aPrx+GfV7/Zq0sW1LQmZ2a3b4c5d6e7=', 'aPrx+GfV7/Zq0sW1LQmZ2a3b4c5d6e7='],
    ['a bare code with spaces around', `  ${CODE}  `, CODE],
  ])('accepts %s (via pasted-code)', (_name, text, code) => {
    const cb = parsePastedRedirect(text, STATE);
    expect(cb.code).toBe(code);
    expect(cb.via).toBe('pasted-code');
    expect(() => assertValidatedCallback(cb)).not.toThrow();
  });

  it.each([
    ['a URL with the wrong state', `http://localhost:1717/OauthRedirect?code=${CODE}&state=other`, StateMismatchError],
    ['a URL with no state', `http://localhost:1717/OauthRedirect?code=${ENCODED_CODE}`, StateMismatchError],
    ['a query string with the wrong state', `code=${CODE}&state=other`, StateMismatchError],
    ['an empty paste', '   ', UsageError],
    ['the authorize URL itself', `https://login.salesforce.com/services/oauth2/authorize?response_type=code&client_id=3MVG9x&state=${STATE}`, UsageError],
    ['a URL with no code', 'http://localhost:1717/OauthRedirect', UsageError],
    ['a URL with a query but no code', `http://localhost:1717/OauthRedirect?state=${STATE}`, UsageError],
    ['a short word', 'yes', UsageError],
    ['a sentence', 'I clicked allow and nothing happened', UsageError],
    ['a code with a space inside', 'aPrxGfV7Zq0sW1LQ mZ2a3b4c5d6e7f8g9h0', UsageError],
    ['a code with padding in the middle', 'aPrxGfV7Zq0s==W1LQmZ2a3b4c5d6e7f8g9h0', UsageError],
    ['a broken percent escape', 'aPrxGfV7Zq0sW1LQmZ2a3b4c5d6e7f8g9h0%E0%A4', UsageError],
    ['an unparsable URL', 'http://[broken/OauthRedirect?code=abc', UsageError],
  ])('refuses %s', (_name, text, errorClass) => {
    expect(() => parsePastedRedirect(text, STATE)).toThrow(errorClass);
  });

  it('tells the person what to paste', () => {
    expect(() => parsePastedRedirect('yes', STATE)).toThrow(expect.objectContaining({ hint: expect.stringContaining('?code=') }));
  });

  it.each([
    ['a redirect URL with ?error=', `http://localhost:1717/OauthRedirect?error=access_denied&error_description=end-user+denied+authorization&state=${STATE}`, 'access_denied', 'end-user denied authorization'],
    ["Salesforce's error page body", 'error=invalid_client_id&error_description=client%20identifier%20invalid', 'invalid_client_id', 'client identifier invalid'],
    ['the authorize URL showing the error', 'https://login.salesforce.com/services/oauth2/authorize?error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration', 'redirect_uri_mismatch', 'redirect_uri must match configuration'],
    ["a Salesforce page's error line", 'OAUTH_APPROVAL_ERROR_GENERIC : An unexpected error has occurred during authentication. Please try again.', 'OAUTH_APPROVAL_ERROR_GENERIC', 'An unexpected error has occurred during authentication. Please try again.'],
  ])('turns %s into AuthorizationDeniedError', (_name, text, error, description) => {
    expect(() => parsePastedRedirect(text, STATE)).toThrow(
      expect.objectContaining({ constructor: AuthorizationDeniedError, error, errorDescription: description }),
    );
  });

  it('does not show the text of an error that carries somebody else\'s state', () => {
    expect(() => parsePastedRedirect(`http://localhost:1717/OauthRedirect?error=access_denied&state=other`, STATE)).toThrow(StateMismatchError);
  });
});
