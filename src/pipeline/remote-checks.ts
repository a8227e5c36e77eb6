// Pre-flight against the API (plan --remote, apply): database IDs, fields, and the live-size guard folded into the plan.
import type { CopernicaClient } from '../copernica/client.js';
import { runPreflight } from '../copernica/preflight.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { blockDependents } from '../plan/planner.js';
import type { PlannedImport, Refusal } from '../plan/types.js';
import { createClientFromConfig } from './create-client.js';
import type { PreparedPlan } from './prepare-plan.js';
import { rebuildPlan } from './rebuild-plan.js';

export interface RemotePrepared extends PreparedPlan {
  databaseIds: Map<string, number>;
  client: CopernicaClient;
}

export interface RemoteOptions {
  env: NodeJS.ProcessEnv;
  /** Aborts every request (plan --remote); apply leaves it out so in-flight uploads finish. */
  signal?: AbortSignal;
  allowDestructive: boolean;
  client?: CopernicaClient;
}

export async function checkRemote(prepared: PreparedPlan, options: RemoteOptions): Promise<RemotePrepared> {
  const client =
    options.client ??
    createClientFromConfig(prepared.config, {
      env: options.env,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  try {
    return await preflightWith(client, prepared, options);
  } catch (error) {
    // The caller only gets the client to close on success; a client passed in stays the caller's.
    if (!options.client) await client.close();
    throw error;
  }
}

async function preflightWith(
  client: CopernicaClient,
  prepared: PreparedPlan,
  options: RemoteOptions,
): Promise<RemotePrepared> {
  const candidates = prepared.plan.imports.filter((p) => p.willRun);
  const result = await runPreflight(
    client,
    candidates.map((p) => {
      const def = prepared.definitions.get(p.name);
      const source = prepared.sources.get(p.name);
      return {
        name: p.name,
        database: p.database,
        keyFields: def?.keyFields ?? [],
        header: source?.header,
        action: p.action,
        removeMissing: def?.removeMissing ?? false,
        rows: p.rows,
        maxDeleteShare: def?.safety.maxDeleteShare ?? 0,
        ...(def ? { position: def.position } : {}),
      };
    }),
  );
  const imports = prepared.plan.imports.map((p) =>
    foldFindings(p, result.diagnostics, result.refusals.get(p.name) ?? [], options.allowDestructive),
  );
  return {
    ...prepared,
    plan: rebuildPlan(blockDependents(imports)),
    diagnostics: [...prepared.diagnostics, ...result.diagnostics],
    databaseIds: result.databaseIds,
    client,
  };
}

function foldFindings(
  planned: PlannedImport,
  diagnostics: Diagnostic[],
  refusals: Refusal[],
  allowDestructive: boolean,
): PlannedImport {
  if (!planned.willRun) return planned;
  const errors = diagnostics.filter((d) => d.importName === planned.name && d.severity === 'error');
  if (errors.length > 0) {
    return {
      ...planned,
      status: 'invalid',
      willRun: false,
      reasons: errors.map((d) => `${d.code}: ${d.message}`),
    };
  }
  if (refusals.length === 0) return planned;
  if (allowDestructive) {
    // As the planner does for the offline guards: the reason is printed either way.
    const passed = refusals.map((r) => `passed by --allow-destructive: ${r.code}: ${r.message}`);
    return {
      ...planned,
      reasons: [...passed, ...planned.reasons],
      overridden: [...planned.overridden, ...refusals],
    };
  }
  return {
    ...planned,
    status: 'refused',
    willRun: false,
    refusals: [...planned.refusals, ...refusals],
    reasons: [...refusals.map((r) => `${r.code}: ${r.message}`), ...planned.reasons],
  };
}
