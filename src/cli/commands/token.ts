/** `sfoauth token`: a fresh access token on stdout and nothing else, for `curl -H "Authorization: Bearer $(sfoauth token)"`. */
import type { Command } from 'commander';
import { globalsOf, type RegisterCommand } from '../context.js';

export const registerToken: RegisterCommand = (program, ctx) => {
  program
    .command('token')
    .description('print a fresh access token (refreshing it) and nothing else on stdout')
    .addHelpText(
      'after',
      '\nRuns on one profile take turns (a lock on the config file); one that waited reuses the access token the\n' +
        'other obtained. A rotated refresh token is saved before the access token is printed; Ctrl-C waits for it.\n' +
        '\nExamples:\n  $ curl -H "Authorization: Bearer $(sfoauth token)" "$(sfoauth export --format json | jq -r .instanceUrl)/services/data/"\n' +
        '  $ sfoauth token --json | jq -r .instanceUrl      # {"accessToken", "instanceUrl"}',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const { deps } = ctx;
      const [{ freshToken }, { showWait, noticeLine }] = await Promise.all([import('../../app/token.js'), import('../progress.js')]);
      // A slow round trip shows a spinner on a terminal's stderr, cleared before the token is printed. Its
      // stdout is read by a program (`$(sfoauth token)`), so only stderr needs to be a terminal; in a pipe
      // nothing extra is printed. Ctrl-C stops the spinner, never the refresh (docs/credentials.md).
      const endWait = showWait(deps.io, deps.env, 'Getting a fresh access token from Salesforce…', { json: g.json, plain: false, signal: deps.signal, anyStdout: true });
      let token;
      try {
        token = await freshToken(g, deps, (line) => noticeLine(deps.io, line));
      } finally {
        endWait();
      }
      if (deps.signal.aborted) throw deps.signal.reason; // Ctrl-C during the refresh: saved, not printed
      // The access token is what this command exists to print; never the refresh token or the secret.
      if (g.json) deps.io.out(JSON.stringify({ accessToken: token.accessToken, instanceUrl: token.instanceUrl }, null, 2));
      else deps.io.out(token.accessToken);
    });
};
