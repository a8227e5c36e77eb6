// Rules about one import's own keys: its one source, https locations, key fields, delete-only options.
import { createDiagnostic } from '../../core/diagnostic.js';
import { effectiveOption, listImports, type Rule, type RuleContext } from './rule-context.js';

const KEYED_ACTIONS = ['update', 'update or add', 'ignore or add', 'delete'];
const SOURCE_KEYS = ['source', 'command', 'location'] as const;

export const checkSourceCount: Rule = (ctx) => {
  for (const [name, raw] of listImports(ctx.data)) {
    const present = SOURCE_KEYS.filter((k) => raw[k] !== undefined);
    if (present.length === 1) continue;
    const where =
      present.length === 0
        ? ctx.locator.keyAt(['imports', name])
        : ctx.locator.keyAt(['imports', name, present[1] ?? '']);
    const message =
      present.length === 0
        ? `import '${name}' has no data: give it one of source, command or location`
        : `import '${name}' has ${present.join(' and ')}: give it exactly one of source, command or location`;
    ctx.report(
      createDiagnostic('error', 'E_CONFIG_SOURCE_COUNT', message, { position: where, importName: name }),
    );
  }
};

export const checkLocationHttps: Rule = (ctx) => {
  for (const [name, raw] of listImports(ctx.data)) {
    if (typeof raw.location !== 'string' || isHttpsUrl(raw.location)) continue;
    ctx.report(
      createDiagnostic(
        'error',
        'E_CONFIG_LOCATION_HTTPS',
        `import '${name}': location must be an https:// URL`,
        {
          position: ctx.locator.valueAt(['imports', name, 'location']),
          hint: 'Copernica fetches the location itself; only https is accepted',
          importName: name,
        },
      ),
    );
  }
};

function isHttpsUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' && url.hostname.length > 0;
  } catch {
    return false;
  }
}

export const checkKeyFields: Rule = (ctx) => {
  for (const [name, raw] of listImports(ctx.data)) {
    const action = effectiveOption(ctx.data, raw, 'action');
    const keyFields = effectiveOption(ctx.data, raw, 'keyFields');
    // An unknown action is the schema's to report; only known actions need a verdict here.
    if (!KEYED_ACTIONS.includes(String(action)) || keyFields !== undefined) continue;
    ctx.report(
      createDiagnostic(
        'error',
        'E_CONFIG_KEYFIELDS',
        `import '${name}' needs keyFields for action '${String(action)}'`,
        {
          position: positionOfOwnKey(ctx, name, 'action'),
          hint: 'name the fields that identify a profile, e.g. keyFields: [Email]; only action: add needs none',
          importName: name,
        },
      ),
    );
  }
};

export const checkDeleteTarget: Rule = (ctx) => {
  for (const [name, raw] of listImports(ctx.data)) {
    if (effectiveOption(ctx.data, raw, 'deleteTarget') === undefined) continue;
    if (effectiveOption(ctx.data, raw, 'action') === 'delete') continue;
    ctx.report(
      createDiagnostic(
        'error',
        'E_CONFIG_DELETE_TARGET',
        `import '${name}': deleteTarget only goes with action: delete`,
        {
          position: positionOfOwnKey(ctx, name, 'deleteTarget'),
          hint: 'remove deleteTarget, or set action: delete',
          importName: name,
        },
      ),
    );
  }
};

export const checkRemoveMissing: Rule = (ctx) => {
  for (const [name, raw] of listImports(ctx.data)) {
    if (effectiveOption(ctx.data, raw, 'removeMissing') !== true) continue;
    const perFile = effectiveOption(ctx.data, raw, 'mode') === 'per-file';
    const deletes = effectiveOption(ctx.data, raw, 'action') === 'delete';
    if (!perFile && !deletes) continue;
    const clash = perFile ? 'mode: per-file (each file is only part of the data)' : 'action: delete';
    ctx.report(
      createDiagnostic(
        'error',
        'E_CONFIG_REMOVE_MISSING',
        `import '${name}': removeMissing does not go with ${clash}`,
        {
          position: positionOfOwnKey(ctx, name, 'removeMissing'),
          hint: perFile ? 'use mode: combined, or drop removeMissing' : 'drop removeMissing',
          importName: name,
        },
      ),
    );
  }
};

/** The import's own key if it sets it, else the import's name (the value came from defaults). */
function positionOfOwnKey(ctx: RuleContext, name: string, key: string) {
  const path = ['imports', name, key];
  return ctx.locator.has(path) ? ctx.locator.keyAt(path) : ctx.locator.keyAt(['imports', name]);
}
