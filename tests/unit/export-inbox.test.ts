import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportInbox, MAX_UPLOADING } from '../../src/main/core/analytics/export-inbox';

describe('the export inbox', () => {
  it('keeps uploaded copies up to its byte bound, pushing out the oldest', () => {
    const inbox = new ExportInbox(join(mkdtempSync(join(tmpdir(), 'gym-inbox-')), 'uploads'), 250);
    const upload = (): string => {
      const file = inbox.uploadPath();
      writeFileSync(file, Buffer.alloc(100));
      return file;
    };
    const [a, b, c] = [upload(), upload(), upload()];
    const refA = inbox.admit(a, 'a.sqlite', true);
    inbox.admit(b, 'b.sqlite', true);
    inbox.admit(c, 'c.sqlite', true); // 300 bytes would be over 250: a goes
    expect(existsSync(a)).toBe(false);
    expect([existsSync(b), existsSync(c)]).toEqual([true, true]);
    expect(() => inbox.get(refA)).toThrow(/no longer waiting/);
  });

  it(`lets ${MAX_UPLOADING} uploads in at once; each place is given back once, however often its end is called`, () => {
    const inbox = new ExportInbox(join(mkdtempSync(join(tmpdir(), 'gym-inbox-')), 'uploads'));
    const ends = Array.from({ length: MAX_UPLOADING }, () => inbox.startUpload());
    expect(ends.every((e) => e !== null)).toBe(true);
    expect(inbox.startUpload()).toBeNull();
    ends[0]!();
    ends[0]!();
    expect(inbox.startUpload()).not.toBeNull();
    expect(inbox.startUpload()).toBeNull();
  });
});
