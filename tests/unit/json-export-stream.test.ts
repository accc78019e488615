import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonEntries } from '../../src/main/core/store/json-export-stream';

const file = (text: string): string => {
  const f = join(mkdtempSync(join(tmpdir(), 'gym-json-entries-')), 'x.json');
  writeFileSync(f, text);
  return f;
};

describe('reading a JSON export piece by piece', () => {
  it('finds each top-level key, escaped quotes and backslashes included', () => {
    const entries = [...jsonEntries(file('{"no\\"te":"a \\" b \\\\","meta":{"k":1}, "ev\\\\ents" : [{"a":1},{"a":2}]}'), 1 << 20)];
    expect(entries).toEqual([
      { key: 'no"te', item: false, value: 'a " b \\' },
      { key: 'meta', item: false, value: { k: 1 } },
      { key: 'ev\\ents', item: true, value: { a: 1 } },
      { key: 'ev\\ents', item: true, value: { a: 2 } },
    ]);
  });

  // probe21 J14: 20 million entries under a key the console does not read took 23 s to parse, for nothing.
  it('counts the entries of a list it is told to skip, without parsing them; an empty entry is still refused', () => {
    const counts: [string, number][] = [];
    const text = `{"meta":{"k":1},"later":[{"a":"x,]"},[1,[2]],"s",3 , {}],"none":[],"events":[{"a":1}]}`;
    const entries = [...jsonEntries(file(text), 1 << 20, (k) => k !== 'events', (k, n) => counts.push([k, n]))];
    expect(entries).toEqual([
      { key: 'meta', item: false, value: { k: 1 } },
      { key: 'events', item: true, value: { a: 1 } },
    ]);
    expect(counts).toEqual([
      ['later', 5],
      ['none', 0],
    ]);
    expect(() => [...jsonEntries(file('{"later":[1,,2]}'), 1 << 20, () => true)]).toThrow(/“later” has an empty entry/);
    expect(() => [...jsonEntries(file('{"later":[1,2'), 1 << 20, () => true)]).toThrow(/ends early/);
    // Skipped entries are not kept: one far larger than a piece may be passes.
    expect(() => [...jsonEntries(file(`{"later":["${'y'.repeat(4 << 20)}"]}`), 1 << 20, () => true)]).not.toThrow();
  });

  // A reader must see "events": "x" to say it is not a list: skipped, the file opened as a gym with no events.
  it('yields a small top-level value whole, in order, and each of two under one key', () => {
    const entries = [...jsonEntries(file('{"events":"notalist","meta":{"k":1},"n":-1.5e3,"events":[],"events":true,"x":null}'), 1 << 20)];
    expect(entries).toEqual([
      { key: 'events', item: false, value: 'notalist' },
      { key: 'meta', item: false, value: { k: 1 } },
      { key: 'n', item: false, value: -1500 },
      { key: 'events', item: false, value: true },
      { key: 'x', item: false, value: null },
    ]);
  });

  // A top-level text full of escaped quotes made the key search rescan from each one: 120 KB held
  // the console for 7 s, 512 KB for minutes. Linear now, so this finishes well inside the test's time.
  it('reads a long top-level value full of escaped quotes in linear time', () => {
    const text = `{"x":"${'\\"'.repeat(250_000)}","meta":{"k":1}}`;
    expect([...jsonEntries(file(text), 1 << 20)]).toEqual([
      { key: 'x', item: false, value: '"'.repeat(250_000) },
      { key: 'meta', item: false, value: { k: 1 } },
    ]);
  }, 5_000);
});
