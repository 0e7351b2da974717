/**
 * Every error sfoauth raises on purpose. Each class knows its exit code (exit-codes.ts); main.ts is the
 * only place that turns an error into output and an exit code. Messages never contain secrets:
 * request bodies and responses ride along as non-enumerable properties so they stay out of logs.
 */
import { EXIT, type ExitCode } from './exit-codes.js';
import type { FailureContext } from './core/salesforce/explain-failure.js';

export const ERROR_CODES = {
  USAGE: 'SFOAUTH_USAGE',
  CONFIG: 'SFOAUTH_CONFIG',
  NOT_CONFIGURED: 'SFOAUTH_NOT_CONFIGURED',
  SALESFORCE: 'SFOAUTH_SALESFORCE',
  STATE_MISMATCH: 'SFOAUTH_STATE_MISMATCH',
  AUTHORIZATION_DENIED: 'SFOAUTH_AUTHORIZATION_DENIED',
  CALLBACK_TIMEOUT: 'SFOAUTH_CALLBACK_TIMEOUT',
  PORT_IN_USE: 'SFOAUTH_PORT_IN_USE',
  NETWORK: 'SFOAUTH_NETWORK',
  TIMEOUT: 'SFOAUTH_TIMEOUT',
  BAD_RESPONSE: 'SFOAUTH_BAD_RESPONSE',
  RESPONSE_TOO_LARGE: 'SFOAUTH_RESPONSE_TOO_LARGE',
  CHECK_FAILED: 'SFOAUTH_CHECK_FAILED',
  CANCELLED: 'SFOAUTH_CANCELLED',
  LOCKED: 'SFOAUTH_BUSY',
  INTERNAL: 'SFOAUTH_INTERNAL',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/**
 * The stable code an error has in `--json` output (README.md "JSON output"): the class's code without
 * the prefix, lower case with hyphens (SFOAUTH_NOT_CONFIGURED → `not-configured`); a Salesforce refusal
 * adds the OAuth or REST error it answered (`salesforce:invalid_grant`).
 */
export function publicErrorCode(err: SfOAuthError): string {
  // Every exit-3 failure is `network` (a timeout too: its `reason` says which), so one check covers a retry.
  if (err instanceof NetworkError) return 'network';
  const code = err.code.replace(/^SFOAUTH_/, '').toLowerCase().replace(/_/g, '-');
  return err instanceof SalesforceError ? `${code}:${err.error}` : code;
}

export interface SfOAuthErrorOptions {
  cause?: unknown;
  /** One line (or a few) telling the user what to do next. */
  hint?: string;
}

export class SfOAuthError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: ExitCode;
  hint?: string;

  constructor(message: string, code: ErrorCode, exitCode: ExitCode, options: SfOAuthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    if (options.hint !== undefined) this.hint = options.hint;
    // Keep `cause` (may hold a response) out of util.inspect / JSON output.
    if ('cause' in this) Object.defineProperty(this, 'cause', { enumerable: false });
  }
}

/** A bad flag, a missing value, a combination that makes no sense. Exit 2. */
export class UsageError extends SfOAuthError {
  constructor(message: string, options?: SfOAuthErrorOptions) {
    super(message, ERROR_CODES.USAGE, EXIT.USAGE, options);
  }
}

/** The config file (or env configuration) is missing, corrupt or invalid. Exit 2. */
export class ConfigError extends SfOAuthError {
  /** `path: message` lines, one per bad field. */
  readonly issues: string[];
  readonly file?: string;
  constructor(message: string, options: SfOAuthErrorOptions & { issues?: string[]; file?: string } = {}) {
    super(message, ERROR_CODES.CONFIG, EXIT.USAGE, options);
    this.issues = options.issues ?? [];
    if (options.file !== undefined) this.file = options.file;
  }
}

/**
 * The config file is fine but where it lives is not safe: a directory other users can write, or a
 * symlink to another user's file or one others can read (docs/credentials.md "Safe files"). Exit 2.
 * Never a reason to move the file aside.
 */
export class UnsafeConfigError extends ConfigError {}

/** No profile to work with. Exit 2. */
export class NotConfiguredError extends SfOAuthError {
  constructor(message: string, options?: SfOAuthErrorOptions) {
    super(message, ERROR_CODES.NOT_CONFIGURED, EXIT.USAGE, options);
  }
}

export type SalesforceEndpoint =
  | 'authorize'
  | 'token'
  | 'revoke'
  | 'introspect'
  | 'userinfo'
  | 'identity'
  | 'rest';

/**
 * Salesforce answered with an OAuth error (`error` + `error_description`) or a REST error array
 * (`errorCode` + `message`). Exit 1. The catalog (core/salesforce/error-catalog.ts) explains it.
 */
