/** The exit codes are a public contract (README.md, "Commands"): one table, used only by main.ts. */
export const EXIT = {
  /** Success; every check passed (warnings allowed). */
  OK: 0,
  /** Salesforce or a check said no: bad credentials, revoked token, denied consent, failed check. */
  REFUSED: 1,
  /** Usage or configuration error: bad flag, missing value, invalid config file. */
  USAGE: 2,
  /** Network: host unreachable, DNS, TLS, timeout, or a 5xx after retries. */
  NETWORK: 3,
  /**
   * Busy: another sfoauth process held the config lock longer than the wait bound; nothing was spent,
   * run again. 75 is EX_TEMPFAIL in BSD's sysexits.h ("temporary failure, retry"), which retry wrappers know.
   */
  BUSY: 75,
  /** Cancelled (Ctrl-C). */
  CANCELLED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Shown at the bottom of `sfoauth --help`. */
export const EXIT_CODES_HELP = `Exit codes:
  0    success (warnings allowed)
  1    Salesforce or a check said no (bad credentials, revoked token, denied consent)
  2    usage or configuration error (bad flag, missing value, invalid config file)
  3    network (unreachable host, DNS, TLS, timeout, 5xx after retries)
  75   busy: another sfoauth process held the config lock too long (nothing spent; run again)
  130  cancelled (Ctrl-C)`;
