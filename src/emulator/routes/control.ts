/**
 * /__emulator/… on the login host: lets a test drive an emulator running in another process (the
 * `sfoauth emulator` command) the way in-process tests use RunningEmulator. JSON in, JSON out; never
 * returns a secret the command did not already print.
 */
import { SfOAuthError, UsageError } from '../../errors.js';
import type { AppPatch, EmulatorApp } from '../apps.js';
import { isJsonRequest, jsonReply, type EmuRequest, type Reply } from '../http-util.js';

/** App settings minus the consumer secret. */
export function withoutSecret(app: EmulatorApp): Omit<EmulatorApp, 'clientSecret'> {
  const copy: Partial<EmulatorApp> = { ...app };
  delete copy.clientSecret;
  return copy as Omit<EmulatorApp, 'clientSecret'>;
}

export interface ControlOps {
  setFaults(values: Record<string, unknown>): unknown;
  updateApp(clientId: string, patch: AppPatch): EmulatorApp;
  revokeAll(): void;
  state(): unknown;
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Why a control request is refused, or undefined: only this machine's clients may drive the emulator
 * (docs/hostile-input.md "Emulator"). A web page can POST a form to 127.0.0.1 (its Origin header says
 * where it came from), and a DNS-rebound name reaches it with a foreign Host header.
 */
function foreignRequest(req: EmuRequest): string | undefined {
  const port = new URL(req.origin).port;
  const isOurs = (hostHeader: string) => {
    const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(hostHeader.toLowerCase());
    return m !== null && LOOPBACK_NAMES.has(m[1] ?? '') && (m[2] ?? '') === port;
  };
  const host = req.headers.host;
  if (host === undefined || !isOurs(host)) return 'Control routes answer only requests addressed to this emulator by its loopback host (Host header).';
  const origin = req.headers.origin;
  if (origin !== undefined) {
    const from = URL.canParse(origin) ? new URL(origin) : undefined;
    if (!from || !isOurs(from.host)) return 'Control routes refuse cross-origin requests (a web page cannot drive the emulator).';
  }
  if (req.headers['sec-fetch-site'] === 'cross-site') return 'Control routes refuse cross-site requests.';
  return undefined;
}

export function control(req: EmuRequest, ops: ControlOps): Reply {
  const path = req.url.pathname;
  const refused = foreignRequest(req);
  if (refused) return jsonReply(403, { error: 'forbidden', message: refused });
  try {
    if (path === '/__emulator/state' && req.method === 'GET') return jsonReply(200, ops.state());
    if (path === '/__emulator/revoke-all' && req.method === 'POST') {
      ops.revokeAll();
      return jsonReply(200, { revoked: true });
    }
    if (path === '/__emulator/faults' && req.method === 'POST') {
      const body = jsonObject(req);
      return jsonReply(200, { faults: ops.setFaults(body) });
    }
    const app = /^\/__emulator\/apps\/([^/]+)$/.exec(path);
    if (app?.[1] && req.method === 'POST') {
      const updated = ops.updateApp(decodePathPart(app[1]), jsonObject(req) as AppPatch);
      return jsonReply(200, { app: withoutSecret(updated) });
    }
    return jsonReply(404, { error: 'not_found', message: 'Control routes: GET /__emulator/state, POST /__emulator/faults, POST /__emulator/apps/<clientId>, POST /__emulator/revoke-all.' });
  } catch (err) {
    if (err instanceof SfOAuthError) {
      return jsonReply(400, { error: 'invalid_request', message: [err.message, err.hint].filter(Boolean).join(' ') });
    }
    throw err;
  }
}

/** A percent-encoded path segment; bad encoding (`%E0%A4%A`) is the client's mistake (400), not a 500. */
function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new UsageError('The client id in the path is not valid percent-encoding.');
  }
}

function jsonObject(req: EmuRequest): Record<string, unknown> {
  if (!isJsonRequest(req)) throw new UsageError('Send a JSON object with Content-Type: application/json.');
  let value: unknown;
  try {
    value = JSON.parse(req.body);
  } catch {
    throw new UsageError('The body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError('The body must be a JSON object.');
  return value as Record<string, unknown>;
}
