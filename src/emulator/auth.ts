// v3 checks `?access_token=`; v4 checks a Bearer JWT that POST /authenticate issued for the token.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type ApiResponse, errorResponse, MESSAGES, parseBody, textResponse } from './http-messages.js';

const JWT_LIFETIME_SECONDS = 24 * 60 * 60;

export function isValidAccessToken(given: unknown, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The form body `access_token=<token>` gets the JWT as text (JSON bodies accepted too). */
export function authenticate(body: Buffer, token: string, now: Date): ApiResponse {
  const json = body.toString('utf8').trimStart().startsWith('{');
  const fields = parseBody(body, json ? 'application/json' : 'application/x-www-form-urlencoded') ?? {};
  if (!isValidAccessToken(fields.access_token, token)) return errorResponse(MESSAGES.invalidToken);
  return textResponse(createJwt(token, seconds(now)), 'text/plain');
}

/** header.payload.signature, HMAC-signed with the access token so it survives an emulator restart. */
export function createJwt(token: string, nowSeconds: number): string {
  const header = encode({ alg: 'HS256', typ: 'JWT' });
  const exp = nowSeconds + JWT_LIFETIME_SECONDS;
  const payload = encode({ iss: 'copernica-sync-emulator', iat: nowSeconds, exp });
  return `${header}.${payload}.${sign(`${header}.${payload}`, token)}`;
}

/** `Bearer <jwt>`, with a JWT this token signed that has not expired. */
export function isValidBearer(authorization: string | undefined, token: string, now: Date): boolean {
  const jwt = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  const [header, payload, signature, extra] = jwt?.split('.') ?? [];
  if (!header || !payload || !signature || extra !== undefined) return false;
  if (!isValidAccessToken(signature, sign(`${header}.${payload}`, token))) return false;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' && claims.exp > seconds(now);
  } catch {
    return false;
  }
}

function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function sign(input: string, token: string): string {
  return createHmac('sha256', token).update(input).digest('base64url');
}
