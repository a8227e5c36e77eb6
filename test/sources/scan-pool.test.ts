// The worker-thread pool gives the same scans as scanning inline, and reports read errors with their code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFileScanner } from '../../src/sources/scan-pool.js';
import { fixturePath, scanOptions } from './scan-helpers.js';

const NAMES = ['valid.csv', 'duplicate-key.csv', 'wrong-columns.csv', 'valid.json', 'utf16le.csv'];

describe('createFileScanner', () => {
  it('scans on two worker threads exactly as inline', async () => {
    const inline = createFileScanner(0);
    const pool = createFileScanner(2);
    try {
      const options = (name: string) =>
        scanOptions(name, name.startsWith('utf16') ? { encoding: 'utf-16le' } : {});
      const viaPool = await Promise.all(NAMES.map((n) => pool.scan(fixturePath(n), options(n))));
      const viaInline = await Promise.all(NAMES.map((n) => inline.scan(fixturePath(n), options(n))));
      assert.deepEqual(viaPool, viaInline);
      assert.equal(viaPool[1]?.duplicateKeys, 3);
    } finally {
      await pool.close();
      await inline.close();
    }
  });

  it('rejects with the file system error code', async () => {
    const pool = createFileScanner(1);
    try {
      await assert.rejects(pool.scan(fixturePath('no-such.csv'), scanOptions('no-such.csv')), {
        code: 'ENOENT',
      });
    } finally {
      await pool.close();
    }
  });

  it('keeps several jobs queued on one worker and answers each with its own scan', async () => {
    const inline = createFileScanner(0);
    const pool = createFileScanner(1);
    try {
      const names = [...NAMES, ...NAMES, ...NAMES].filter((n) => !n.startsWith('utf16'));
      const viaPool = await Promise.all(names.map((n) => pool.scan(fixturePath(n), scanOptions(n))));
      const viaInline = await Promise.all(names.map((n) => inline.scan(fixturePath(n), scanOptions(n))));
      assert.deepEqual(viaPool, viaInline);
    } finally {
      await pool.close();
      await inline.close();
    }
  });
});
