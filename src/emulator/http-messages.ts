// The API's HTTP messages: request bodies (JSON or form) in, responses (JSON, errors, text) out.

/** What a route answers: a status, headers and a body, before the server writes (or a fault replaces) it. */
export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function textResponse(body: string, type: string, status = 200): ApiResponse {
  return { status, headers: { 'content-type': `${type}; charset=utf-8` }, body };
}

export function jsonResponse(value: unknown, status = 200): ApiResponse {
  return textResponse(JSON.stringify(value), 'application/json', status);
}

/** Copernica answers errors with 400 and `{"error":{"message":...}}`. */
export function errorResponse(message: string, status = 400): ApiResponse {
  return jsonResponse({ error: { message } }, status);
}

export const MESSAGES = {
  invalidToken: 'Invalid access token',
  invalidMethod: 'Invalid method',
  noDatabase: 'No database with supplied ID',
  noCollection: 'No collection with supplied ID',
  noImport: 'No import with supplied ID',
  invalidData: 'Invalid data provided',
} as const;

/** Undefined when the body is neither a JSON object nor form data. */
export function parseBody(raw: Buffer, contentType: string | undefined): Record<string, unknown> | undefined {
  const text = raw.toString('utf8');
  if (contentType?.includes('application/x-www-form-urlencoded')) return parseForm(text);
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function parseForm(text: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (!key.endsWith('[]')) result[key] = value;
    else {
      const name = key.slice(0, -2);
      result[name] = [...(Array.isArray(result[name]) ? result[name] : []), value];
    }
  }
  return result;
}
