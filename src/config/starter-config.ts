// The starter imports.yaml and example data that `copernica-sync init` writes; valid as written.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { SCHEMA_PATH } from './schema-file.js';

export const STARTER_DATA_PATH = 'data/contacts.csv';

export const STARTER_DATA =
  'Email,FirstName,LastName\nada@example.com,Ada,Lovelace\ngrace@example.com,Grace,Hopper\n';

const SCHEMA_FILE = 'schemas/imports.schema.json';
const PACKAGE_SCHEMA_FILE = `node_modules/copernica-sync/${SCHEMA_FILE}`;

export interface SchemaReferenceOptions {
  exists?: (path: string) => boolean;
  /** This install's schema file (absolute). */
  installedSchema?: string;
}

/**
 * Where the modeline points, always relative to the config's directory so the file works in every clone: the
 * repo's own schemas/, else the package in the nearest node_modules, else this install's file.
 */
export function chooseSchemaReference(configDir: string, options: SchemaReferenceOptions = {}): string {
  const exists = options.exists ?? existsSync;
  if (exists(join(configDir, SCHEMA_FILE))) return `./${SCHEMA_FILE}`;
  for (let dir = configDir; ; dir = dirname(dir)) {
    const candidate = join(dir, PACKAGE_SCHEMA_FILE);
    if (exists(candidate)) return relativeReference(configDir, candidate);
    if (dirname(dir) === dir) break;
  }
  return relativeReference(configDir, options.installedSchema ?? SCHEMA_PATH);
}

/** `./x` or `../x`, with forward slashes (YAML language servers read it as a URL path). */
function relativeReference(from: string, to: string): string {
  // Only across Windows drives is there no relative path; the absolute one is the best left.
  const rel = relative(from, to).split(sep).join('/');
  return rel.startsWith('../') || isAbsolute(rel) ? rel : `./${rel}`;
}

export function renderStarterConfig(schemaReference: string): string {
  return `# yaml-language-server: $schema=${schemaReference}
# copernica-sync: each import keeps one Copernica database in step with a data file.
# Check it with \`copernica-sync validate\`, preview with \`copernica-sync plan\`, run with \`copernica-sync apply\`.
version: 1
copernica:
  url: https://api.copernica.com
  tokenEnv: COPERNICA_ACCESS_TOKEN   # the NAME of the variable holding the token; never the token itself
state: .copernica-sync/state.json    # what was last applied; relative to this file
defaults:
  action: update or add
safety:
  minRows: 1
  maxShrink: 0.2
  maxDeleteShare: 0.3
imports:
  contacts:
    description: Example import; point database at yours
    database: Contacts              # the database's ID or name
    keyFields: [Email]
    source: ${STARTER_DATA_PATH}
`;
}
