/**
 * Live events of a `test` or `doctor` run, so the CLI can print each check as it finishes instead of
 * everything at the end (docs/architecture.md "Progress and output streams"). The application layer
 * only calls these; what they draw (lines, a spinner) is the CLI's business.
 */
import { CancelledError } from '../errors.js';

/** A check about to run, with the title the report will show for it. */
export interface PlannedCheck {
  id: string;
  title: string;
}

/**
 * Wraps `emit` (fed by runChecks' onResult, already in report order) so nothing comes out once `signal`
 * is aborted: after Ctrl-C the checks still running fail with "Cancelled.", which is not a finding worth a line.
 */
export function unlessCancelled<R>(emit: (r: R) => void, signal: AbortSignal): (r: R) => void {
  return (r) => {
    if (!signal.aborted) emit(r);
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
