/**
 * Borrows an access token from the Salesforce CLI through its JSON output (`sf org display --json`),
 * never by reading its files (docs/create.md §7). Bounded in time and output; `sf` missing is a clear
 * UsageError.
 */
import { spawn } from 'node:child_process';
import { UsageError } from '../errors.js';
import { escapeControls } from '../core/terminal-text.js';

const MAX_OUTPUT = 1024 * 1024;

export interface SfOrgToken {
  instanceUrl: string;
  accessToken: string;
  username: string | undefined;
}

/** Pure: the token and instance from `sf org display --json`'s stdout, or a UsageError saying why not. */
export function parseSfOrgDisplay(stdout: string, targetOrg: string): SfOrgToken {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    throw new UsageError(`\`sf org display --target-org ${targetOrg} --json\` did not print JSON.`, { hint: 'Run it yourself to see why, or use --access-token-stdin with --instance-url.' });
  }
  const o = (doc ?? {}) as { status?: unknown; message?: unknown; result?: { accessToken?: unknown; instanceUrl?: unknown; username?: unknown } };
  const r = o.result;
  if (o.status !== 0 || typeof r?.accessToken !== 'string' || typeof r.instanceUrl !== 'string') {
    const why = typeof o.message === 'string' ? escapeControls(o.message).slice(0, 300) : 'no access token in its answer';
    throw new UsageError(`The Salesforce CLI has no usable login for "${targetOrg}": ${why}`, {
      hint: `Log in with \`sf org login web --alias ${targetOrg}\`, or use --access-token-stdin with --instance-url.`,
    });
  }
  return { accessToken: r.accessToken, instanceUrl: r.instanceUrl, username: typeof r.username === 'string' ? r.username : undefined };
}

export async function sfOrgToken(targetOrg: string, opts: { timeoutMs?: number; signal?: AbortSignal; command?: string } = {}): Promise<SfOrgToken> {
  const command = opts.command ?? 'sf';
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn(command, ['org', 'display', '--target-org', targetOrg, '--json'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: opts.timeoutMs ?? 60_000,
      ...(opts.signal ? { signal: opts.signal } : {}),
      env: { ...process.env, SF_JSON_TO_STDOUT: 'true', NO_COLOR: '1' },
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      if (out.length > MAX_OUTPUT) child.kill();
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') {
        reject(new UsageError('--target-org needs the Salesforce CLI (`sf`), and it is not on the PATH.', {
          hint: 'Install it (https://developer.salesforce.com/tools/salesforcecli), or use --access-token-stdin with --instance-url, or --from-profile.',
        }));
      } else reject(new UsageError(`Could not run \`${command} org display\`: ${err.message}`));
    });
    child.on('close', (_code, signal) => {
      if (signal) reject(new UsageError(`\`sf org display --target-org ${targetOrg}\` did not finish in time.`, { hint: 'Run it yourself to see why, or use --access-token-stdin with --instance-url.' }));
      else resolve(out);
    });
  });
  return parseSfOrgDisplay(stdout, targetOrg);
}
