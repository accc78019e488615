import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filePoolStore } from '../../src/main/core/pool/pools-file';
import { resolveStart } from '../../src/main/core/startup/resolve-start';
import { fileTokenVault } from '../../src/main/core/token-vault';

// Probe-hostile21 J9: pools.json broken by a hand edit was set aside and said once; the next start (IT's usual first
// fix) said "pools.json is missing", with no word of the set-aside file beside it that holds the gym's addresses.
const POOL = { name: 'gym', endpoints: ['ws://127.0.0.1:1'], maxConnections: 2, healthCheckInterval: 1000, reconnectAttempts: 3, strategy: 'round-robin' };
const tmp = () => mkdtempSync(join(tmpdir(), 'gym-pools-aside-'));

/** A live gym's folder whose pools.json then got `text` by hand. */
function liveSite(text: string) {
  const dir = tmp();
  const vault = fileTokenVault(dir);
  const first = resolveStart({ flags: { backend: 'ws://127.0.0.1:1', backendToken: 'site-token' }, env: {}, dataDir: dir, vault });
  if (!first.ok) throw new Error(first.problems.join(' '));
  writeFileSync(join(dir, 'pools.json'), text);
  const start = (): string => {
    const d = resolveStart({ flags: {}, env: {}, dataDir: dir, vault });
    if (!d.ok || d.plan.mode !== 'live') throw new Error('expected a live start');
    return d.plan.warnings.join('\n');
  };
  return { dir, start };
}

describe('pools.json set aside', () => {
  it('every later start names the set-aside file, when and why, and the fix, on the start\'s warning (stderr, Health, the alert)', () => {
    const site = liveSite(JSON.stringify({ version: 1, pools: [POOL] }).replace(/}]}$/, '},]}')); // a trailing comma
    const first = site.start();
    expect(first).toMatch(/pools\.json could not be used \(it is not complete JSON\); it was set aside as .+pools\.json\.unreadable-\d+: fix that file and rename it back to pools\.json/);
    const [aside] = readdirSync(site.dir).filter((n) => n.startsWith('pools.json.unreadable-'));
    for (const again of [site.start(), site.start()]) {
      expect(again).toContain(`${join(site.dir, 'pools.json')} is missing: it was set aside as ${join(site.dir, aside!)} on `);
      expect(again).toContain("UTC because it could not be used (it is not complete JSON), and that file holds the gym's backend addresses. To use them again, fix that file and rename it back to pools.json, then start the console again.");
      expect(again).toContain('The console starts OFFLINE: add a pool on the Connection Pools tab');
      expect(again).not.toContain('has no saved backend addresses');
    }
  });

  it('of several set aside, the newest is named; one that reads correctly now is said to need only renaming back', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'pools.json.unreadable-1700000000000'), 'not json');
    writeFileSync(join(dir, 'pools.json.unreadable-1800000000000'), JSON.stringify({ version: 1, pools: [POOL] }));
    const { warning } = filePoolStore(dir).load();
    expect(warning).toContain('pools.json.unreadable-1800000000000 on 2027-01-15 08:00 UTC (it reads correctly now)');
    expect(warning).toContain('To use them again, rename it back to pools.json');
    renameSync(join(dir, 'pools.json.unreadable-1800000000000'), join(dir, 'pools.json'));
    expect(filePoolStore(dir).load()).toEqual({ pools: [POOL], warning: null });
  });

  it.each([
    ['[]', 'it holds a list where the settings go: a pools.json holds {"version": 1, "pools": [ … ]}'],
    ['null', 'it holds null where the settings go'],
    ['{"version":1,"pools":[]}', '"pools" is an empty list: it needs at least one pool'],
    ['{"version":1,"pools":null}', '"pools" is not a list of pools'],
    ['{"version":2,"pools":[]}', '"version" is 2, and this console reads only version 1'],
    [JSON.stringify({ version: 1, pools: [POOL, { ...POOL, name: 'desk', endpoints: ['http://x'] }] }), 'pool 2 ("desk"): "endpoints": "http://x" must start with ws:// or wss://.'],
  ])('a hand edit (%s) is said by which value and what is wanted', (text, words) => {
    const dir = tmp();
    writeFileSync(join(dir, 'pools.json'), text);
    const { warning } = filePoolStore(dir).load();
    expect(warning).toContain(words);
    expect(warning).not.toMatch(/This value is not valid|Pools needs at least/);
  });
});
