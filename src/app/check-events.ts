/**
 * Live events of a `test` or `doctor` run, so the CLI can print each check as it finishes instead of
 * everything at the end (docs/architecture.md "Progress and output streams"). The application layer
 * only calls these; what they draw (lines, a spinner) is the CLI's business.
 */
import { CancelledError } from '../errors.js';
import type { CheckResult } from '../core/checks/check.js';

/** A check about to run, with the title the report will show for it. */
export interface PlannedCheck {
  id: string;
  title: string;
}

/**
 * Wraps `emit` so results handed over in any order (checks run concurrently) come out in `order`, each
 * as soon as it and every check before it are done. Nothing comes out once `signal` is aborted: after
 * Ctrl-C the checks still running fail with "Cancelled.", which is not a finding worth a line.
 */
export function inReportOrder<R extends Pick<CheckResult, 'id'>>(order: readonly string[], emit: (r: R) => void, signal: AbortSignal): (r: R) => void {
  const landed = new Map<string, R>();
  let next = 0;
  return (r) => {
    landed.set(r.id, r);
    while (next < order.length && landed.has(order[next]!)) {
      const ready = landed.get(order[next]!)!;
      next++;
      if (!signal.aborted) emit(ready);
    }
  };
}

/**
 * After the checks: a run the user cancelled (Ctrl-C) ends as a cancellation, not as a report of
 * "Cancelled." failures. Called only once every check has finished, so a refresh in flight has been
 * saved by then (core/credentials/refresh-profile.ts).
 */
export function throwIfCancelled(signal: AbortSignal): void {
  if (!signal.aborted) return;
  throw signal.reason instanceof CancelledError ? signal.reason : new CancelledError();
}
