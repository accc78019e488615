import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLog } from '../../src/main/core/log';
import { logCoreEvents, logInternalErrors } from '../../src/main/core/log-wiring';
import type { PatchStream } from '../../src/main/core/state/patch-stream';
import { fakeSocketPool } from '../helpers/fake-pool';
import { FakeSocket } from '../helpers/fake-ws';
import { dispatch, type Handlers } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import { UserError } from '../../src/shared/result';

describe('log wiring', () => {
  it('logs a dispatch failure with code internal, with its stack; a UserError is an answer, not a log entry', async () => {
    const log = openLog(mkdtempSync(join(tmpdir(), 'gym-wiring-')));
    const handlers = logInternalErrors(
      {
        'app.info': () => {
          throw new TypeError('cannot read x of undefined');
        },
        'auth.status': () => {
          throw new UserError('nope', 'Sign in first.');
        },
      } as unknown as Handlers,
      log.logger,
    );
    const ctx = { transport: 'test' as const, session: new Session('manager') };
    expect(await dispatch(handlers, 'app.info', undefined, ctx)).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(await dispatch(handlers, 'auth.status', undefined, ctx)).toMatchObject({ ok: false, error: { code: 'nope' } });
    await log.close();
    const lines = readFileSync(log.file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'request app.info failed', request: 'app.info', err: { type: 'TypeError', message: 'cannot read x of undefined' } });
    expect(lines[0].err.stack).toContain('log-wiring.test.ts');
    expect(log.recent()).toEqual([expect.stringMatching(/ERROR request app\.info failed \(cannot read x of undefined\)$/)]);
  });

  it('a pool the console stops is logged at info; a socket the backend dropped stays a warning (readme21 R14)', async () => {
    const log = openLog(mkdtempSync(join(tmpdir(), 'gym-wiring-')));
    const sockets: FakeSocket[] = [];
    const { clock, mgr: pools } = fakeSocketPool({ endpoints: ['ws://a:1', 'ws://b:1'], maxConnections: 2, reconnectAttempts: 3 }, (s) => sockets.push(s));
    // Only the pools' activity is under test: a stream with no patches and no alerts.
    logCoreEvents(log.logger, pools, { subscribe: () => () => {}, current: () => [] } as unknown as PatchStream);
    pools.start();
    clock.advance(10);
    for (const s of sockets) {
      s.emit('open');
      s.frame({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 60_000, limits: { maxFrameBytes: 65536 } });
    }
    clock.advance(10);
    sockets[0]!.emit('close', 1006, Buffer.alloc(0));
    // Its retry is still connecting when the console closes: stopped on purpose too.
    for (let i = 0; i < 100 && sockets.length < 3; i++) clock.advance(100);
    expect(sockets).toHaveLength(3);
    pools.stop();
    await log.close();
    const lines = readFileSync(log.file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { level: number; msg: string });
    const closes = lines.filter((l) => /^(disconnected|failed) /.test(l.msg));
    expect(closes.map((l) => [l.level, l.msg.slice(0, l.msg.indexOf(': ')), l.msg.includes('pool stopped')])).toEqual([
      [40, 'disconnected pool gym ws://a:1', false],
      [30, 'failed pool gym ws://a:1', true],
      [30, 'disconnected pool gym ws://b:1', true],
    ]);
    expect(log.recent().filter((r) => r.includes('pool stopped'))).toEqual([]);
  });
});
