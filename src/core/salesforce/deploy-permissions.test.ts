import { describe, expect, it } from 'vitest';
import { DeployPermissionError, permissionGaps, permissionQuery } from './deploy-permissions.js';

const all = { PermissionsModifyAllData: true, PermissionsModifyMetadata: true, PermissionsCustomizeApplication: true };

describe('permissionGaps', () => {
  it('an administrator has none; Modify Metadata alone with Customize Application is enough', () => {
    expect(permissionGaps(all)).toEqual([]);
    expect(permissionGaps({ ...all, PermissionsModifyAllData: false })).toEqual([]);
  });

  it('neither Modify All Data nor Modify Metadata refuses, naming the permission and where to assign it', () => {
    const gaps = permissionGaps({ PermissionsModifyAllData: false, PermissionsModifyMetadata: false, PermissionsCustomizeApplication: true });
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ blocking: true, permission: 'Modify Metadata Through Metadata API Functions (or Modify All Data)' });
    expect(gaps[0]!.fix).toContain('Permission Set Assignments');
  });

  it('no Customize Application is a warning only (that the deploy needs it is unconfirmed); Modify All Data covers it', () => {
    const gaps = permissionGaps({ PermissionsModifyAllData: false, PermissionsModifyMetadata: true, PermissionsCustomizeApplication: false });
    expect(gaps.map((g) => [g.permission, g.blocking])).toEqual([['Customize Application', false]]);
    expect(permissionGaps({ ...all, PermissionsCustomizeApplication: false })).toEqual([]);
  });
});

describe('permissionQuery', () => {
  it('puts only a user id into the SOQL', () => {
    expect(permissionQuery('005000000000001AAA')).toContain("AssigneeId = '005000000000001AAA'");
    expect(() => permissionQuery("005' OR Id != '")).toThrow(RangeError);
    expect(() => permissionQuery('00D000000000001AAA')).toThrow(RangeError);
  });
});

it('DeployPermissionError: exit 1, one line per gap and one fix per gap', () => {
  const err = new DeployPermissionError('the access token from stdin', permissionGaps({ PermissionsModifyAllData: false, PermissionsModifyMetadata: false, PermissionsCustomizeApplication: false }).filter((g) => g.blocking));
  expect(err.exitCode).toBe(1);
  expect(err.message).toMatch(/^the access token from stdin may not deploy the app/);
  expect(err.hint).toMatch(/^Assign a permission set with "Modify Metadata Through Metadata API Functions"/);
});
