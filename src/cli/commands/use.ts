/**
 * `sfoauth use <profile>`: makes a saved profile the config's default, the one every command uses
 * without --profile (or SFOAUTH_PROFILE). The change goes through the store's lock, so it cannot undo a
 * refresh token another sfoauth process is saving at the same moment (docs/credentials.md).
 */
import type { Command } from 'commander';
import { globalsOf, type RegisterCommand } from '../context.js';

export const registerUse: RegisterCommand = (program, ctx) => {
  program
    .command('use')
    .description('make a saved profile the default (used when neither --profile nor SFOAUTH_PROFILE is given)')
    .argument('[profile]', 'the name of a saved profile (`sfoauth status` lists them)')
    .addHelpText(
      'after',
      `
Which profile a command uses: --profile, else SFOAUTH_PROFILE, else the default set here, else "default".

Examples:
  $ sfoauth use sandbox
  $ SFOAUTH_PROFILE=ci sfoauth test     one run only, without changing the default`,
    )
    .action(async (name: string | undefined, _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const { deps } = ctx;
      const { io } = deps;
      const [{ validateProfileName, profileOf }, { noSuchProfileError }, { UsageError }] = await Promise.all([
        import('../../core/config/schema.js'),
        import('../../core/config/profile-store.js'),
        import('../../errors.js'),
      ]);
      const store = await deps.openStore(g.configDir);
      const previous = await store.defaultProfileName();
      if (name === undefined) {
        // Without a name: the choices, rather than commander's bare "missing required argument".
        const names = (await store.list()).map((p) => p.name);
        throw new UsageError('Name the profile to make the default: sfoauth use <profile>.', {
          hint: names.length > 0 ? `Saved profiles: ${names.join(', ')} (default now: ${previous}).` : 'There are no profiles yet: run `sfoauth init` to create one.',
        });
      }
      const wanted = validateProfileName(name);
      const missing = async () => noSuchProfileError(wanted, store.path, (await store.list()).map((p) => p.name));
      // Checked before the lock too, so a wrong name creates nothing (not even the config directory).
      if (!(await store.get(wanted))) throw await missing();
      // Read and written under the lock: save() keeps the profile exactly as it is now (a refresh may
      // have rotated its token a moment ago) and only moves the default.
      await store.withLock(
        async () => {
          const config = await store.read();
          const profile = profileOf(config, wanted);
          if (!profile) throw await missing(); // removed while we waited for the lock
          if (config.defaultProfile !== wanted) await store.save(wanted, profile, { makeDefault: true });
        },
        { signal: deps.signal },
      );
      const overridden = deps.env.SFOAUTH_PROFILE !== undefined && deps.env.SFOAUTH_PROFILE !== wanted ? deps.env.SFOAUTH_PROFILE : undefined;
      const warnings = overridden ? [`SFOAUTH_PROFILE=${overridden} is set in this shell and takes precedence over the default; unset it to use "${wanted}".`] : [];
      if (g.json) {
        io.out(JSON.stringify({ ok: true, defaultProfile: wanted, previousDefault: previous, configFile: store.path, warnings }, null, 2));
        return;
      }
      io.err(previous === wanted ? `"${wanted}" is already the default profile (${store.path}).` : `${io.color.green('✓')} "${wanted}" is now the default profile (was "${previous}"), in ${store.path}.`);
      for (const w of warnings) io.err(`${io.color.yellow('!')} ${w}`);
    });
};
