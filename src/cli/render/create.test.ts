import { describe, expect, it } from 'vitest';
import type { CreateResult } from '../../app/create.js';
import type { EcaSpec } from '../../core/salesforce/eca-metadata.js';
import { createTestIO } from '../../../test/support/test-io.js';
import { renderCreate } from './create.js';

/** A --no-verify result: deployed, no profile saved, so the output ends with the init command to run later. */
function deployedWithoutVerify(over: Partial<CreateResult>): CreateResult {
  return {
    spec: { name: 'Acme' } as EcaSpec,
    files: [],
    apiVersion: '62.0',
    written: [],
    deployed: true,
    deployId: '0Af000000000001',
    deployedBy: 'the access token from stdin',
    consumerKey: '3MVG9abc',
    init: undefined,
    flow: 'web-server',
    instanceUrl: 'https://acme.my.salesforce.com',
    privateKeyFile: undefined,
    generatedKey: undefined,
    warnings: [],
    ...over,
  };
}

function laterCommand(r: CreateResult): string {
  const t = createTestIO();
  renderCreate(r, t.io, false);
  return /Log in later with: (.*)\n/.exec(t.stdout())?.[1] ?? '';
}

describe('renderCreate --no-verify: the init command to log in later', () => {
  it('shell-quotes a key path with a space, so the command can be pasted as is', () => {
    const r = deployedWithoutVerify({ flow: 'jwt-bearer', privateKeyFile: '/home/me/My Keys/jwt.key' });
    expect(laterCommand(r)).toBe(
      "sfoauth init --flow jwt-bearer --login-url https://acme.my.salesforce.com --client-id 3MVG9abc --username <username> --private-key '/home/me/My Keys/jwt.key'",
    );
  });

  it('leaves plain values and the placeholders for unknown ones unquoted', () => {
    expect(laterCommand(deployedWithoutVerify({ flow: 'client-credentials' }))).toBe(
      'printf %s "$SECRET" | sfoauth init --flow client-credentials --login-url https://acme.my.salesforce.com --client-id 3MVG9abc --client-secret-stdin',
    );
    expect(laterCommand(deployedWithoutVerify({ flow: 'jwt-bearer', consumerKey: undefined, instanceUrl: undefined }))).toBe(
      'sfoauth init --flow jwt-bearer --login-url https://<MyDomain>.my.salesforce.com --client-id <key> --username <username> --private-key <key file>',
    );
  });
});
