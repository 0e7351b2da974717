/**
 * The records clients read right after a login (docs/interop.md "The emulator for these clients"):
 * `sobjects/User/<id>`, `sobjects/Organization/<id>`, and SOQL `query` for the simple shapes they send,
 * `SELECT f, … FROM Organization|User [WHERE Id = '…'] [LIMIT n]`. Anything else gets Salesforce's
 * errors: MALFORMED_QUERY for a statement outside that grammar, INVALID_TYPE for another object,
 * INVALID_FIELD for an unknown field, NOT_FOUND for an unknown record.
 */
import type { EmulatorContext } from '../context.js';
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

/** `GET query?q=…`: a SOQL statement of the simple shapes above. */
export function soqlQuery(ctx: EmulatorContext, version: string, q: string | null): RecordsReply {
  if (q === null || q.trim() === '') return error(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  const m = QUERY.exec(q);
  if (!m) return error(400, 'MALFORMED_QUERY', 'unexpected token: the emulator answers only SELECT fields FROM Organization|User [WHERE Id = \'…\'] [LIMIT n]');
  const [, fieldList = '', object = '', id, limit] = m;
  const rows = table(ctx, object);
  if (!rows) {
    return error(
      400,
      'INVALID_TYPE',
      `sObject type '${object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const canonical = CANONICAL[object.toLowerCase()]!;
  const known = new Map(Object.keys(rows[0] ?? {}).map((k) => [k.toLowerCase(), k]));
  const fields: string[] = [];
  for (const f of fieldList.split(',').map((s) => s.trim())) {
    const name = known.get(f.toLowerCase());
    if (name === undefined) {
      return error(
        400,
        'INVALID_FIELD',
        `No such column '${f}' on entity '${canonical}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
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
