/** Check 2: the login host resolves, connects over TLS and answers like Salesforce. */
import { NetworkError } from '../../../errors.js';
import { fail, networkFailure, pass, type Check } from '../../checks/check.js';
import { outcomeFromCallError } from '../explain-outcome.js';
import { requireProfile, type VerifyContext } from '../context.js';

export const loginHostCheck: Check<VerifyContext> = {
  id: 'login-host',
  title: 'Login host reachable',
  needs: ['config'],
  async run(ctx) {
    const { loginUrl } = requireProfile(ctx);
    // The discovery document needs no credentials and every Salesforce login host serves it.
    const url = `${loginUrl}/.well-known/openid-configuration`;
    try {
      const res = await ctx.http.request({ method: 'GET', url, idempotent: true });
      const looksRight = res.status === 200 && /"issuer"\s*:/.test(res.text);
      if (!looksRight) {
        return fail(
          `${new URL(loginUrl).host} answered HTTP ${res.status} but not like a Salesforce login host`,
          'use https://login.salesforce.com, https://test.salesforce.com or your My Domain (…my.salesforce.com), not a Lightning or Setup host',
        );
      }
      return pass(`${new URL(loginUrl).host} answered`);
    } catch (err) {
      if (err instanceof NetworkError) {
        return networkFailure(err, 'check your network, proxy (HTTPS_PROXY) and the login URL');
      }
      return outcomeFromCallError(err);
    }
  },
};
