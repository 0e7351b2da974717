/**
 * `sfoauth create`'s output on stdout: the dry-run package, the files written, and init's summary (or the
 * key with --no-verify); with --json only the JSON document.
 */
import type { CreateResult } from '../../app/create.js';
import type { IO } from '../io.js';
import { escapeControls } from '../../core/terminal-text.js';
import { shellQuote } from '../../core/shell-quote.js';
import { initJson, renderInitSummary } from './init.js';

export function renderCreate(r: CreateResult, io: IO, json: boolean): void {
  if (json) {
    io.out(JSON.stringify(createJson(r), null, 2));
    return;
  }
  // The result is the command's output: stdout (the deploy's progress went to stderr as it happened).
  const c = io.outColor;
  for (const path of r.written) io.out(`${c.green('✓')} Wrote ${escapeControls(path)}`);
  if (!r.deployed && r.files.length > 0) {
    io.out(`Dry run: nothing deployed. The package for "${escapeControls(r.spec.name)}":`);
    for (const f of r.files) {
      io.out(`\n── ${escapeControls(f.path)}`);
      io.out(escapeControls(f.content).trimEnd());
    }
  }
  if (!r.deployed && r.files.length === 0) io.out('Nothing deployed: only the files were written (deploy with --target-org, --access-token-stdin or --from-profile).');
  if (r.init) for (const line of renderInitSummary(r.init, c)) io.out(line);
  else if (r.deployed) {
    io.out(`${c.green('✓')} Created "${escapeControls(r.spec.name)}"; Consumer Key ${escapeControls(r.consumerKey ?? '')}. No profile saved (--no-verify).`);
    io.out(`  Log in later with: ${escapeControls(initCommandFor(r))}`);
  }
}

/**
 * The `sfoauth init` that saves a profile for an app created with --no-verify, for its flow: the web-server
 * and client-credentials flows take the secret (copied from the app, piped in), JWT bearer the key whose
 * certificate is on the app and the user the tokens are for. Real values are shell-quoted (a key path may
 * hold a space); the <placeholders> are for the person to replace, so they stay bare. Pure.
 */
function initCommandFor(r: Pick<CreateResult, 'flow' | 'consumerKey' | 'instanceUrl' | 'privateKeyFile'>): string {
  const arg = (value: string | undefined, placeholder: string) => (value === undefined ? placeholder : shellQuote(value));
  const key = `--client-id ${arg(r.consumerKey, '<key>')}`;
  const myDomain = arg(r.instanceUrl, 'https://<MyDomain>.my.salesforce.com');
  if (r.flow === 'client-credentials') return `printf %s "$SECRET" | sfoauth init --flow client-credentials --login-url ${myDomain} ${key} --client-secret-stdin`;
  if (r.flow === 'jwt-bearer') return `sfoauth init --flow jwt-bearer --login-url ${myDomain} ${key} --username <username> --private-key ${arg(r.privateKeyFile, '<key file>')}`;
  return `sfoauth init ${key} --client-secret-stdin`;
}

/** The JSON document of `sfoauth create --json`. */
function createJson(r: CreateResult): unknown {
  return {
    name: r.spec.name,
    dryRun: !r.deployed,
    files: r.files.map((f) => f.path),
    written: r.written,
    deployId: r.deployId ?? null,
    deployedBy: r.deployedBy ?? null,
    apiVersion: r.apiVersion ?? null,
    consumerKey: r.consumerKey ?? null,
    flow: r.flow,
    privateKeyFile: r.privateKeyFile ?? null,
    generatedKey: r.generatedKey ?? null,
    warnings: r.warnings,
    init: r.init ? initJson(r.init) : null,
  };
}
