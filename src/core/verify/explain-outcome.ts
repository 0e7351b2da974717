/** Turns an error from a Salesforce call into a failed check with the explanation every command shows. */
import { fail, outcomeFromError, type CheckOutcome } from '../checks/check.js';
import { SalesforceError } from '../../errors.js';
import { explainFailure, failureOf, type FailureContext } from '../salesforce/explain-failure.js';

/**
 * `ctx` names the profile (or the SFOAUTH_* variables) and its app type, so the fix can be pasted as it
 * is and the Setup screens are the app's own (explainFailure).
 */
export function outcomeFromCallError(err: unknown, ctx: FailureContext = {}): CheckOutcome {
  if (err instanceof SalesforceError) {
    const e = explainFailure(failureOf(err), ctx);
    const said = err.errorDescription ? `${err.error} (${err.errorDescription})` : err.error;
    return fail(`Salesforce said ${said}`, e.fix, {
      detail: [`Cause: ${e.cause}`, ...e.setup.map((screen, i) => `${i === 0 ? 'Setup:' : '      '} ${screen}`)],
      exitCode: err.exitCode,
    });
  }
  return outcomeFromError(err);
}
