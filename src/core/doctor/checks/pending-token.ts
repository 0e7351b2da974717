/**
 * Machine: no rotated refresh token is stranded in a journal (docs/credentials.md "Journal"). A journal
 * stays behind when a process died between receiving a rotated token and saving it, or when the config
 * could not be written; its profile then holds a token that no longer works. --fix puts it back (under
 * the config lock); the next `sfoauth token` or `sfoauth test` on that profile does the same.
 */
import { EXIT } from '../../../exit-codes.js';
import { fail, pass, skip, warn, type CheckOutcome } from '../../checks/check.js';
import { pendingStateOf, recoverPendingToken } from '../../credentials/pending-token.js';
import type { DoctorCheck } from '../context.js';
import { shellQuote } from '../../shell-quote.js';

export const pendingTokenCheck: DoctorCheck = {
  id: 'pending-token',
  group: 'machine',
  title: 'Rotated refresh tokens saved',
  needs: ['config-file'],
  async run(ctx) {
    const store = ctx.store;
    if (!store) return skip('no config file to check');
    const names = await store.listSidecars('pending-token');
    const unmatched = await store.listSidecars('unmatched-token');
    if (names.length === 0 && unmatched.length === 0) return pass('no rotated refresh token is waiting to be saved');
    return store.withLock(async () => {
      const outcomes: CheckOutcome[] = unmatched.map((name) => {
        const file = store.sidecarPath('unmatched-token', name);
        return warn(
          `${file} holds a rotated refresh token that did not follow the one profile "${name}" held (was \`sfoauth init\` run since?)`,
          `if \`sfoauth test --profile ${name}\` passes, delete it: rm ${shellQuote(file)}`,
        );
      });
      for (const name of names) {
        const state = await pendingStateOf(store, name, await store.get(name));
        if (state.kind === 'none') continue;
        if (state.kind === 'done') {
          await store.removeSidecar('pending-token', name); // the profile already holds it
          continue;
        }
        if (state.kind === 'unrelated') {
          outcomes.push(
            warn(
              `${state.file} holds a rotated refresh token that does not follow the one profile "${name}" holds now (was \`sfoauth init\` run since?)`,
              `if \`sfoauth test --profile ${name}\` passes, delete it: rm ${shellQuote(state.file)}`,
            ),
          );
          continue;
        }
        if (!ctx.fix) {
          outcomes.push(
            fail(
              `profile "${name}" holds a refresh token Salesforce has replaced; the new one is waiting in ${state.file}`,
              `run \`sfoauth doctor --fix\` to put it into the profile (any \`sfoauth token --profile ${name}\` does it too)`,
              { exitCode: EXIT.USAGE },
            ),
          );
          continue;
        }
        await recoverPendingToken(store, name);
        outcomes.push(pass(`--fix restored the rotated refresh token of profile "${name}" from ${state.file}`));
      }
      if (outcomes.length === 0) return pass('no rotated refresh token is waiting to be saved');
      return outcomes.find((o) => o.status === 'fail') ?? outcomes.find((o) => o.status === 'warn') ?? outcomes[0]!;
    });
  },
};
