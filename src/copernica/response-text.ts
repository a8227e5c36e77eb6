// Turns an error response body into one short line: Copernica's error.message, or an excerpt of the HTML.
import type { HttpResponse } from './http-attempt.js';

const EXCERPT_CHARS = 160;

export function extractErrorMessage(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const fromJson = readJsonErrorMessage(trimmed);
  if (fromJson !== undefined) return fromJson;
  const plain = trimmed
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (plain === '') return undefined;
  return plain.length > EXCERPT_CHARS ? `${plain.slice(0, EXCERPT_CHARS)}…` : plain;
}

/** `{"error":{"message":...}}`, `{"error":"..."}` or `{"message":...}`: the first that is a string. */
function readJsonErrorMessage(text: string): string | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown }; message?: unknown };
    return [parsed.error, parsed.error?.message, parsed.message].find(
      (value): value is string => typeof value === 'string',
    );
  } catch {
    return undefined;
  }
}

export function headerValue(headers: HttpResponse['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The new import's ID: the X-Created header, else the end of X-location, else an ID in the body. */
export function readCreatedId(headers: HttpResponse['headers'], text: string): string | undefined {
  const created = headerValue(headers, 'x-created')?.trim();
  if (created) return created;
  const location = headerValue(headers, 'x-location');
  const fromLocation = location?.match(/(\d+)\/?$/)?.[1];
  return fromLocation || /"ID"\s*:\s*"?(\d+)/.exec(text)?.[1];
}
