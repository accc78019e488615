import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { requests } from '../../src/shared/contract';
import { dispatch, type Handlers } from '../../src/main/core/bridge/dispatch';
import { ScreenSessions } from '../../src/main/core/auth/session';
import { PinStore } from '../../src/main/core/auth/pins';
import { authHandlers } from '../../src/main/core/auth/auth-handlers';
import { AuditLog } from '../../src/main/core/store/audit-log';
import { migrate } from '../../src/main/core/store/db';
import { CONSOLE_MIGRATIONS } from '../../src/main/core/store/console-schema';
import { FakeClock } from '../helpers/fake-clock';

describe('the wrong-PIN wait when the PC clock is set back', () => {
  it('is the seconds it said, not a day more', async () => {
    const db = new Database(':memory:');
    migrate(db, CONSOLE_MIGRATIONS);
    const clock = new FakeClock();
    const pins = new PinStore(db);
    pins.set({ desk: '1234', manager: '5678', kiosk: '9012' });
    const handlers = Object.fromEntries(Object.keys(requests).map((k) => [k, () => null])) as unknown as Handlers;
    Object.assign(handlers, authHandlers({ pins, clock, audit: new AuditLog(db, () => clock.now()), kiosk: false, screens: new ScreenSessions(null, null) }));
    const session = new ScreenSessions(null, null).start(() => {});
    const login = (pin: string) => dispatch(handlers, 'auth.login', { role: 'desk', pin }, { transport: 'test', session });
    for (let i = 0; i < 3; i++) expect(await login('0000')).toMatchObject({ ok: false, error: { code: 'wrong-pin' } });
    expect(await login('1234')).toMatchObject({ ok: false, error: { code: 'locked', message: expect.stringMatching(/Try again in 2 s/) } });
    clock.stepWall(-86_400_000);
    clock.advance(2_000);
    expect(await login('1234')).toMatchObject({ ok: true });
    db.close();
  });
});
