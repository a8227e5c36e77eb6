// What a route answers: a status, headers and a body, before the server writes (or a fault replaces) it.
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
