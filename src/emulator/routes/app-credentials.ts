/**
 * Connect REST's External Client App credentials resources (docs/salesforce.md §14.4, docs/create.md):
 * GET apps/oauth/usage (59.0+), apps/oauth/credentials/{appId} and …/{consumerId}?part=key|secret|keyandsecret
 * (60.0+), for the apps deployed through the emulator. The org setting and the two permissions are
 * faults: consumerSecretApiOff, noEcaDeveloper, noViewClientSecret. Their refusal texts are the
 * emulator's own (Salesforce's are UNCONFIRMED), phrased so a client can recognise them.
 */
import type { EmulatorContext } from '../context.js';
import { listedEcas, type DeployedEca } from '../eca-registry.js';
import type { EmuRequest, Reply } from '../http-util.js';

type RestReply = (status: number, value: unknown) => Reply;

const PAGE_SIZE_MAX = 100;

export function appOauth(req: EmuRequest, ctx: EmulatorContext, version: number, path: string, restJson: RestReply): Reply {
  const err = (status: number, errorCode: string, message: string) => restJson(status, [{ message, errorCode }]);
  const notFound = () => err(404, 'NOT_FOUND', 'The requested resource does not exist');
  if (req.method !== 'GET') return err(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${req.method}' not allowed. Allowed are GET`);
  const minimum = path === '/apps/oauth/usage' ? 59 : 60;
  if (version < minimum) return notFound();
  if (ctx.faults.noEcaDeveloper) {
    return err(403, 'INSUFFICIENT_ACCESS', 'Insufficient privileges: the External Client App credentials API requires a permission this user does not have.');
  }
  const listed = listedEcas(ctx);
  if (path === '/apps/oauth/usage') {
    const page = wholeNumber(req.url.searchParams.get('page'), 0);
    const size = Math.min(PAGE_SIZE_MAX, Math.max(1, wholeNumber(req.url.searchParams.get('pageSize'), 25)));
    const apps = listed.slice(page * size, page * size + size).map((e) => ({ developerName: e.developerName, identifier: e.appId, label: e.label }));
    return restJson(200, { apps, currentPageUrl: req.url.pathname + req.url.search, totalSize: listed.length });
  }
  const m = /^\/apps\/oauth\/credentials\/([A-Za-z0-9]{15,18})(?:\/([A-Za-z0-9]{15,18}))?$/.exec(path);
  const eca = m?.[1] ? listed.find((e) => e.appId === m[1]) : undefined;
  if (!m || !eca) return notFound();
  const base = `/services/data/v${version}.0/apps/oauth/credentials/${eca.appId}`;
  if (m[2] === undefined) {
    const consumers = eca.consumerId && eca.clientId ? [{ id: eca.consumerId, key: ctx.apps.get(eca.clientId)?.clientId, name: eca.consumerName, url: `${base}/${eca.consumerId}` }] : [];
    return restJson(200, { consumers });
  }
  if (m[2] !== eca.consumerId) return notFound();
  return credentials(req, ctx, eca, err, restJson);
}

function credentials(req: EmuRequest, ctx: EmulatorContext, eca: DeployedEca, err: (s: number, c: string, m: string) => Reply, restJson: RestReply): Reply {
  const app = eca.clientId ? ctx.apps.get(eca.clientId) : undefined;
  if (!app) return err(404, 'NOT_FOUND', 'The requested resource does not exist');
  const part = (req.url.searchParams.get('part') ?? 'key').toLowerCase();
  if (part !== 'key' && part !== 'secret' && part !== 'keyandsecret') {
    return err(400, 'INVALID_INPUT', `Invalid value for part: ${part.slice(0, 20)}. Use key, secret or keyandsecret.`);
  }
  if (part !== 'key') {
    if (ctx.faults.consumerSecretApiOff) {
      return err(403, 'FUNCTIONALITY_NOT_ENABLED', 'Access to consumer secrets through the REST API is not currently enabled for this org.');
    }
    if (ctx.faults.noViewClientSecret) {
      return err(403, 'INSUFFICIENT_ACCESS', 'Insufficient privileges: viewing this consumer secret requires a permission this user does not have.');
    }
  }
  if (part === 'key') return restJson(200, { id: eca.consumerId, key: app.clientId });
  if (part === 'secret') return restJson(200, { id: eca.consumerId, secret: app.clientSecret });
  return restJson(200, { key: app.clientId, secret: app.clientSecret });
}

function wholeNumber(value: string | null, fallback: number): number {
  return value !== null && /^\d{1,6}$/.test(value) ? Number(value) : fallback;
}
