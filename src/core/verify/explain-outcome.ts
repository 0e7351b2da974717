/** Turns an error from a Salesforce call into a failed check with the catalog's cause and fix. */
import { fail, outcomeFromError, type CheckOutcome } from '../checks/check.js';
import { SalesforceError } from '../../errors.js';
import { explainError } from '../salesforce/error-catalog.js';
import type { AppType } from '../config/profile.js';

/**
 * `profileName` fills the catalog's `<name>` placeholders so the fix can be pasted as it is; leave it
 * out when the credentials came from SFOAUTH_* variables (there is no profile to re-run init for).
 */
export function outcomeFromCallError(err: unknown, appType?: AppType, profileName?: string): CheckOutcome {
  if (err instanceof SalesforceError) {
    const e = explainError({
      error: err.error,
      ...(err.errorDescription !== undefined ? { description: err.errorDescription } : {}),
      endpoint: err.endpoint,
      ...(err.status !== undefined ? { status: err.status } : {}),
      ...(appType ? { appType } : {}),
    });
    const said = err.errorDescription ? `${err.error} (${err.errorDescription})` : err.error;
    const named = (text: string) => (profileName ? text.split('<name>').join(profileName) : text);
    return fail(`Salesforce said ${said}`, named(e.fix), {
      detail: [`Cause: ${named(e.cause)}`, ...(e.setup ? [`Setup: ${e.setup}`] : [])],
      exitCode: err.exitCode,
    });
  }
  return outcomeFromError(err);
}
