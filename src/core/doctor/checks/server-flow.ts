/**
 * Profile: what the server-to-server flows need before any request (docs/flows.md). Client credentials:
 * the login URL is the org's My Domain (Salesforce refuses the grant on login/test.salesforce.com). JWT
 * bearer: the key file is readable and 0600, an RSA key of 2048 bits or more, the certificate next to it
 * belongs to it and has not expired, and the `aud` fits the login host's environment. The web-server
 * flow has none of this.
 */
import { SfOAuthError } from '../../../errors.js';
import { EXIT } from '../../../exit-codes.js';
import { fail, pass, skip, warn } from '../../checks/check.js';
import type { JwtBearerProfile } from '../../config/profile.js';
import { clientCredentialsHostProblem, MY_DOMAIN_HINT } from '../../credentials/server-token.js';
import { jwtAudienceFor, rsaPrivateKey } from '../../oauth/jwt-assertion.js';
import { hostOf } from '../../http/url.js';
import { initCommand } from '../../salesforce/explain-failure.js';
import { defaultLoginUrl } from '../../salesforce/hosts.js';
import { requireDoctorProfile, type DoctorCheck, type DoctorContext } from '../context.js';

/** A certificate this close to its end gets a warning: uploading a new one takes a change in Setup. */
const RENEW_WITHIN_DAYS = 30;

export const serverFlowCheck: DoctorCheck = {
  id: 'server-flow',
  group: 'profile',
  title: 'Server-to-server credentials',
  needs: ['profile'],
  async run(ctx) {
    const profile = requireDoctorProfile(ctx);
    if (profile.flow === 'web-server') return skip('web-server flow: no My Domain rule, key or certificate to check');
    if (profile.flow === 'client-credentials') {
      const problem = clientCredentialsHostProblem(profile.loginUrl);
      if (problem) return fail(problem, MY_DOMAIN_HINT, { exitCode: EXIT.USAGE });
      return pass(`client credentials go to ${hostOf(profile.loginUrl)} (not login/test.salesforce.com)`);
    }
    return jwtBearer(ctx, profile);
  },
};

function jwtBearer(ctx: DoctorContext, profile: JwtBearerProfile) {
  const found: string[] = [];
  const fixKey = ctx.source === 'env' ? 'fix SFOAUTH_PRIVATE_KEY / SFOAUTH_PRIVATE_KEY_FILE' : `run ${initCommand(ctx.profileName, '--flow jwt-bearer --private-key <file>')}`;
  let keyPem = ctx.privateKeyPem;
  if (keyPem === undefined) {
    if (!ctx.keyFiles) return skip('the key file is not read here');
    let file;
    try {
      file = ctx.keyFiles.readPemFile(profile.privateKeyFile);
    } catch (err) {
      if (err instanceof SfOAuthError) return fail(err.message, err.hint ?? fixKey, { exitCode: EXIT.USAGE });
      throw err;
    }
    if (file.tooOpen) {
      return fail(`${profile.privateKeyFile} can be read by other users (mode ${file.mode.toString(8).padStart(4, '0')})`, `chmod 600 ${profile.privateKeyFile}`, { exitCode: EXIT.USAGE });
    }
    keyPem = file.text;
    found.push(`key ${profile.privateKeyFile} (0600)`);
  } else {
    found.push('key from SFOAUTH_PRIVATE_KEY');
  }
  try {
    rsaPrivateKey(keyPem);
  } catch (err) {
    if (err instanceof SfOAuthError) return fail(err.message, err.hint ?? fixKey, { exitCode: EXIT.USAGE });
    throw err;
  }

  const expected = jwtAudienceFor(profile.loginUrl) ?? defaultLoginUrl(profile.env);
  if (profile.audience !== expected) {
    return fail(
      `the JWT aud is ${profile.audience}, but ${hostOf(profile.loginUrl)} (${profile.env}) expects ${expected}: Salesforce answers "audience is invalid"`,
      `run ${initCommand(ctx.profileName, '--flow jwt-bearer')} with the right --env / --login-url`,
    );
  }
  found.push(`aud ${expected}`);

  if (profile.certificateFile && ctx.keyFiles) {
    let certPem;
    try {
      certPem = ctx.keyFiles.readPemFile(profile.certificateFile).text;
    } catch (err) {
      if (err instanceof SfOAuthError) return warn(`${err.message} (the certificate on the app cannot be compared with the key)`, 'keep the certificate next to the key');
      throw err;
    }
    if (!ctx.keyFiles.keyMatchesCertificate(keyPem, certPem)) {
      return fail(`${profile.certificateFile} does not belong to the private key: the app would refuse every assertion`, 'upload the certificate of this key to the app (Enable JWT Bearer Flow / Use digital signatures)');
    }
    const info = ctx.keyFiles.certificateInfo(certPem, ctx.clock.now());
    if (info.expired) {
      return fail(`the certificate expired on ${info.notAfter.toISOString().slice(0, 10)}`, 'generate a new key and certificate (`sfoauth init --flow jwt-bearer` without --private-key) and upload it to the app');
    }
    found.push(`certificate matches, expires ${info.notAfter.toISOString().slice(0, 10)} (SHA-256 ${info.fingerprint256.slice(0, 11)}…)`);
    if (info.daysLeft < RENEW_WITHIN_DAYS) return warn(`${found.join('; ')}: ${info.daysLeft} days left`, 'generate and upload a new certificate before it expires');
  }
  return pass(found.join('; '));
}
