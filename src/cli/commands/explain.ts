/**
 * `sfoauth explain <text...>`: cause, fix and Setup screen for any Salesforce OAuth error the user
 * pastes (a code, a redirected URL, a JSON body, a Salesforce page). Offline; the catalog and the
 * parser load only when the command runs.
 */
import type { Command } from 'commander';
import { commander } from '../commander.js';
import { globalsOf, type RegisterCommand } from '../context.js';
import type { AppType } from '../../core/config/profile.js';
import { SilentError, UsageError } from '../../errors.js';
import { EXIT } from '../../exit-codes.js';
import { readStdinCapped, TOO_LARGE_HINT } from '../read-stdin.js';
import { parseAppType } from '../../core/config/app-type.js';
import { terminalColumns } from '../wrap.js';


/** A Salesforce error page is tens of KB; 1 MB parses in well under a second (docs/hostile-input.md). */
export const MAX_EXPLAIN_BYTES = 1024 * 1024;

export const registerExplain: RegisterCommand = (program, ctx) => {
  program
    .command('explain')
    .description('explain a Salesforce OAuth error: cause, fix, and the Setup screen to visit')
    .argument('<text...>', 'an error code, description, redirected URL, JSON body or page text; "-" reads stdin')
    .addOption(
      new commander.Option('--app-type <type>', 'show only the Setup screens of this app type (external-client-app or connected-app)').argParser(parseAppType),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ sfoauth explain invalid_client_id
  $ sfoauth explain invalid_grant: expired access/refresh token
  $ sfoauth explain 'http://localhost:1717/OauthRedirect?error=invalid_request&error_description=missing+required+code+challenge'
  $ sfoauth explain '{"error":"invalid_client","error_description":"invalid client credentials"}'
  $ pbpaste | sfoauth explain -               (paste text copied from a Salesforce error page)
  $ sfoauth explain --json OAUTH_APP_BLOCKED`,
    )
    .action(async (parts: string[], opts: { appType?: AppType }, cmd: Command) => {
      const { io } = ctx.deps;
      const json = globalsOf(cmd).json;
      let input = parts.join(' ');
      if (input.trim() === '-') {
        if (io.stdinIsTTY) io.err('Paste the error text, then press Ctrl-D.');
        input = await readStdinCapped(io.stdin, MAX_EXPLAIN_BYTES, 'The text', ctx.deps.signal);
      }
      if (Buffer.byteLength(input) > MAX_EXPLAIN_BYTES) {
        throw new UsageError(`The text to explain is larger than ${MAX_EXPLAIN_BYTES / 1024 / 1024} MB.`, { hint: TOO_LARGE_HINT });
      }
      if (!input.trim()) throw new UsageError('Nothing to explain.', { hint: 'Pass an error code or text, e.g. `sfoauth explain invalid_client_id`.' });

      const [{ parseErrorText, redactSecrets, loneUrl, hasOAuthError, sentRedirectUri }, { closestCodes }, { explainFailure }, { failureLines }] = await Promise.all([
        import('../../core/salesforce/parse-error-text.js'),
        import('../../core/salesforce/error-catalog.js'),
        import('../../core/salesforce/explain-failure.js'),
        import('../render-failure.js'),
      ]);
      const shownInput = redactSecrets(input.trim());
      const url = loneUrl(input);
      if (url && !hasOAuthError(url)) {
        const shown = shownInput.length > 300 ? `${shownInput.slice(0, 300)}…` : shownInput;
        throw new UsageError(`No OAuth error in this URL: ${shown}`, {
          hint: url.searchParams.has('code')
            ? 'It carries an authorization code, so the login itself worked; explain the error the next step printed instead.'
            : 'Salesforce puts an error in the error and error_description parameters of the URL it redirects to. Paste that URL, or the text of Salesforce\'s error page.',
        });
      }
      // A pasted authorize URL (the address bar of Salesforce's error page) says which callback URL was sent.
      const callbackUrl = sentRedirectUri(input);
      const context = { ...(opts.appType ? { appType: opts.appType } : {}), ...(callbackUrl ? { callbackUrl } : {}) };
      const matches = parseErrorText(input).map((p) => {
        const explanation = explainFailure({ error: p.error, description: p.description }, context);
        return { explanation, closest: explanation.known ? [] : closestCodes(p.error) };
      });
      const unknown = matches.some((m) => !m.explanation.known);

      if (json) {
        const doc = {
          input: shownInput,
          matches: matches.map(({ explanation: e, closest }) => ({
            code: e.code,
            description: e.description ?? null,
            title: e.title,
            cause: e.cause,
            fix: e.fix,
            setup: e.setup.length > 0 ? e.setup.join('; ') : null,
            known: e.known,
            ...(e.known ? {} : { closest }),
          })),
        };
        io.out(JSON.stringify(doc, null, 2));
        if (unknown) throw new SilentError(EXIT.REFUSED);
        return;
      }

      const c = io.outColor;
      const width = terminalColumns(io.stdout, io.stdoutIsTTY);
      matches.forEach(({ explanation: e, closest }, i) => {
        if (i > 0) io.out();
        const heading = e.description ? `${e.code}: ${e.description}` : e.code;
        if (!e.known) {
          io.out(`${c.yellow('sfoauth does not know this error:')} ${heading}`);
          io.out(`  ${c.bold('Input:')} ${shownInput}`);
          if (closest.length > 0) io.out(`  ${c.bold('Closest known:')} ${closest.join(', ')}`);
          io.out(`  ${c.bold('Fix:')}   ${e.fix}`);
          return;
        }
        io.out(c.bold(heading));
        io.out(`  ${e.title}`);
        for (const line of failureLines(e, c, '  ', width)) io.out(line);
      });
      if (unknown) throw new SilentError(EXIT.REFUSED);
    });
};
