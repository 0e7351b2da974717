/**
 * The slice of the REST API that credential checks use (docs/salesforce.md §11): the versions list (no
 * auth), the version's resource list, and limits. Errors are JSON arrays of `{message, errorCode}`;
 * authenticated answers carry `Sforce-Limit-Info`.
 */
import { identityUrl, liveAccess, type EmulatorContext } from '../context.js';
import { bearerToken, type EmuRequest, type Reply } from '../http-util.js';
import { allowsRestApi } from '../scopes.js';
import { appOauth } from './app-credentials.js';
import { deployRequest } from './metadata-deploy.js';
import { soqlQuery, sobjectRecord } from './records.js';

/** Spring '26. */
export const LATEST_API_VERSION = '66.0';
/** Versions 21.0–30.0 were retired in Summer '25; 31.0 (Summer '14) is the oldest still listed. */
export const OLDEST_VERSION = 31;

/** Whether the org serves API version `v` (REST and the Metadata API's SOAP endpoint): the oldest to its `maxApiVersion`. */
export function servesVersion(ctx: EmulatorContext, v: number): boolean {
  return v >= OLDEST_VERSION && v <= ctx.maxApiVersion;
}
export const LATEST = parseInt(LATEST_API_VERSION, 10);

/** Release name of an API version: v33.0 was Spring '15, and there are three releases a year. */
export function releaseLabel(version: number): string {
  const k = version - 33;
  const year = 15 + Math.floor(k / 3);
  const season = ((k % 3) + 3) % 3;
  return season === 0 ? `Spring '${year}` : season === 1 ? `Summer '${year}` : `Winter '${year + 1}`;
}

function restJson(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json;charset=UTF-8', ...headers }, body: JSON.stringify(value) };
}

const restError = (status: number, errorCode: string, message: string, headers?: Record<string, string>) =>
  restJson(status, [{ message, errorCode }], headers);

const notFound = (headers?: Record<string, string>) =>
  restError(404, 'NOT_FOUND', 'The requested resource does not exist', headers);

export function rest(req: EmuRequest, ctx: EmulatorContext): Reply {
  // The generic login host is not an org: it has no REST API.
  if (req.role === 'login') return notFound();
  const path = req.url.pathname;
  // An org on an older release (`maxApiVersion`) neither lists nor serves the newer versions.
  const newest = ctx.maxApiVersion;
  if (path === '/services/data' || path === '/services/data/') {
    const versions = [];
    for (let v = OLDEST_VERSION; v <= newest; v++) {
      versions.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
    }
    return restJson(200, versions);
  }
  const m = /^\/services\/data\/(?:v(\d+)\.0|(latest))(\/.*)?$/.exec(path);
  const version = m?.[2] ? newest : m?.[1] ? parseInt(m[1], 10) : NaN;
  if (!m || !servesVersion(ctx, version)) return notFound();

  const { token, malformed } = bearerToken(req);
  if (malformed) return restError(401, 'INVALID_AUTH_HEADER', 'INVALID_HEADER_TYPE');
  const access = liveAccess(ctx, token);
  if (!access) {
    return restError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
  }
  if (!allowsRestApi(access.scopes)) {
    return restError(401, 'INVALID_SESSION_ID', 'This session is not valid for use with the REST API');
  }
  ctx.api.used++;
  const limitInfo = { 'sforce-limit-info': `api-usage=${ctx.api.used}/${ctx.api.max}` };

  const rest = (m[3] ?? '').replace(/\/+$/, '');
  const base = `/services/data/v${version}.0`;
  if (rest === '') {
    const resources = ['tooling', 'metadata', 'eclair', 'folders', 'chatter', 'tabs', 'appMenu', 'quickActions', 'queryAll', 'wave',
      'analytics', 'search', 'identity', 'composite', 'parameterizedSearch', 'theme', 'nouns', 'event', 'recent', 'connect',
      'licensing', 'limits', 'process', 'async-queries', 'query', 'sobjects', 'actions', 'support'];
    const body: Record<string, string> = {};
    for (const r of resources) body[r] = r === 'identity' ? identityUrl(ctx, { id: access.userId }) : `${base}/${r}`;
    return restJson(200, body, limitInfo);
  }
  if (rest === '/limits') return restJson(200, limits(ctx), limitInfo);
  const deploy = /^\/metadata\/deployRequest(?:\/([A-Za-z0-9]{15,18}))?$/.exec(rest);
  if (deploy) return deployRequest(req, ctx, version, deploy[1], access.userId, (s, v) => restJson(s, v, limitInfo));
  if (rest.startsWith('/apps/oauth/')) return appOauth(req, ctx, version, rest, (s, v) => restJson(s, v, limitInfo));
  if (rest === '/query') {
    const r = soqlQuery(ctx, `${version}.0`, req.url.searchParams.get('q'));
    return restJson(r.status, r.body, limitInfo);
  }
  const sobject = /^\/sobjects\/([A-Za-z_][A-Za-z0-9_]*)\/([A-Za-z0-9]+)$/.exec(rest);
  if (sobject?.[1] && sobject[2]) {
    const r = sobjectRecord(ctx, `${version}.0`, sobject[1], sobject[2]);
    return restJson(r.status, r.body, limitInfo);
  }
  return notFound(limitInfo);
}

function limits(ctx: EmulatorContext): Record<string, { Max: number; Remaining: number }> {
  const full = (max: number) => ({ Max: max, Remaining: max });
  return {
    ConcurrentAsyncGetReportInstances: full(200),
    ConcurrentSyncReportRuns: full(20),
    DailyApiRequests: { Max: ctx.api.max, Remaining: Math.max(0, ctx.api.max - ctx.api.used) },
    DailyAsyncApexExecutions: full(250000),
    DailyBulkApiBatches: full(15000),
    DailyBulkV2QueryFileStorageMB: full(976562),
    DailyBulkV2QueryJobs: full(10000),
    DailyGenericStreamingApiEvents: full(10000),
    DailyStreamingApiEvents: full(10000),
    DataStorageMB: full(5),
    FileStorageMB: full(20),
    HourlyDashboardRefreshes: full(200),
    HourlyODataCallout: full(10000),
    HourlyTimeBasedWorkflow: full(50),
    MassEmail: full(10),
    SingleEmail: full(15),
  };
}
