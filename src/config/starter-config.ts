// The starter imports.yaml and example data that `copernica-sync init` writes; valid as written.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_PATH } from './schema-file.js';

export const STARTER_DATA_PATH = 'data/contacts.csv';

export const STARTER_DATA =
  'Email,FirstName,LastName\nada@example.com,Ada,Lovelace\ngrace@example.com,Grace,Hopper\n';

/** Where the modeline points: the repo's schemas/, an installed package's copy, or this install's file. */
export function chooseSchemaReference(configDir: string): string {
  const candidates = [
    'schemas/imports.schema.json',
    'node_modules/copernica-sync/schemas/imports.schema.json',
  ];
  const local = candidates.find((c) => existsSync(join(configDir, c)));
  return local ? `./${local}` : SCHEMA_PATH.split('\\').join('/');
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
