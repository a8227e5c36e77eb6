// Builds a client against a scripted server with instant sleeps, recording the waits and events.
import { createCopernicaClient } from '../../../src/copernica/client.js';
import type { ClientEvent, ClientOptions, CopernicaClient } from '../../../src/copernica/types.js';

export interface TestClient {
  client: CopernicaClient;
  sleeps: number[];
  events: ClientEvent[];
}

const open: CopernicaClient[] = [];

/** Closes every client made by createTestClient (call from an `after` hook). */
export async function closeTestClients(): Promise<void> {
  await Promise.all(open.splice(0).map((client) => client.close()));
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
  open.push(client);
  return { client, sleeps, events };
}
