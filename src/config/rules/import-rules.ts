// Rules about one import's own keys: its one source, https locations, key fields, delete-only options.
import { formatOfName } from '../parameters.js';
import type { RawImportOptions } from '../types.js';
import { asRecord, effectiveOption, listImports, type Rule, type RuleContext } from './rule-context.js';

const KEYED_ACTIONS = ['update', 'update or add', 'ignore or add', 'delete'];
const SOURCE_KEYS = ['source', 'command', 'location'] as const;

export const checkSourceCount: Rule = (ctx) => {
  for (const [name, raw] of listImports(ctx.data)) {
    const present = SOURCE_KEYS.filter((k) => raw[k] !== undefined);
    if (present.length === 1) continue;
    const [, second] = present;
    const message = second
      ? `import '${name}' has ${present.join(' and ')}: give it exactly one of source, command or location`
      : `import '${name}' has no data: give it one of source, command or location`;
    const position = ctx.locator.keyAt(second ? ['imports', name, second] : ['imports', name]);
    ctx.error('E_CONFIG_SOURCE_COUNT', message, { position, importName: name });
  }
};

export const checkLocationHttps: Rule = (ctx) => {
  for (const [name, raw] of listImports(ctx.data)) {
    if (typeof raw.location !== 'string' || URL.parse(raw.location)?.protocol === 'https:') continue;
    ctx.error('E_CONFIG_LOCATION_HTTPS', `import '${name}': location must be an https:// URL`, {
      position: ctx.locator.valueAt(['imports', name, 'location']),
      hint: 'Copernica fetches the location itself; only https is accepted',
      importName: name,
    });
  }
};

export const checkKeyFields: Rule = (ctx) => {
  for (const [name, raw] of listImports(ctx.data)) {
    const action = String(effectiveOption(ctx.data, raw, 'action'));
    // An unknown action, or keyFields set but malformed (an empty list), are the schema's to report.
    const declared = raw.keyFields !== undefined || asRecord(ctx.data.defaults)?.keyFields !== undefined;
    if (!KEYED_ACTIONS.includes(action) || declared) continue;
    ctx.error('E_CONFIG_KEYFIELDS', `import '${name}' needs keyFields for action '${action}'`, {
      position: positionOfOwnKey(ctx, name, 'action'),
      hint: 'name the fields that identify a profile, e.g. keyFields: [Email]; only action: add needs none',
      importName: name,
    });
  }
};

export const checkDeleteTarget: Rule = (ctx) => {
  for (const [name, raw] of listImports(ctx.data)) {
    if (effectiveOption(ctx.data, raw, 'deleteTarget') === undefined) continue;
    if (effectiveOption(ctx.data, raw, 'action') === 'delete') continue;
    ctx.error('E_CONFIG_DELETE_TARGET', `import '${name}': deleteTarget only goes with action: delete`, {
      position: positionOfOwnKey(ctx, name, 'deleteTarget'),
      hint: 'remove deleteTarget, or set action: delete',
      importName: name,
    });
  }
};

interface Clash {
  option: 'removeMissing' | 'send' | 'prune';
  value: unknown;
  code: string;
  /** Options this one does not go with: [option, value, how to say it]. */
  against: ReadonlyArray<readonly [keyof RawImportOptions, unknown, string]>;
}

const PER_FILE = ['mode', 'per-file', 'mode: per-file (each file is only part of the data)'] as const;
const DELETES = ['action', 'delete', 'action: delete'] as const;
const REMOVES = ['removeMissing', true, 'removeMissing (it needs the whole data set)'] as const;

/** Options that contradict each other: one table, one message shape. */
const CLASHES: readonly Clash[] = [
  { option: 'removeMissing', value: true, code: 'E_CONFIG_REMOVE_MISSING', against: [PER_FILE, DELETES] },
  { option: 'send', value: 'changes', code: 'E_CONFIG_SEND', against: [REMOVES, PER_FILE] },
  { option: 'prune', value: true, code: 'E_CONFIG_PRUNE', against: [REMOVES, DELETES, PER_FILE] },
];

export const checkOptionClashes: Rule = (ctx) => {
  for (const [name, raw] of listImports(ctx.data)) {
    for (const clash of CLASHES) {
      if (effectiveOption(ctx.data, raw, clash.option) !== clash.value) continue;
      const hit = clash.against.find(([option, value]) => effectiveOption(ctx.data, raw, option) === value);
      if (!hit) continue;
      const shown = `${clash.option}: ${String(clash.value)}`;
      ctx.error(clash.code, `import '${name}': ${shown} does not go with ${hit[2]}`, {
        position: positionOfOwnKey(ctx, name, clash.option),
        hint: `drop ${shown}, or change ${hit[0]}`,
        importName: name,
      });
    }
  }
};

/** A row diff (send: changes, prune) needs rows to compare and a key to compare them by. */
export const checkRowOptions: Rule = (ctx) => {
  for (const [name, raw] of listImports(ctx.data)) {
    const uses = (['send', 'prune'] as const).filter((option) => {
      const value = effectiveOption(ctx.data, raw, option);
      return value === 'changes' || value === true;
    });
    const [option] = uses;
    if (option === undefined) continue;
    const keyFields = effectiveOption(ctx.data, raw, 'keyFields');
    const problem =
      raw.location !== undefined
        ? 'a location source, which copernica-sync never reads'
        : Array.isArray(keyFields) && keyFields.length > 0
          ? undefined
          : 'no keyFields to tell rows apart';
    if (!problem) continue;
    const message = `import '${name}': ${uses.join(' and ')} needs rows by key, but it has ${problem}`;
    ctx.error('E_CONFIG_ROWS', message, {
      position: positionOfOwnKey(ctx, name, option),
      hint: 'give the import a files or command source and keyFields, or drop send: changes and prune',
      importName: name,
    });
  }
};

/** Copernica reads a location as csv or json; it must be told which (the docs require the delimiter for CSV). */
export const checkLocationFormat: Rule = (ctx) => {
  for (const [name, raw] of listImports(ctx.data)) {
    if (typeof raw.location !== 'string') continue;
    const format = effectiveOption(ctx.data, raw, 'format') ?? formatOfName(raw.location);
    if (format === 'csv' || format === 'json') continue;
    const message =
      format === 'jsonl'
        ? `import '${name}': a location is read by Copernica as csv or json, not jsonl`
        : `import '${name}': cannot tell the format of ${raw.location} from its name`;
    ctx.error('E_CONFIG_LOCATION_FORMAT', message, {
      position: ctx.locator.valueAt(['imports', name, 'location']),
      hint: 'declare `format: csv` (with `delimiter:` when not ",") or `format: json` on the import',
      importName: name,
    });
  }
};

/** The import's own key if it sets it, else the import's name (the value came from defaults). */
function positionOfOwnKey(ctx: RuleContext, name: string, key: string) {
  const path = ['imports', name, key];
  return ctx.locator.keyAt(ctx.locator.has(path) ? path : ['imports', name]);
}
