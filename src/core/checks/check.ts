/**
 * The check runner behind `sfoauth test` and `sfoauth doctor`. A check returns a result and never
 * throws (the runner turns a throw into `fail`); checks whose prerequisites did not pass are skipped with
 * the reason; independent checks run concurrently. Results are data: rendering is separate (gh's
 * status entries, changesets' validateConfig).
 */
import { EXIT, type ExitCode } from '../../exit-codes.js';
import { NetworkError, SfOAuthError } from '../../errors.js';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface CheckOutcome {
  status: CheckStatus;
  /** One line: what was found. */
  summary: string;
  /** Extra lines shown under the summary (never secrets). */
  detail?: string[];
  /** One line: what to do about it (the command to run, or the Setup screen and field). */
  fix?: string;
  /** For a failure: the exit code class it belongs to (defaults to 1, "Salesforce or a check said no"). */
  exitCode?: ExitCode;
  /** For a skip the runner decided: the id of the check that failed or was skipped first. */
  blockedBy?: string;
}

export interface CheckResult extends CheckOutcome {
  id: string;
  title: string;
  durationMs: number;
}

export interface Check<C> {
  id: string;
  title: string;
  /** The title for this run, when it depends on the context (e.g. the grant a profile's flow uses). */
  titleFor?: (ctx: C) => string;
  /** Ids of checks that must pass (or warn) first; otherwise this one is skipped. */
  needs?: readonly string[];
  run(ctx: C): Promise<CheckOutcome>;
}

/** Helpers so checks read like sentences. */
export const pass = (summary: string, extra: Partial<CheckOutcome> = {}): CheckOutcome => ({ status: 'pass', summary, ...extra });
export const warn = (summary: string, fix?: string, extra: Partial<CheckOutcome> = {}): CheckOutcome => ({ status: 'warn', summary, ...(fix ? { fix } : {}), ...extra });
export const fail = (summary: string, fix?: string, extra: Partial<CheckOutcome> = {}): CheckOutcome => ({ status: 'fail', summary, ...(fix ? { fix } : {}), ...extra });
export const skip = (summary: string): CheckOutcome => ({ status: 'skip', summary });

/** The title a check shows in this run's report. */
export function titleOf<C>(check: Pick<Check<C>, 'title' | 'titleFor'>, ctx: C): string {
  return check.titleFor?.(ctx) ?? check.title;
}

/**
 * Runs checks as a dependency graph: each starts as soon as everything it needs has finished. Results come
 * back in the order the checks were given. `onResult` (for live output) gets them in that order too, each
 * as soon as it and every check before it are done: checks run concurrently, only the delivery is ordered.
 */
export async function runChecks<C>(
  checks: readonly Check<C>[],
  ctx: C,
  opts: { now: () => number; onResult?: (r: CheckResult) => void; toOutcome?: (err: unknown) => CheckOutcome },
): Promise<CheckResult[]> {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const running = new Map<string, Promise<CheckResult>>();
  const toOutcome = opts.toOutcome ?? outcomeFromError;
  const landed = new Map<string, CheckResult>();
  let next = 0;
  const deliver = (result: CheckResult, onResult: (r: CheckResult) => void) => {
    landed.set(result.id, result);
    while (next < checks.length && landed.has(checks[next]!.id)) {
      const ready = landed.get(checks[next]!.id)!;
      next++;
      onResult(ready);
    }
  };

  const start = (check: Check<C>): Promise<CheckResult> => {
    const existing = running.get(check.id);
    if (existing) return existing;
    const promise = (async (): Promise<CheckResult> => {
      const deps = await Promise.all((check.needs ?? []).filter((id) => byId.has(id)).map((id) => start(byId.get(id)!)));
      const blocked = deps.find((d) => d.status === 'fail' || d.status === 'skip');
      const t0 = opts.now();
      let outcome: CheckOutcome;
      if (blocked) {
        outcome = { ...skip(`skipped: "${blocked.title}" did not pass`), blockedBy: blocked.id };
      } else {
        try {
          outcome = await check.run(ctx);
        } catch (err) {
          outcome = toOutcome(err);
        }
      }
      const result: CheckResult = { id: check.id, title: titleOf(check, ctx), ...outcome, durationMs: Math.max(0, Math.round(opts.now() - t0)) };
      if (opts.onResult) deliver(result, opts.onResult);
      return result;
    })();
    running.set(check.id, promise);
    return promise;
  };

  return Promise.all(checks.map(start));
}

/** A check that threw: its message (our errors carry no secrets) and hint become the result. */
export function outcomeFromError(err: unknown): CheckOutcome {
  if (err instanceof SfOAuthError) {
    const fix = err.hint ?? (err instanceof NetworkError ? networkFix(err) : undefined);
    return { status: 'fail', summary: err.message, ...(fix ? { fix } : {}), exitCode: err.exitCode };
  }
  return { status: 'fail', summary: `unexpected error: ${err instanceof Error ? err.message : String(err)}` };
}

/** Every network failure gets a next step, even when the error carried no hint of its own. */
function networkFix(err: NetworkError): string {
  if (err.reason === 'server') return serverSideFix(err);
  return `check that ${err.host} is the right host and reachable from here (network, VPN, HTTPS_PROXY); \`sfoauth doctor\` tests DNS, TCP and TLS step by step`;
}

/**
 * A check's failure for a network error (exit 3), with networkFailureFix's fix. A 5xx that survived the
 * retries is Salesforce's side (or a proxy's in front of it), not this machine's network: telling the
 * user to check their network sends them the wrong way, so it points at https://status.salesforce.com
 * and a retry instead (docs/messages.md).
 */
export function networkFailure(err: NetworkError, fallback: string): CheckOutcome {
  return fail(err.message, networkFailureFix(err, fallback), { exitCode: EXIT.NETWORK });
}

/** The fix for a network-level failure in a check: Salesforce's side for a 5xx, else the error's hint or `fallback`. */
export function networkFailureFix(err: NetworkError, fallback: string): string {
  return err.reason === 'server' ? serverSideFix(err) : (err.hint ?? fallback);
}

function serverSideFix(err: NetworkError): string {
  const status = err.status !== undefined ? ` (HTTP ${err.status})` : '';
  return `${err.host} is failing on Salesforce's side${status}, not on your network: check https://status.salesforce.com for the instance and try again later`;
}

/**
 * The exit code for a report: 0 when nothing failed (warnings allowed); otherwise the most basic class
 * among the failures: a usage/config problem (2) before a network one (3) before a refusal (1).
 */
export function exitCodeFor(results: readonly CheckResult[]): ExitCode {
  const failures = results.filter((r) => r.status === 'fail');
  if (failures.length === 0) return EXIT.OK;
  const codes = failures.map((f) => f.exitCode ?? EXIT.REFUSED);
  if (codes.includes(EXIT.USAGE)) return EXIT.USAGE;
  if (codes.includes(EXIT.NETWORK)) return EXIT.NETWORK;
  if (codes.includes(EXIT.BUSY)) return EXIT.BUSY;
  if (codes.includes(EXIT.CANCELLED)) return EXIT.CANCELLED;
  return EXIT.REFUSED;
}
