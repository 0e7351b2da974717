/**
 * The summary `sfoauth init` prints when it is done (stdout: it is the command's result), or its --json
 * form instead. Secrets only masked.
 */
import type { ChalkInstance } from 'chalk';
import { mask, type IO } from '../io.js';
import { nangoIntegrationOf } from '../export-format.js';
import type { InitResult } from '../../app/init.js';
import { orgJson, orgSummary } from '../../core/salesforce/org-kind.js';

/** init's result on stdout: the summary for people, or with --json only the JSON document. */
export function printInitResult(r: InitResult, io: IO, json: boolean): void {
  if (json) io.out(JSON.stringify(initJson(r), null, 2));
  else for (const line of renderInitSummary(r, io.outColor)) io.out(line);
}

export function renderInitSummary(r: InitResult, c: ChalkInstance): string[] {
  const p = r.profile;
  const sig = r.signatureVerified === undefined ? c.dim('not checked (no secret or no signature)') : c.green('verified');
  const lines = [
    '',
    `${c.green('✓')} ${c.bold(`Saved profile "${r.profileName}"`)} to ${r.configFile}`,
    `  User:          ${r.user.preferredUsername} (${p.userId})`,
    `  Org:           ${p.orgId}${r.org ? ` (${orgSummary(r.org)})` : ''}`,
    `  Instance URL:  ${p.instanceUrl}`,
    `  Scopes:        ${r.scopesGranted.join(' ') || '(none listed)'}`,
    ...(p.flow === 'web-server' ? [`  Signature:     ${sig}`] : [`  Flow:          ${p.flow}${p.flow === 'jwt-bearer' ? ` (key ${p.privateKeyFile})` : ''}`]),
    '',
    c.bold('For Nango:'),
    `  Integration:   ${nangoIntegrationOf(p)}`,
    `  Client ID:     ${p.clientId}`,
    ...(p.flow === 'jwt-bearer'
      ? [`  Username:      ${p.username}`, `  Private key:   paste the content of ${p.privateKeyFile} ${c.dim('(never printed by sfoauth)')}`]
      : [`  Client Secret: ${mask(p.clientSecret)}  ${c.dim('(sfoauth export --format nango --include-secrets)')}`]),
    ...(p.flow === 'web-server' ? [`  Scopes:        ${p.scopes.join(',')}`] : []),
  ];
  for (const w of r.warnings) lines.push('', `${c.yellow('!')} ${w}`);
  lines.push('', `Next: ${c.cyan(`sfoauth test${r.profileName === 'default' ? '' : ` --profile ${r.profileName}`}`)} proves it still works (in CI too).`);
  return lines;
}

export function initJson(r: InitResult): unknown {
  const p = r.profile;
  return {
    ok: true,
    profile: r.profileName,
    configFile: r.configFile,
    env: p.env,
    appType: p.appType,
    loginUrl: p.loginUrl,
    instanceUrl: p.instanceUrl,
    username: p.username,
    userId: p.userId,
    orgId: p.orgId,
    org: orgJson(r.org),
    scopesGranted: r.scopesGranted,
    signatureVerified: r.signatureVerified ?? null,
    nango: { integration: nangoIntegrationOf(p), clientId: p.clientId, scopes: p.scopes },
    warnings: r.warnings,
  };
}
