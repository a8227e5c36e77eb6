// startEmulator: a Copernica-compatible REST API on node:http, with v3/v4 auth, faults and recorded requests.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { type ApiResponse, errorResponse, MESSAGES } from './api-response.js';
import { bearerOf, createJwt, isValidAccessToken, isValidJwt } from './auth.js';
import {
  type FaultControl,
  type FaultKind,
  Faults,
  type PlannedFault,
  renderLoadbalancerPage,
} from './faults.js';
import { ImportJobs } from './import-jobs.js';
import { parseBody, parseForm, readBody } from './request-body.js';
import { handleRoute } from './routes.js';
import { EmulatorStore } from './store.js';
import type { EmulatorSeed } from './types.js';
import { createDataView, type EmulatorDataView } from './view.js';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  token?: string;
  seed?: string | EmulatorSeed;
  dataFile?: string;
  importDelayMs?: number;
  failRate?: number;
  /** The faults `failRate` picks from (default: html-503, html-502, 429, drop-before-response). */
  failKinds?: FaultKind[];
  latencyMs?: number;
  rateLimitPerSecond?: number;
  retryAfterSeconds?: number;
  slowHeadersMs?: number;
  jwtLifetimeSeconds?: number;
  random?: () => number;
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
  faults: FaultControl;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const now = options.now ?? (() => new Date());
  const token = options.token ?? randomBytes(16).toString('hex');
  const store = new EmulatorStore({ seed: options.seed, dataFile: options.dataFile, now });
  const jobs = new ImportJobs(store, options.importDelayMs ?? 200);
  const faults = new Faults({
    failRate: options.failRate ?? 0,
    failKinds: options.failKinds ?? ['html-503', 'html-502', '429', 'drop-before-response'],
    random: options.random ?? Math.random,
    rateLimitPerSecond: options.rateLimitPerSecond ?? 0,
    retryAfterSeconds: options.retryAfterSeconds ?? 1,
    slowHeadersMs: options.slowHeadersMs ?? 2000,
    now: () => now().getTime(),
  });
  const requests: RecordedRequest[] = [];
  const state: ServerState = { store, jobs, faults, requests, token, options, now, url: '' };
  const server = createServer((req, res) => {
    void handleHttp(state, req, res).catch(() => res.destroy());
  });
  state.url = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  return {
    url: state.url,
    authUrl: `${state.url}/authenticate`,
    token,
    requests,
    faults,
    ...createDataView(store),
    close: () => closeServer(server, jobs),
  };
}

interface ServerState {
  store: EmulatorStore;
  jobs: ImportJobs;
  faults: Faults;
  requests: RecordedRequest[];
  token: string;
  options: EmulatorOptions;
  now: () => Date;
  url: string;
}

async function handleHttp(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { path, query } = splitTarget(req.url ?? '/');
  const record = recordOf(req.method ?? 'GET', path, query);
  state.requests.push(record);
  if (state.options.latencyMs) await delay(state.options.latencyMs);
  if (isChunked(req)) return refuseChunked(res, record);
  const fault = state.faults.pick(record.method, path);
  if (fault) record.fault = fault.kind;
  if (fault?.kind === 'drop-before-response') {
    drop(req, res, record);
    return;
  }
  const body = await readBody(req);
  record.bodySize = body.length;
  if (fault && isRefusal(fault.kind)) return send(res, record, renderFault(fault));
  if (fault?.kind === 'slow-headers') await delay(fault.delayMs);
  const response = answer(state, req, path, query, body, fault?.kind === 'import-error');
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

/** 502, 503 and 429 are refused before anything runs; a 504 runs the request and loses the answer. */
function isRefusal(kind: FaultKind): boolean {
  return kind === 'html-503' || kind === 'html-502' || kind === '429';
}

function answer(
  state: ServerState,
  req: IncomingMessage,
  path: string,
  query: URLSearchParams,
  body: Buffer,
  failImport = false,
) {
  const [version, ...segments] = path.split('/').filter(Boolean);
  const method = req.method ?? 'GET';
  if (version === 'authenticate' && segments.length === 0 && method === 'POST')
    return authenticate(state, body);
  if (version !== 'v3' && version !== 'v4') return errorResponse(MESSAGES.invalidMethod);
  const nowSeconds = Math.floor(state.now().getTime() / 1000);
  // v4 takes the Bearer JWT, or the token in the query as Copernica's own v4 examples send it.
  const authorized =
    isValidAccessToken(query.get('access_token'), state.token) ||
    (version === 'v4' && isValidJwt(bearerOf(req) ?? '', state.token, nowSeconds));
  if (!authorized) return errorResponse(MESSAGES.invalidToken);
  const parsed = method === 'POST' ? parseBody(body, req.headers['content-type']) : undefined;
  const ctx = { store: state.store, jobs: state.jobs, baseUrl: `${state.url}/${version}`, failImport };
  return handleRoute(ctx, { method, segments, query, body: parsed });
}

/** The form body `access_token=<token>` gets the JWT as text (JSON bodies accepted too). */
function authenticate(state: ServerState, body: Buffer): ApiResponse {
  const text = body.toString('utf8');
  const fields = text.trimStart().startsWith('{')
    ? (parseBody(body, 'application/json') ?? {})
    : parseForm(text);
  const given = typeof fields.access_token === 'string' ? fields.access_token : undefined;
  if (!isValidAccessToken(given, state.token)) return errorResponse(MESSAGES.invalidToken);
  const jwt = createJwt(
    state.token,
    Math.floor(state.now().getTime() / 1000),
    state.options.jwtLifetimeSeconds,
  );
  return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: jwt };
}

function renderFault(fault: PlannedFault): ApiResponse {
  if (fault.kind === '429') {
    const response = errorResponse('Too many requests', 429);
    response.headers['retry-after'] = String(fault.retryAfterSeconds);
    return response;
  }
  const status = fault.kind === 'html-502' ? 502 : fault.kind === 'html-504' ? 504 : 503;
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: renderLoadbalancerPage(status),
  };
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
  const mark = target.indexOf('?');
  const rawPath = mark < 0 ? target : target.slice(0, mark);
  const segments = rawPath.split('/').filter(Boolean).map(decodeSegment);
  return {
    path: `/${segments.join('/')}`,
    query: new URLSearchParams(mark < 0 ? '' : target.slice(mark + 1)),
  };
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

function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${shownHost}:${address.port}`);
    });
  });
}

function closeServer(server: Server, jobs: ImportJobs): Promise<void> {
  jobs.close();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
