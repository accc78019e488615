import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLog } from '../../src/main/core/log';
import { waitFor } from '../helpers/wait';

const fresh = () => mkdtempSync(join(tmpdir(), 'gym-log-'));
const mode = (p: string) => statSync(p).mode & 0o777;

describe('console log', () => {
  it('writes logs/console.log, 0600 in a 0700 folder, one JSON line per entry', async () => {
    const dir = fresh();
    const log = openLog(dir);
    log.logger.info({ mode: 'live' }, 'start-up: live');
    await log.close();
    expect(log.file).toBe(join(dir, 'logs', 'console.log'));
    expect(mode(join(dir, 'logs'))).toBe(0o700);
    expect(mode(log.file)).toBe(0o600);
    const line = JSON.parse(readFileSync(log.file, 'utf8').trim());
    expect(line).toMatchObject({ level: 30, msg: 'start-up: live', mode: 'live' });
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('never writes the token: not as a field, not inside a message, not in the recent lines', async () => {
    const dir = fresh();
    const log = openLog(dir);
    log.hide('s3cret-token');
    log.logger.info({ token: 's3cret-token', backend: { token: 's3cret-token' } }, 'connecting');
    log.logger.error({ err: new Error('hello rejected for s3cret-token') }, 'auth failed with s3cret-token');
    const recent = log.recent().join('\n');
    expect(log.scrub('x s3cret-token y')).toBe('x [hidden] y');
    await log.close();
    const text = readFileSync(log.file, 'utf8');
    expect(text).toContain('auth failed with [hidden]');
    expect(text).not.toContain('s3cret-token');
    expect(recent).toContain('auth failed with [hidden]');
    expect(recent).not.toContain('s3cret-token');
  });

  it('hides a short token only where it stands alone, so times and words stay readable', async () => {
    const log = openLog(fresh());
    log.hide('T');
    log.hide('a.b'); // no pattern characters: the dot is a dot
    expect(log.scrub('"time":"2026-12-04T18:04:17.344Z" getaddrinfo ENOTFOUND The IT')).toBe('"time":"2026-12-04T18:04:17.344Z" getaddrinfo ENOTFOUND The IT');
    expect(log.scrub('token T refused; ?token=T&x, "T"')).toBe('token [hidden] refused; ?token=[hidden]&x, "[hidden]"');
    expect(log.scrub('axb a.b')).toBe('axb [hidden]');
    log.hide('Abcd1234'); // long enough to be hidden wherever it occurs, even run into other text
    expect(log.scrub('token%3DAbcd1234x')).toBe('token%3D[hidden]x');
    await log.close();
  });

  it('keeps the last warn/error lines in memory, readable, and no info lines', async () => {
    const log = openLog(fresh(), { recentMax: 3 });
    log.logger.info('quiet');
    for (let i = 1; i <= 5; i++) log.logger.warn(`warning ${i}`);
    log.logger.error({ err: new Error('disk full') }, 'store failed');
    await log.close();
    const recent = log.recent();
    expect(recent).toHaveLength(3);
    expect(recent[0]).toMatch(/^\S+ WARN warning 4$/);
    expect(recent[2]).toMatch(/ERROR store failed \(disk full\)$/);
    expect(recent.join('\n')).not.toContain('quiet');
  });

  it('folds a warning repeated while others come between into one line with its count (readme23 R5): an outage kept only its own connect errors', async () => {
    const log = openLog(fresh(), { recentMax: 5 });
    log.logger.warn('backend token refused');
    for (let i = 0; i < 40; i++) {
      log.logger.warn('failed pool gym ws://10.0.0.5:9100: socket error: connect ECONNREFUSED 10.0.0.5:9100');
      log.logger.warn('failed pool gym ws://10.0.0.6:9100: socket error: connect ECONNREFUSED 10.0.0.6:9100');
    }
    log.logger.error('the gym system was restarted');
    await log.close();
    const recent = log.recent();
    expect(recent).toHaveLength(4);
    expect(recent[0]).toMatch(/WARN backend token refused$/);
    expect(recent[1]).toMatch(/^\S+ WARN failed pool gym ws:\/\/10\.0\.0\.5:9100: socket error: connect ECONNREFUSED 10\.0\.0\.5:9100 \(×40, the last at \S+\)$/);
    expect(recent[2]).toMatch(/10\.0\.0\.6:9100 \(×40, the last at \S+\)$/);
    expect(recent[3]).toMatch(/ERROR the gym system was restarted$/);
  });

  it('logs the stack of an error', async () => {
    const log = openLog(fresh());
    log.logger.error({ err: new Error('boom') }, 'request x failed');
    await log.close();
    expect(JSON.parse(readFileSync(log.file, 'utf8').trim()).err.stack).toContain('log.test.ts');
  });

  it('rotates by size and keeps only a few old files', async () => {
    const dir = fresh();
    const log = openLog(dir, { maxSize: '2K', keep: 2 });
    for (let i = 0; i < 200; i++) log.logger.info({ i, filler: 'x'.repeat(100) }, 'filler line');
    await log.close();
    const logs = join(dir, 'logs');
    await waitFor(() => existsSync(join(logs, 'console.log.2')));
    expect(readdirSync(logs).sort()).toEqual(['console.log', 'console.log.1', 'console.log.2']);
    for (const f of readdirSync(logs)) {
      expect(statSync(join(logs, f)).size).toBeLessThan(4096);
      expect(mode(join(logs, f))).toBe(0o600);
    }
  });
});
