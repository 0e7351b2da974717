/**
 * The org's own word on what it is: the Organization record (edition, IsSandbox). Needs the `api`
 * scope; when the token may not read it, the environment check falls back to host names, so this is
 * a warning, never a failure (docs/interop.md "The Organization record").
 */
import { pass, warn, type Check } from '../../checks/check.js';
import { SalesforceError } from '../../../errors.js';
import { orgSummary } from '../../salesforce/org-kind.js';
import { organizationOf, type VerifyContext } from '../context.js';

export const organizationCheck: Check<VerifyContext> = {
  id: 'organization',
  title: 'Org edition (Organization record)',
  needs: ['refresh'],
  async run(ctx) {
    const { org, error } = await organizationOf(ctx);
    if (org) return pass(`${org.name ? `"${org.name}": ` : ''}${orgSummary(org)}`);
    const why =
      error instanceof SalesforceError ? `${error.error}${error.errorDescription ? `: ${error.errorDescription}` : ''}` : error instanceof Error ? error.message : String(error);
    return warn(
      `the token cannot read the Organization record (${why}); the environment is judged from host names`,
      'grant the api scope (and read access to Organization) to tell production, Developer Edition and sandbox orgs apart reliably',
    );
  },
};
