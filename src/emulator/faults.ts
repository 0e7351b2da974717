/**
 * Fault switches: the failures a real org produces that tests and newcomers need to see on demand
 * (docs/salesforce.md §13.5). Kept free of heavy imports: the CLI's help text reads FAULT_NAMES.
 */
import { UsageError } from '../errors.js';

export const FAULT_NAMES = [
  'userDenies', // the automatic approver clicks Deny → access_denied
  'appBlocked', // OAUTH_APP_BLOCKED at /authorize
  'userInactive', // invalid_grant "authentication failure" on every token grant
  'ipRestricted', // invalid_grant "ip restricted" on every token grant
  'ecaNotInstalled', // OAUTH_EC_APP_NOT_FOUND at /authorize for External Client Apps
  'noApiScope', // new access tokens lack `api`: REST answers 401 "not valid for use with the REST API"
  'introspectionDenied', // /introspect answers {"active":false} for every token, as for an app not allowed to see them
  'serverError', // a count: the next N token/REST requests answer 500 with an HTML page
  'slowMs', // milliseconds added before every response
  // External Client Apps as metadata (docs/create.md): the org setting and the user's permissions
  'consumerSecretApiOff', // "Allow access to External Client App consumer secrets via REST API" is off
  'noModifyMetadata', // the user may not deploy: deployRequest answers 403 INSUFFICIENT_ACCESS
  'noEcaCreate', // the user may not create External Client Apps: each ECA component fails
  'noEcaDeveloper', // no "External Client App Developer": apps/oauth usage and credentials answer 403
  'noViewClientSecret', // no "View Client Secret": the secret part answers 403
  'noCustomizeApplication', // the user's permission sets lack Customize Application (and Modify All Data)
  'noViewSetup', // no "View Setup and Configuration": PermissionSet cannot be queried (INVALID_TYPE)
] as const;

export type FaultName = (typeof FAULT_NAMES)[number];

/** The faults that hold a number (serverError: requests left to fail; slowMs: the delay); the rest are switches. */
type NumericFault = 'serverError' | 'slowMs';

export type FaultState = { [K in FaultName]: K extends NumericFault ? number : boolean };

/**
 * Bounds on the numeric faults: a delay a timer can hold with room to spare (an unbounded slowMs
 * overflowed Node's timer and fired at once), and a count no test needs more of.
 */
const FAULT_MAX: Partial<Record<FaultName, number>> = { slowMs: 600_000, serverError: 10_000 };

/** `slowMs: true` means this much. */
export const DEFAULT_SLOW_MS = 1000;

export function noFaults(): FaultState {
  return Object.fromEntries(FAULT_NAMES.map((name) => [name, name === 'serverError' || name === 'slowMs' ? 0 : false])) as FaultState;
}

export function isFaultName(name: string): name is FaultName {
  return (FAULT_NAMES as readonly string[]).includes(name);
}

/**
 * Sets one fault. Switches take booleans (numbers: non-zero is on); `serverError` takes a count
 * (true = 1) and `slowMs` milliseconds (true = DEFAULT_SLOW_MS).
 */
export function setFaultValue(state: FaultState, name: string, value: unknown): void {
  if (!isFaultName(name)) {
    throw new UsageError(`Unknown emulator fault "${name}".`, { hint: `Known faults: ${FAULT_NAMES.join(', ')}.` });
  }
  if (typeof value !== 'boolean' && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
    throw new UsageError(`Fault "${name}" needs true, false or a number of 0 or more.`);
  }
  const max = FAULT_MAX[name];
  if (typeof value === 'number' && max !== undefined && value > max) {
    throw new UsageError(`Fault "${name}" ${value} is too large: use 0 to ${max}.`);
  }
  if (name === 'serverError') state.serverError = value === true ? 1 : value === false ? 0 : Math.floor(value);
  else if (name === 'slowMs') state.slowMs = value === true ? DEFAULT_SLOW_MS : value === false ? 0 : Math.floor(value);
  else state[name] = value === true || (typeof value === 'number' && value > 0);
}

/** Parses a CLI `--fault` value: `name` (on) or `name=value` (true, false, on, off, or a number). */
export function parseFaultFlag(flag: string): { name: FaultName; value: boolean | number } {
  const eq = flag.indexOf('=');
  const name = (eq === -1 ? flag : flag.slice(0, eq)).trim();
  const raw = eq === -1 ? 'true' : flag.slice(eq + 1).trim().toLowerCase();
  if (!isFaultName(name)) {
    throw new UsageError(`Unknown --fault "${name}".`, { hint: `Use one of: ${FAULT_NAMES.join(', ')} (e.g. --fault serverError=2).` });
  }
  let value: boolean | number;
  if (raw === 'true' || raw === 'on' || raw === '') value = true;
  else if (raw === 'false' || raw === 'off') value = false;
  else if (/^\d{1,16}$/.test(raw)) value = Number(raw);
  else throw new UsageError(`--fault ${name}=${raw}: the value must be true, false or a whole number.`);
  return { name, value };
}
