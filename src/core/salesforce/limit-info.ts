/**
 * The `Sforce-Limit-Info` header on REST responses (docs/salesforce.md §11):
 * `api-usage=10018/100000; api-bursts=1/750` today, `api-usage=18/5000; per-app-api-usage=17/250(appName=x)`
 * in older orgs. Parsed leniently: unknown parts are skipped, and no api-usage means no answer.
 */

export interface Usage {
  used: number;
  max: number;
}

export interface LimitInfo {
  apiUsage: Usage;
  apiBursts?: Usage;
  perApp?: Usage & { appName?: string };
}

const PART = /^([a-z-]+)\s*=\s*(\d+)\s*\/\s*(\d+)\s*(?:\(\s*appName\s*=\s*([^)]*)\))?$/i;

export function parseLimitInfo(header: string | null | undefined): LimitInfo | undefined {
  if (!header) return undefined;
  let apiUsage: Usage | undefined;
  let apiBursts: Usage | undefined;
  let perApp: LimitInfo['perApp'];
  for (const raw of header.split(/[;,]/)) {
    const m = PART.exec(raw.trim());
    if (!m || m[1] === undefined) continue;
    const usage = { used: Number(m[2]), max: Number(m[3]) };
    switch (m[1].toLowerCase()) {
      case 'api-usage':
        apiUsage = usage;
        break;
      case 'api-bursts':
        apiBursts = usage;
        break;
      case 'per-app-api-usage':
        perApp = m[4] !== undefined && m[4].trim() !== '' ? { ...usage, appName: m[4].trim() } : usage;
        break;
    }
  }
  if (!apiUsage) return undefined;
  const info: LimitInfo = { apiUsage };
  if (apiBursts) info.apiBursts = apiBursts;
  if (perApp) info.perApp = perApp;
  return info;
}
