// Checks a POST imports body the way Copernica does: a bad body is a 400 "Invalid data provided".
export interface ImportRequest {
  database: string;
  name: string;
  action: 'add' | 'update' | 'update or add' | 'ignore or add' | 'delete';
  keyFields: string[];
  ignoreEmptyFields: boolean;
  removeMissing: boolean;
  deleteTarget: 'profile' | 'subprofile';
  autostart: boolean;
  source?: string | unknown[];
  location?: string;
  format: 'csv' | 'json';
  delimiter: ',' | ';' | '\t';
}

const ACTIONS: readonly string[] = ['add', 'update', 'update or add', 'ignore or add', 'delete'];
const DELIMITERS: readonly string[] = [',', ';', '\t'];

/** The request, or what is wrong with the body. */
export function parseImportRequest(body: Record<string, unknown>): ImportRequest | string {
  const problem = findProblem(body);
  if (problem) return problem;
  const request: ImportRequest = {
    database: String(body.database),
    name: typeof body.name === 'string' ? body.name : '',
    action: body.action as ImportRequest['action'],
    keyFields: toStringList(body.keyFields),
    ignoreEmptyFields: toBoolean(body.ignoreEmptyFields, false),
    removeMissing: toBoolean(body.removeMissing, false),
    deleteTarget: body.deleteTarget === 'subprofile' ? 'subprofile' : 'profile',
    autostart: toBoolean(body.autostart, true),
    format: body.format === 'json' ? 'json' : 'csv',
    delimiter: (body.delimiter as ImportRequest['delimiter'] | undefined) ?? ',',
  };
  if (typeof body.location === 'string') request.location = body.location;
  else request.source = body.source as string | unknown[];
  return request;
}

function findProblem(body: Record<string, unknown>): string | undefined {
  if (body.database === undefined || body.database === '') return 'no database';
  if (typeof body.action !== 'string' || !ACTIONS.includes(body.action)) return 'unknown action';
  const keys = toStringList(body.keyFields);
  if (body.action !== 'add' && keys.length === 0) return 'keyFields are required for this action';
  if ((body.source === undefined) === (body.location === undefined)) return 'give either source or location';
  if (body.source !== undefined && typeof body.source !== 'string' && !Array.isArray(body.source)) {
    return 'source must be a string or an array';
  }
  if (isUnknown(body.format, ['csv', 'json'])) return 'unknown format';
  if (body.delimiter !== undefined && !DELIMITERS.includes(String(body.delimiter)))
    return 'unknown delimiter';
  if (isUnknown(body.deleteTarget, ['profile', 'subprofile'])) return 'unknown deleteTarget';
  return undefined;
}

/** Accepts a JSON array, a form's repeated `keyFields[]`, or a comma-separated string. */
function toStringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).filter((s) => s !== '');
  return typeof value === 'string' ? toStringList(value.split(',').map((s) => s.trim())) : [];
}

/** Given, and not one of the known values. */
function isUnknown(value: unknown, known: readonly unknown[]): boolean {
  return value !== undefined && !known.includes(value);
}

function toBoolean(value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'boolean') return value;
  return value === 1 || value === '1' || value === 'true';
}
