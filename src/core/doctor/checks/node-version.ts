/** Machine: the running Node.js is one sfoauth supports (package.json "engines": >=20.19). */
import { fail, pass, type CheckOutcome } from '../../checks/check.js';
import type { DoctorCheck, DoctorContext } from '../context.js';

/** The oldest Node.js sfoauth runs on (package.json "engines"). */
export const MIN_NODE = { major: 20, minor: 19 } as const;

export function nodeVersionOutcome(version: string): CheckOutcome {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return fail(`could not read the Node.js version "${version}"`, `install Node.js ${MIN_NODE.major}.${MIN_NODE.minor} or later (https://nodejs.org)`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const supported = major > MIN_NODE.major || (major === MIN_NODE.major && minor >= MIN_NODE.minor);
  if (!supported) {
    return fail(
      `Node.js ${version} is too old; sfoauth needs ${MIN_NODE.major}.${MIN_NODE.minor} or later`,
      `install a current Node.js LTS (https://nodejs.org, or \`nvm install --lts\`) and run sfoauth with it`,
    );
  }
  return pass(`Node.js ${version}`);
}

export const nodeVersionCheck: DoctorCheck = {
  id: 'node-version',
  group: 'machine',
  title: 'Node.js version',
  async run(ctx: DoctorContext) {
    return nodeVersionOutcome(ctx.nodeVersion);
  },
};
