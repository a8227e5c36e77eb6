// Turns ajv errors into the one message a person needs: anyOf noise collapsed, unknown keys with a suggestion.
import type { ErrorObject } from 'ajv';
import { createDiagnostic, type Diagnostic, type Position } from '../core/diagnostic.js';
import { DURATION_PATTERN } from '../core/duration.js';
import { suggestClosest } from './suggest.js';
import type { DataPath, YamlLocator } from './yaml-document.js';

type Branch = { type?: string; pattern?: string; items?: { type?: string } };

/** For an anyOf, keep only the errors of the branch whose type fits the data, or one summary error. */
export function collapseAlternatives(errors: ErrorObject[]): ErrorObject[] {
  // Errors inside propertyNames repeat what the propertyNames error itself says.
  let result = errors.filter((e) => e.keyword === 'propertyNames' || e.propertyName === undefined);
  for (const alt of errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')) {
    const branches = (Array.isArray(alt.schema) ? alt.schema : []) as Branch[];
    const fitting = branches.findIndex((b) => typeFits(b.type, alt.data));
    const inside = (e: ErrorObject) => e.schemaPath.startsWith(`${alt.schemaPath}/`);
    const keep = (e: ErrorObject) => fitting >= 0 && e.schemaPath.startsWith(`${alt.schemaPath}/${fitting}/`);
    result = result.filter((e) => e !== alt && (!inside(e) || keep(e)));
    if (fitting < 0) result.push({ ...alt, keyword: 'x-alternatives', params: { branches } });
  }
  return result;
}

function typeFits(type: string | undefined, data: unknown): boolean {
  if (type === 'array') return Array.isArray(data);
  if (type === 'integer') return Number.isInteger(data);
  if (type === 'number') return typeof data === 'number';
  if (type === 'object') return typeof data === 'object' && data !== null && !Array.isArray(data);
  return typeof data === type;
}

export function renderSchemaError(error: ErrorObject, locator: YamlLocator): Diagnostic | undefined {
  const path = parsePointer(error.instancePath);
  const label = renderPath(path);
  const at = locator.valueAt(path);
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      return renderUnknownKey(key, path, error, locator.keyAt([...path, key]));
    }
    case 'required':
      return renderMissing(String(p.missingProperty), path, locator.keyAt(path));
    case 'propertyNames': {
      const key = String(p.propertyName);
      const position = locator.keyAt([...path, key]);
      if (path[0] === 'defaults') {
        const message = `'${key}' cannot be set under defaults: it belongs to each import`;
        return fail('E_CONFIG_UNKNOWN_KEY', message, position, 'move it into the imports that need it');
      }
      return fail('E_CONFIG_IMPORT_NAME', `import name '${key}' is not allowed`, position, IMPORT_NAME_HINT);
    }
    case 'const':
      return fail('E_CONFIG_VERSION', `${label} must be ${JSON.stringify(p.allowedValue)}`, at, VERSION_HINT);
    case 'enum':
      return renderEnum(label, error, at);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return fail('E_CONFIG_RANGE', `${label} must be ${String(p.comparison)} ${String(p.limit)}`, at);
    case 'pattern':
      if (path[0] === 'copernica' && path[1] === 'tokenEnv') return undefined; // the token rule reports it
      return renderPattern(String(p.pattern), label, at);
    case 'x-alternatives': {
      const branches = (p.branches as Branch[]).map(describeBranch).join(' or ');
      return fail('E_CONFIG_SCHEMA', `${label} must be ${branches}`, at);
    }
    case 'type':
      return fail('E_CONFIG_SCHEMA', `${label} must be ${describeType(String(p.type))}`, at);
    case 'minItems':
      if (path.at(-1) === 'keyFields') {
        return fail('E_CONFIG_KEYFIELDS', `${label} must name at least one field`, at);
      }
      break;
  }
  return fail('E_CONFIG_SCHEMA', `${label} ${GENERIC[error.keyword] ?? error.message ?? 'is invalid'}`, at);
}

