// Database, collection and field names match without regard to letter case, as Copernica matches them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/start-emulator.js';
import { runImport, v3 } from './helpers.js';

describe('emulator names regardless of letter case', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({
      token: 't',
      importDelayMs: 0,
      seed: {
        databases: [
          {
            id: 1,
            name: 'Leads',
            fields: ['email', 'firstname'],
            collections: [{ id: 9, name: 'orders', fields: ['orderid'] }],
          },
          { id: 2, name: 'leads archive', fields: ['email'] },
        ],
      },
    });
  });
  after(() => emu.close());

  it('finds a database named with another letter case', async () => {
    for (const name of ['Leads', 'LEADS', 'leads']) {
      const r = await v3(emu, `database/${name}`);
      assert.equal(r.status, 200, name);
      assert.equal((r.json() as { ID: string }).ID, '1', name);
    }
    assert.equal((await v3(emu, 'database/Leads%20Archive')).status, 200);
    assert.equal((await v3(emu, 'database/Lead')).status, 400);
  });

  it('fills fields `email` and `firstname` from columns `Email` and `FirstName`', async () => {
    const done = await runImport(emu, {
      action: 'update or add',
      keyFields: ['Email'],
      source: 'Email,FirstName,Orders.OrderID\nann@example.com,Ann,A1\n',
    });
    assert.equal(done.lasterror, false);
    const [profile] = emu.listProfiles('LEADS');
    assert.deepEqual(profile?.fields, { email: 'ann@example.com', firstname: 'Ann' });
    assert.deepEqual(
      profile?.subprofiles.orders?.map((s) => s.fields),
      [{ orderid: 'A1' }],
    );
  });
});
