// Builds the POST imports request for one run: the definition's API parameters, the database ID, a name, the source.
import type { ImportDefinition } from '../config/types.js';
import type { ImportRequest } from '../copernica/import-body.js';
import { computeFileFingerprint } from '../plan/fingerprint.js';
import { importApiParameters } from '../plan/parameters.js';
import type { PlannedImport } from '../plan/types.js';
import { computeSentBytes } from '../sources/sent-bytes.js';
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

export function buildImportRequest(input: RequestInput): ImportRequest {
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
  // The scan counted the escaped length as it read the files: the body streams with a Content-Length.
  const files = one ? [one] : source.files;
  const bytes = computeSentBytes(files, files[0]?.format ?? 'csv');
  return { parameters, source: { kind: 'inline', ...formatKeys, bytes, text } };
}
