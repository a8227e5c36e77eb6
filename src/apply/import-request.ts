// Builds the POST imports request for one run: the definition's API parameters, the database ID, a name, the source.
import type { ImportDefinition } from '../config/types.js';
import { type ImportRequest, measureEscapedBytes } from '../copernica/import-body.js';
import { computeFileFingerprint } from '../plan/fingerprint.js';
import { importApiParameters } from '../plan/parameters.js';
import type { PlannedImport } from '../plan/types.js';
import { streamSourceText } from '../sources/stream-source-text.js';
import type { ResolvedSource } from '../sources/types.js';

/** The part of the Copernica client the executor needs; tests pass a fake. */
export interface ImportApi {
  createImport(
    request: ImportRequest,
    options: { idempotent: boolean; onProgress?: (bytesSent: number) => void },
  ): Promise<{ id: string }>;
  waitForImport(
    id: string,
    options: {
      timeoutMs: number;
      signal?: AbortSignal;
      onProgress?: (status: {
        status?: unknown;
        processedlines?: unknown;
        totallines?: unknown;
        /** The docs' example spells them this way. */
        processedLines?: unknown;
        totalLines?: unknown;
      }) => void;
    },
  ): Promise<unknown>;
}

export interface RequestInput {
  planned: PlannedImport;
  def: ImportDefinition;
  source: ResolvedSource;
  databaseId: number;
  /** per-file mode: the one file of this run. */
  file: string | undefined;
}

export async function buildImportRequest(input: RequestInput): Promise<ImportRequest> {
  const { def, source, file } = input;
  const one = file ? source.files.find((f) => f.path === file) : undefined;
  const { database: _asWritten, format, delimiter, ...params } = importApiParameters(def, one ?? source);
  const fingerprint = one ? computeFileFingerprint(def, one) : input.planned.fingerprint;
  const parameters = {
    database: input.databaseId,
    name: `${def.name} ${fingerprint.slice(0, 12)}`,
    ...params,
  };
  const formatKeys = { format, ...(format === 'csv' && delimiter ? { delimiter } : {}) };
  if (def.source.kind === 'location')
    return { parameters, source: { kind: 'location', url: def.source.url, ...formatKeys } };
  const options = file ? { files: [file] } : {};
  const text = () => streamSourceText(source, options);
  // Until the scan reports the escaped length, one counting pass measures it. A source that cannot be read
  // fails the upload with its own read error, where it always did (a test's fake client never reads it).
  const bytes = await measureEscapedBytes(text()).catch(() => 0);
  return { parameters, source: { kind: 'inline', ...formatKeys, bytes, text } };
}
