// Reads a request body and parses it as JSON or form data (repeated `key[]` fields become arrays).
import type { IncomingMessage } from 'node:http';

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

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

export function parseForm(text: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (!key.endsWith('[]')) {
      result[key] = value;
      continue;
    }
    const name = key.slice(0, -2);
    const list = Array.isArray(result[name]) ? (result[name] as unknown[]) : [];
    list.push(value);
    result[name] = list;
  }
  return result;
}
