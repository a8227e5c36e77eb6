// v4: trades the access token for a JWT at the auth URL (form body `access_token=`); the body is the JWT.
import { createApiError } from './api-error.js';
import { parseJwtResponse } from './jwt-cache.js';
import { type RetryContext, sendWithRetry } from './send-with-retry.js';

export async function fetchJwt(ctx: RetryContext, authUrl: string, token: string): Promise<string> {
  const response = await sendWithRetry(ctx, {
    method: 'POST',
    label: 'authenticate',
    authEndpoint: true,
    idempotent: true,
    mutating: false,
    build: async () => ({
      method: 'POST',
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
