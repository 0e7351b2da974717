/**
 * The records clients read right after a login (docs/interop.md "The emulator for these clients"):
 * `sobjects/User/<id>`, `sobjects/Organization/<id>`, and SOQL `query` for the simple shapes they send,
 * `SELECT f, … FROM Organization|User [WHERE Id = '…'] [LIMIT n]`, plus the permission-set query of
 * `sfoauth create`. Anything else gets Salesforce's errors: MALFORMED_QUERY for a statement outside
 * that grammar, INVALID_TYPE for another object, INVALID_FIELD for an unknown field, NOT_FOUND for an
 * unknown record.
 */
import { mayModifyMetadata, type EmulatorContext } from '../context.js';
import { organizationRecord } from '../org.js';
import type { EmulatorUser } from '../users.js';

type Fields = Record<string, string | boolean | null>;
export type RecordsReply = { status: number; body: unknown };

const error = (status: number, errorCode: string, message: string): RecordsReply => ({ status, body: [{ message, errorCode }] });
const NOT_FOUND = error(404, 'NOT_FOUND', 'The requested resource does not exist');

function userRecord(ctx: EmulatorContext, u: EmulatorUser): Fields {
  return {
    Id: u.id,
    Username: u.username,
    Name: u.displayName,
    FirstName: u.firstName,
    LastName: u.lastName,
    Email: u.email,
    Alias: u.nickname.slice(0, 8),
    CommunityNickname: u.nickname,
    IsActive: u.active,
    UserType: 'Standard',
    TimeZoneSidKey: u.timezone,
    LocaleSidKey: u.locale,
    LanguageLocaleKey: u.language,
    CreatedDate: u.createdDate.replace(/Z$/, '+0000'),
    LastModifiedDate: u.createdDate.replace(/Z$/, '+0000'),
    CompanyName: ctx.org.type === 'developer' ? 'sfoauth emulator' : null,
  };
}

/** Every record of the two objects the emulator knows, by object name (as Salesforce spells it). */
function table(ctx: EmulatorContext, object: string): Fields[] | undefined {
  switch (object.toLowerCase()) {
    case 'organization':
      return [organizationRecord(ctx.org)];
    case 'user':
      return [...ctx.users.values()].map((u) => userRecord(ctx, u));
    default:
      return undefined;
  }
}

const CANONICAL: Record<string, string> = { organization: 'Organization', user: 'User' };

function sameId(a: unknown, b: string): boolean {
  return typeof a === 'string' && (b.length === 15 || b.length === 18) && a.slice(0, 15) === b.slice(0, 15);
}

function withAttributes(object: string, version: string, record: Fields): Record<string, unknown> {
  return { attributes: { type: object, url: `/services/data/v${version}/sobjects/${object}/${String(record.Id)}` }, ...record };
}

/** `GET sobjects/<Object>/<id>`: the whole record. */
export function sobjectRecord(ctx: EmulatorContext, version: string, object: string, id: string): RecordsReply {
  const rows = table(ctx, object);
  const record = rows?.find((r) => sameId(r.Id, id));
  if (!rows || !record) return NOT_FOUND;
  return { status: 200, body: withAttributes(CANONICAL[object.toLowerCase()]!, version, record) };
}

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
const QUERY = new RegExp(
  `^\\s*SELECT\\s+(${IDENT}(?:\\s*,\\s*${IDENT})*)\\s+FROM\\s+(${IDENT})` +
    `(?:\\s+WHERE\\s+Id\\s*=\\s*'([A-Za-z0-9]{15}|[A-Za-z0-9]{18})')?(?:\\s+LIMIT\\s+(\\d{1,5}))?\\s*$`,
  'i',
);

/**
 * `SELECT Permissions… FROM PermissionSet WHERE Id IN (SELECT PermissionSetId FROM
 * PermissionSetAssignment WHERE AssigneeId = '005…')`: the permission sets of one user, as `sfoauth
 * create` asks before a deploy (docs/create.md §8).
 */
const PERMISSION_QUERY = new RegExp(
  `^\\s*SELECT\\s+(${IDENT}(?:\\s*,\\s*${IDENT})*)\\s+FROM\\s+PermissionSet\\s+WHERE\\s+Id\\s+IN\\s*\\(\\s*SELECT\\s+PermissionSetId\\s+FROM\\s+PermissionSetAssignment` +
    `\\s+WHERE\\s+AssigneeId\\s*=\\s*'([A-Za-z0-9]{15}|[A-Za-z0-9]{18})'\\s*\\)\\s*$`,
  'i',
);

