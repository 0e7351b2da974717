/**
 * Codes, tokens and approvals, in memory only (the emulator never persists anything).
 *
 * An approval ("grant") is one consent by one user for one app that produced a refresh token. Its
 * refresh tokens form a chain when the app rotates them; access tokens remember their grant, so
 * revoking a refresh token (or the rotation-reuse alarm) ends every session that came from it.
 */
import type { RefreshTokenPolicy } from './apps.js';
import type { ChallengeMethod } from './crypto.js';
import { newAccessToken, newAuthorizationCode, newRefreshToken, newTicket } from './ids.js';

/** Authorization codes live 15 minutes and work once (docs/salesforce.md §3.2). */
export const CODE_LIFETIME_MS = 15 * 60 * 1000;
/** Salesforce keeps 5 approvals per user per app; the 6th revokes the oldest (§9). */
export const APPROVALS_PER_USER = 5;
/** A login on the emulator's page must be followed by Allow/Deny within this time. */
export const TICKET_LIFETIME_MS = 15 * 60 * 1000;

/**
 * How many records of each kind the emulator keeps (docs/hostile-input.md "Emulator"): past a limit,
 * spent ones (used or expired codes and tickets, expired or revoked access tokens, retired refresh
 * tokens, revoked approvals) go first, then the oldest. A loop of logins cannot grow it forever.
 */
export const STORE_LIMITS = { codes: 1000, tickets: 1000, accessTokens: 5000, refreshTokens: 5000, grants: 2000 } as const;

/** Trims `map` to 90% of `limit` once it passes it: spent entries first, then in insertion order (oldest). */
function trim<V>(map: Map<string, V>, limit: number, spent: (v: V) => boolean): void {
  if (map.size <= limit) return;
  const target = Math.floor(limit * 0.9);
  for (const [k, v] of map) if (spent(v)) map.delete(k);
  for (const k of map.keys()) {
    if (map.size <= target) break;
    map.delete(k);
  }
}

export interface CodeRecord {
  clientId: string;
  redirectUri: string;
  userId: string;
  scopes: string[];
  challenge?: string;
  method: ChallengeMethod;
  nonce?: string;
  issuedAt: number;
  used: boolean;
}

export interface GrantRecord {
  id: string;
  clientId: string;
  userId: string;
  scopes: string[];
  createdAt: number;
  /** The refresh token that works now. */
  current: string;
  revoked: boolean;
}

export interface RefreshRecord {
  token: string;
  grantId: string;
  createdAt: number;
  lastUsedAt: number;
  /** `rotated`: replaced by a newer token; presenting it again is treated as theft. */
  state: 'current' | 'rotated' | 'revoked';
}

export interface AccessRecord {
  token: string;
  clientId: string;
  userId: string;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  grantId?: string;
  revoked: boolean;
}

export interface TicketRecord {
  userId: string;
  /** The authorize parameters the user logged in for; the approval must carry the same ones. */
  fingerprint: string;
  expiresAt: number;
}

export class TokenStore {
  readonly codes = new Map<string, CodeRecord>();
  readonly grants = new Map<string, GrantRecord>();
  readonly refreshTokens = new Map<string, RefreshRecord>();
  readonly accessTokens = new Map<string, AccessRecord>();
  readonly tickets = new Map<string, TicketRecord>();
  private grantSeq = 0;

  issueCode(record: Omit<CodeRecord, 'used'>): string {
    const code = newAuthorizationCode();
    this.codes.set(code, { ...record, used: false });
    trim(this.codes, STORE_LIMITS.codes, (c) => c.used || c.issuedAt + CODE_LIFETIME_MS <= record.issuedAt);
    return code;
  }

  issueTicket(record: TicketRecord): string {
    const ticket = newTicket();
    this.tickets.set(ticket, record);
    trim(this.tickets, STORE_LIMITS.tickets, (t) => t.expiresAt <= record.expiresAt - TICKET_LIFETIME_MS);
    return ticket;
  }

  /** Returns the ticket's record once; expired or unknown tickets give undefined. */
  takeTicket(ticket: string, now: number): TicketRecord | undefined {
    const record = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    return record && record.expiresAt > now ? record : undefined;
  }

  issueAccessToken(r: Omit<AccessRecord, 'token' | 'revoked'>, orgId: string): AccessRecord {
    const record: AccessRecord = { ...r, token: newAccessToken(orgId), revoked: false };
    this.accessTokens.set(record.token, record);
    trim(this.accessTokens, STORE_LIMITS.accessTokens, (a) => a.revoked || a.expiresAt <= r.issuedAt);
    return record;
  }

