/**
 * Borrows an access token from the Salesforce CLI through its JSON output, never by reading its files
 * (docs/create.md §7): `sf org display --json` gives the instance URL and user; since sf hides secrets
 * there (2.1xx: "Secrets are now hidden from 'sf org display' command output"), the token itself comes
 * from `sf org auth show-access-token --json` when display did not show it. Bounded in time and output;
 * `sf` missing is a clear UsageError.
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

/** An access token as sf prints it when it does (no spaces, no brackets: not "[hidden] use …"). */
const TOKEN_SHAPE = /^[A-Za-z0-9!._~+/=-]{10,4000}$/;

/** The hint when sf failed in a way only its own output explains. */
const RUN_IT_YOURSELF = 'Run it yourself to see why, or use --access-token-stdin with --instance-url.';

function noUsableLogin(targetOrg: string, why: string): UsageError {
  return new UsageError(`The Salesforce CLI has no usable login for "${targetOrg}": ${why}`, {
    hint: `Log in with \`sf org login web --alias ${targetOrg}\`, or use --access-token-stdin with --instance-url.`,
  });
}

type SfAnswer = { status?: unknown; message?: unknown; result?: Record<string, unknown> };

function parseAnswer(stdout: string, command: string, targetOrg: string): SfAnswer & { result: Record<string, unknown> } {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    throw new UsageError(`\`sf ${command} --target-org ${targetOrg} --json\` did not print JSON.`, { hint: RUN_IT_YOURSELF });
  }
  const o = (doc ?? {}) as SfAnswer;
  if (o.status !== 0 || o.result === null || typeof o.result !== 'object') {
    const why = typeof o.message === 'string' ? escapeControls(o.message).slice(0, 300) : 'no result in its answer';
    throw noUsableLogin(targetOrg, why);
  }
  return o as SfAnswer & { result: Record<string, unknown> };
}

/**
 * Pure: the instance URL, username and, when sf showed it, the access token from `sf org display
 * --json`'s stdout; a UsageError saying why not.
 */
export function parseSfOrgDisplay(stdout: string, targetOrg: string): Omit<SfOrgToken, 'accessToken'> & { accessToken: string | undefined } {
  const r = parseAnswer(stdout, 'org display', targetOrg).result;
  if (typeof r.instanceUrl !== 'string' || !URL.canParse(r.instanceUrl)) {
    throw noUsableLogin(targetOrg, 'no instance URL in its answer');
  }
  return {
    accessToken: typeof r.accessToken === 'string' && TOKEN_SHAPE.test(r.accessToken) ? r.accessToken : undefined,
    instanceUrl: new URL(r.instanceUrl).origin,
    username: typeof r.username === 'string' ? r.username : undefined,
  };
}

/** Pure: the token from `sf org auth show-access-token --json`. */
export function parseSfShowAccessToken(stdout: string, targetOrg: string): string {
  const token = parseAnswer(stdout, 'org auth show-access-token', targetOrg).result.accessToken;
  if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) {
    throw new UsageError(`The Salesforce CLI has no access token for "${targetOrg}".`, { hint: `Log in again with \`sf org login web --alias ${targetOrg}\`, or use --access-token-stdin with --instance-url.` });
  }
  return token;
}

export async function sfOrgToken(targetOrg: string, opts: { timeoutMs?: number; signal?: AbortSignal; command?: string } = {}): Promise<SfOrgToken> {
  const shown = parseSfOrgDisplay(await runSf(['org', 'display', '--target-org', targetOrg, '--json'], targetOrg, opts), targetOrg);
  const accessToken = shown.accessToken ?? parseSfShowAccessToken(await runSf(['org', 'auth', 'show-access-token', '--target-org', targetOrg, '--json'], targetOrg, opts), targetOrg);
  return { ...shown, accessToken };
}

/** One `sf` command's stdout (stderr ignored: its warnings are not ours to show). */
function runSf(args: string[], targetOrg: string, opts: { timeoutMs?: number; signal?: AbortSignal; command?: string }): Promise<string> {
  const command = opts.command ?? 'sf';
  const what = `sf ${args.slice(0, args.indexOf('--target-org')).join(' ')}`;
  return new Promise<string>((resolve, reject) => {
    const child = spawn(command, args, {
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
      } else reject(new UsageError(`Could not run \`${what}\`: ${err.message}`));
    });
    child.on('close', (_code, signal) => {
      if (signal) reject(new UsageError(`\`${what} --target-org ${targetOrg}\` did not finish in time.`, { hint: RUN_IT_YOURSELF }));
      else resolve(out);
    });
  });
}
