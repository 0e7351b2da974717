/**
 * Turns node:http requests into EmuRequests, picks the route, applies the `serverError` and `slowMs`
 * faults, and writes the Reply. Which listener received the request decides the host's role.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { EmulatorContext } from './context.js';
import { htmlReply, textReply, type EmuRequest, type HostRole, type Reply } from './http-util.js';
import { landingPage, notFoundPage, serverErrorPage } from './pages.js';
import { authorize } from './routes/authorize.js';
import { control, type ControlOps } from './routes/control.js';
import { discovery, jwks } from './routes/discovery.js';
import { identity, userinfo } from './routes/identity.js';
import { introspect } from './routes/introspect.js';
import { rest, servesVersion } from './routes/rest.js';
import { metadataSoap } from './routes/metadata-soap.js';
import { revoke } from './routes/revoke.js';
import { token } from './routes/token.js';

const MAX_BODY_BYTES = 1024 * 1024;
const TOKEN_PATH = '/services/oauth2/token';

/** Delays that close() can cut short, so a stopped emulator leaves no timers behind. */
export interface Delays {
  wait(ms: number): Promise<void>;
  cancelAll(): void;
}

export function createDelays(): Delays {
  const pending = new Map<NodeJS.Timeout, () => void>();
  return {
    wait: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(timer);
          resolve();
        }, ms);
        pending.set(timer, resolve);
      }),
    cancelAll: () => {
      for (const [timer, resolve] of pending) {
        clearTimeout(timer);
        resolve();
      }
      pending.clear();
    },
  };
}

export function createListener(
  ctx: EmulatorContext,
  role: HostRole,
  origin: () => string,
  ops: ControlOps,
  delays: Delays,
): RequestListener {
  return (req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain;charset=UTF-8' });
      res.end('sfoauth emulator: internal error');
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const body = raw?.toString('utf8');
    // A request target the URL parser refuses (`//[`) is the client's mistake: 400, not a 500.
    const target = req.url ?? '/';
    if (!URL.canParse(target, origin())) {
      res.writeHead(400, { 'content-type': 'text/plain;charset=UTF-8' });
      res.end('Bad request target');
      return;
    }
    const url = new URL(target, origin());
    const isControl = url.pathname.startsWith('/__emulator/');
    const reply: Reply =
      body === undefined
        ? textReply(413, 'Request body too large')
        : await route({ method: req.method ?? 'GET', url, headers: req.headers, body, rawBody: raw, role, origin: origin() }, isControl);
    // Control routes are never slowed, so a test can always switch the fault off again.
    if (!isControl && ctx.faults.slowMs > 0) await delays.wait(ctx.faults.slowMs);
    if (res.destroyed) return;
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  }

  async function route(req: EmuRequest, isControl: boolean): Promise<Reply> {
    const path = req.url.pathname;
    if (isControl) return role === 'login' ? control(req, ops) : htmlReply(404, notFoundPage());
    if ((path === TOKEN_PATH || path.startsWith('/services/data')) && ctx.faults.serverError > 0) {
      ctx.faults.serverError--;
      return htmlReply(500, serverErrorPage());
    }
    switch (path) {
      case '/services/oauth2/authorize':
        return authorize(req, ctx);
      case TOKEN_PATH:
        return token(req, ctx);
      case '/services/oauth2/revoke':
        return revoke(req, ctx);
      case '/services/oauth2/introspect':
        return introspect(req, ctx);
      case '/services/oauth2/userinfo':
        return userinfo(req, ctx);
      case '/.well-known/openid-configuration':
        return discovery(req);
      case '/id/keys':
        return jwks(ctx);
      case '/':
        return htmlReply(200, landingPage({ role, loginUrl: ctx.loginUrl, instanceUrl: ctx.instanceUrl, sandbox: ctx.org.sandbox }));
    }
    if (path === '/services/data' || path.startsWith('/services/data/')) return rest(req, ctx);
    // The Metadata API's SOAP endpoint, on the org's host, for the versions the org serves.
    const soap = role === 'instance' ? /^\/services\/Soap\/m\/(\d{2})\.0$/.exec(path) : null;
    if (soap?.[1] && servesVersion(ctx, Number(soap[1]))) return metadataSoap(req, ctx, Number(soap[1]));
    const id = /^\/id\/([A-Za-z0-9]+)\/([A-Za-z0-9]+)\/?$/.exec(path);
    if (id?.[1] && id[2]) return identity(req, ctx, id[1], id[2]);
    return htmlReply(404, notFoundPage());
  }
}

/** The body's bytes, or undefined when it is larger than MAX_BODY_BYTES (a deploy zip of an app is a few KB). */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooBig = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooBig ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
