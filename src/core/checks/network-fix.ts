/**
 * The fix for a network-level failure in a check (doctor, test). A 5xx that survived the retries is Salesforce's
 * side (or a proxy's in front of it), not this machine's network: telling the user to check their
 * network sends them the wrong way, so it points at https://status.salesforce.com and a retry instead
 * (docs/messages.md).
 */
import type { NetworkError } from '../../errors.js';

export function networkFailureFix(err: NetworkError, fallback: string): string {
  if (err.reason === 'server') {
    const status = err.status !== undefined ? ` (HTTP ${err.status})` : '';
    return `${err.host} is failing on Salesforce's side${status}, not on your network: check https://status.salesforce.com for the instance and try again later`;
  }
  return err.hint ?? fallback;
}
