/** The app types a profile can have, and the one parser every flag and prompt uses (aliases eca, ca). */
import { UsageError } from '../../errors.js';
import type { AppType } from './profile.js';

export const APP_TYPES: readonly AppType[] = ['external-client-app', 'connected-app'];

export function parseAppType(input: string): AppType {
  const v = input.trim().toLowerCase();
  const aliases: Record<string, AppType> = { eca: 'external-client-app', ca: 'connected-app' };
  const t = aliases[v] ?? v;
  if ((APP_TYPES as readonly string[]).includes(t)) return t as AppType;
  throw new UsageError(`Unknown app type "${input}".`, { hint: `Use --app-type ${APP_TYPES.join(' or --app-type ')}.` });
}
