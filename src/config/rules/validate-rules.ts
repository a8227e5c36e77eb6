// Runs every semantic rule in a fixed order and collects all their diagnostics.
import { createDiagnostic, type Diagnostic } from '../../core/diagnostic.js';
import type { YamlLocator } from '../yaml-document.js';
import { checkApiUrls, checkTokenEnv, checkTokensInUrls } from './copernica-rules.js';
import { checkDependsCycle, checkDependsUnknown } from './depends-rules.js';
import {
  checkDeleteTarget,
  checkKeyFields,
  checkLocationFormat,
  checkLocationHttps,
  checkOptionClashes,
  checkRowOptions,
  checkSourceCount,
} from './import-rules.js';
import { asRecord, type Rule, type RuleContext } from './rule-context.js';

const RULES: readonly Rule[] = [
  checkApiUrls,
  checkTokenEnv,
  checkTokensInUrls,
  checkSourceCount,
  checkLocationHttps,
  checkLocationFormat,
  checkKeyFields,
  checkDeleteTarget,
  checkOptionClashes,
  checkRowOptions,
  checkDependsUnknown,
  checkDependsCycle,
];

export function validateRules(data: unknown, locator: YamlLocator): Diagnostic[] {
  const record = asRecord(data);
  if (!record) return [];
  const diagnostics: Diagnostic[] = [];
  const error: RuleContext['error'] = (code, message, details) =>
    diagnostics.push(createDiagnostic('error', code, message, details));
  for (const rule of RULES) rule({ data: record, locator, error });
  return diagnostics;
}
