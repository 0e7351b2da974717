/**
 * `sfoauth init`'s flags -> options: flags and SFOAUTH_* variables first, then the wizard only when a
 * person can answer (a terminal and no --yes).
 */
import { CancelledError, UsageError } from '../../../errors.js';
import type { ProfileStore } from '../../../core/config/store.js';
import type { InitDeps } from '../../../app/init.js';
import path from 'node:path';
import { parseFlow } from '../../../core/config/profile.js';
import { completeServerInit, completeWithoutPrompts, fromFlags, parseDurationFlag, type InitFlags, type InitOptions } from '../../../app/init-options.js';
import { askFlow } from '../../ask-flow.js';
import { askServerValues, runWizard } from './wizard.js';

export async function resolveInitOptions(
  flags: InitFlags,
  g: { profile?: string },
  stdinSecret: string | undefined,
  store: ProfileStore,
  deps: Pick<InitDeps, 'io' | 'env' | 'prompter' | 'openBrowser'>,
): Promise<InitOptions> {
  const interactive = deps.io.canPrompt() && flags.yes !== true;
  const profile = g.profile ?? (await store.defaultProfileName());
  // Before the first question: a config directory that cannot be written is found now, not after the
  // wizard and the login (runInit checks again, right before the browser).
  if (interactive) await store.assertWritable();

  // Before any question: is there a profile we would replace?
  const existing = await store.get(profile);
  if (existing) {
    if (flags.yes !== true) {
      if (!interactive) {
        throw new UsageError(`Profile "${profile}" already exists in ${store.path}.`, {
          hint: `Pass --yes to replace it, or --profile <another name>.`,
        });
      }
      const replace = await deps.prompter.confirm({
        message: `Profile "${profile}" exists (${existing.env}, ${existing.username ?? existing.clientId}). Replace it when this run succeeds?`,
        default: false,
      });
      if (!replace) throw new CancelledError(undefined, { hint: 'Nothing changed. Use --profile <name> to create another profile.' });
    }
  }

  const partial = fromFlags(flags, deps.env, stdinSecret);
  // Checked before the wizard, so a bad number does not come after the questions.
  const waitMinutes = flags.wait !== undefined ? parseDurationFlag('--wait', flags.wait, 'minutes', true) : interactive ? 10 : 0;
  const timeoutMs = parseDurationFlag('--timeout', flags.timeout ?? '300', 'seconds') * 1000;
  const pollMs = flags.pollInterval !== undefined ? parseDurationFlag('--poll-interval', flags.pollInterval, 'seconds') * 1000 : 30_000;
  const given = flags.flow ?? deps.env.SFOAUTH_FLOW;
  // Flags only the web-server flow has (a callback, scopes, the browser) answer the question already.
  const webServerFlags = flags.callbackUrl !== undefined || flags.extraCallbackUrl !== undefined || flags.scopes !== undefined || flags.browser === false;
  const flow = given !== undefined ? parseFlow(given, flags.flow !== undefined ? '--flow' : 'SFOAUTH_FLOW') : interactive && !webServerFlags ? await askFlow(deps.prompter) : 'web-server';
  if (flow === 'web-server' && (flags.privateKey !== undefined || flags.username !== undefined)) {
    throw new UsageError('--private-key and --username belong to the JWT bearer flow.', { hint: 'Add --flow jwt-bearer.' });
  }
  const extra = {
    username: flags.username ?? deps.env.SFOAUTH_USERNAME,
    privateKeyFile: flags.privateKey !== undefined ? path.resolve(flags.privateKey) : deps.env.SFOAUTH_PRIVATE_KEY_FILE ? path.resolve(deps.env.SFOAUTH_PRIVATE_KEY_FILE) : undefined,
  };
  const values =
    flow !== 'web-server'
      ? completeServerInit(interactive ? await askServerValues(partial, flow, extra, deps) : partial, flow, extra, flags.yes === true)
      : interactive
        ? await runWizard(partial, deps, { browser: flags.browser !== false })
        : completeWithoutPrompts(partial, flags.yes === true);
  return {
    profile,
    flow,
    ...values,
    openBrowser: flags.browser !== false,
    timeoutMs,
    waitMs: waitMinutes * 60_000,
    pollMs,
    interactive,
  };
}
