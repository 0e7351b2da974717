/**
 * /services/oauth2/userinfo (OIDC UserInfo, §8.2) and the identity URL /id/<org>/<user> (§8.3). Both
 * take a Bearer token or `oauth_token`; a bad token gets Salesforce's plain-text 403 `Bad_OAuth_Token`.
 */
import { identityUrl, liveAccess, type EmulatorContext } from '../context.js';
import { bearerToken, formOf, jsonReply, textReply, type EmuRequest, type Reply } from '../http-util.js';
import type { AccessRecord } from '../store.js';
import type { EmulatorUser } from '../users.js';

const badToken = (): Reply => textReply(403, 'Bad_OAuth_Token');

export function userinfo(req: EmuRequest, ctx: EmulatorContext): Reply {
  const access = sessionOf(req, ctx);
  const user = access && ctx.users.get(access.userId);
  if (!user) return badToken();
  const photos = photoUrls(ctx, user);
  return jsonReply(200, {
    sub: identityUrl(ctx, user),
    user_id: user.id,
    organization_id: ctx.org.id,
    preferred_username: user.username,
    nickname: user.nickname,
    name: user.displayName,
    email: user.email,
    email_verified: true,
    given_name: user.firstName,
    family_name: user.lastName,
    zoneinfo: user.timezone,
    photos,
    profile: `${ctx.instanceUrl}/${user.id}`,
    picture: photos.picture,
    address: { country: 'US' },
    is_salesforce_integration_user: user.isIntegrationUser,
    urls: identityUrls(ctx, user, versionParam(req, ctx)),
    active: user.active,
    user_type: user.userType,
    language: user.language,
    locale: user.locale,
    utcOffset: user.utcOffset,
    updated_at: user.createdDate,
    is_app_installed: true,
  });
}

/** `/id/<orgId>/<userId>`: any user of the org, 15- or 18-character ids. */
export function identity(req: EmuRequest, ctx: EmulatorContext, orgId: string, userId: string): Reply {
  const access = sessionOf(req, ctx);
  if (!access) return badToken();
  const user = [...ctx.users.values()].find((u) => sameId(u.id, userId));
  if (!sameId(ctx.org.id, orgId) || !user) return textReply(404, 'Bad_Id');
  const photos = photoUrls(ctx, user);
  return jsonReply(200, {
    id: identityUrl(ctx, user),
    asserted_user: user.id === access.userId,
    user_id: user.id,
    organization_id: ctx.org.id,
    username: user.username,
    nick_name: user.nickname,
    display_name: user.displayName,
    email: user.email,
    email_verified: true,
    first_name: user.firstName,
    last_name: user.lastName,
    timezone: user.timezone,
    photos,
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: 'US',
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: identityUrls(ctx, user, versionParam(req, ctx)),
    active: user.active,
    user_type: user.userType,
    language: user.language,
    locale: user.locale,
    utcOffset: user.utcOffset,
    last_modified_date: user.createdDate.replace(/Z$/, '+0000'),
    is_app_installed: true,
  });
}

/** The live access token behind the request, if any. */
function sessionOf(req: EmuRequest, ctx: EmulatorContext): AccessRecord | undefined {
  return liveAccess(ctx, bearerToken(req, [req.url.searchParams, formOf(req)]).token);
}

function sameId(a: string, b: string): boolean {
  return (b.length === 15 || b.length === 18) && a.slice(0, 15) === b.slice(0, 15);
}

/** `version=latest` or a number fills `{version}`; otherwise the template stays. */
function versionParam(req: EmuRequest, ctx: EmulatorContext): string {
  const v = req.url.searchParams.get('version');
  if (v === 'latest') return `${ctx.maxApiVersion}.0`;
  return v !== null && /^\d+(\.0)?$/.test(v) ? `${parseInt(v, 10)}.0` : '{version}';
}

function photoUrls(ctx: EmulatorContext, user: EmulatorUser): { picture: string; thumbnail: string } {
  return { picture: `${ctx.instanceUrl}/profilephoto/005/F?uid=${user.id}`, thumbnail: `${ctx.instanceUrl}/profilephoto/005/T?uid=${user.id}` };
}

function identityUrls(ctx: EmulatorContext, user: EmulatorUser, version: string): Record<string, string> {
  const base = ctx.instanceUrl;
  const org15 = ctx.org.id.slice(0, 15);
  const data = `${base}/services/data/v${version}`;
  return {
    enterprise: `${base}/services/Soap/c/${version}/${org15}`,
    metadata: `${base}/services/Soap/m/${version}/${org15}`,
    partner: `${base}/services/Soap/u/${version}/${org15}`,
    rest: `${data}/`,
    sobjects: `${data}/sobjects/`,
    search: `${data}/search/`,
    query: `${data}/query/`,
    recent: `${data}/recent/`,
    tooling_soap: `${base}/services/Soap/T/${version}/${org15}`,
    tooling_rest: `${data}/tooling/`,
    profile: `${base}/${user.id}`,
    feeds: `${data}/chatter/feeds`,
    groups: `${data}/chatter/groups`,
    users: `${data}/chatter/users`,
    feed_items: `${data}/chatter/feed-items`,
    feed_elements: `${data}/chatter/feed-elements`,
    custom_domain: base,
  };
}