  /**
   * Records a new approval with its first refresh token. When the user already has the maximum
   * number of approvals for this app, the oldest are revoked first.
   */
  createGrant(clientId: string, userId: string, scopes: string[], now: number): { grant: GrantRecord; refresh: RefreshRecord } {
    const active = [...this.grants.values()]
      .filter((g) => !g.revoked && g.clientId === clientId && g.userId === userId)
      .sort((a, b) => a.createdAt - b.createdAt);
    for (const old of active.slice(0, Math.max(0, active.length - (APPROVALS_PER_USER - 1)))) this.revokeGrant(old.id);
    const id = `grant-${++this.grantSeq}`;
    const refresh: RefreshRecord = { token: newRefreshToken(), grantId: id, createdAt: now, lastUsedAt: now, state: 'current' };
    const grant: GrantRecord = { id, clientId, userId, scopes: [...scopes], createdAt: now, current: refresh.token, revoked: false };
    this.grants.set(id, grant);
    this.refreshTokens.set(refresh.token, refresh);
    this.trimTokens();
    return { grant, refresh };
  }

  /** Retires the grant's current refresh token and issues its successor. */
  rotate(grant: GrantRecord, now: number): RefreshRecord {
    const old = this.refreshTokens.get(grant.current);
    if (old) old.state = 'rotated';
    const next: RefreshRecord = { token: newRefreshToken(), grantId: grant.id, createdAt: now, lastUsedAt: now, state: 'current' };
    this.refreshTokens.set(next.token, next);
    grant.current = next.token;
    this.trimTokens();
    return next;
  }

  private trimTokens(): void {
    trim(this.refreshTokens, STORE_LIMITS.refreshTokens, (r) => r.state !== 'current');
    trim(this.grants, STORE_LIMITS.grants, (g) => g.revoked);
  }

  /** Ends an approval: its refresh tokens and every access token issued from it. */
  revokeGrant(grantId: string): void {
    const grant = this.grants.get(grantId);
    if (!grant) return;
    grant.revoked = true;
    for (const r of this.refreshTokens.values()) if (r.grantId === grantId) r.state = 'revoked';
    for (const a of this.accessTokens.values()) if (a.grantId === grantId) a.revoked = true;
  }

  /** Everything issued so far stops working (the admin's "Revoke All"). */
  revokeAll(): void {
    for (const id of this.grants.keys()) this.revokeGrant(id);
    for (const a of this.accessTokens.values()) a.revoked = true;
    this.codes.clear();
    this.tickets.clear();
  }

  counts(): { codes: number; activeAccessTokens: number; activeRefreshTokens: number; approvals: number } {
    let activeAccessTokens = 0;
    let activeRefreshTokens = 0;
    for (const a of this.accessTokens.values()) if (!a.revoked) activeAccessTokens++;
    for (const r of this.refreshTokens.values()) if (r.state === 'current') activeRefreshTokens++;
    let approvals = 0;
    for (const g of this.grants.values()) if (!g.revoked) approvals++;
    let codes = 0;
    for (const c of this.codes.values()) if (!c.used) codes++;
    return { codes, activeAccessTokens, activeRefreshTokens, approvals };
  }
}

/**
 * Whether a refresh token has run out under its app's Refresh Token Policy: "Immediately expire",
 * "Expire if not used for N" (since its last use) or "Expire after N" (since the user approved).
 */
export function refreshTokenLapsed(
  policy: RefreshTokenPolicy,
  record: RefreshRecord,
  grant: GrantRecord,
  now: number,
): boolean {
  if (policy === 'infinite') return false;
  if (policy === 'immediately') return true;
  return policy.kind === 'inactivity' ? now - record.lastUsedAt > policy.ms : now - grant.createdAt > policy.ms;
}

/** When a refresh token will lapse if nothing else happens (ms), or undefined for "valid until revoked". */
export function refreshTokenExpiry(
  policy: RefreshTokenPolicy,
  record: RefreshRecord,
  grant: GrantRecord,
): number | undefined {
  if (policy === 'infinite') return undefined;
  if (policy === 'immediately') return record.createdAt;
  return policy.kind === 'inactivity' ? record.lastUsedAt + policy.ms : grant.createdAt + policy.ms;
}
