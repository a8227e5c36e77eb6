// A fake Copernica on 127.0.0.1:0 that answers from a script of steps and records every request.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Step {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering (slow headers). */
  delayMs?: number;
  /** Read the whole request body, then drop the connection without answering. */
  drop?: boolean;
}

export interface RecordedRequest {
  method: string;
  url: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type Script = Step[] | ((request: RecordedRequest, index: number) => Step);

export interface ScriptedServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const UNSCRIPTED: Step = { status: 500, body: '{"error":{"message":"unscripted request"}}' };

export async function startScriptedServer(script: Script): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    void handle(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return; // the client gave up mid-body: nothing to record or answer
    }
    const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      path: parsed.pathname,
      query: parsed.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks),
    };
    const index = requests.push(recorded) - 1;
    const step = (typeof script === 'function' ? script(recorded, index) : script[index]) ?? UNSCRIPTED;
    if (step.drop) {
      req.socket.destroy();
      return;
    }
    const answer = (): void => {
      if (res.destroyed) return;
      res.writeHead(step.status ?? 200, { 'content-type': 'application/json', ...step.headers });
      res.end(step.body ?? '');
    };
    if (!step.delayMs) return answer();
    const timer = setTimeout(() => {
      timers.delete(timer);
      answer();
    }, step.delayMs);
    timers.add(timer);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A Copernica list page holding the whole list (the client asks for `total`). */
export function page(data: unknown[], extra: Record<string, unknown> = {}): Step {
  const body = { start: 0, limit: 1000, count: data.length, total: data.length, data, ...extra };
  return { status: 200, body: JSON.stringify(body) };
}

export interface PagingRules {
  /** The most items one page holds, whatever `limit` asked (Copernica's documented maximum is 1000). */
  cap?: number;
  /** Answer `total` when asked (as the docs say); false: never. */
  total?: boolean;
  /** What the page reports as its `limit`: the one applied (default) or the one asked. */
  reportLimit?: 'applied' | 'asked';
}

/** One page of `items` as the request's start, limit and total ask for it, within the rules. */
export function pageFor(items: unknown[], request: RecordedRequest, rules: PagingRules = {}): Step {
  const start = Number(request.query.get('start') ?? 0);
  const asked = Number(request.query.get('limit') ?? 100);
  const limit = Math.min(asked, rules.cap ?? 1000);
  const data = items.slice(start, start + limit);
  const body: Record<string, unknown> = {
    start,
    limit: rules.reportLimit === 'asked' ? asked : limit,
    count: data.length,
  };
  if (rules.total !== false && request.query.get('total') === 'true') body.total = items.length;
  body.data = data;
  return { status: 200, body: JSON.stringify(body) };
}

export const created = (id: string): Step => ({ status: 201, headers: { 'x-created': id } });
