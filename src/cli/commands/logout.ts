/** `sfoauth logout`: remove a profile; with --revoke, revoke its refresh token at Salesforce first. */
import type { Command } from 'commander';
import { globalsOf, type RegisterCommand } from '../context.js';

export const registerLogout: RegisterCommand = (program, ctx) => {
  program
    .command('logout')
    .description('remove a profile; --revoke also revokes its refresh token at Salesforce')
    .option('--revoke', 'revoke the refresh token at Salesforce before removing the profile')
    .option('--force', 'with --revoke: remove the profile even if revoking fails')
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText('after', '\nExamples:\n  $ sfoauth logout --profile old --revoke\n  $ sfoauth logout --yes')
    .action(async (opts: { revoke?: boolean; force?: boolean; yes?: boolean }, cmd: Command) => {
      const g = globalsOf(cmd);
      const { deps } = ctx;
      const { io } = deps;
      const { loadProfile } = await import('../../app/load-profile.js');
      const { UsageError, CancelledError, SilentError, SfOAuthError } = await import('../../errors.js');
      const { refreshTokenOf } = await import('../../core/config/profile.js');
      const { store, name, profile } = await loadProfile(deps, g);
      // Without --revoke, a refresh token stays valid at Salesforce after logout.
      const tokenStaysValid = !opts.revoke && refreshTokenOf(profile) !== undefined;

      if (!opts.yes) {
        if (!io.canPrompt()) throw new UsageError(`Refusing to remove profile "${name}" without confirmation.`, { hint: 'Pass --yes to remove it non-interactively.' });
        const stays = tokenStaysValid ? ' Its refresh token stays valid at Salesforce (--revoke revokes it first).' : '';
        const ok = await deps.prompter.confirm({ message: `Remove profile "${name}" (${profile.env}, ${profile.instanceUrl ?? profile.loginUrl})?${stays}`, default: false });
        if (!ok) throw new CancelledError('Nothing removed.');
      }

      // What --json reports: whether the refresh token was revoked, and why not when --force went on without it.
      const outcome: { revoked: boolean; revokeFailed?: string } = { revoked: false };
      // Under the config lock: a token another sfoauth rotated meanwhile is the one revoked, and no
      // refresh can land between the revoke and the removal (docs/credentials.md).
      await store.withLock(
        async () => {
          const current = (await store.get(name)) ?? profile;
          if (opts.revoke) await revoke(refreshTokenOf(current), current.instanceUrl ?? current.loginUrl);
          await store.remove(name);
          for (const kind of ['pending-token', 'unmatched-token', 'access-token'] as const) await store.removeSidecar(kind, name);
        },
        { signal: deps.signal },
      );
      // A JWT profile's private key is a file of its own: it may be the only copy of the key whose
      // certificate is on the app, so logout never deletes it, and says where it stays.
      const keptKeyFile = profile.flow === 'jwt-bearer' ? profile.privateKeyFile : undefined;
      if (g.json) io.out(JSON.stringify({ removed: name, file: store.path, ...outcome, ...(keptKeyFile ? { keptKeyFile } : {}) }, null, 2));
      else {
        io.err(`Removed profile "${name}" from ${store.path}.`);
        if (keptKeyFile) io.err(`The private key ${keptKeyFile} stays: its certificate is on the app. Delete it (and its .crt) yourself once no client logs in with it.`);
        if (tokenStaysValid) {
          // Forgetting a token here does not end it: whoever holds a copy (a CI secret, an export) can still use it.
          const { setupLines } = await import('../../core/salesforce/error-catalog.js');
          const { SETUP_OAUTH_USAGE } = await import('../../core/salesforce/setup-screens.js');
          const where = setupLines(SETUP_OAUTH_USAGE, profile.appType).join('; ');
          io.err(`${io.color.yellow('!')} Its refresh token is still valid at Salesforce: logout without --revoke only forgets it here (next time, \`sfoauth logout --revoke\` revokes it first).`);
          io.err(`  To revoke it now, an admin can use ${where} (the app's users, each with Revoke).`);
        }
      }

      async function revoke(refreshToken: string | undefined, baseUrl: string): Promise<void> {
        if (!refreshToken) {
          io.err(`Profile "${name}" has no refresh token to revoke.`);
          return;
        }
        const [{ revokeToken }, { httpClientOf }] = await Promise.all([import('../../core/salesforce/api.js'), import('../../core/http/request.js')]);
        const http = httpClientOf(deps);
        const { showWait } = await import('../progress.js');
        const endWait = showWait(io, deps.env, 'Revoking the refresh token at Salesforce…', { json: g.json, plain: false, signal: deps.signal });
        try {
          try {
            await revokeToken(http, { baseUrl, token: refreshToken });
          } finally {
            endWait();
          }
          outcome.revoked = true;
          io.err(`${io.color.green('✓')} Revoked the refresh token (and the access tokens issued from it) at Salesforce.`);
        } catch (err) {
          if (!opts.force) {
            const kept = `Profile "${name}" was kept. Pass --force to remove it anyway.`;
            if (g.json) {
              // One document: the failure, with what happened to the profile in its fix.
              if (err instanceof SfOAuthError) err.hint = err.hint ? `${err.hint}\n${kept}` : kept;
              throw err;
            }
            const { reportError } = await import('../report-error.js');
            const code = await reportError(err, io);
            io.err(kept);
            throw new SilentError(code);
          }
          outcome.revokeFailed = err instanceof Error ? err.message : String(err);
          io.err(`${io.color.yellow('!')} Revoking failed (${outcome.revokeFailed}); removing the profile anyway (--force).`);
        }
      }
    });
};
