/**
 * The cross-process lock (docs/credentials.md "The lock"): proper-lockfile's `<path>` directory, made
 * atomically with mkdir and touched every second by its holder; one untouched for LOCK_STALE_MS
 * belongs to a killed process and is taken over. Waiting is bounded (LockTimeoutError, exit 75) and
 * stops when `signal` aborts. proper-lockfile is loaded on first use only.
 */
import type { Env } from '../core/ports.js';
import { realClock } from './clock.js';
import { ConfigError, LockTimeoutError } from '../errors.js';

/** How long a command waits for another sfoauth process to release a lock (SFOAUTH_LOCK_TIMEOUT overrides, in seconds). */
export const DEFAULT_LOCK_WAIT_MS = 90_000;
export const LOCK_STALE_MS = 5_000;
const LOCK_UPDATE_MS = 1_000;

export interface FileLockOptions {
  waitMs: number;
  signal?: AbortSignal;
  notice: (line: string) => void;
  /** What the lock protects, for messages (the config file, the rotated-token file). */
  what: string;
}

export function lockWaitMs(env: Env): number {
  const raw = env.SFOAUTH_LOCK_TIMEOUT;
  if (raw === undefined || raw.trim() === '') return DEFAULT_LOCK_WAIT_MS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new ConfigError(`SFOAUTH_LOCK_TIMEOUT must be a number of seconds, not ${JSON.stringify(raw.slice(0, 20))}.`, { hint: 'For example: SFOAUTH_LOCK_TIMEOUT=120' });
  }
  return Math.round(seconds * 1000);
}

/** Resolves to the release function. Throws LockTimeoutError, the signal's reason, or a raw fs error. */
export async function acquireFileLock(lockPath: string, o: FileLockOptions): Promise<() => Promise<void>> {
  const { default: lockfile } = await import('proper-lockfile');
  const giveUpAt = Date.now() + o.waitMs;
  let compromised: Error | undefined;
  for (let attempt = 0; ; attempt++) {
    if (o.signal?.aborted) throw o.signal.reason;
    try {
      const release = await lockfile.lock(o.what, {
        realpath: false,
        lockfilePath: lockPath,
        stale: LOCK_STALE_MS,
        update: LOCK_UPDATE_MS,
        retries: 0,
        // The default throws from a timer, which would crash the process. A lock taken over (this
        // process stalled for longer than LOCK_STALE_MS) is reported when it is released.
        onCompromised: (err) => {
          compromised = err;
        },
      });
      return async () => {
        try {
          await release();
        } catch {
          // already released or taken over: nothing of ours left to remove
        }
        if (compromised) o.notice(`Warning: the lock on ${o.what} was taken over while this command held it (was the process paused?).`);
      };
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ELOCKED') throw err;
      if (Date.now() >= giveUpAt) {
        throw new LockTimeoutError(
          `Another sfoauth process has held the lock on ${o.what} for more than ${Math.round(o.waitMs / 1000)} s; nothing was sent to Salesforce.`,
          {
            hint: `Run the command again when the other one is done. If no sfoauth is running, the lock (${lockPath}) is stale and is taken over ${LOCK_STALE_MS / 1000} s after its owner died; set SFOAUTH_LOCK_TIMEOUT (seconds) to wait longer.`,
          },
        );
      }
      // Short, jittered polls: a refresh holds the lock for one round trip to Salesforce.
      await realClock.sleep(Math.min(25 * 2 ** Math.min(attempt, 3), 200) + Math.random() * 25, o.signal);
    }
  }
}
