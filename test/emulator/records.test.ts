/** The records real clients read after a login (sf, jsforce): sobjects/User|Organization and simple SOQL. */
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { startEmulator, type OrgType, type RunningEmulator } from '../../src/emulator/index.js';
import { get, login } from './helpers.js';

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** A REST answer: an object (record, query result) or an array (errors); tests read both shapes. */
type Body = Record<string, unknown> & Array<Record<string, unknown>>;

async function start(opts: Parameters<typeof startEmulator>[0] = {}): Promise<{ e: RunningEmulator; read: (path: string) => Promise<{ status: number; body: Body }> }> {
  const e = await startEmulator({ autoApprove: true, ...opts });
  emu = e;
  const t = await login(e);
  const read = async (path: string) => {
    const res = await get(`${e.instanceUrl}/services/data/v51.0${path}`, { authorization: `Bearer ${t.access_token}` });
    return { status: res.status, body: (await res.json()) as Body };
  };
  return { e, read };
}

const q = (soql: string) => `/query?q=${encodeURIComponent(soql)}`;

describe('records after a login', () => {
  it('sobjects/User/<id> has the Username (what sf reads); 15-character ids work too', async () => {
    const { e, read } = await start();
    const r = await read(`/sobjects/User/${e.user.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ attributes: { type: 'User', url: `/services/data/v51.0/sobjects/User/${e.user.id}` }, Id: e.user.id, Username: e.user.username, IsActive: true });
    expect((await read(`/sobjects/user/${e.user.id.slice(0, 15)}`)).body.Username).toBe(e.user.username);
  });

  it.each<[OrgType, string, boolean, string]>([
    ['production', 'Enterprise Edition', false, 'sfoauth-emulator'],
    ['developer', 'Developer Edition', false, 'sfoauth-emulator-dev-ed'],
    ['sandbox', 'Enterprise Edition', true, 'sfoauth-emulator--sandbox'],
    ['scratch', 'Developer Edition', true, 'sfoauth-emulator-scratch'],
  ])('org type %s: the Organization record says %s, IsSandbox %s; My Domain %s', async (orgType, edition, isSandbox, myDomain) => {
    const { e, read } = await start({ orgType });
    expect(e.org).toMatchObject({ type: orgType, sandbox: isSandbox, myDomain });
    const r = await read(`/sobjects/Organization/${e.org.id}`);
    expect(r.body).toMatchObject({ Id: e.org.id, OrganizationType: edition, IsSandbox: isSandbox, NamespacePrefix: null });
    expect(r.body.TrialExpirationDate === null).toBe(orgType !== 'scratch');
  });

  it("answers sf's Organization query (no WHERE) with only the fields asked for", async () => {
    const { e, read } = await start({ orgType: 'developer' });
    const r = await read(q('SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization'));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      totalSize: 1,
      done: true,
      records: [
        {
          attributes: { type: 'Organization', url: `/services/data/v51.0/sobjects/Organization/${e.org.id}` },
          Name: 'sfoauth emulator org',
          InstanceName: expect.any(String),
          IsSandbox: false,
          TrialExpirationDate: null,
          NamespacePrefix: null,
          OrganizationType: 'Developer Edition',
        },
      ],
    });
  });

  it('WHERE Id = picks the record; another id finds none; LIMIT bounds the rows', async () => {
    const { e, read } = await start();
    const user = await read(q(`select Id, Username from User where Id = '${e.user.id}'`));
    expect(user.body.records).toEqual([expect.objectContaining({ Id: e.user.id, Username: e.user.username })]);
    const none = await read(q(`SELECT Id FROM Organization WHERE Id = '00D000000000000AAA'`));
    expect(none.body).toEqual({ totalSize: 0, done: true, records: [] });
    expect((await read(q('SELECT Id FROM User LIMIT 0'))).body.totalSize).toBe(0);
  });

  it("answers anything else with Salesforce's REST errors", async () => {
    const { e, read } = await start();
    const scratchInfo = await read(q("SELECT Id FROM ScratchOrgInfo WHERE Id = '00D000000000000AAA'"));
    expect(scratchInfo.status).toBe(400);
    expect(scratchInfo.body[0]).toMatchObject({ errorCode: 'INVALID_TYPE', message: expect.stringContaining("sObject type 'ScratchOrgInfo' is not supported") });
    const field = await read(q('SELECT Foo FROM Organization'));
    expect(field.body[0]).toMatchObject({ errorCode: 'INVALID_FIELD', message: expect.stringContaining("No such column 'Foo' on entity 'Organization'") });
    for (const bad of ['DELETE FROM User', 'SELECT FROM User', "SELECT Id FROM User WHERE Name = 'x'", '']) {
      const r = await read(q(bad));
      expect(r.status, bad).toBe(400);
      expect(r.body[0]?.errorCode, bad).toBe('MALFORMED_QUERY');
    }
    for (const path of [`/sobjects/User/005000000000000AAA`, `/sobjects/Account/${e.user.id}`]) {
      const r = await read(path);
      expect(r.status, path).toBe(404);
      expect(r.body).toEqual([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
    }
  });

  it('the REST identity link and the identity URL point at the login host, which serves them', async () => {
    const { e, read } = await start();
    const links = await read('/');
    const idUrl = `${e.loginUrl}/id/${e.org.id}/${e.user.id}`;
    expect(links.body.identity).toBe(idUrl);
  });

  it('--sandbox is a synonym of orgType sandbox and cannot be combined with another type', async () => {
    await expect(startEmulator({ sandbox: true, orgType: 'developer' })).rejects.toThrow(UsageError);
    await expect(startEmulator({ orgType: 'staging' as OrgType })).rejects.toThrow(/Unknown org type/);
  });
});
