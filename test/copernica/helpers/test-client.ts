// Builds clients and servers on 127.0.0.1 for the client tests: instant sleeps, recorded waits and events, and one
// hook that closes them all.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCopernicaClient } from '../../../src/copernica/client.js';
import type { ClientEvent, ClientOptions, CopernicaClient } from '../../../src/copernica/types.js';
import { type Script, type ScriptedServer, startScriptedServer } from './scripted-server.js';

export interface TestClient {
  client: CopernicaClient;
  sleeps: number[];
  events: ClientEvent[];
}

const clients: CopernicaClient[] = [];
const servers: Array<() => Promise<void>> = [];

/** Closes every client, then every server, made here (call from an `after` hook). */
export async function closeTestResources(): Promise<void> {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(servers.splice(0).map((close) => close()));
}

/** A scripted server, closed by closeTestResources. */
export async function serve(script: Script): Promise<ScriptedServer> {
  const server = await startScriptedServer(script);
  servers.push(() => server.close());
  return server;
}

/** Starts a hand-written server on 127.0.0.1:0, closed by closeTestResources; returns its base URL. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export function createTestClient(baseUrl: string, overrides: Partial<ClientOptions> = {}): TestClient {
  const sleeps: number[] = [];
  const events: ClientEvent[] = [];
  const client = createCopernicaClient({
    baseUrl,
    apiVersion: 3,
    token: 'test-token-123',
    authUrl: `${baseUrl}/auth`,
    timeoutMs: 2000,
    retry: { attempts: 4, maxDelayMs: 30_000 },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    onEvent: (event) => events.push(event),
    ...overrides,
  });
  clients.push(client);
  return { client, sleeps, events };
}