export class SalesforceError extends SfOAuthError {
  readonly endpoint: SalesforceEndpoint;
  readonly status: number | undefined;
  /** OAuth `error`, or REST `errorCode`. */
  readonly error: string;
  /** OAuth `error_description`, or REST `message`. */
  readonly errorDescription: string | undefined;
  /**
   * Where it happened (profile name, app type), added on the way up by the code that knows it
   * (inFailureContext); main explains the error with it (core/salesforce/explain-failure.ts).
   */
  failureContext?: FailureContext;
  constructor(
    endpoint: SalesforceEndpoint,
    error: string,
    errorDescription: string | undefined,
    options: SfOAuthErrorOptions & { status?: number } = {},
  ) {
    const where = endpoint === 'rest' ? 'the REST API' : `the ${endpoint} endpoint`;
    super(
      `Salesforce refused the request at ${where}: ${error}${errorDescription ? ` (${errorDescription})` : ''}`,
      ERROR_CODES.SALESFORCE,
      EXIT.REFUSED,
      options,
    );
    this.endpoint = endpoint;
    this.status = options.status;
    this.error = error;
    this.errorDescription = errorDescription;
  }
}

/** The browser came back with `?error=` (user denied, app blocked, PKCE missing…). Exit 1. */
export class AuthorizationDeniedError extends SalesforceError {
  constructor(error: string, errorDescription: string | undefined, options?: SfOAuthErrorOptions) {
    super('authorize', error, errorDescription, options);
  }
}

/** The callback's `state` did not match the one we sent. Exit 1. */
export class StateMismatchError extends SfOAuthError {
  constructor(message = 'The callback state does not match the one sfoauth sent; the response was ignored.', options?: SfOAuthErrorOptions) {
    super(message, ERROR_CODES.STATE_MISMATCH, EXIT.REFUSED, options);
  }
}

/** Nothing came back to the callback server in time. Exit 1. */
export class CallbackTimeoutError extends SfOAuthError {
  constructor(message: string, options?: SfOAuthErrorOptions) {
    super(message, ERROR_CODES.CALLBACK_TIMEOUT, EXIT.REFUSED, options);
  }
}

/** The callback port is taken. Exit 2 (the user must change a flag or stop a process). */
export class PortInUseError extends SfOAuthError {
  readonly port: number;
  constructor(port: number, message: string, options?: SfOAuthErrorOptions) {
    super(message, ERROR_CODES.PORT_IN_USE, EXIT.USAGE, options);
    this.port = port;
  }
}

export type NetworkReason = 'dns' | 'refused' | 'reset' | 'tls' | 'timeout' | 'server' | 'proxy' | 'other';

/** DNS, connection, TLS, timeout, or a 5xx that survived the retries. Exit 3. */
export class NetworkError extends SfOAuthError {
  readonly reason: NetworkReason;
  readonly host: string;
  readonly status?: number;
  constructor(reason: NetworkReason, host: string, message: string, options: SfOAuthErrorOptions & { status?: number } = {}) {
    super(message, reason === 'timeout' ? ERROR_CODES.TIMEOUT : ERROR_CODES.NETWORK, EXIT.NETWORK, options);
    this.reason = reason;
    this.host = host;
    if (options.status !== undefined) this.status = options.status;
  }
}

/** The server answered, but not like Salesforce (HTML where JSON was expected, missing fields). Exit 1. */
export class BadResponseError extends SfOAuthError {
  readonly status: number | undefined;
  constructor(message: string, options: SfOAuthErrorOptions & { status?: number } = {}) {
    super(message, ERROR_CODES.BAD_RESPONSE, EXIT.REFUSED, options);
    this.status = options.status;
  }
}

/**
 * The body went past the read cap (core/http/request.ts): no Salesforce OAuth or REST answer comes near
 * it, so the host is not Salesforce (or something in between is misbehaving). Exit 1, like BadResponseError.
 */
export class ResponseTooLargeError extends SfOAuthError {
  readonly limitBytes: number;
  constructor(host: string, limitBytes: number, options: SfOAuthErrorOptions = {}) {
    super(
      `${host} answered with more than ${Math.round(limitBytes / 1024 / 1024)} MB; Salesforce's OAuth and REST answers are far smaller, so this is probably not Salesforce. sfoauth stopped reading.`,
      ERROR_CODES.RESPONSE_TOO_LARGE,
      EXIT.REFUSED,
      { hint: 'Check the login URL (--login-url / SFOAUTH_LOGIN_URL) and any proxy in HTTPS_PROXY.', ...options },
    );
    this.limitBytes = limitBytes;
  }
}

/** A report (test/doctor) was already printed and something failed: exit with `exitCode`, print nothing more. */
export class SilentError extends SfOAuthError {
  constructor(exitCode: ExitCode = EXIT.REFUSED) {
    super('', ERROR_CODES.CHECK_FAILED, exitCode);
  }
}

/** Another sfoauth process held the config lock longer than the wait bound; nothing was spent. Exit 75. */
export class LockTimeoutError extends SfOAuthError {
  constructor(message: string, options?: SfOAuthErrorOptions) {
    super(message, ERROR_CODES.LOCKED, EXIT.BUSY, options);
  }
}

/** Ctrl-C, or a prompt aborted. Exit 130. */
export class CancelledError extends SfOAuthError {
  constructor(message = 'Cancelled.', options?: SfOAuthErrorOptions) {
    super(message, ERROR_CODES.CANCELLED, EXIT.CANCELLED, options);
  }
}
