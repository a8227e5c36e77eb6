// The modeline `init` writes is relative to the config's directory, so it works in every clone and install.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseSchemaReference } from '../../src/config/starter-config.js';

/** chooseSchemaReference with only `files` existing and this install at /opt/cs. */
function choose(configDir: string, files: string[]): string {
  const present = new Set(files);
  return chooseSchemaReference(configDir, {
    exists: (path) => present.has(path),
    installedSchema: '/opt/cs/schemas/imports.schema.json',
  });
}

describe('chooseSchemaReference', () => {
  it('prefers the directory own schemas/ (a clone of copernica-sync)', () => {
    const files = [
      '/repo/schemas/imports.schema.json',
      '/repo/node_modules/copernica-sync/schemas/imports.schema.json',
    ];
    assert.equal(choose('/repo', files), './schemas/imports.schema.json');
  });

  it('else the installed package in the nearest node_modules, upwards', () => {
    const pkg = '/app/node_modules/copernica-sync/schemas/imports.schema.json';
    assert.equal(choose('/app', [pkg]), './node_modules/copernica-sync/schemas/imports.schema.json');
    assert.equal(
      choose('/app/config/sync', [pkg]),
      '../../node_modules/copernica-sync/schemas/imports.schema.json',
    );
  });

  it('else the path from the config directory to this install schema, never absolute', () => {
    assert.equal(choose('/home/ann/project', []), '../../../opt/cs/schemas/imports.schema.json');
    assert.equal(choose('/opt/cs/examples', []), '../schemas/imports.schema.json');
    assert.equal(choose('/opt/cs/schemas', []), './imports.schema.json');
  });
});
