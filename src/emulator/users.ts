/**
 * The org's users. One person logs in through the pages; each client-credentials "Run As" username
 * becomes an API-only integration user, because Salesforce issues those tokens for that user.
 */
import { newRecordId } from './ids.js';

/** The emulator's login. Documented and printed by `sfoauth emulator`: it protects nothing real. */
export const DEMO_USERNAME = 'emulator.user@sfoauth.example';
export const DEMO_PASSWORD = 'emulator-password';

export interface EmulatorUser {
  /** 18-character `005…` id. */
  id: string;
  /** 18-character `00D…` id. */
  orgId: string;
  username: string;
  password: string;
  email: string;
  firstName: string;
  lastName: string;
  displayName: string;
  nickname: string;
  timezone: string;
  language: string;
  locale: string;
  /** Offset of `timezone` from UTC in milliseconds. */
  utcOffset: number;
  userType: 'STANDARD';
  active: boolean;
  /** ISO 8601. */
  createdDate: string;
  isIntegrationUser: boolean;
}

export function createUser(opts: { orgId: string; pod: string; username: string; now: number; integration?: boolean }): EmulatorUser {
  const integration = opts.integration === true;
  const firstName = integration ? 'Integration' : 'Emulator';
  const lastName = 'User';
  const local = opts.username.split('@')[0] ?? opts.username;
  return {
    id: newRecordId('005', opts.pod),
    orgId: opts.orgId,
    username: opts.username,
    password: DEMO_PASSWORD,
    email: opts.username.includes('@') ? opts.username : `${opts.username}@sfoauth.example`,
    firstName,
    lastName,
    displayName: `${firstName} ${lastName}`,
    nickname: local.slice(0, 40),
    timezone: 'America/Los_Angeles',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28_800_000,
    userType: 'STANDARD',
    active: true,
    createdDate: new Date(opts.now).toISOString(),
    isIntegrationUser: integration,
  };
}
