/**
 * What init says after generating a JWT bearer key (docs/flows.md "The key and the certificate"): where
 * the certificate is, the Setup steps to upload it and pre-authorize the user, and either a question
 * (a person can upload it now and go on) or the command to run once it is uploaded.
 */
import type { InitOptions } from '../../../app/init-options.js';
import type { OnKeyGenerated } from '../../../app/init-server.js';
import type { InitDeps } from '../../../app/init.js';
import { shellQuote } from '../../../core/shell-quote.js';
import { renderSetupGuide } from '../../render-steps.js';

export function keyGeneratedPrompt(opts: InitOptions, deps: Pick<InitDeps, 'io' | 'prompter'>): OnKeyGenerated {
  return async ({ keyFile, certificateFile, guide }) => {
    const { io } = deps;
    const c = io.color;
    io.err(`${c.green('✓')} Generated a private key (mode 0600, never printed): ${keyFile}`);
    io.err(`${c.green('✓')} and its self-signed certificate, to upload to the app: ${c.bold(certificateFile)}`);
    io.err('');
    for (const line of renderSetupGuide(guide, c)) io.err(line);
    io.err('');
    // No is not a failure: the key stays, and the way back is the command below.
    if (opts.interactive && (await deps.prompter.confirm({ message: 'Uploaded the certificate and pre-authorized the user? Verify now', default: true }))) return true;
    const profile = opts.profile === 'default' ? '' : ` --profile ${shellQuote(opts.profile)}`;
    io.err('Nothing was saved yet. Once the certificate is on the app, run:');
    io.err(
      `  sfoauth init${profile} --flow jwt-bearer --env ${opts.env} --login-url ${shellQuote(opts.loginUrl)} --client-id ${shellQuote(opts.clientId)} ` +
        `--username ${shellQuote(opts.username ?? '<user>')} --private-key ${shellQuote(keyFile)}`,
    );
    return false;
  };
}
