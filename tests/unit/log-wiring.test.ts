import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLog } from '../../src/main/core/log';
import { logInternalErrors } from '../../src/main/core/log-wiring';
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
});
