// GET /healthz (200 while the config is valid and the watcher runs, else 503) and GET /status (JSON per import).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthSource {
  healthy(): { ok: boolean; reason?: string };
  status(): unknown;
}

export type HealthServer = Awaited<ReturnType<typeof startHealthServer>>;

export async function startHealthServer(host: string, port: number, source: HealthSource) {
  const server = createServer((req, res) => answer(req, res, source));
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function answer(req: IncomingMessage, res: ServerResponse, source: HealthSource): void {
  const path = new URL(req.url ?? '/', 'http://health.invalid').pathname;
  try {
    const [status, body] = route(req.method, path, source);
    send(res, status, body);
  } catch {
    send(res, 500, { error: 'internal error' });
  }
}

function route(method: string | undefined, path: string, source: HealthSource): [number, unknown] {
  if (method !== 'GET' && method !== 'HEAD') return [405, { error: 'method not allowed' }];
  if (path === '/healthz') {
    const health = source.healthy();
    return health.ok ? [200, { ok: true }] : [503, { ok: false, reason: health.reason }];
  }
  if (path === '/status') return [200, source.status()];
  return [404, { error: 'not found', paths: ['/healthz', '/status'] }];
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  };
  res.writeHead(status, headers);
  res.end(res.req.method === 'HEAD' ? undefined : text);
}