/** The PermissionSet fields the emulator has: what a query may select, and what each row carries. */
const PERMISSION_SET_FIELDS = ['Id', 'Name', 'Label', 'IsOwnedByProfile', 'PermissionsApiEnabled', 'PermissionsViewSetup', 'PermissionsModifyAllData', 'PermissionsModifyMetadata', 'PermissionsCustomizeApplication'] as const;

type PermissionSetRow = Record<(typeof PERMISSION_SET_FIELDS)[number], string | boolean>;

/**
 * The login user is an administrator: one profile-owned permission set with the system permissions a
 * deploy needs, minus what the faults take away. Run As users are API-only integration users without them.
 */
function permissionSets(ctx: EmulatorContext, userId: string): PermissionSetRow[] {
  const user = [...ctx.users.values()].find((u) => sameId(u.id, userId));
  if (!user) return [];
  const admin = user.id === ctx.user.id;
  const f = ctx.faults;
  return [
    {
      Id: `0PS${ctx.org.id.slice(3, 5)}0000000${admin ? 'Adm' : 'Int'}AAA`,
      Name: admin ? 'X00e_System_Administrator' : 'X00e_Integration_User',
      Label: admin ? 'System Administrator' : 'Salesforce API Only System Integrations',
      IsOwnedByProfile: true,
      PermissionsApiEnabled: true,
      PermissionsViewSetup: admin,
      PermissionsModifyAllData: mayModifyMetadata(ctx, user.id) && !f.noCustomizeApplication,
      PermissionsModifyMetadata: mayModifyMetadata(ctx, user.id),
      PermissionsCustomizeApplication: admin && !f.noCustomizeApplication,
    },
  ];
}

function permissionSetQuery(ctx: EmulatorContext, version: string, fieldList: string, userId: string): RecordsReply {
  if (ctx.faults.noViewSetup) return notSupported('PermissionSet');
  const rows = permissionSets(ctx, userId);
  const fields: (typeof PERMISSION_SET_FIELDS)[number][] = [];
  for (const f of fieldList.split(',').map((s) => s.trim())) {
    const name = PERMISSION_SET_FIELDS.find((k) => k.toLowerCase() === f.toLowerCase());
    if (name === undefined) return noSuchColumn(f, 'PermissionSet');
    fields.push(name);
  }
  const records = rows.map((r) => withAttributes('PermissionSet', version, Object.fromEntries(fields.map((f) => [f, r[f] ?? null]))));
  return { status: 200, body: { totalSize: records.length, done: true, records } };
}

const notSupported = (object: string): RecordsReply =>
  error(
    400,
    'INVALID_TYPE',
    `sObject type '${object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

const noSuchColumn = (field: string, object: string): RecordsReply =>
  error(
    400,
    'INVALID_FIELD',
    `No such column '${field}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

/** `GET query?q=…`: a SOQL statement of the simple shapes above. */
export function soqlQuery(ctx: EmulatorContext, version: string, q: string | null): RecordsReply {
  if (q === null || q.trim() === '') return error(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  const perms = PERMISSION_QUERY.exec(q);
  if (perms) return permissionSetQuery(ctx, version, perms[1] ?? '', perms[2] ?? '');
  const m = QUERY.exec(q);
  if (!m) return error(400, 'MALFORMED_QUERY', 'unexpected token: the emulator answers only SELECT fields FROM Organization|User [WHERE Id = \'…\'] [LIMIT n]');
  const [, fieldList = '', object = '', id, limit] = m;
  const rows = table(ctx, object);
  if (!rows) return notSupported(object);
  const canonical = CANONICAL[object.toLowerCase()]!;
  const known = new Map(Object.keys(rows[0] ?? {}).map((k) => [k.toLowerCase(), k]));
  const fields: string[] = [];
  for (const f of fieldList.split(',').map((s) => s.trim())) {
    const name = known.get(f.toLowerCase());
    if (name === undefined) return noSuchColumn(f, canonical);
    fields.push(name);
  }
  const matching = rows.filter((r) => id === undefined || sameId(r.Id, id)).slice(0, limit === undefined ? undefined : Number(limit));
  const records = matching.map((r) =>
    withAttributes(canonical, version, Object.fromEntries([['Id', r.Id ?? null], ...fields.map((f) => [f, r[f] ?? null])])),
  );
  // Salesforce lists only the fields asked for (plus attributes); Id rides along in attributes.url.
  for (const r of records) if (!fields.includes('Id')) delete r.Id;
  return { status: 200, body: { totalSize: records.length, done: true, records } };
}
