// Runs every semantic rule in a fixed order and collects all their diagnostics.
import type { Diagnostic } from '../../core/diagnostic.js';
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
import { asRecord, type Rule } from './rule-context.js';

export const RULES: readonly Rule[] = [
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
  for (const rule of RULES) rule({ data: record, locator, report: (d) => diagnostics.push(d) });
  return diagnostics;
}
