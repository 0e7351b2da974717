/**
 * The last line of doctor's report, and the `verdict` / `firstFix` of its JSON. Failures first ("Doctor
 * found N problems. First fix: …"); with none, the warnings; with nothing configured, how to start
 * (nothing is broken, so that alone exits 0).
 *
 * "No problems found" must not claim more than doctor saw. Its probes stop before a login: the
 * authorize check sees what Salesforce says before it (an unknown key, an unregistered callback), but
 * an app blocked in the org, not installed there, or not approved for the user is decided after the
 * user logs in (docs/messages.md "What doctor cannot see"). Only a refresh that worked (the token group)
 * proves those are fine; without one, the verdict says so and names the command that shows them.
 */
import type { CheckResult } from '../checks/check.js';
import type { DoctorSource } from './context.js';
import { initCommand } from '../salesforce/explain-failure.js';

const START_HINT = 'Start with `sfoauth init` (or `sfoauth steps` to see the Setup steps first, `sfoauth demo` to try everything against the emulator).';

export interface VerdictOptions {
  nothingConfigured: boolean;
  offline: boolean;
  /** Where the inputs came from; decides which command can show what doctor could not see. */
  source?: DoctorSource;
  profile?: string;
}

export function verdictOf(results: readonly CheckResult[], o: VerdictOptions): { verdict: string; firstFix: string | undefined } {
  const failures = results.filter((r) => r.status === 'fail');
  const warnings = results.filter((r) => r.status === 'warn');
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const offline = o.offline ? ' (--offline: the network, the app and the token were not checked)' : '';
  const start = o.nothingConfigured ? ` Nothing is configured yet, so only this machine was checked. ${START_HINT}` : '';

  if (failures.length > 0) {
    const first = failures[0]!;
    const firstFix = first.fix ?? first.summary;
    return { verdict: `Doctor found ${plural(failures.length, 'problem')}. First fix: ${firstFix}${offline}${start}`, firstFix };
  }
  if (o.nothingConfigured) {
    const w = warnings.length > 0 ? `, ${plural(warnings.length, 'warning')}` : '';
    return { verdict: `No problems found on this machine${w}.${start}`, firstFix: 'sfoauth init' };
  }
  const unseen = o.offline ? '' : afterLoginUnseen(results, o);
  if (warnings.length > 0) {
    const first = warnings[0]!;
    const firstFix = first.fix ?? first.summary;
    return { verdict: `No problems found, ${plural(warnings.length, 'warning')}. First: ${first.title}: ${firstFix}${offline}${unseen}`, firstFix };
  }
  return { verdict: `No problems found${unseen ? ' in what doctor can check' : ''}.${offline}${unseen}`, firstFix: undefined };
}

/** Empty when a refresh worked; else what doctor could not check and how to see it. */
function afterLoginUnseen(results: readonly CheckResult[], o: VerdictOptions): string {
  if (results.some((r) => r.id === 'refresh' && r.status === 'pass')) return '';
  const next =
    o.source === 'env'
      ? 'run `sfoauth test`, which spends the SFOAUTH_REFRESH_TOKEN doctor leaves alone'
      : `run ${o.profile ? initCommand(o.profile) : '`sfoauth init`'} to log in (or \`sfoauth test\` once it has a saved token)`;
  return (
    ' Doctor does not log in, so it cannot see what Salesforce decides after a login (the app blocked, not installed in the ' +
    `user's org, or not approved for the user): to see those, ${next}.`
  );
}
