// v4: trades the access token for a JWT once, shares the in-flight fetch, and renews it shortly before `exp`.
import { createApiError } from './api-error.js';
import { type RetryContext, sendWithRetry } from './send-with-retry.js';

const RENEW_BEFORE_MS = 60_000;
const FALLBACK_LIFETIME_MS = 23 * 3600_000;

export function createJwtCache(ctx: RetryContext, authUrl: string, token: string) {
  let jwt: string | undefined;
  let renewAtMs = 0;
  let inflight: Promise<string> | undefined;

  async function fetchAndStore(): Promise<string> {
    const fresh = await fetchJwt(ctx, authUrl, token);
    const expMs = readExpiryMs(fresh);
    jwt = fresh;
    renewAtMs = expMs === undefined ? ctx.now() + FALLBACK_LIFETIME_MS : expMs - RENEW_BEFORE_MS;
    ctx.onEvent({ type: 'auth', expiresAtMs: expMs ?? renewAtMs });
    return fresh;
  }

  return {
    get(): Promise<string> {
      if (jwt !== undefined && ctx.now() < renewAtMs) return Promise.resolve(jwt);
      inflight ??= fetchAndStore().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    /** The current JWT, for redaction. */
    current: (): string | undefined => jwt,
    invalidate(): void {
      renewAtMs = 0;
    },
  };
}

/** POSTs the token to the auth URL as a form (`access_token=`); the answer is the JWT. */
async function fetchJwt(ctx: RetryContext, authUrl: string, token: string): Promise<string> {
  const response = await sendWithRetry(ctx, {
    method: 'POST',
    label: 'authenticate',
    authEndpoint: true,
    idempotent: true,
    mutating: false,
    build: async () => ({
      url: authUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ access_token: token }).toString(),
    }),
  });
  const jwt = parseJwtResponse(response.text);
  if (jwt === '')
    throw createApiError('E_API_AUTH', 'authenticate: no JWT in the response', { secrets: [token] });
  return jwt;
}

/** The `exp` claim (seconds) of a JWT's payload, in ms; undefined when absent or unreadable. */
function readExpiryMs(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** The auth endpoint answers with the bare JWT; tolerate quotes, whitespace or a {"token": ...} object. */
function parseJwtResponse(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('"')) return String(JSON.parse(trimmed));
  if (!trimmed.startsWith('{')) return trimmed;
  const parsed = JSON.parse(trimmed) as Record<string, unknown>;
  const value = parsed.token ?? parsed.access_token ?? parsed.jwt;
  return typeof value === 'string' ? value : '';
}
