/**
 * A deliberately hostile HTTP server on loopback (node:http): it answers every request with whatever
 * the test's handler writes (terminal escapes in error texts, endless bodies, stalls). Used by the
 * test/hostile suite (docs/hostile-input.md).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostileServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Requests seen so far, as "METHOD /path". */
  requests: string[];
  close(): Promise<void>;
}

export type HostileHandler = (req: IncomingMessage, res: ServerResponse) => void;

export async function startHostileServer(handler: HostileHandler): Promise<HostileServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.on('error', () => undefined);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Terminal sequences an attacker would send: retitle, clipboard write (OSC 52), cursor up + erase, a fake green tick, C1 CSI, bidi override. */
export const ESCAPES =
  '\x1b]0;owned\x07\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[1A\x1b[2K\x1b[32m✓ all good\x1b[0m\x9b2J\r\u202Eevil';

/** Any control character an outside text could carry (tab and newline allowed). */
export const CONTROL_CHAR = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/** JSON error answer in Salesforce's token-endpoint shape, carrying `text` in error_description. */
export function oauthError(res: ServerResponse, text: string, status = 400): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: 'invalid_grant', error_description: text }));
}

/** Streams `totalBytes` of `fill` without a content-length, as fast as the client reads. */
export function endlessBody(res: ServerResponse, totalBytes: number, contentType = 'application/json'): void {
  res.writeHead(400, { 'content-type': contentType });
  const chunk = Buffer.alloc(64 * 1024, 'a');
  let sent = 0;
  const pump = (): void => {
    while (sent < totalBytes) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  res.write('{"error":"invalid_grant","error_description":"');
  pump();
}
