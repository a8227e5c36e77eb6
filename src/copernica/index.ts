// The public face of src/copernica: everything other modules (and the upload bench) import.
export type { ApiErrorCode } from './api-error.js';
export { createApiError } from './api-error.js';
export * from './client.js';
export {
  createImportBody,
  type ImportRequest,
  type ImportSourceBody,
  importBodyLength,
  measureEscapedBytes,
} from './import-body.js';
export {
  checkDeleteShare,
  GUARD_MIN_PROFILES,
  type PreflightImport,
  type PreflightResult,
  runPreflight,
} from './preflight.js';
export { redactSecrets } from './redact.js';
export { decideRetry, type RequestFailure, type RetryDecision, type RetryInput } from './retry-policy.js';
