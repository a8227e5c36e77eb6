// The sources module's public surface.

export { toHashCacheEntries } from './hash-cache.js';
export {
  COMMAND_PATH,
  disposeSources,
  type ResolveContext,
  resolveSource,
  resolveSources,
} from './resolve-source.js';
export { type ScanOptions, scanFile } from './scan-file.js';
export { type StreamTextOptions, streamSourceText } from './stream-source-text.js';
export type { FileScan, FileStamp, ResolvedFile, ResolvedSource } from './types.js';