const IMPORT_NAME_HINT =
  'use lower-case letters, digits, "-" and "_", starting with a letter or digit ([a-z0-9][a-z0-9_-]*)';
const TOKEN_HINT = 'put the token in an environment variable and name it in copernica.tokenEnv';
const VERSION_HINT = 'this version of copernica-sync reads version: 1 files';

const GENERIC: Record<string, string> = {
  minItems: 'must not be an empty list',
  minLength: 'must not be empty',
  minProperties: 'must define at least one entry',
  uniqueItems: 'must not list the same item twice',
};

function fail(code: string, message: string, position: Position, hint?: string): Diagnostic {
  return createDiagnostic('error', code, message, hint === undefined ? { position } : { position, hint });
}

function renderUnknownKey(key: string, path: DataPath, error: ErrorObject, position: Position): Diagnostic {
  if (/^(access[_-]?)?token$|^api[_-]?key$/i.test(key)) {
    const message = `'${key}' is not allowed: imports.yaml never holds a token`;
    return fail('E_CONFIG_LITERAL_TOKEN', message, position, TOKEN_HINT);
  }
  const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
  const guess = suggestClosest(key, known);
  const place = path.length === 0 ? 'at the top level' : `in ${renderPath(path)}`;
  const message = `unknown key '${key}' ${place}${guess ? ` — did you mean '${guess}'?` : ''}`;
  // Top-level keys of one's own (anchor holders for `<<: *common`) are allowed when they start with x-.
  const own = path.length === 0 ? '; a key of your own must start with x-' : '';
  return fail('E_CONFIG_UNKNOWN_KEY', message, position, `allowed keys: ${known.join(', ')}${own}`);
}

function renderMissing(key: string, path: DataPath, position: Position): Diagnostic {
  if (path.length === 0 && key === 'version') {
    return fail('E_CONFIG_VERSION', "missing 'version: 1' at the top of the file", position);
  }
  return fail('E_CONFIG_SCHEMA', `${renderPath(path)} is missing the required key '${key}'`, position);
}

function renderEnum(label: string, error: ErrorObject, position: Position): Diagnostic {
  const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues ?? [];
  // The value itself is not echoed: a misplaced secret must never reach the output.
  // Only string choices can be suggested for a string (apiVersion's are numbers).
  const choices = allowed.filter((v): v is string => typeof v === 'string');
  const guess = typeof error.data === 'string' ? suggestClosest(error.data, choices) : undefined;
  const tail = guess ? ` — did you mean ${JSON.stringify(guess)}?` : '';
  const shown = allowed.map((v) => JSON.stringify(v)).join(', ');
  return fail('E_CONFIG_SCHEMA', `${label} must be one of ${shown}${tail}`, position);
}

function renderPattern(pattern: string, label: string, position: Position): Diagnostic {
  if (pattern !== DURATION_PATTERN)
    return fail('E_CONFIG_SCHEMA', `${label} must match ${pattern}`, position);
  const message = `${label} must be a duration like 500ms, 60s, 5m or 1h`;
  return fail('E_CONFIG_DURATION', message, position, 'a bare number means milliseconds');
}

function describeBranch(b: Branch): string {
  return b.pattern === DURATION_PATTERN ? 'a duration like "60s"' : describeType(b.type, b.items?.type);
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'empty',
};

function describeType(type: string | undefined, itemType?: string): string {
  if (type === 'array' && itemType) return `a list of ${itemType}s`;
  return TYPE_NAMES[type ?? ''] ?? `of type ${String(type)}`;
}

/** ajv's instancePath is a JSON pointer. */
export function parsePointer(pointer: string): string[] {
  const segments = pointer.split('/').slice(1);
  return segments.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** imports.newsletter.keyFields[0] */
export function renderPath(path: DataPath): string {
  if (path.length === 0) return 'the file';
  return path
    .map((seg, i) => (i === 0 ? String(seg) : /^\d+$/.test(String(seg)) ? `[${seg}]` : `.${seg}`))
    .join('');
}
