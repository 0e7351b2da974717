/** `sfoauth token`: a fresh access token on stdout and nothing else, for `curl -H "Authorization: Bearer $(sfoauth token)"`. */
import type { Command } from 'commander';
import { globalsOf, type RegisterCommand } from '../context.js';

export const registerToken: RegisterCommand = (program, ctx) => {
  program
    .command('token')
    .description('print a fresh access token (refreshing it) and nothing else on stdout')
    .addHelpText('after', '\nExamples:\n  $ curl -H "Authorization: Bearer $(sfoauth token)" "$(sfoauth export --format json | jq -r .instanceUrl)/services/data/"')
    .action(async (_opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const { deps } = ctx;
      const { loadProfile } = await import('../load-profile.js');
      const { createHttpClient } = await import('../../core/http/request.js');
      const { refreshAccessToken } = await import('../../core/oauth/token.js');
      const { store, name, profile } = await loadProfile(deps, g);
      if (!profile.refreshToken) {
        const { NotConfiguredError } = await import('../../errors.js');
        throw new NotConfiguredError(`Profile "${name}" has no refresh token.`, { hint: `Run \`sfoauth init --profile ${name}\`.` });
      }
      const http = createHttpClient({ fetch: deps.fetch, clock: deps.clock, signal: deps.signal, ...(deps.trace ? { trace: deps.trace } : {}) });
      const token = await refreshAccessToken(http, {
        loginUrl: profile.loginUrl,
        clientId: profile.clientId,
        ...(profile.clientSecret ? { clientSecret: profile.clientSecret } : {}),
        refreshToken: profile.refreshToken,
      });
      // A rotated refresh token is saved before anything else: the old one is already dead.
      if (token.refreshToken && token.refreshToken !== profile.refreshToken) {
        await store.update(name, { refreshToken: token.refreshToken });
      }
      deps.io.out(token.accessToken);
    });
};
