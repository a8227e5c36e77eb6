import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/start-emulator.js';
import { runImport, TEST_SEED } from './helpers.js';

describe('emulator imports: actions and options', () => {
  let emu: Emulator;
  beforeEach(async () => {
    emu = await startEmulator({ seed: TEST_SEED, token: 't', importDelayMs: 0 });
  });
  afterEach(() => emu.close());

  const emails = () => emu.listProfiles('Shop').map((p) => p.fields.Email);
  const byEmail = (email: string) =>
    emu.listProfiles(1).find((p) => p.fields.Email?.toLowerCase() === email.toLowerCase());

  it('add creates a profile for every row, even a duplicate', async () => {
    const done = await runImport(emu, {
      action: 'add',
      source: 'Email,Name\nann@example.com,Ann 2\nnew@example.com,New\n',
    });
    assert.equal(done.status, 'finished');
    assert.equal(done.totallines, '2');
    assert.equal(done.processedlines, '2');
    assert.match(String(done.lastrun), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.equal(emails().filter((e) => e === 'ann@example.com').length, 2);
    assert.equal(byEmail('new@example.com')?.fields.Score, '0', 'a new profile gets the field defaults');
  });

  it('update changes matching profiles and ignores the rest', async () => {
    await runImport(emu, {
      action: 'update',
      keyFields: ['Email'],
      source: 'Email,City\nANN@example.com,Delft\nnobody@example.com,Ede\n',
    });
    assert.equal(byEmail('ann@example.com')?.fields.City, 'Delft', 'key values match case-insensitively');
    assert.equal(byEmail('nobody@example.com'), undefined);
    assert.deepEqual(emu.listImports().at(-1)?.stats?.ignored, 1);
  });

  it('update or add updates and creates', async () => {
    await runImport(emu, {
      action: 'update or add',
      keyFields: ['Email'],
      source: 'Email,City\nbob@example.com,Brugge\ndee@example.com,Ede\n',
    });
    assert.equal(byEmail('bob@example.com')?.fields.City, 'Brugge');
    assert.equal(byEmail('dee@example.com')?.fields.City, 'Ede');
    assert.equal(emu.summarize()[0]?.profiles, 4);
  });

  it('ignore or add leaves matches alone and creates the rest', async () => {
    await runImport(emu, {
      action: 'ignore or add',
      keyFields: ['Email'],
      source: 'Email,City\nbob@example.com,Brugge\ndee@example.com,Ede\n',
    });
    assert.equal(byEmail('bob@example.com')?.fields.City, 'Gent');
    assert.equal(byEmail('dee@example.com')?.fields.City, 'Ede');
  });

  it('delete removes matching profiles with their subprofiles', async () => {
    await runImport(emu, {
      action: 'delete',
      keyFields: ['Email'],
      source: 'Email\nann@example.com\nzed@example.com\n',
    });
    assert.deepEqual(emails(), ['bob@example.com', 'cas@example.com']);
    assert.equal(emu.summarize()[0]?.subprofiles, 0);
  });

  it('matches on several key fields', async () => {
    await runImport(emu, {
      action: 'update',
      keyFields: ['City', 'Name'],
      source: 'City,Name,Score\nUtrecht,Cas,99\nGent,Cas,1\n',
    });
    assert.equal(byEmail('cas@example.com')?.fields.Score, '99');
    assert.equal(byEmail('bob@example.com')?.fields.Score, '20');
  });

  it('ignoreEmptyFields keeps stored values; without it empty values overwrite', async () => {
    const source = 'Email,City,Name\nann@example.com,,Annie\n';
    await runImport(emu, { action: 'update', keyFields: ['Email'], ignoreEmptyFields: true, source });
    assert.deepEqual(
      [byEmail('ann@example.com')?.fields.City, byEmail('ann@example.com')?.fields.Name],
      ['Utrecht', 'Annie'],
    );
    await runImport(emu, { action: 'update', keyFields: ['Email'], ignoreEmptyFields: false, source });
    assert.equal(byEmail('ann@example.com')?.fields.City, '');
  });

  it('removeMissing deletes every profile of the database the data does not name', async () => {
    await runImport(emu, {
      action: 'update or add',
      keyFields: ['Email'],
      removeMissing: true,
      source: 'Email\nbob@example.com\nnew@example.com\n',
    });
    assert.deepEqual(emails(), ['bob@example.com', 'new@example.com']);
    assert.equal(emu.listImports().at(-1)?.stats?.removed, 2);
    assert.equal(emu.summarize()[0]?.subprofiles, 0, "Ann's order went with her");
  });

  it('matches column names case-insensitively and counts unknown columns', async () => {
    await runImport(emu, {
      action: 'update',
      keyFields: ['email'],
      source: 'EMAIL,city,Shoe size,Orders.Colour\nbob@example.com,Aalst,44,red\n',
    });
    assert.equal(byEmail('bob@example.com')?.fields.City, 'Aalst');
    assert.deepEqual(emu.listImports().at(-1)?.stats?.unknownColumns, ['Shoe size', 'Orders.Colour']);
  });

  it('reads CSV with ; and tab delimiters, quotes, a BOM and CRLF', async () => {
    await runImport(emu, {
      action: 'update or add',
      keyFields: ['Email'],
      delimiter: ';',
      source: '\uFEFFEmail;Name\r\n"semi@example.com";"Doe; Jane ""JJ"""\r\n',
    });
    assert.equal(byEmail('semi@example.com')?.fields.Name, 'Doe; Jane "JJ"');
    await runImport(emu, {
      action: 'update or add',
      keyFields: ['Email'],
      delimiter: '\t',
      source: 'Email\tName\ntab@example.com\t"Line\nbreak"\n',
    });
    assert.equal(byEmail('tab@example.com')?.fields.Name, 'Line\nbreak');
    await runImport(emu, {
      action: 'update or add',
      keyFields: ['Email'],
      source: 'Email,Name\r\nmix1@example.com,One\r\nmix2@example.com,Two\nmix3@example.com,Three\n',
    });
    assert.equal(byEmail('mix3@example.com')?.fields.Name, 'Three', 'mixed CRLF and LF lines');
  });

  it('reads JSON as a string and as an array, numbers and null as text', async () => {
    await runImport(emu, {
      action: 'update or add',
      keyFields: ['Email'],
      format: 'json',
      source: JSON.stringify([{ Email: 'j1@example.com', Score: 5, City: null }]),
    });
    assert.deepEqual(
      [byEmail('j1@example.com')?.fields.Score, byEmail('j1@example.com')?.fields.City],
      ['5', ''],
    );
    await runImport(emu, {
      action: 'update or add',
      keyFields: ['Email'],
      source: [
        { Email: 'j2@example.com', Name: 'Two' },
        { Email: 'j3@example.com', Name: 'Three' },
      ],
    });
    assert.equal(byEmail('j3@example.com')?.fields.Name, 'Three');
  });

  it('fails a JSON import whose records list their keys in another order, changing nothing', async () => {
    const done = await runImport(emu, {
      action: 'update or add',
      keyFields: ['Email'],
      source: [
        { Email: 'k1@example.com', Name: 'One' },
        { Name: 'Two', Email: 'k2@example.com' },
      ],
    });
    assert.equal(done.lastrun, false);
    assert.match(String(done.lasterror), /Record 2 .*different order/);
    assert.equal(byEmail('k1@example.com'), undefined);
  });

  it('puts unreadable sources and unknown key fields in lasterror', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [
        { action: 'update', keyFields: ['Email'], location: 'https://partner.example.com/feed.csv' },
        /Could not read/,
      ],
      [
        { action: 'update', keyFields: ['Email'], location: 'file:///nonexistent/feed.csv' },
        /Could not read/,
      ],
      [{ action: 'update', keyFields: ['Email'], format: 'json', source: '{not json' }, /JSON/],
      [{ action: 'update', keyFields: ['Email'], source: 'Email,Name\n"open quote,x\n' }, /CSV/],
      // the dialect's errors, which the scanner refuses too (test/sources/csv-dialect.test.ts)
      [{ action: 'update', keyFields: ['Email'], source: 'Email,Name\nx@example.com,say "hi"\n' }, /Quote/],
      [{ action: 'update', keyFields: ['Email'], source: 'Email,Name\nx@example.com,"ab"c\n' }, /Quote/],
      [
        { action: 'update', keyFields: ['Email'], source: 'Email,Name\rx@example.com,X\n' },
        /CR not followed by LF/,
      ],
      [{ action: 'update', keyFields: ['Phone'], source: 'Email\nx@example.com\n' }, /Key field Phone/],
      [{ action: 'update', keyFields: ['Name'], source: 'Email\nx@example.com\n' }, /not in the data/],
    ];
    for (const [body, pattern] of cases) {
      const done = await runImport(emu, body);
      assert.match(String(done.lasterror), pattern);
      assert.equal(done.status, 'error');
    }
  });
});
