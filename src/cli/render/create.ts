/** `sfoauth create`'s output: the dry-run package, the files written, and init's summary (or the key with --no-verify). */
import type { CreateResult } from '../../app/create.js';
import type { IO } from '../io.js';
import { escapeControls } from '../../core/terminal-text.js';
import { initJson, renderInitSummary } from './init.js';

export function renderCreate(r: CreateResult, io: IO, json: boolean): void {
  const c = io.color;
  for (const path of r.written) io.err(`${c.green('✓')} Wrote ${escapeControls(path)}`);
  if (!r.deployed && r.files.length > 0) {
    io.err(`Dry run: nothing deployed. The package for "${escapeControls(r.spec.name)}":`);
    for (const f of r.files) {
      io.err(`\n── ${escapeControls(f.path)}`);
      io.err(escapeControls(f.content).trimEnd());
    }
  }
  if (!r.deployed && r.files.length === 0) io.err('Nothing deployed: only the files were written (deploy with --target-org, --access-token-stdin or --from-profile).');
  if (r.init) for (const line of renderInitSummary(r.init, io)) io.err(line);
  else if (r.deployed) {
    io.err(`${c.green('✓')} Created "${escapeControls(r.spec.name)}"; Consumer Key ${escapeControls(r.consumerKey ?? '')}. No profile saved (--no-verify).`);
    io.err(`  Log in later with: sfoauth init --client-id ${escapeControls(r.consumerKey ?? '<key>')} --client-secret-stdin`);
  }
  if (json) {
    io.out(
      JSON.stringify(
        {
          name: r.spec.name,
          dryRun: !r.deployed,
          files: r.files.map((f) => f.path),
          written: r.written,
          deployId: r.deployId ?? null,
          deployedBy: r.deployedBy ?? null,
          apiVersion: r.apiVersion ?? null,
          consumerKey: r.consumerKey ?? null,
          init: r.init ? initJson(r.init) : null,
        },
        null,
        2,
      ),
    );
  }
}
