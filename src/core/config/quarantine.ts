/**
 * `doctor --fix` for a corrupt config: the file is renamed, never deleted, so the user can still
 * recover a secret or a refresh token from it by hand.
 */
import fs from 'node:fs';
import { ConfigError } from '../../errors.js';

/**
 * Renames `file` to `<file>.corrupt-<UTC timestamp>` in the same directory and returns the new path.
 * An existing quarantine file is never replaced: a counter is appended instead.
 */
export function moveAside(file: string, now: Date | number): string {
  const stamp = compactTimestamp(new Date(now));
  for (let attempt = 0; attempt < 100; attempt++) {
    const target = `${file}.corrupt-${stamp}${attempt === 0 ? '' : `-${attempt}`}`;
    if (fs.existsSync(target)) continue;
    try {
      fs.renameSync(file, target);
    } catch (err) {
      throw new ConfigError(`Could not move ${file} aside: ${describe(err)}`, {
        cause: err,
        file,
        hint: 'Move or delete the file yourself, then run the command again.',
      });
    }
    return target;
  }
  throw new ConfigError(`Could not move ${file} aside: too many quarantined copies already exist next to it.`, {
    file,
    hint: 'Delete old config.json.corrupt-* files you no longer need, then run the command again.',
  });
}

/** 2025-03-01T09:05:07.123Z -> 20250301T090507Z (no colons: Windows file names refuse them). */
function compactTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}

function describe(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'the file does not exist.';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied.';
  return typeof code === 'string' ? `${code}.` : 'unexpected error.';
}
