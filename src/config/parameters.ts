// The one table of import parameters. Normalisation, the schema's key check, the request to Copernica, the
// emulator's request checks and the fingerprint all read it: a new parameter is one row here plus its entry in
// schemas/imports.schema.json (definitions.importOptions).

export const ACTIONS = ['add', 'update', 'update or add', 'ignore or add', 'delete'] as const;
export const FORMATS = ['csv', 'json', 'jsonl'] as const;
export const DELIMITERS = [',', ';', '\t'] as const;
export const ENCODINGS = ['utf-8', 'windows-1252', 'latin1', 'utf-16le'] as const;
export const MODES = ['combined', 'per-file'] as const;
export const DELETE_TARGETS = ['profile', 'subprofile'] as const;
export const SEND_MODES = ['all', 'changes'] as const;
/** How Copernica reads a string source (jsonl is sent as a JSON array). */
export const API_FORMATS = ['csv', 'json'] as const;

export type ImportAction = (typeof ACTIONS)[number];
export type SourceFormat = (typeof FORMATS)[number];
export type Delimiter = (typeof DELIMITERS)[number];
export type SourceEncoding = (typeof ENCODINGS)[number];
export type ImportMode = (typeof MODES)[number];
export type DeleteTarget = (typeof DELETE_TARGETS)[number];
export type SendMode = (typeof SEND_MODES)[number];
export type ApiFormat = (typeof API_FORMATS)[number];

/** What the API values of a definition depend on besides the parameter itself. */
export interface ApiContext {
  action: ImportAction;
  /** The format Copernica reads the data as. */
  format: ApiFormat;
  /** The effective delimiter (declared, from the data, or from the extension). */
  delimiter: Delimiter;
}

export interface ParameterRow<T> {
  default: T;
  /** The values imports.yaml accepts (enums); Copernica's own, for the emulator, in `apiValues` when they differ. */
  values?: readonly T[];
  apiValues?: readonly string[];
  /** What Copernica receives for it (undefined: not sent this time); absent: not an API parameter. */
  api?: (value: T, context: ApiContext) => unknown;
  /**
   * The fingerprint version that added it; absent: never in the fingerprint. Version 1 rows always count (as
   * sent); later rows count only when set away from their default, so adding a row re-runs no import that
   * leaves it alone.
   */
  fingerprint?: number;
}

const row = <T>(spec: ParameterRow<T>): ParameterRow<T> => spec;
const asIs = <T>(value: T): T => value;

export const PARAMETERS = {
  action: row<ImportAction>({ default: 'update or add', values: ACTIONS, api: asIs, fingerprint: 1 }),
  keyFields: row<string[]>({ default: [], api: (v) => [...v], fingerprint: 1 }),
  format: row<SourceFormat | undefined>({
    default: undefined,
    values: FORMATS,
    apiValues: API_FORMATS,
    api: (_, c) => c.format,
    fingerprint: 1,
  }),
  delimiter: row<Delimiter | undefined>({
    default: undefined,
    values: DELIMITERS,
    api: (_, c) => (c.format === 'csv' ? c.delimiter : undefined),
    fingerprint: 1,
  }),
  encoding: row<SourceEncoding>({ default: 'utf-8', values: ENCODINGS, fingerprint: 2 }),
  mode: row<ImportMode>({ default: 'combined', values: MODES }),
  removeMissing: row<boolean>({ default: false, api: asIs, fingerprint: 1 }),
  ignoreEmptyFields: row<boolean>({ default: false, api: asIs, fingerprint: 1 }),
  followups: row<boolean>({ default: false, api: asIs, fingerprint: 1 }),
  autostart: row<boolean>({ default: true, api: asIs, fingerprint: 1 }),
  rebuild: row<boolean>({ default: false, api: asIs, fingerprint: 1 }),
  // Copernica's default target is the profile; naming it keeps explicit and implicit equal.
  deleteTarget: row<DeleteTarget | undefined>({
    default: undefined,
    values: DELETE_TARGETS,
    api: (v, c) => (c.action === 'delete' ? (v ?? 'profile') : undefined),
    fingerprint: 1,
  }),
  /** Timeout of a `command` source ("5m"; a bare number is ms). */
  timeout: row<string | number | undefined>({ default: undefined }),
  send: row<SendMode>({ default: 'all', values: SEND_MODES, fingerprint: 2 }),
  prune: row<boolean>({ default: false, fingerprint: 2 }),
};

export type ParameterName = keyof typeof PARAMETERS;
export type ImportParameters = { [K in ParameterName]: (typeof PARAMETERS)[K]['default'] };
export const PARAMETER_NAMES = Object.keys(PARAMETERS) as ParameterName[];

/** Every parameter: the import's own value, else `defaults:`, else the table's default. */
export function normalizeParameters(
  defaults: Partial<ImportParameters>,
  own: Partial<ImportParameters>,
): ImportParameters {
  const values: Record<string, unknown> = {};
  for (const name of PARAMETER_NAMES) values[name] = own[name] ?? defaults[name] ?? PARAMETERS[name].default;
  return values as ImportParameters;
}

/** The parameters Copernica receives, by name, for one definition (unsent ones left out). */
export function apiParameterValues(params: ImportParameters, context: ApiContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of PARAMETER_NAMES) {
    const spec = PARAMETERS[name] as ParameterRow<unknown>;
    const value = spec.api?.(params[name], context);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** Rows added after fingerprint version 1, where set away from their default. */
export function laterFingerprintValues(params: ImportParameters): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of PARAMETER_NAMES) {
    const spec = PARAMETERS[name] as ParameterRow<unknown>;
    if ((spec.fingerprint ?? 1) > 1 && params[name] !== spec.default) out[name] = params[name];
  }
  return out;
}

const FORMAT_BY_EXTENSION: Record<string, SourceFormat> = {
  csv: 'csv',
  tsv: 'csv',
  txt: 'csv',
  json: 'json',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
};

/** A file name's or URL's format by its extension; undefined when the extension says nothing. */
export function formatOfName(name: string): SourceFormat | undefined {
  const path = name.replace(/[?#].*$/, '');
  const dot = path.lastIndexOf('.');
  return dot < 0 || path.includes('/', dot)
    ? undefined
    : FORMAT_BY_EXTENSION[path.slice(dot + 1).toLowerCase()];
}

/** A .tsv name implies a tab; anything else a comma. */
export function delimiterOfName(name: string): Delimiter {
  return /\.tsv$/i.test(name.replace(/[?#].*$/, '')) ? '\t' : ',';
}
