import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { resolveEcaSpec } from '../core/salesforce/eca-metadata.js';
import { requireApiVersion, sourceFormatFiles } from './create.js';

describe('requireApiVersion (the org\'s newest API version, checked before a deploy)', () => {
  it.each([
    ['66.0', '66.0'],
    ['59.0', '59.0'],
  ])('%s is enough', (v, want) => expect(requireApiVersion(v)).toBe(want));
  it.each([['58.0'], [undefined], ['junk']])('%s is too old or unknown: a UsageError with a fix', (v) => {
    expect(() => requireApiVersion(v)).toThrow(UsageError);
    expect(() => requireApiVersion(v)).toThrow(/59\.0/);
  });
});

describe('sourceFormatFiles (--output-dir)', () => {
  const spec = resolveEcaSpec({ name: 'Src_App', contactEmail: 'dev@example.com', refreshPolicy: { kind: 'immediately' } });
  it('writes the header, OAuth settings and policies as -meta.xml, no package.xml, no global settings by default', () => {
    expect(sourceFormatFiles(spec, false).map((f) => f.path)).toEqual([
      'externalClientApps/Src_App.eca-meta.xml',
      'extlClntAppOauthSettings/Src_App_oauth.ecaOauth-meta.xml',
      'extlClntAppOauthPolicies/Src_App_plcy.ecaOauthPlcy-meta.xml',
    ]);
  });
  it('adds the global settings only when asked, without a key or secret', () => {
    const files = sourceFormatFiles(spec, true);
    const glbl = files.find((f) => f.path === 'extlClntAppGlobalOauthSets/Src_App_glbl.ecaGlblOauth-meta.xml');
    expect(glbl?.content).toContain('<isPkceRequired>true</isPkceRequired>');
    expect(glbl?.content).not.toMatch(/consumerKey|consumerSecret/);
  });
});
