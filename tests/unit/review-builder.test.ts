import { describe, expect, it } from 'vitest';
import { reviewBuilder } from '../../src/main/core/store/export';

/**
 * A review is built in temp tables and then serialized: kept in memory, a 4-million-event export
 * held both at once (2.4 GB while it opened). On disk, the console holds the image alone.
 */
describe('the connection a review is built on', () => {
  it('keeps its temp tables in a file, and reads attached exports as untrusted', () => {
    const db = reviewBuilder();
    try {
      expect(db.pragma('temp_store', { simple: true })).toBe(1); // FILE
      expect(db.pragma('trusted_schema', { simple: true })).toBe(0);
      db.exec('CREATE TEMP TABLE t (x)');
      db.prepare('INSERT INTO temp.t VALUES (?)').run(1);
      expect(db.serialize({ attached: 'temp' }).byteLength).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });
});
