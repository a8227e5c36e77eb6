// Turns ajv errors into the one message a person needs: anyOf noise collapsed, unknown keys with a suggestion.
import type { ErrorObject } from 'ajv';
import { createDiagnostic, type Diagnostic } from '../core/diagnostic.js';
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
  const at = (where: DataPath, key: boolean) => ({
    position: key ? locator.keyAt(where) : locator.valueAt(where),
  });
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return renderUnknownKey(
        String(p.additionalProperty),
        path,
        error,
        at([...path, String(p.additionalProperty)], true),
      );
    case 'required':
      return renderMissing(String(p.missingProperty), path, at(path, true));
    case 'propertyNames':
      if (path[0] === 'defaults') {
        return createDiagnostic(
          'error',
          'E_CONFIG_UNKNOWN_KEY',
          `'${String(p.propertyName)}' cannot be set under defaults: it belongs to each import`,
          { ...at([...path, String(p.propertyName)], true), hint: 'move it into the imports that need it' },
        );
      }
      return createDiagnostic(
        'error',
        'E_CONFIG_IMPORT_NAME',
        `import name '${String(p.propertyName)}' is not allowed`,
        {
          ...at([...path, String(p.propertyName)], true),
          hint: 'use lower-case letters, digits, "-" and "_", starting with a letter or digit ([a-z0-9][a-z0-9_-]*)',
        },
      );
    case 'const':
      return createDiagnostic(
        'error',
        'E_CONFIG_VERSION',
        `${label} must be ${JSON.stringify(p.allowedValue)}`,
        {
          ...at(path, false),
          hint: 'this version of copernica-sync reads version: 1 files',
        },
      );
    case 'enum':
      return renderEnum(path, error, at(path, false));
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return createDiagnostic(
        'error',
        'E_CONFIG_RANGE',
        `${label} must be ${String(p.comparison)} ${String(p.limit)}`,
        at(path, false),
      );
    case 'pattern':
      return renderPattern(path, String(p.pattern), label, at(path, false));
    case 'x-alternatives':
      return createDiagnostic(
        'error',
        'E_CONFIG_SCHEMA',
        `${label} must be ${describeBranches(p.branches as Branch[])}`,
        at(path, false),
      );
    default:
      return renderGeneric(error, path, label, at(path, false));
  }
}

function renderUnknownKey(
  key: string,
  path: DataPath,
  error: ErrorObject,
  where: Pick<Diagnostic, 'position'>,
): Diagnostic {
  if (/^(access[_-]?)?token$|^api[_-]?key$/i.test(key)) {
    return createDiagnostic(
      'error',
      'E_CONFIG_LITERAL_TOKEN',
      `'${key}' is not allowed: imports.yaml never holds a token`,
      {
        ...where,
        hint: 'put the token in an environment variable and name it in copernica.tokenEnv',
      },
    );
  }
  const parent = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
  const known = Object.keys(parent?.properties ?? {});
  const guess = suggestClosest(key, known);
  const place = path.length === 0 ? 'at the top level' : `in ${renderPath(path)}`;
  const message = guess
    ? `unknown key '${key}' ${place} — did you mean '${guess}'?`
    : `unknown key '${key}' ${place}`;
  return createDiagnostic('error', 'E_CONFIG_UNKNOWN_KEY', message, {
    ...where,
    // Top-level keys of one's own (anchor holders for `<<: *common`) are allowed when they start with x-.
    hint: `allowed keys: ${known.join(', ')}${path.length === 0 ? '; a key of your own must start with x-' : ''}`,
  });
}

function renderMissing(key: string, path: DataPath, where: Pick<Diagnostic, 'position'>): Diagnostic {
  if (path.length === 0 && key === 'version') {
    return createDiagnostic(
      'error',
      'E_CONFIG_VERSION',
      "missing 'version: 1' at the top of the file",
      where,
    );
  }
  const owner = path.length === 0 ? 'the file' : renderPath(path);
  return createDiagnostic('error', 'E_CONFIG_SCHEMA', `${owner} is missing the required key '${key}'`, where);
}

function renderEnum(path: DataPath, error: ErrorObject, where: Pick<Diagnostic, 'position'>): Diagnostic {
  const allowed = ((error.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((v) =>
    JSON.stringify(v),
  );
  // The value itself is not echoed: a misplaced secret must never reach the output.
  const guess =
    typeof error.data === 'string'
      ? suggestClosest(
          error.data,
          // Only string choices can be suggested for a string (apiVersion's are numbers).
          allowed.map((a) => JSON.parse(a) as unknown).filter((v): v is string => typeof v === 'string'),
        )
      : undefined;
  const tail = guess ? ` — did you mean ${JSON.stringify(guess)}?` : '';
  return createDiagnostic(
    'error',
    'E_CONFIG_SCHEMA',
    `${renderPath(path)} must be one of ${allowed.join(', ')}${tail}`,
    where,
  );
}

function renderPattern(
  path: DataPath,
  pattern: string,
  label: string,
  where: Pick<Diagnostic, 'position'>,
): Diagnostic | undefined {
  if (path[0] === 'copernica' && path[1] === 'tokenEnv') return undefined; // the token rule reports it
  if (pattern === DURATION_PATTERN) {
    return createDiagnostic(
      'error',
      'E_CONFIG_DURATION',
      `${label} must be a duration like 500ms, 60s, 5m or 1h`,
      {
        ...where,
        hint: 'a bare number means milliseconds',
      },
    );
  }
  return createDiagnostic('error', 'E_CONFIG_SCHEMA', `${label} must match ${pattern}`, where);
}

function renderGeneric(
  error: ErrorObject,
  path: DataPath,
  label: string,
  where: Pick<Diagnostic, 'position'>,
): Diagnostic {
  const last = path[path.length - 1];
  if (error.keyword === 'minItems' && last === 'keyFields') {
    return createDiagnostic('error', 'E_CONFIG_KEYFIELDS', `${label} must name at least one field`, where);
  }
  if (error.keyword === 'type') {
    return createDiagnostic(
      'error',
      'E_CONFIG_SCHEMA',
      `${label} must be ${describeType(String((error.params as { type?: unknown }).type))}`,
      where,
    );
  }
  const text: Record<string, string> = {
    minItems: 'must not be an empty list',
    minLength: 'must not be empty',
    minProperties: 'must define at least one entry',
    uniqueItems: 'must not list the same item twice',
  };
  return createDiagnostic(
    'error',
    'E_CONFIG_SCHEMA',
    `${label} ${text[error.keyword] ?? error.message ?? 'is invalid'}`,
    where,
  );
}

function describeBranches(branches: Branch[]): string {
  return branches
    .map((b) =>
      b.pattern === DURATION_PATTERN ? 'a duration like "60s"' : describeType(b.type, b.items?.type),
    )
    .join(' or ');
}

function describeType(type: string | undefined, itemType?: string): string {
  const names: Record<string, string> = {
    string: 'a string',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
    object: 'a mapping',
    array: itemType ? `a list of ${itemType}s` : 'a list',
    null: 'empty',
  };
  return names[type ?? ''] ?? `of type ${String(type)}`;
}

/** ajv's instancePath is a JSON pointer. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** imports.newsletter.keyFields[0] */
export function renderPath(path: DataPath): string {
  if (path.length === 0) return 'the file';
  return path.reduce<string>((acc, seg, i) => {
    if (/^\d+$/.test(String(seg)) && i > 0) return `${acc}[${seg}]`;
    return i === 0 ? String(seg) : `${acc}.${String(seg)}`;
  }, '');
}
