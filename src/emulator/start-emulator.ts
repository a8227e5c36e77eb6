// startEmulator: a Copernica-compatible REST API on node:http, with v3/v4 auth, faults and recorded requests.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { setTimeout as delay } from 'node:timers/promises';
import { type FaultKind, type FaultSettings, Faults, isRefusal, renderFault } from './faults.js';
import { type ApiResponse, errorResponse } from './http-messages.js';
import { ImportJobs } from './import-jobs.js';
import { handleRequest, type RouteContext } from './routes.js';
import type { EmulatorSeed } from './seed.js';
import { EmulatorStore } from './store.js';
import { createDataView, type EmulatorDataView } from './view.js';

export interface EmulatorOptions extends FaultSettings {
  port?: number;
  host?: string;
  token?: string;
  seed?: string | EmulatorSeed;
  dataFile?: string;
  importDelayMs?: number;
  latencyMs?: number;
  now?: () => Date;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string without access_token. */
  query: string;
  /** 0 when the connection was dropped. */
  status: number;
  bodySize: number;
  fault?: FaultKind;
}

export interface Emulator extends EmulatorDataView {
  url: string;
  /** Where v4 clients get their JWT: `${url}/authenticate`. */
  authUrl: string;
  token: string;
  requests: RecordedRequest[];
  faults: Pick<Faults, 'next' | 'clear' | 'pending'>;
  close(): Promise<void>;
}

interface ServerState extends RouteContext {
  faults: Faults;
  requests: RecordedRequest[];
  options: EmulatorOptions;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const now = options.now ?? (() => new Date());
  const token = options.token ?? randomBytes(16).toString('hex');
  const store = new EmulatorStore(options.seed, options.dataFile, now);
  const jobs = new ImportJobs(store, options.importDelayMs ?? 200);
  const faults = new Faults(options, now);
  const state: ServerState = { store, jobs, faults, requests: [], token, options, url: '' };
  const server = createServer((req, res) => {
    void handleHttp(state, req, res).catch(() => res.destroy());
  });
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  state.url = `http://${shownHost}:${address.port}`;
  const close = async () => {
    jobs.close();
    server.close();
    server.closeAllConnections();
    await once(server, 'close');
  };
  const { url, requests } = state;
  return { url, authUrl: `${url}/authenticate`, token, requests, faults, ...createDataView(store), close };
}

async function handleHttp(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { path, query } = splitTarget(req.url ?? '/');
  const record = recordOf(req.method ?? 'GET', path, query);
  state.requests.push(record);
  if (state.options.latencyMs) await delay(state.options.latencyMs);
  if (isChunked(req)) return refuseChunked(res, record);
  const fault = state.faults.pick(record.method, path);
  if (fault) record.fault = fault.kind;
  if (fault?.kind === 'drop-before-response') return drop(req, res, record);
  const body = await buffer(req);
  record.bodySize = body.length;
  if (fault && isRefusal(fault.kind)) return send(res, record, renderFault(fault));
  if (fault?.kind === 'slow-headers') await delay(fault.delayMs);
  const failImport = fault?.kind === 'import-error';
  const request = { method: record.method, path, query, headers: req.headers, body, failImport };
  const response = handleRequest(state, request);
  if (fault?.kind === 'drop-after-body') return drop(req, res, record);
  send(res, record, fault?.kind === 'html-504' ? renderFault(fault) : response);
}

/** A body without a Content-Length: sent with chunked transfer encoding. */
function isChunked(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined && req.headers['content-length'] === undefined;
}

/**
 * 411 Length Required, as strict front ends answer a chunked body (Copernica's own client always sends a
 * length), at once and without reading the body; the connection closes after the answer.
 */
function refuseChunked(res: ServerResponse, record: RecordedRequest): void {
  const response = errorResponse('Length Required', 411);
  send(res, record, { ...response, headers: { ...response.headers, connection: 'close' } });
}

function send(res: ServerResponse, record: RecordedRequest, response: ApiResponse): void {
  record.status = response.status;
  res.writeHead(response.status, { ...response.headers, 'content-length': Buffer.byteLength(response.body) });
  res.end(response.body);
}

function drop(req: IncomingMessage, res: ServerResponse, record: RecordedRequest): void {
  record.status = 0;
  req.socket.destroy();
  res.destroy();
}

/** Not new URL(): a target like `//v3/x` would be read as a host. Extra slashes are dropped. */
function splitTarget(target: string): { path: string; query: URLSearchParams } {
  const [rawPath = '', ...rest] = target.split('?');
  const segments = rawPath.split('/').filter(Boolean).map(decodeSegment);
  return { path: `/${segments.join('/')}`, query: new URLSearchParams(rest.join('?')) };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function recordOf(method: string, path: string, query: URLSearchParams): RecordedRequest {
  const safe = new URLSearchParams(query);
  safe.delete('access_token');
  return { method, path, query: safe.toString(), status: 0, bodySize: 0 };
}
