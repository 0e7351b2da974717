/**
 * The cross-process lock (docs/credentials.md "The lock"): proper-lockfile's `<path>` directory, made
 * atomically with mkdir and touched every second by its holder; one untouched for LOCK_STALE_MS
 * belongs to a killed process and is taken over. Waiting is bounded (LockTimeoutError, exit 75) and
 * stops when `signal` aborts. proper-lockfile is loaded on first use only. A wait that lasts is shown
 * through `onWait` (the CLI draws a spinner or prints a line; platform code draws nothing itself), naming
 * the holder's pid from the `<path>.pid` note each holder leaves next to the lock.
 */
import fs from 'node:fs';
import type { Env } from '../core/ports.js';
import { realClock } from './clock.js';
import { ConfigError, LockTimeoutError } from '../errors.js';

/** How long a command waits for another sfoauth process to release a lock (SFOAUTH_LOCK_TIMEOUT overrides, in seconds). */
export const DEFAULT_LOCK_WAIT_MS = 90_000;
export const LOCK_STALE_MS = 5_000;
const LOCK_UPDATE_MS = 1_000;
/** A wait shorter than this is not shown: most waits are one refresh round trip of the other process. */
const LOCK_WAIT_SHOWN_AFTER_MS = 250;

export interface FileLockOptions {
  waitMs: number;
  signal?: AbortSignal;
  notice: (line: string) => void;
  /** What the lock protects, for messages (the config file, the rotated-token file). */
  what: string;
  /**
   * Called once the wait has lasted LOCK_WAIT_SHOWN_AFTER_MS, with the line to show; the function it
   * returns is called when the wait ends (lock taken, timed out, or cancelled).
   */
  onWait?: (line: string) => () => void;
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
  const startedAt = Date.now();
  const giveUpAt = startedAt + o.waitMs;
  let compromised: Error | undefined;
  let endWait: (() => void) | undefined;
  try {
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
        const pidFile = `${lockPath}.pid`;
        writePidNote(pidFile);
        return async () => {
          removePidNote(pidFile);
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
        if (!endWait && o.onWait && Date.now() - startedAt >= LOCK_WAIT_SHOWN_AFTER_MS) {
          const pid = holderPid(`${lockPath}.pid`);
          endWait = o.onWait(`Waiting for another sfoauth process${pid === undefined ? '' : ` (pid ${pid})`} to finish with ${o.what}…`);
        }
        // Short, jittered polls: a refresh holds the lock for one round trip to Salesforce.
        await realClock.sleep(Math.min(25 * 2 ** Math.min(attempt, 3), 200) + Math.random() * 25, o.signal);
      }
    }
  } finally {
    endWait?.();
  }
}

/**
 * The holder's pid, for the waiting line only (the lock itself is the directory): written after the lock
 * is taken, removed before it is released. Best effort: a note that cannot be written is no loss.
 */
function writePidNote(file: string): void {
  try {
    const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | (fs.constants.O_NOFOLLOW ?? 0), 0o600);
    try {
      fs.writeSync(fd, `${process.pid}\n`);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // no note: the waiting line leaves the pid out
  }
}

function removePidNote(file: string): void {
  try {
    if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.rmSync(file, { force: true });
  } catch {
    // gone already, or never written
  }
}

/** The pid in the note when that process is still running (a note left by a killed holder is ignored). */
function holderPid(file: string): number | undefined {
  let pid: number;
  try {
    const text = fs.readFileSync(file, 'utf8').slice(0, 32).trim();
    if (!/^\d{1,10}$/.test(text)) return undefined;
    pid = Number(text);
  } catch {
    return undefined;
  }
  try {
    process.kill(pid, 0); // signal 0 only asks whether the process exists
    return pid;
  } catch (err) {
    return (err as { code?: unknown }).code === 'EPERM' ? pid : undefined; // EPERM: it exists, another user's
  }
}
