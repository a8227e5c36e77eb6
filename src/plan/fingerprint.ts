// Fingerprints: sha256 over the canonical JSON of the fingerprinted definition plus each file's path and hash.
import { createHash } from 'node:crypto';
import type { ImportDefinition } from '../config/types.js';
import { compareCodeUnits } from '../core/compare-code-units.js';
import type { ResolvedFile } from '../sources/types.js';
import { canonicalJson } from './canonical-json.js';
import { type FormatHint, fingerprintedDefinition } from './parameters.js';

export { canonicalJson } from './canonical-json.js';

/** What a fingerprint reads of a source: its files' paths and hashes, and the format they tell. */
export type FingerprintSource = FormatHint & { files: ReadonlyArray<Pick<ResolvedFile, 'path' | 'hash'>> };

/** The import's fingerprint: a command's output is its one file (`<command>`), a location has none. */
export function computeFingerprint(def: ImportDefinition, source: FingerprintSource): string {
  const files = [...source.files]
    .sort((a, b) => compareCodeUnits(a.path, b.path))
    .map((f) => ({ path: f.path, hash: f.hash }));
  return sha256(canonicalJson({ definition: fingerprintedDefinition(def, source), files }));
}

/** per-file mode: one file's own fingerprint (the parameters plus that file's path and hash). */
export function computeFileFingerprint(def: ImportDefinition, file: ResolvedFile): string {
  const files = [{ path: file.path, hash: file.hash }];
  return sha256(canonicalJson({ definition: fingerprintedDefinition(def, file), files }));
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
