/**
 * The journal of the risky window (docs/credentials.md "Journal"): a rotated refresh token is written
 * to `pending-token.<profile>.json` (0600, fsynced) the moment it arrives, before the profile is
 * rewritten, and removed once the profile holds it. If the process dies or the profile write fails in
 * between, the next command that takes the lock on this profile (or `doctor --fix`) restores it.
 */
import { createHash } from 'node:crypto';
import { refreshTokenOf, type Profile } from '../config/profile.js';
import type { ProfileStore } from '../config/store.js';

export interface PendingToken {
  profile: string;
  refreshToken: string;
  /** Fingerprint of the refresh token it replaces: the journal applies only over that one. */
  replaces: string;
  receivedAt: string;
}

/** A short, one-way fingerprint of a token: enough to tell tokens apart, useless to an attacker. */
export function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

export function parsePendingToken(value: unknown, name: string): PendingToken | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (v.profile !== name || typeof v.refreshToken !== 'string' || v.refreshToken === '' || typeof v.replaces !== 'string') return undefined;
  return { profile: name, refreshToken: v.refreshToken, replaces: v.replaces, receivedAt: typeof v.receivedAt === 'string' ? v.receivedAt : '' };
}

export type PendingState =
  /** No journal for this profile. */
  | { kind: 'none' }
  /** The profile still holds the token the journal replaces: restoring it is safe and needed. */
  | { kind: 'restorable'; pending: PendingToken; file: string }
  /** The profile already holds the journal's token (the process died before removing it). */
  | { kind: 'done'; file: string }
  /** The profile holds some other token (init ran since), or the journal is unreadable: left for a person. */
  | { kind: 'unrelated'; file: string };

export async function pendingStateOf(store: ProfileStore, name: string, profile: Profile | undefined): Promise<PendingState> {
  const raw = await store.readSidecar('pending-token', name);
  const file = store.sidecarPath('pending-token', name);
  if (raw === undefined) return { kind: 'none' };
  const pending = parsePendingToken(raw, name);
  if (!pending || !profile) return { kind: 'unrelated', file };
  const refreshToken = refreshTokenOf(profile);
  if (refreshToken === pending.refreshToken) return { kind: 'done', file };
  if (refreshToken !== undefined && fingerprint(refreshToken) === pending.replaces) return { kind: 'restorable', pending, file };
  return { kind: 'unrelated', file };
}

/**
 * Call under the store's lock. Puts a journaled token into its profile when the profile still holds the
 * token it replaced, removes a journal the profile already reflects, and moves one that follows some
 * other token to `unmatched-token.<profile>.json`. Returns the journal's path when it restored one.
 */
export async function recoverPendingToken(store: ProfileStore, name: string): Promise<string | undefined> {
  const profile = await store.get(name);
  const state = await pendingStateOf(store, name, profile);
  if (state.kind === 'done') {
    await store.removeSidecar('pending-token', name);
    return undefined;
  }
  if (state.kind === 'unrelated') {
    // Never overwritten by the next rotation's journal: kept under another name for a person to judge.
    await store.writeSidecar('unmatched-token', name, await store.readSidecar('pending-token', name));
    await store.removeSidecar('pending-token', name);
    return undefined;
  }
  if (state.kind !== 'restorable') return undefined;
  await store.update(name, { refreshToken: state.pending.refreshToken });
  await store.removeSidecar('pending-token', name);
  return state.file;
}
