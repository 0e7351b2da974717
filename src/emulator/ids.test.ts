import { describe, expect, it } from 'vitest';
import {
  newAccessToken, newAuthorizationCode, newClientId, newClientSecret, newPod, newRecordId, newRefreshToken, randomAlnum, toId18,
} from './ids.js';

describe('toId18', () => {
  // From a real token response quoted in docs/salesforce.md §4.2 (the §4.4 test-vector ids are made up and
  // do not carry valid suffixes), plus hand-worked cases for the bit order.
  it.each([
    ['00D5i00000CIhxb', '00D5i00000CIhxbEAD'],
    ['0055i000007pIKj', '0055i000007pIKjAAM'],
    ['000000000000000', '000000000000000AAA'],
    ['AAAAAAAAAAAAAAA', 'AAAAAAAAAAAAAAA555'],
    ['A0000B0000C0000', 'A0000B0000C0000BBB'],
    ['0000A0000A0000A', '0000A0000A0000AQQQ'],
  ])('%s → %s', (id15, id18) => {
    expect(toId18(id15)).toBe(id18);
  });

  it('refuses anything but 15 letters or digits', () => {
    expect(() => toId18('00D')).toThrow(TypeError);
    expect(() => toId18('00Dd0000000d45!')).toThrow(TypeError);
  });
});

describe('generated values look like Salesforce values', () => {
  it('record ids: 18 characters, prefix, checksum consistent', () => {
    const pod = newPod();
    const org = newRecordId('00D', pod);
    const user = newRecordId('005', pod);
    expect(org).toMatch(/^00D[A-Za-z0-9]{15}$/);
    expect(user).toMatch(/^005[A-Za-z0-9]{15}$/);
    expect(toId18(org.slice(0, 15))).toBe(org);
    expect(org.slice(3, 5)).toBe(user.slice(3, 5));
  });

  it('access tokens match the SFDX pattern and embed the 15-character org id', () => {
    const org = newRecordId('00D', newPod());
    const token = newAccessToken(org);
    expect(token).toMatch(/^(00D\w{12,15})![.\w]*$/);
    expect(token.startsWith(`${org.slice(0, 15)}!AR`)).toBe(true);
  });

  it('refresh tokens, codes, client ids and secrets', () => {
    expect(newRefreshToken()).toMatch(/^5Aep86[A-Za-z0-9._]+$/);
    const code = newAuthorizationCode();
    expect(code).toMatch(/^aPrx[A-Za-z0-9+/]+==$/);
    expect(encodeURIComponent(code)).toMatch(/%3D%3D$/);
    const clientId = newClientId();
    expect(clientId).toMatch(/^3MVG9[A-Za-z0-9._]{50,150}$/);
    expect(clientId).toHaveLength(85);
    expect(newClientSecret()).toMatch(/^[A-F0-9]{64}$/);
  });

  it('values differ each time', () => {
    expect(newClientId()).not.toBe(newClientId());
    expect(randomAlnum(20)).not.toBe(randomAlnum(20));
    expect(randomAlnum(300)).toMatch(/^[A-Za-z0-9]{300}$/);
  });
});
